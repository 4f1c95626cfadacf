// EXPECT: {"mode":"time","types":[{"match":"Job","minCount":1000,"referrerMatch":"pending (module variable"}]}
// A hand-written queue whose consumer stopped: producers keep linking jobs in front of the
// head, so thousands of jobs hang off one module variable through their `next` links.
import { startLeakMonitoring } from 'memalot';

class Job {
  constructor(id, next) {
    this.id = id;
    this.next = next;
  }
}

let pending = null;

function produce(count) {
  for (let k = 0; k < count; k++) pending = new Job(k, pending);
}

const seconds = Number(process.env.SCENARIO_SECONDS ?? 8);
const monitor = startLeakMonitoring({
  maxObjectLifetime: 1,
  warmupPeriod: 1,
  reportDirectory: process.env.MEMALOT_REPORT_DIR,
});
const timer = setInterval(() => produce(200), 20);
setTimeout(async () => {
  clearInterval(timer);
  await monitor.stop();
}, seconds * 1000);

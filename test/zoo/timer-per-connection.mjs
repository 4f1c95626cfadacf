// EXPECT: {"mode":"time","types":[{"match":"Connection","minCount":10,"referrerMatch":"_idleNext (property) ×"}]}
// Each connection arms a heartbeat with setInterval and nothing ever clears it: the timer's
// callback keeps the connection (and its buffer and numbers) alive through Node's timer list.
import { startLeakMonitoring } from 'memalot';

class Connection {
  constructor(id) {
    this.id = id;
    this.lastSeen = Date.now() + 0.5;
    this.buffer = Buffer.alloc(512);
  }
}

function accept(id) {
  const connection = new Connection(id);
  setInterval(() => {
    connection.lastSeen = Date.now() + 0.5;
  }, 60_000);
}

const seconds = Number(process.env.SCENARIO_SECONDS ?? 8);
const monitor = startLeakMonitoring({
  maxObjectLifetime: 1,
  warmupPeriod: 1,
  reportDirectory: process.env.MEMALOT_REPORT_DIR,
});
let i = 0;
const arrivals = setInterval(() => accept(i++), 20);
setTimeout(async () => {
  clearInterval(arrivals);
  await monitor.stop();
  process.exit(0); // the heartbeats would keep the process alive
}, seconds * 1000);

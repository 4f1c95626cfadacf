// EXPECT: {"mode":"time","types":[{"match":"RequestContext","minCount":10,"referrerMatch":"'shutdown' listener"}]}
// Each request subscribes to a long-lived emitter and never unsubscribes: the listener's
// closure keeps the request's context alive.
import { EventEmitter } from 'node:events';
import { startLeakMonitoring } from 'memalot';

class RequestContext {
  constructor(id) {
    this.id = id;
    this.body = `payload-${id}-`.padEnd(128, '.');
  }
}

export const bus = new EventEmitter();
bus.setMaxListeners(0);

function handle(i) {
  const context = new RequestContext(i);
  bus.on('shutdown', () => context.id);
}

const seconds = Number(process.env.SCENARIO_SECONDS ?? 8);
const monitor = startLeakMonitoring({
  maxObjectLifetime: 1,
  warmupPeriod: 1,
  reportDirectory: process.env.MEMALOT_REPORT_DIR,
});
let i = 0;
const timer = setInterval(() => handle(i++), 20);
setTimeout(async () => {
  clearInterval(timer);
  await monitor.stop();
}, seconds * 1000);

// EXPECT: {"mode":"time","types":[{"match":"LargeThing","minCount":10,"referrerMatch":"theThing (module variable"}]}
// The classic shared-closure-context leak: `unused` refers to originalThing, so the context
// that someMethod shares with it keeps the previous LargeThing, which keeps the one before...
import { startLeakMonitoring } from 'memalot';

class LargeThing {
  constructor() {
    this.longStr = `${Math.random()}`.padEnd(1000, '*');
  }
}

let theThing = null;

function replaceThing() {
  const originalThing = theThing;
  const unused = () => {
    if (originalThing) return 'hi';
    return undefined;
  };
  unused();
  theThing = new LargeThing();
  theThing.someMethod = function someMethod() {
    return 1;
  };
}

const seconds = Number(process.env.SCENARIO_SECONDS ?? 8);
const monitor = startLeakMonitoring({
  maxObjectLifetime: 1,
  warmupPeriod: 1,
  reportDirectory: process.env.MEMALOT_REPORT_DIR,
});
const timer = setInterval(replaceThing, 20);
setTimeout(async () => {
  clearInterval(timer);
  await monitor.stop();
}, seconds * 1000);

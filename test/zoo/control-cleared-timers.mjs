// EXPECT: {"mode":"time","types":[],"noLeakTypes":["Connection","Timeout","number"],"maxOtherCount":2}
// No leak: each connection's heartbeat is cleared when the connection closes, well before the
// lifetime. Only Node's own timer bookkeeping changes (such as node:internal/timers' nextExpiry).
// maxOtherCount 2: on Node 22 and 24 a report can keep one Function (Node's lazily made `enabled`
// getter of node:internal/util/debuglog, held through the timer frames' `debug`) and one
// internalized string: known, open.
import { startLeakMonitoring } from 'memalot';

class Connection {
  constructor(id) {
    this.id = id;
    this.lastSeen = Date.now() + 0.5;
    this.heartbeat = setInterval(() => {
      this.lastSeen = Date.now() + 0.5;
    }, 5);
  }

  close() {
    clearInterval(this.heartbeat);
  }
}

function serve(id) {
  const connection = new Connection(id);
  setTimeout(() => connection.close(), 50);
}

const seconds = Number(process.env.SCENARIO_SECONDS ?? 10);
const monitor = startLeakMonitoring({
  maxObjectLifetime: 2,
  warmupPeriod: 1,
  reportDirectory: process.env.MEMALOT_REPORT_DIR,
});
let i = 0;
const arrivals = setInterval(() => serve(i++), 20);
setTimeout(async () => {
  clearInterval(arrivals);
  await monitor.stop();
}, seconds * 1000);

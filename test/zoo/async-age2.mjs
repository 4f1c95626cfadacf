// EXPECT: {"mode":"function","types":[{"match":"Row","minCount":2,"maxCount":2,"minReports":3}],"noLeakTypes":["Scratch"],"maxOtherCount":0}
// The README's own example: an async function monitored with maxObjectAgeCalls 2 that keeps
// exactly 2 objects per call. Seven calls: a warm-up, then three cycles of two calls; each
// report counts the 2 rows of its cycle's first call.
import { leakMonitor } from 'memalot';

class Row {
  constructor(i) { this.i = i; }
}
class Scratch {
  constructor(i) { this.i = i; }
}

const kept = [];
const tick = () => new Promise((resolve) => setImmediate(resolve));
const processBatch = leakMonitor(
  async function processBatch(n) {
    await tick();
    for (let i = 0; i < 10; i++) new Scratch(i);
    for (let i = 0; i < 2; i++) kept.push(new Row(n * 10 + i));
    await tick();
    return n;
  },
  { maxObjectAgeCalls: 2, reportDirectory: process.env.MEMALOT_REPORT_DIR },
);

for (let n = 0; n < 7; n++) await processBatch(n);

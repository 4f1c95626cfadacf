// EXPECT: {"mode":"function","types":[{"match":"Row","minCount":3,"maxCount":3,"minReports":4,"referrerMatch":"a local of main (running, at batch-driver.mjs:"}],"noLeakTypes":["Scratch"],"maxOtherCount":0}
// Function-based discovery of a batch job: a driver keeps a local list and calls the
// monitored function five times; each call pushes 3 rows into it (and makes scratch objects
// that die with the call). The rows are held only by the frame of main, which is still
// running when each report is made.
import { leakMonitor } from 'memalot';

class Row {
  constructor(i) { this.i = i; }
}
class Scratch {
  constructor(i) { this.i = i; }
}

const processBatch = leakMonitor(
  function processBatch(results, n) {
    const scratch = [];
    for (let i = 0; i < 20; i++) scratch.push(new Scratch(i));
    for (let i = 0; i < 3; i++) results.push(new Row(n * 10 + i));
    return scratch.length;
  },
  { warmupCalls: 1, maxObjectAgeCalls: 1, reportDirectory: process.env.MEMALOT_REPORT_DIR },
);

function main() {
  const results = [];
  for (let n = 0; n < 5; n++) processBatch(results, n);
  return results.length;
}
main();

// EXPECT: {"mode":"function","types":[{"match":"Row","minCount":3,"maxCount":3,"minReports":3,"referrerMatch":"kept (module variable in cjs-module-leak.cjs)"}],"noLeakTypes":["Scratch"],"maxOtherCount":0}
// A CommonJS module: each call keeps 3 rows in a top-level array. The module's top-level
// variables live in its wrapper function's scope, and the module body that calls the monitored
// function is still running when the reports are made.
'use strict';
const { leakMonitor } = require('memalot');

class Row {
  constructor(i) { this.i = i; }
}
class Scratch {
  constructor(i) { this.i = i; }
}

const kept = [];
const processBatch = leakMonitor(
  function processBatch(n) {
    const scratch = [];
    for (let i = 0; i < 20; i++) scratch.push(new Scratch(i));
    for (let i = 0; i < 3; i++) kept.push(new Row(n * 10 + i));
    return scratch.length;
  },
  { warmupCalls: 1, reportDirectory: process.env.MEMALOT_REPORT_DIR },
);

for (let n = 0; n < 4; n++) processBatch(n);

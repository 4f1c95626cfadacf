// The live console report escapes control characters as `memalot print` does: a function name,
// a property name on the path to a leak, or a report directory holding terminal escape codes
// (ESC ] 0; ... BEL sets the window title, ESC [ 2J clears the screen) reaches the terminal as
// text. A real program, with colour off so that memalot itself writes no escape code at all.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runProgram } from './helpers/child.js';

test('the live report shows a hostile function name, property name and directory escaped, never raw', async () => {
  const run = await runProgram(`
import { leakMonitor, startLeakMonitoring } from 'memalot';
class Leaked { constructor(i) { this.i = i; } }
const cache = {};
const evil = 'run\\x1b]0;pwned\\x07\\x1b[2J';
const fn = leakMonitor({ [evil]: function (i) { cache['key\\x1b[2J' + i] = new Leaked(i); } }[evil], { warmupCalls: 1, maxObjectAgeCalls: 1, fullReport: true });
for (let i = 0; i < 4; i++) fn(i);
await new Promise((resolve) => setTimeout(resolve, 50));
`);
  assert.equal(run.code, 0, run.stderr);
  assert.doesNotMatch(run.stdout, /\x1b|\x07/, 'a raw control character reached the console');
  assert.match(run.stdout, /for the run\\x1b\]0;pwned\\x07\\x1b\[2J function/);
  assert.match(run.stdout, /Function: run\\x1b\]0;pwned\\x07\\x1b\[2J/);
  assert.match(run.stdout, /key\\x1b\[2J\d/);
});

test('a report directory with escape codes is named escaped in the startup line', async () => {
  const run = await runProgram(`
import { startLeakMonitoring } from 'memalot';
const monitor = startLeakMonitoring({ maxObjectLifetime: 0.1, warmupPeriod: 0.1, reportDirectory: process.env.MEMALOT_REPORT_DIR + '\\x1b[2J' });
await monitor.stop();
`);
  assert.equal(run.code, 0, run.stderr);
  assert.doesNotMatch(run.stdout, /\x1b/);
  assert.match(run.stdout, /Reports are saved in\s+\S*reports\\x1b\[2J\./);
});

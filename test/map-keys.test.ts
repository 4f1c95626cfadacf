// Map keys that are not heap objects (small integers, booleans, null): the snapshot has no node
// for them, so the referrer graph's label is completed from the live Map, in a real monitored
// program's saved report.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runProgram } from './helpers/child.js';
import { readSavedReports } from './helpers/reports.js';

const PROGRAM = `
import { startLeakMonitoring } from 'memalot';
class ByNumber { constructor(i) { this.i = i; } }
class ByFlag { constructor(i) { this.i = i; } }
const byNumber = new Map();
const byFlag = new Map();
const monitor = startLeakMonitoring({ maxObjectLifetime: 1, warmupPeriod: 0.5, maxObjectDetails: 6 });
let n = 0;
const timer = setInterval(() => {
  byNumber.set(1000 + n, new ByNumber(n));
  byFlag.set(n % 2 === 0, new ByFlag(n));  // only the last two survive: keys true and false
  n++;
}, 20);
const deadline = Date.now() + 120_000;
const poll = setInterval(async () => {
  if (monitor.iterations < 3 && Date.now() < deadline) return;
  clearInterval(poll);
  clearInterval(timer);
  await monitor.stop();
}, 50);
`;

describe('Map keys that are not heap objects', () => {
  it('are read from the live Map: "Map value for key 1042", "Map value for key true"', async () => {
    const run = await runProgram(PROGRAM);
    assert.equal(run.code, 0, run.stderr);
    const details = readSavedReports(run.reportDirectory).flatMap((r) => r.iterations.flatMap((it) => it.objectDetails));
    const labels = (type: string) =>
      details.filter((d) => d.objectTypeName.endsWith(`:${type}`)).flatMap((d) => d.referrerGraph?.nodes.map((n) => n.name) ?? []);
    const numbered = labels('ByNumber').filter((name) => name.startsWith('Map value for key'));
    assert.ok(numbered.length > 0, `no Map label for ByNumber: ${JSON.stringify(labels('ByNumber'))}`);
    for (const name of numbered) assert.match(name, /^Map value for key 1\d{3}$/);
    const flags = labels('ByFlag').filter((name) => name.startsWith('Map value for key'));
    for (const name of flags) assert.match(name, /^Map value for key (true|false)$/);
    assert.ok(!details.some((d) => d.referrerGraph?.nodes.some((n) => n.name.includes('<a small integer>'))));
  });
});

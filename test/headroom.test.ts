// Heap headroom: before a snapshot memalot compares what it needs with what the process has
// (free memory, cgroup limits, Node's memory constraint); when it may not fit, the iteration is
// reported from the survivor counts alone, saying why, and the program goes on. Real programs,
// the available memory lowered by the test-only MEMALOT_TEST_AVAILABLE_MEMORY.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runProgram, type ChildResult } from './helpers/child.js';
import { readSavedReports } from './helpers/reports.js';
import { stopAfterIterationsSource } from './helpers/until-saved.js';

function leakyProgram(ballastObjects: number): string {
  return `
import { startLeakMonitoring } from 'memalot';
const ballast = [];
for (let i = 0; i < ${ballastObjects}; i++) ballast.push({ i, text: 'ballast ' + i });
class Kept { constructor(i) { this.i = i; } }
const keep = [];
const monitor = startLeakMonitoring({ maxObjectLifetime: 0.5, warmupPeriod: 0.5 });
const timer = setInterval(() => { for (let i = 0; i < 50; i++) keep.push(new Kept(i)); }, 20);
${stopAfterIterationsSource(3)}
process.on('beforeExit', () => console.log('DONE ' + ballast.length));
`;
}

function assertSkipped(run: ChildResult, reason: RegExp): void {
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /DONE/);
  const leaks = readSavedReports(run.reportDirectory).flatMap((r) => r.iterations).filter((it) => it.kind === 'leaks');
  assert.ok(leaks.length >= 2);
  for (const it of leaks) {
    assert.equal(it.scan?.snapshotTaken, false);
    assert.match(it.scan?.snapshotSkipped ?? '', reason);
    // What needs no snapshot is still there: how many objects survived.
    assert.ok((it.scan?.survivingObjects ?? 0) > 0);
    assert.deepEqual(it.objectDetails, []);
  }
  assert.match(run.stdout, /could not check this iteration's objects: a heap snapshot of \d+ objects needs/);
}

describe('heap headroom', () => {
  test('too little memory for the snapshot (test hook): each iteration says so, with its survivors counted', async () => {
    const run = await runProgram(leakyProgram(1000), { env: { MEMALOT_TEST_AVAILABLE_MEMORY: String(2 ** 20) } });
    assertSkipped(run, /needs about \d+ MiB and only 1 MiB is available \(set by MEMALOT_TEST_AVAILABLE_MEMORY/);
  });

  test('with room enough, the same program is checked (the hook is what made the difference)', async () => {
    const run = await runProgram(leakyProgram(1000));
    assert.equal(run.code, 0, run.stderr);
    const leaks = readSavedReports(run.reportDirectory).flatMap((r) => r.iterations).filter((it) => it.kind === 'leaks');
    assert.ok(leaks.some((it) => it.scan?.snapshotTaken === true && it.leakSummary.typeSummaries.some((s) => s.objectType.includes('Kept'))));
  });
});

// A summary without a heap snapshot (time-based, maxObjectDetails: 0): the surviving JavaScript
// objects counted by type in one walk of the heap (native/object_census.h), the rest only
// counted, and the report honest about it. Real programs, real reports on disk, the real CLI.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { runProgram } from './helpers/child.js';
import { runCli } from './helpers/cli.js';
import { iterationReportSchema, type IterationReport } from '../lib/storage/schema.js';
import { resolveFunctionBasedOptions, resolveTimeBasedOptions } from '../lib/monitor/options.js';

/**
 * Each tick keeps 20 Sessions (each with a nested object and a unique string), one Map and one
 * closure, and makes 50 Temps that die at once. A tick runs whole between two boundaries, so a
 * period's survivors come in whole ticks.
 */
function programSource(extra: string): string {
  return `
import { startLeakMonitoring } from 'memalot';
class Session { constructor(i) { this.tag = 'session-' + i + '-' + Math.random(); this.data = { i }; } }
class Temp { constructor(i) { this.i = i; } }
const kept = [];
const monitor = startLeakMonitoring({ maxObjectLifetime: 0.5, warmupPeriod: 0.5, maxObjectDetails: 0, ${extra} });
let n = 0;
const timer = setInterval(() => {
  const tick = n;
  for (let k = 0; k < 20; k++) kept.push(new Session(n++));
  kept.push(new Map([[tick, tick]]), () => tick);
  const garbage = Array.from({ length: 50 }, (_, i) => new Temp(i));
  if (garbage.length !== 50) throw new Error('unreachable');
}, 20);
const deadline = Date.now() + 120_000;
const poll = setInterval(() => {
  if (monitor.iterations < 4 && Date.now() < deadline) return;
  clearInterval(poll);
  clearInterval(timer);
  monitor.stop();
}, 50);
`;
}

function savedIterations(reportDirectory: string): IterationReport[] {
  const [name] = readdirSync(reportDirectory);
  assert.ok(name !== undefined, 'a report was saved');
  const directory = join(reportDirectory, name);
  return readdirSync(directory)
    .filter((file) => /^iteration_report_\d+\.json$/.test(file))
    .map((file) => iterationReportSchema.parse(JSON.parse(readFileSync(join(directory, file), 'utf8'))))
    .sort((a, b) => a.iterationNumber - b.iterationNumber);
}

const countOf = (it: IterationReport, type: string): number => it.leakSummary.typeSummaries.find((s) => s.objectType === type)?.count ?? 0;

describe('a summary without a heap snapshot', { concurrency: 1 }, () => {
  test('names the JavaScript objects exactly, counts the rest, and says so in the saved report and the printed one', async () => {
    const run = await runProgram(programSource(''), { env: { COLUMNS: '120' } });
    assert.equal(run.code, 0, run.stderr);
    const leaks = savedIterations(run.reportDirectory).filter((it) => it.kind === 'leaks' && countOf(it, 'program.mjs:Session') > 0);
    assert.ok(leaks.length >= 2, `at least two iterations found Sessions: ${run.stdout}`);
    for (const it of leaks) {
      const sessions = countOf(it, 'program.mjs:Session');
      const ticks = sessions / 20;
      assert.ok(Number.isInteger(ticks), `whole ticks of 20 Sessions: ${sessions}`);
      // Exactly what the ticks kept, by the names a snapshot gives them.
      assert.equal(countOf(it, 'Object'), sessions, 'one nested object per Session');
      assert.equal(countOf(it, 'Map'), ticks, 'one Map per tick');
      assert.equal(countOf(it, 'Function'), ticks, 'one closure per tick');
      assert.equal(countOf(it, 'program.mjs:Temp'), 0, 'what died is not counted');
      assert.equal(countOf(it, 'string'), 0, 'strings are not JavaScript objects: never named');
      const scan = it.scan;
      assert.ok(scan !== undefined);
      assert.equal(scan.snapshotTaken, false);
      assert.equal(scan.snapshotNodes, null);
      assert.ok(scan.objectWalk !== undefined, 'the report says how it was counted');
      // Each Session's unique string survives, unnamed; the named rows and the rest add up to all survivors.
      assert.ok(scan.objectWalk.unnamedObjects >= sessions, `${scan.objectWalk.unnamedObjects} unnamed, ${sessions} strings at least`);
      const named = it.leakSummary.typeSummaries.reduce((sum, s) => sum + s.count, 0);
      assert.ok(named + scan.objectWalk.unnamedObjects >= scan.survivingObjects - 50, `${named} named + ${scan.objectWalk.unnamedObjects} unnamed against ${scan.survivingObjects} survivors`);
      assert.ok(named + scan.objectWalk.unnamedObjects <= scan.survivingObjects);
    }
    assert.match(run.stdout, /Counted without a heap snapshot: [\d,]+ more survivors \(strings, numbers, V8's own objects\) not named above/);

    const [name] = readdirSync(run.reportDirectory);
    const id = name!.replace(/^memalot_report_/, '');
    const printed = await runCli(['print', id, '-n', '3', '--report-directory', run.reportDirectory], { env: { COLUMNS: '120' } });
    assert.equal(printed.code, 0, printed.stderr);
    assert.match(printed.stdout, /program\.mjs:Session/);
    assert.match(printed.stdout, /Counted without a heap snapshot/);
  });

  test('summaryFromSnapshot: true takes the snapshot, which names strings and says nothing of a walk', async () => {
    const run = await runProgram(programSource('summaryFromSnapshot: true'));
    assert.equal(run.code, 0, run.stderr);
    const leaks = savedIterations(run.reportDirectory).filter((it) => it.kind === 'leaks' && countOf(it, 'program.mjs:Session') > 0);
    assert.ok(leaks.length >= 1, run.stdout);
    for (const it of leaks) {
      assert.equal(it.scan?.snapshotTaken, true);
      assert.equal(it.scan?.objectWalk, undefined);
      assert.ok(countOf(it, 'string') >= countOf(it, 'program.mjs:Session'), 'each Session string named');
    }
    assert.doesNotMatch(run.stdout, /Counted without a heap snapshot/);
  });

  test('the option is checked, and belongs to time-based monitoring only', () => {
    assert.equal(resolveTimeBasedOptions({ maxObjectLifetime: 1, summaryFromSnapshot: true }).summaryFromSnapshot, true);
    assert.throws(() => resolveTimeBasedOptions({ maxObjectLifetime: 1, summaryFromSnapshot: 'yes' as unknown as boolean }), /summaryFromSnapshot/);
    assert.throws(() => resolveFunctionBasedOptions('leakMonitor()', { summaryFromSnapshot: true }), /summaryFromSnapshot/);
  });
});

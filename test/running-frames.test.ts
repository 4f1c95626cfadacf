// What the frames of functions still running hold counts: a batch driver's local list, a
// CommonJS module's top-level variables, an async caller awaiting the monitored call, a
// long-running function under time-based monitoring. Real programs in child processes; every
// report after the warm-up is checked, not one.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runProgram, type ChildResult } from './helpers/child.js';
import { readSavedReports, type SavedReport } from './helpers/reports.js';
import type { IterationReport } from '../lib/storage/schema.js';

/** The summary rows as { type: count }, module prefixes dropped. */
function rows(it: IterationReport): Record<string, number> {
  return Object.fromEntries(it.leakSummary.typeSummaries.map((s) => [s.objectType.replace(/^.*:/, ''), s.count]));
}

function onlyReport(run: ChildResult): SavedReport {
  assert.equal(run.code, 0, run.stderr);
  const reports = readSavedReports(run.reportDirectory);
  assert.equal(reports.length, 1, `one report expected, got ${reports.length}`);
  return reports[0]!;
}

/** The names of every node of every detailed object's referrer graph, per iteration. */
function graphNames(it: IterationReport): string[] {
  return it.objectDetails.flatMap((d) => d.referrerGraph?.nodes.map((n) => n.name) ?? []);
}

function lineOf(source: string, text: string): number {
  const index = source.split('\n').findIndex((line) => line.includes(text));
  assert.ok(index >= 0, `"${text}" is in the program`);
  return index + 1;
}

/** A busy machine makes children slow: a generous limit, never a timed assertion. */
const SLOW = { timeoutMs: 180_000 };

const RECORDS = `
class Row { constructor(i) { this.i = i; } }
class Scratch { constructor(i) { this.i = i; } }
`;

describe('objects held by running functions', { concurrency: 3 }, () => {
  const driverSource = `
import { leakMonitor } from 'memalot';
${RECORDS}
const processBatch = leakMonitor(function processBatch(results, n) {
  const scratch = [];
  for (let i = 0; i < 20; i++) scratch.push(new Scratch(i));
  for (let i = 0; i < 3; i++) results.push(new Row(n * 10 + i));
  return scratch.length;
}, { maxObjectDetails: 2 });
function main() {
  const results = [];
  for (let n = 0; n < 5; n++) processBatch(results, n); // the call
  return results.length;
}
console.log('kept', main());
`;

  test('a batch driver: the rows pushed into a local list of main are reported in every report, held by main', async () => {
    const run = await runProgram(driverSource, SLOW);
    const report = onlyReport(run);
    assert.match(run.stdout, /kept 15/);
    assert.deepEqual(report.iterations.map((it) => it.kind), ['warmup', 'leaks', 'leaks', 'leaks', 'leaks']);
    const line = lineOf(driverSource, '// the call');
    for (const it of report.iterations.slice(1)) {
      assert.deepEqual(rows(it), { Row: 3 }, `iteration ${it.iterationNumber}`);
      assert.ok(it.scan!.survivingObjects >= 3, `iteration ${it.iterationNumber}: ${it.scan!.survivingObjects} survivors`);
      const names = graphNames(it);
      assert.ok(
        names.includes(`a local of main (running, at program.mjs:${line}) or a function that called it`),
        `iteration ${it.iterationNumber}: the path ends at main's frame: ${names.join(' | ')}`,
      );
      assert.ok(!names.some((n) => /memalot|MonitoredCall|leak-monitor|function-based/.test(n)), names.join(' | '));
    }
    assert.doesNotMatch(run.stdout, /No leaks found/);
  });

  test('a monitored call from within another: what the running outer call keeps for a while survives the inner one, not the outer one', async () => {
    const source = `
import { leakMonitor } from 'memalot';
${RECORDS}
const inner = leakMonitor(function inner(batch) { for (let i = 0; i < 3; i++) batch.push(new Row(i)); }, { warmupCalls: 0, maxObjectDetails: 1 });
const outer = leakMonitor(function outer() {
  const batch = [];
  inner(batch); // inner's call
  inner(batch);
  return batch.length;
}, { warmupCalls: 0 });
console.log('rows', outer() + outer());
`;
    const run = await runProgram(source, SLOW);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /rows 12/);
    const byName = new Map(readSavedReports(run.reportDirectory).map((r) => [r.summary.functionName, r]));
    const inner = byName.get('inner')!;
    assert.equal(inner.iterations.length, 4);
    const line = lineOf(source, "// inner's call");
    for (const it of inner.iterations) {
      assert.deepEqual(rows(it), { Row: 3 }, `inner iteration ${it.iterationNumber}`);
      const names = graphNames(it);
      // The second call is on the next line: the line tells which call of inner is running.
      assert.ok(names.some((n) => new RegExp(`^a local of outer \\(running, at program\\.mjs:(${line}|${line + 1})\\) or a function that called it$`).test(n)), names.join(' | '));
    }
    // Once outer has returned, its batch is garbage: outer's own reports find nothing.
    const outer = byName.get('outer')!;
    assert.equal(outer.iterations.length, 2);
    for (const it of outer.iterations) assert.deepEqual(rows(it), {}, `outer iteration ${it.iterationNumber}`);
  });

  const cjsSource = `'use strict';
const { leakMonitor } = require('memalot');
${RECORDS}
const kept = [];
const processBatch = leakMonitor(function processBatch(n) {
  for (let i = 0; i < 20; i++) new Scratch(i);
  for (let i = 0; i < 3; i++) kept.push(new Row(n * 10 + i));
}, { maxObjectDetails: 2 });
for (let n = 0; n < 4; n++) processBatch(n);
{
  // A block's local of the module body: held by the running top-level code.
  const local = [];
  const more = leakMonitor(function more(n) { local.push(new Row(n)); }, { maxObjectDetails: 1, warmupCalls: 0 });
  for (let n = 0; n < 2; n++) more(n);
}
`;

  test('CommonJS: a top-level variable of a .cjs module is a module variable, and what it holds is reported', async () => {
    const run = await runProgram(cjsSource, { ...SLOW, fileName: 'program.cjs' });
    assert.equal(run.code, 0, run.stderr);
    const reports = new Map(readSavedReports(run.reportDirectory).map((r) => [r.summary.functionName, r]));
    const batch = reports.get('processBatch')!;
    assert.deepEqual(batch.iterations.map((it) => it.kind), ['warmup', 'leaks', 'leaks', 'leaks']);
    for (const it of batch.iterations.slice(1)) {
      assert.deepEqual(rows(it), { Row: 3 }, `iteration ${it.iterationNumber}`);
      assert.ok(graphNames(it).includes('kept (module variable in program.cjs)'), graphNames(it).join(' | '));
    }
    const more = reports.get('more')!;
    assert.equal(more.iterations.length, 2);
    for (const it of more.iterations) {
      assert.deepEqual(rows(it), { Row: 1 }, `iteration ${it.iterationNumber}`);
      assert.ok(
        graphNames(it).some((n) => n.startsWith('a local of the top-level code of program.cjs (running)')),
        graphNames(it).join(' | '),
      );
    }
  });

  test('an async driver: what a caller awaiting the monitored call keeps in its locals is reported', async () => {
    const run = await runProgram(`
import { leakMonitor } from 'memalot';
${RECORDS}
const tick = () => new Promise((resolve) => setImmediate(resolve));
const processBatch = leakMonitor(async function processBatch(results, n) {
  await tick();
  for (let i = 0; i < 20; i++) new Scratch(i);
  for (let i = 0; i < 3; i++) results.push(new Row(n * 10 + i));
  return results.length;
}, { maxObjectDetails: 1 });
async function main() {
  const results = [];
  for (let n = 0; n < 4; n++) await processBatch(results, n);
}
await main();
`, SLOW);
    const report = onlyReport(run);
    assert.equal(report.iterations.length, 4);
    for (const it of report.iterations.slice(1)) {
      assert.deepEqual(rows(it), { Row: 3 }, `iteration ${it.iterationNumber}`);
      const names = graphNames(it);
      assert.ok(names.some((n) => n.startsWith('main: local variable (of a suspended async function')), names.join(' | '));
      assert.ok(!names.some((n) => /MonitoredCall/.test(n)), names.join(' | '));
    }
  });

  test('control: a clean function called from a driver reports nothing, nor does a scope entered and disposed by hand', async () => {
    const run = await runProgram(`
import { leakMonitor, createLeakMonitor } from 'memalot';
${RECORDS}
const work = leakMonitor(function work(n) {
  const scratch = [];
  for (let i = 0; i < n; i++) scratch.push(new Scratch(i));
  return { total: scratch.length };
});
const scoped = createLeakMonitor({ functionName: 'scoped' });
function main() {
  let total = 0;
  for (let n = 0; n < 5; n++) total += work(50).total;
  for (let n = 0; n < 4; n++) {
    const scope = scoped.enter();
    try {
      const local = [];
      for (let i = 0; i < 10; i++) local.push(new Scratch(i));
      total += local.length;
    } finally {
      scope[Symbol.dispose]();
    }
  }
  return total;
}
console.log('total', main());
`, SLOW);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /total 290/);
    const reports = readSavedReports(run.reportDirectory);
    assert.equal(reports.length, 2);
    for (const report of reports) {
      assert.ok(report.iterations.length >= 4, `${report.summary.functionName}: ${report.iterations.length} iterations`);
      for (const it of report.iterations) {
        assert.deepEqual(rows(it), {}, `${report.summary.functionName} iteration ${it.iterationNumber}`);
      }
    }
  });

  test('time-based: a long-running function\'s locals, and a CommonJS module variable, are reported and named', async () => {
    const run = await runProgram(`'use strict';
const { startLeakMonitoring } = require('memalot');
${RECORDS}
const kept = [];
const monitor = startLeakMonitoring({ maxObjectLifetime: 1, warmupPeriod: 0.5, maxObjectDetails: 4 });
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
async function longJob() {
  const results = [];
  const deadline = Date.now() + 60_000;
  while (monitor.iterations < 4 && Date.now() < deadline) {
    results.push(new Row(results.length));
    kept.push(new Scratch(kept.length));
    await sleep(50);
  }
  return results.length;
}
longJob().then(() => monitor.stop());
`, { ...SLOW, fileName: 'program.cjs' });
    const report = onlyReport(run);
    const leaks = report.iterations.filter((it) => it.kind === 'leaks');
    assert.ok(leaks.length >= 2, `${leaks.length} leak reports`);
    // The first epoch after the warm-up may be cut short by when the job began; those after it are whole.
    for (const it of leaks.slice(1)) {
      const found = rows(it);
      assert.ok((found.Row ?? 0) > 0 && (found.Scratch ?? 0) > 0, `iteration ${it.iterationNumber}: ${JSON.stringify(found)}`);
      const names = graphNames(it);
      assert.ok(names.includes('kept (module variable in program.cjs)'), names.join(' | '));
      assert.ok(names.some((n) => n.startsWith('longJob: local variable')), names.join(' | '));
    }
  });
});

describe('exact survivor counts: maxObjectAgeCalls 1-3 x 1-3 objects per call, sync and async', { concurrency: 2 }, () => {
  const CALLS = 7;
  for (const kind of ['sync', 'async'] as const) {
    for (const age of [1, 2, 3]) {
      test(`${kind}, maxObjectAgeCalls ${age}: every report counts exactly the 1, 2 or 3 objects of its cycle's first call`, async () => {
        const run = await runProgram(`
import { createLeakMonitor } from 'memalot';
${RECORDS}
const kept = [];
const tick = () => new Promise((resolve) => setImmediate(resolve));
for (const perCall of [1, 2, 3]) {
  const monitor = createLeakMonitor({ maxObjectAgeCalls: ${age}, functionName: 'keeps' + perCall, maxObjectDetails: 0 });
  for (let c = 0; c < ${CALLS}; c++) {
    ${kind === 'sync'
      ? 'monitor.run(() => { for (let i = 0; i < 10; i++) new Scratch(i); for (let i = 0; i < perCall; i++) kept.push(new Row(c)); return c; });'
      : 'await monitor.run(async () => { await tick(); for (let i = 0; i < 10; i++) new Scratch(i); for (let i = 0; i < perCall; i++) kept.push(new Row(c)); await tick(); return { c }; });'}
  }
  await monitor.stop();
}
console.log('kept', kept.length);
`, { timeoutMs: 300_000 });
        assert.equal(run.code, 0, run.stderr);
        assert.match(run.stdout, new RegExp(`kept ${CALLS * 6}`));
        const reports = new Map(readSavedReports(run.reportDirectory).map((r) => [r.summary.functionName, r]));
        for (const perCall of [1, 2, 3]) {
          const name = `keeps${perCall}`;
          const report = reports.get(name);
          assert.ok(report !== undefined, `a report for ${name}`);
          const leaks = report.iterations.filter((it) => it.kind === 'leaks');
          // A warm-up call, then a report every `age` calls.
          assert.equal(leaks.length, Math.floor((CALLS - 1) / age), `${name}: reports`);
          for (const it of leaks) {
            assert.deepEqual(rows(it), { Row: perCall }, `${name} iteration ${it.iterationNumber}`);
            // V8's own objects of the call (a grown backing store) may survive too, never fewer.
            assert.ok(it.scan!.survivingObjects >= perCall, `${name} iteration ${it.iterationNumber}: ${it.scan!.survivingObjects} survivors`);
            assert.equal(it.scan!.snapshotTaken, true, `${name} iteration ${it.iterationNumber}: the pre-check saw the survivors`);
          }
        }
      });
    }
  }
});

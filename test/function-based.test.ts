// Function-based discovery end to end: real programs in child processes, exact counts.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runProgram } from './helpers/child.js';
import { prose } from './helpers/prose.js';
import { readSavedReports, type SavedReport } from './helpers/reports.js';
import type { IterationReport } from '../lib/storage/schema.js';

const RECORDS = `
class Leaky { constructor(i) { this.i = i; } }
class Temp { constructor(i) { this.i = i; } }
const kept = [];
`;

function onlyReport(reports: SavedReport[]): SavedReport {
  assert.equal(reports.length, 1, `one report expected, got ${reports.length}`);
  return reports[0]!;
}

/** The summary rows as { type: count }, module prefixes dropped. */
function rows(it: IterationReport): Record<string, number> {
  return Object.fromEntries(it.leakSummary.typeSummaries.map((s) => [s.objectType.replace(/^.*:/, ''), s.count]));
}

describe('function-based leak discovery', { concurrency: 4 }, () => {
  test('a sync wrapper reports exactly what each call leaked, keeps name, arity and this, and leaves out its return value', async () => {
    const run = await runProgram(`
import { leakMonitor } from 'memalot';
${RECORDS}
const batch = leakMonitor(function processBatch(n, tag) {
  const tmp = [];
  for (let i = 0; i < n; i++) {
    tmp.push(new Temp(i));
    if (i % 10 === 0) kept.push(new Leaky(i));
  }
  return { self: this.label, tag, done: tmp.length };
});
console.log(JSON.stringify({ name: batch.name, length: batch.length }));
const owner = { label: 'owner', batch };
for (let c = 0; c < 4; c++) console.log(JSON.stringify(owner.batch(100, 'c' + c)));
`);
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.split('\n').filter((l) => l.startsWith('{'));
    assert.deepEqual(JSON.parse(lines[0]!), { name: 'processBatch', length: 2 });
    assert.deepEqual(JSON.parse(lines[1]!), { self: 'owner', tag: 'c0', done: 100 });
    const report = onlyReport(readSavedReports(run.reportDirectory));
    assert.equal(report.summary.mode, 'function');
    assert.equal(report.summary.functionName, 'processBatch');
    assert.deepEqual(report.iterations.map((it) => it.kind), ['warmup', 'leaks', 'leaks', 'leaks']);
    for (const it of report.iterations.slice(1)) {
      assert.deepEqual(rows(it), { Leaky: 10 }, `iteration ${it.iterationNumber}: only the 10 leaked records`);
      assert.deepEqual(it.functionCalls, { functionName: 'processBatch', calls: 1, followedCalls: 1, overlapped: false });
    }
    assert.match(prose(run.stdout), /Memalot is monitoring for memory leaks for the processBatch function\. After 1 warmup call, objects that are created while this function is being called and are still alive after 1 call will be reported/);
    assert.match(prose(run.stdout), /10 objects of 1 type created during a call to processBatch are still alive after it returned\./);
    assert.equal(run.stdout.match(/│ Function: processBatch +│/g)?.length, 4, 'every report names the function');
    assert.deepEqual(report.iterations[0]?.functionCalls, { functionName: 'processBatch', calls: 1, followedCalls: 0, overlapped: false });
  });

  test('an async wrapper: its promise and result are not counted, and the objects are', async () => {
    const run = await runProgram(`
import { leakMonitor } from 'memalot';
${RECORDS}
const tick = () => new Promise((resolve) => setImmediate(resolve));
const fetchAll = leakMonitor(async function fetchAll(n) {
  await tick();
  for (let i = 0; i < n; i++) { new Temp(i); if (i % 4 === 0) kept.push(new Leaky(i)); }
  await tick();
  return { fetched: n };
});
// (Printing between the calls would count too: the console finishes its writes asynchronously,
// during the next call.)
const results = [];
for (let c = 0; c < 3; c++) results.push(await fetchAll(20));
console.log(JSON.stringify(results[2]));
`);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /\{"fetched":20\}/);
    const report = onlyReport(readSavedReports(run.reportDirectory));
    assert.equal(report.iterations.length, 3);
    for (const it of report.iterations.slice(1)) assert.deepEqual(rows(it), { Leaky: 5 });
  });

  test('a lazy thenable is returned untouched: monitoring never calls its then()', async () => {
    const run = await runProgram(`
import { leakMonitor } from 'memalot';
let ran = 0;
const query = leakMonitor(function query() { return { then(resolve) { ran++; resolve('rows'); } }; }, { warmupCalls: 0 });
const builder = query();
console.log('ran before await: ' + ran);
console.log('result: ' + (await builder) + ', ran: ' + ran);
`);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /ran before await: 0/);
    assert.match(run.stdout, /result: rows, ran: 1/);
  });

  test('a call that throws or rejects still reports, and the error reaches the caller unchanged', async () => {
    const run = await runProgram(`
import { leakMonitor } from 'memalot';
${RECORDS}
const boom = new Error('boom');
const failing = leakMonitor(function failing() { kept.push(new Leaky(1), new Leaky(2)); throw boom; }, { warmupCalls: 0 });
try { failing(); } catch (e) { console.log('sync same error: ' + (e === boom)); }
const rejecting = leakMonitor(async function rejecting() { kept.push(new Leaky(3)); throw boom; }, { warmupCalls: 0 });
try { await rejecting(); } catch (e) { console.log('async same error: ' + (e === boom)); }
`);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /sync same error: true/);
    assert.match(run.stdout, /async same error: true/);
    const reports = readSavedReports(run.reportDirectory).sort((a, b) => String(a.summary.functionName).localeCompare(String(b.summary.functionName)));
    assert.equal(reports.length, 2);
    assert.deepEqual(reports.map((r) => r.summary.functionName), ['failing', 'rejecting']);
    assert.deepEqual(rows(reports[0]!.iterations[0]!), { Leaky: 2 });
    assert.deepEqual(rows(reports[1]!.iterations[0]!), { Leaky: 1 });
  });

  for (const warmupCalls of [0, 1, 2]) {
    test(`warmupCalls ${warmupCalls}: the first ${warmupCalls} calls are warm-up`, async () => {
      const run = await runProgram(`
import { createLeakMonitor } from 'memalot';
${RECORDS}
const monitor = createLeakMonitor({ warmupCalls: ${warmupCalls}, functionName: 'job' });
for (let c = 0; c < 4; c++) monitor.run(() => { kept.push(new Leaky(c)); });
`);
      assert.equal(run.code, 0, run.stderr);
      const report = onlyReport(readSavedReports(run.reportDirectory));
      const expected = [...(warmupCalls > 0 ? ['warmup'] : []), ...Array<string>(4 - warmupCalls).fill('leaks')];
      assert.deepEqual(report.iterations.map((it) => it.kind), expected);
      for (const it of report.iterations.filter((i) => i.kind === 'leaks')) assert.deepEqual(rows(it), { Leaky: 1 });
    });
  }

  test('maxObjectAgeCalls 2: five calls give iterations 1 (warm-up), 2 and 3', async () => {
    const run = await runProgram(`
import { createLeakMonitor } from 'memalot';
${RECORDS}
const monitor = createLeakMonitor({ maxObjectAgeCalls: 2 });
for (let c = 0; c < 5; c++) monitor.run(() => { kept.push(new Leaky(c)); });
`);
    assert.equal(run.code, 0, run.stderr);
    const report = onlyReport(readSavedReports(run.reportDirectory));
    assert.deepEqual(report.iterations.map((it) => it.kind), ['warmup', 'leaks', 'leaks']);
  });

  test('maxObjectAgeCalls 3: only objects of the cycle\'s first call that outlive three calls', async () => {
    const run = await runProgram(`
import { createLeakMonitor } from 'memalot';
${RECORDS}
let previous = [];
const monitor = createLeakMonitor({ maxObjectAgeCalls: 3, functionName: 'step' });
for (let c = 0; c < 7; c++) {
  monitor.run(() => {
    for (let i = 0; i < 10; i++) kept.push(new Leaky(i));
    previous = Array.from({ length: 5 }, (_, i) => new Temp(i)); // dies at the next call
  });
}
`);
    assert.equal(run.code, 0, run.stderr);
    const report = onlyReport(readSavedReports(run.reportDirectory));
    assert.deepEqual(report.iterations.map((it) => it.kind), ['warmup', 'leaks', 'leaks']);
    for (const it of report.iterations.slice(1)) {
      assert.deepEqual(rows(it), { Leaky: 10 }, 'the first call of the cycle leaked 10; its Temps died');
      assert.deepEqual(it.functionCalls, { functionName: 'step', calls: 3, followedCalls: 1, overlapped: false });
    }
    assert.match(prose(run.stdout), /10 objects of 1 type created during a call to step are still alive after 3 calls\./);
  });

  test('overlapping async calls are counted together, once, and the report says so', async () => {
    const run = await runProgram(`
import { setTimeout as sleep } from 'node:timers/promises';
import { leakMonitor } from 'memalot';
${RECORDS}
const handle = leakMonitor(async function handle(n, wait) {
  for (let i = 0; i < n; i++) kept.push(new Leaky(i));
  // (sleep()'s timers are made during the call and may outlive it: a call alone uses setImmediate)
  await (wait > 0 ? sleep(wait) : new Promise((resolve) => setImmediate(resolve)));
}, { warmupCalls: 0 });
await Promise.all([handle(3, 30), handle(4, 10), handle(5, 20)]);
await handle(2, 0);
`);
    assert.equal(run.code, 0, run.stderr);
    const report = onlyReport(readSavedReports(run.reportDirectory));
    assert.equal(report.iterations.length, 2);
    const [together, alone] = report.iterations;
    // The caller's own Promise.all() and the timers of sleep() were made while the calls ran:
    // they count too, as they would for any code running meanwhile. The leak is what matters.
    const { Leaky, ...others } = rows(together!);
    assert.equal(Leaky, 12);
    assert.ok(Object.values(others).reduce((a, b) => a + b, 0) <= 5, JSON.stringify(others));
    assert.deepEqual(together!.functionCalls, { functionName: 'handle', calls: 3, followedCalls: 3, overlapped: true });
    assert.deepEqual(rows(alone!), { Leaky: 2 });
    assert.equal(alone!.functionCalls?.overlapped, false);
    assert.match(prose(run.stdout), /3 calls to handle overlapped \(an async call began before another ended, or one was made from within another\); the objects created during all of them are counted together\./);
  });

  test('a monitored call from within another: each report counts its own call, never memalot\'s objects', async () => {
    const run = await runProgram(`
import { leakMonitor } from 'memalot';
class Outer { } class Inner { }
const kept = [];
const inner = leakMonitor(function inner() { for (let i = 0; i < 3; i++) kept.push(new Inner()); }, { warmupCalls: 0 });
const outer = leakMonitor(function outer() {
  for (let i = 0; i < 5; i++) kept.push(new Outer());
  inner();
  inner();
}, { warmupCalls: 0 });
outer();
outer();
`);
    assert.equal(run.code, 0, run.stderr);
    const reports = readSavedReports(run.reportDirectory);
    const byName = new Map(reports.map((r) => [r.summary.functionName, r]));
    const outer = byName.get('outer');
    const inner = byName.get('inner');
    assert.ok(outer && inner);
    assert.equal(outer.iterations.length, 2);
    for (const it of outer.iterations) assert.deepEqual(rows(it), { Outer: 5, Inner: 6 });
    assert.equal(inner.iterations.length, 4);
    for (const it of inner.iterations) assert.deepEqual(rows(it), { Inner: 3 });
  });

  test('a call that leaks nothing usually costs no heap snapshot', async () => {
    const run = await runProgram(`
import { leakMonitor } from 'memalot';
const work = leakMonitor(function work() { const a = []; for (let i = 0; i < 8; i++) a.push({ i }); return a.length; }, { warmupCalls: 0 });
for (let c = 0; c < 16; c++) work();
`);
    assert.equal(run.code, 0, run.stderr);
    const iterations = onlyReport(readSavedReports(run.reportDirectory)).iterations;
    assert.equal(iterations.length, 16);
    for (const it of iterations) assert.deepEqual(it.leakSummary.typeSummaries, []);
    // The first calls leave V8's own objects (feedback, compiled code) behind; later ones nothing.
    const cheap = iterations.filter((it) => it.scan?.snapshotTaken === false && it.scan.survivingObjects === 0);
    assert.ok(cheap.length >= 6, `calls without a snapshot: ${iterations.map((it) => (it.scan?.snapshotTaken ? 'S' : '-')).join('')}`);
  });

  test('callSampling monitors one call in N', async () => {
    const run = await runProgram(`
import { createLeakMonitor } from 'memalot';
${RECORDS}
const monitor = createLeakMonitor({ callSampling: 3 });
for (let c = 0; c < 10; c++) monitor.run(() => { kept.push(new Leaky(c)); });
`);
    assert.equal(run.code, 0, run.stderr);
    const report = onlyReport(readSavedReports(run.reportDirectory));
    // Calls 1, 4, 7 and 10 are monitored: 1 is the warm-up.
    assert.deepEqual(report.iterations.map((it) => it.kind), ['warmup', 'leaks', 'leaks', 'leaks']);
    assert.match(prose(run.stdout), /One call in 3 is monitored\./);
  });

  test('time-based and function-based monitoring cannot run together', async () => {
    const run = await runProgram(`
import { startLeakMonitoring, createLeakMonitor, leakMonitor } from 'memalot';
const time = startLeakMonitoring({ maxObjectLifetime: 10, saveReports: false, outputFunc: () => {} });
try { createLeakMonitor(); } catch (e) { console.log('A: ' + e.message); }
await time.stop();
const fn = leakMonitor(function f() {});
try { startLeakMonitoring({ maxObjectLifetime: 10 }); } catch (e) { console.log('B: ' + e.message); }
const second = createLeakMonitor();
console.log('two function monitors: ok');
`);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /A: memalot: a time-based leak monitor \(startLeakMonitoring\) is already running in this thread; stop it \(await monitor\.stop\(\)\) before starting a function-based leak monitor \(createLeakMonitor\(\)\)\. Time-based and function-based monitoring cannot run together\./);
    assert.match(run.stdout, /B: memalot: a function-based leak monitor .* is already running in this thread/);
    assert.match(run.stdout, /two function monitors: ok/);
  });

  test('bad options and bad arguments are refused up front', async () => {
    const run = await runProgram(`
import { leakMonitor, createLeakMonitor } from 'memalot';
for (const attempt of [
  () => leakMonitor(function f() {}, { maxObjectAgeCals: 2 }),
  () => leakMonitor(function f() {}, { warmupCalls: -1 }),
  () => createLeakMonitor({ callSampling: 0 }),
  () => leakMonitor(42),
  () => createLeakMonitor().run('not a function'),
]) {
  try { attempt(); console.log('NO ERROR'); } catch (e) { console.log(e.constructor.name + ': ' + e.message); }
}
`);
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.trim().split('\n');
    assert.match(lines[0]!, /^TypeError: memalot: leakMonitor\(f\): unknown option "maxObjectAgeCals"\. Did you mean "maxObjectAgeCalls"\?/);
    assert.match(lines[1]!, /^TypeError: .*option "warmupCalls" must be an integer at least 0/);
    assert.match(lines[2]!, /^TypeError: .*option "callSampling" must be an integer at least 1/);
    assert.match(lines[3]!, /^TypeError: memalot: leakMonitor takes a function/);
    assert.match(lines[4]!, /^TypeError: memalot: run\(\) takes a function; got string/);
  });
});

// Time-based discovery end to end: real programs with real leaks in child processes, their
// console output, and the reports they leave on disk.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { runProgram } from './helpers/child.js';
import { countOf, readSavedReports } from './helpers/reports.js';

/**
 * Ends the program once the monitor has written `iterations` iterations (whatever the machine's
 * load does to their timing), or after 60 s.
 */
function stopAfter(iterations: number, then = ''): string {
  return `
const deadline = Date.now() + 120_000;
const poll = setInterval(async () => {
  if (monitor.iterations < ${iterations} && Date.now() < deadline) return;
  clearInterval(poll);
  await monitor.stop();
  ${then}
}, 50);
`;
}

/** A program that leaks 20 Leaky objects every 100 ms, plus garbage, until `iterations` reports. */
function leakyProgram(options: string, iterations = 3): string {
  return `
import { startLeakMonitoring } from 'memalot';
class Leaky { constructor(i) { this.i = i; this.tag = 'leaky-' + i; } }
class Temp { constructor(i) { this.i = i; } }
class EarlyLeak { constructor(i) { this.i = i; } }
const kept = [];
const early = Array.from({ length: 500 }, (_, i) => new EarlyLeak(i));
const monitor = startLeakMonitoring({ maxObjectLifetime: 1, warmupPeriod: 1, ${options} });
let n = 0;
const timer = setInterval(() => {
  for (let k = 0; k < 20; k++) kept.push(new Leaky(n++));
  const garbage = Array.from({ length: 200 }, (_, i) => new Temp(i));
  if (garbage.length !== 200) throw new Error('unreachable');
}, 100);
${stopAfter(iterations, `clearInterval(timer); console.log('CREATED ' + n + ' ' + early.length + ' ' + monitor.reportId);`)}
`;
}

describe('time-based leak discovery', { concurrency: 4 }, () => {
  test('finds a leak of class instances, reports each object once, and never what predates the warm-up', async () => {
    const run = await runProgram(leakyProgram('', 4), { args: ['--flag', 'value'] });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, '');
    const created = Number(/CREATED (\d+)/.exec(run.stdout)?.[1]);
    const reports = readSavedReports(run.reportDirectory);
    assert.equal(reports.length, 1);
    const [report] = reports;
    assert.ok(report);
    assert.equal(report.version, '1');
    assert.equal(report.summary.mode, 'time');
    assert.equal(report.summary.entrypoint, join(run.dir, 'program.mjs'));
    assert.deepEqual(report.summary.arguments, ['--flag', 'value']);
    assert.equal(report.summary.options['maxObjectLifetime'], 1);
    assert.equal(report.summary.nodeVersion, process.version);
    assert.match(run.stdout, new RegExp(`CREATED \\d+ 500 ${report.summary.reportId}`));

    const [warmup, ...later] = report.iterations;
    assert.equal(warmup?.kind, 'warmup');
    assert.equal(warmup?.leakSummary.typeSummaries.length, 0);
    assert.ok(later.length >= 2, `at least two reports after the warm-up (got ${later.length})`);
    // Each report holds the leaks of one epoch: at least one tick's (the 100 ms interval is always
    // due before the monitor's 1 s timer), and at most the ticks its own span allows (a busy
    // machine makes epochs longer, never ticks more frequent).
    for (const it of later) {
      const span = Date.parse(it.scan!.createdBefore) - Date.parse(it.scan!.createdAfter);
      const count = countOf(it, 'program.mjs:Leaky');
      assert.ok(count >= 20 && count <= 20 * (Math.floor(span / 100) + 2), `iteration ${it.iterationNumber}: ${count} Leaky in ${span} ms`);
    }
    const leaky = later.map((it) => countOf(it, 'program.mjs:Leaky'));
    assert.ok(leaky.reduce((a, b) => a + b, 0) <= created, 'no leaked object is reported twice');
    for (const it of later) {
      assert.equal(it.kind, 'leaks');
      assert.equal(countOf(it, 'EarlyLeak'), 0, 'objects from before the warm-up are never reported');
      assert.equal(countOf(it, 'Temp'), 0, 'short-lived objects are not leaks');
      assert.equal(countOf(it, 'program.mjs:Leaky'), countOf(it, 'Leaky'));
      assert.ok(it.scan?.snapshotTaken);
      assert.ok(Date.parse(it.scan.createdBefore) - Date.parse(it.scan.createdAfter) >= 900);
      assert.ok(Date.parse(it.startTime) - Date.parse(it.scan.createdBefore) >= 900, 'objects lived at least maxObjectLifetime');
      // memalot's own objects (timers, report data, interned names) never appear
      const others = it.leakSummary.typeSummaries.filter((s) => !/Leaky|^string$|^Array$/.test(s.objectType));
      assert.deepEqual(others, [], `unexpected types in iteration ${it.iterationNumber}`);
    }
  });

  test('prints the report to the console: startup message, header, table, footer', async () => {
    const run = await runProgram(leakyProgram('', 2));
    assert.equal(run.code, 0, run.stderr);
    const id = readSavedReports(run.reportDirectory)[0]?.summary.reportId;
    assert.ok(id);
    assert.match(run.stdout, /^Memalot is monitoring for memory leaks\. Objects created after a warm-up of 1 s that are still alive 1 s later/);
    assert.match(run.stdout, /Memalot Report \(iteration 1\)/);
    assert.ok(run.stdout.includes(`Report ID: ${id}`));
    assert.match(run.stdout, /This is a warmup iteration\. Reports will be available from the next iteration\./);
    assert.match(run.stdout, /Possible New Leaks \(iteration 2\)/);
    assert.match(run.stdout, /│ program\.mjs:Leaky +│ +\d+ │/);
    assert.match(run.stdout, /End of Memalot Report \(iteration 2\)/);
    assert.match(run.stdout, /Program: [\d.]+ [KMG]iB RSS/);
    assert.match(run.stdout, /Memalot's own: [\d.]+ [KMG]?i?B RSS/);
    assert.ok(!run.stdout.includes('\u001b['), 'NO_COLOR: no escape codes');
  });

  test('colours when FORCE_COLOR is set', async () => {
    const run = await runProgram(leakyProgram('', 1), { env: { NO_COLOR: undefined, FORCE_COLOR: '1' } });
    assert.equal(run.code, 0, run.stderr);
    assert.ok(run.stdout.includes('\u001b['));
  });

  test('an iteration in which nothing from the epoch survived takes no heap snapshot', async () => {
    const run = await runProgram(`
import { startLeakMonitoring } from 'memalot';
const monitor = startLeakMonitoring({ maxObjectLifetime: 0.4, warmupPeriod: 0.4 });
${stopAfter(10)}
`);
    assert.equal(run.code, 0, run.stderr);
    const iterations = readSavedReports(run.reportDirectory)[0]?.iterations ?? [];
    const quiet = iterations.filter((it) => it.kind === 'leaks' && it.scan?.survivingObjects === 0);
    assert.ok(quiet.length >= 1, `some iteration found no survivors: ${JSON.stringify(iterations.map((i) => i.scan))}`);
    for (const it of quiet) {
      assert.equal(it.scan?.snapshotTaken, false);
      assert.equal(it.scan?.snapshotNodes, null);
      assert.deepEqual(it.leakSummary.typeSummaries, []);
    }
    assert.match(run.stdout, /No leaks found during this iteration\./);
  });

  test('finds leaked strings (the Python README example)', async () => {
    const run = await runProgram(`
import { setTimeout as sleep } from 'node:timers/promises';
import { startLeakMonitoring } from 'memalot';
const monitor = startLeakMonitoring({ maxObjectLifetime: 1, warmupPeriod: 0.5, includedTypeNames: ['string'] });
const myList = [];
for (let i = 0, end = Date.now() + 120_000; Date.now() < end && monitor.iterations < 3; i++) {
  myList.push(\`Object \${i}\`);
  await sleep(50);
}
await monitor.stop();
`);
    assert.equal(run.code, 0, run.stderr);
    const later = readSavedReports(run.reportDirectory)[0]?.iterations.filter((it) => it.kind === 'leaks') ?? [];
    assert.ok(later.length >= 1);
    for (const it of later) {
      assert.deepEqual(it.leakSummary.typeSummaries.map((s) => s.objectType), ['string']);
      // One string per 50 ms sleep: at most as many as the epoch's span allows (a busy machine
      // makes it longer and the sleeps later, never more frequent).
      const span = Date.parse(it.scan!.createdBefore) - Date.parse(it.scan!.createdAfter);
      const count = countOf(it, 'string');
      assert.ok(count >= 1 && count <= Math.floor(span / 50) + 2, `iteration ${it.iterationNumber}: ${count} strings in ${span} ms`);
    }
  });

  test('include and exclude filters, the summary cut, and shallow sizes', async () => {
    const run = await runProgram(
      leakyProgram(`excludedTypeNames: new Set(['Array']), maxTypesInLeakSummary: 1, computeSizeInLeakSummary: true`, 2),
    );
    assert.equal(run.code, 0, run.stderr);
    const later = readSavedReports(run.reportDirectory)[0]?.iterations.filter((it) => it.kind === 'leaks') ?? [];
    assert.ok(later.length >= 1);
    for (const it of later) {
      assert.equal(it.leakSummary.typeSummaries.length, 1);
      assert.equal(it.leakSummary.maxTypesInSummary, 1);
      assert.ok(it.leakSummary.totalTypes >= 2, 'Leaky and string both leak; Array is excluded');
      const [top] = it.leakSummary.typeSummaries;
      assert.ok(top && top.shallowSizeBytes !== undefined && top.shallowSizeBytes >= top.count * 16);
    }
    assert.match(run.stdout, /\(truncated to 1 entries; \d+ types in all\)/);
    assert.match(run.stdout, /Shallow Size/);
  });

  test('outputFunc receives the report in blocks; nothing is printed unless teeConsole', async () => {
    const run = await runProgram(`
import { startLeakMonitoring } from 'memalot';
const blocks = [];
const monitor = startLeakMonitoring({ maxObjectLifetime: 0.5, warmupPeriod: 0.5, saveReports: false, outputFunc: (b) => blocks.push(b) });
${stopAfter(1, 'process.stderr.write(JSON.stringify(blocks));')}
`);
    assert.equal(run.code, 0);
    assert.equal(run.stdout, '');
    const blocks = JSON.parse(run.stderr) as string[];
    assert.match(blocks[0] ?? '', /^Memalot is monitoring/);
    assert.match(blocks[1] ?? '', /Memalot Report \(iteration 1\)/);
    assert.match(blocks[2] ?? '', /This is a warmup iteration/);
    assert.match(blocks[3] ?? '', /End of Memalot Report \(iteration 1\)/);
    assert.ok(!existsSync(run.reportDirectory), 'saveReports: false writes nothing');
  });

  test('a failing outputFunc and an unwritable report directory do not reach the program', async () => {
    const run = await runProgram(`
import { writeFileSync } from 'node:fs';
import { startLeakMonitoring } from 'memalot';
writeFileSync('not-a-directory', '');
const monitor = startLeakMonitoring({
  maxObjectLifetime: 0.5, warmupPeriod: 0.5, teeConsole: true,
  reportDirectory: 'not-a-directory/reports',
  outputFunc: () => { throw new Error('logger is down'); },
});
${stopAfter(2, "console.log('PROGRAM DONE');")}
`);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /PROGRAM DONE/);
    assert.match(run.stdout, /Memalot Report \(iteration 2\)/, 'reports go on (teed to the console)');
    assert.match(run.stderr, /memalot: outputFunc threw, so this report may be incomplete there: Error: logger is down/);
    assert.match(run.stderr, /memalot: could not save the report in .*not-a-directory.*\(the report is still printed\)/);
    assert.equal(run.stderr.match(/could not save/g)?.length, 1, 'the same failure is reported once');
  });

  test('the monitor never keeps the process alive', async () => {
    // Its timers would hold the program for the 60 s warm-up and more: killed before the
    // warm-up ends, its status would not be 0. (A line of output takes no 55 s, however busy.)
    const run = await runProgram(`
import { startLeakMonitoring } from 'memalot';
startLeakMonitoring({ maxObjectLifetime: 60 });
console.log('main done');
`, { timeoutMs: 55_000 });
    assert.equal(run.signal, null, 'ended by itself, not killed');
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /main done/);
    assert.doesNotMatch(run.stdout, /Memalot Report/, 'before the first report was due');
  });

  test('one monitor at a time; stop() is idempotent and frees the slot', async () => {
    const run = await runProgram(`
import { startLeakMonitoring } from 'memalot';
const first = startLeakMonitoring({ maxObjectLifetime: 10, outputFunc: () => {}, saveReports: false });
try { startLeakMonitoring({ maxObjectLifetime: 10 }); console.log('NO ERROR'); }
catch (e) { console.log('SECOND: ' + e.message); }
await first.stop();
await first.stop();
const second = startLeakMonitoring({ maxObjectLifetime: 10, outputFunc: () => {}, saveReports: false });
await second[Symbol.asyncDispose]();
console.log('RESTARTED');
`);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /SECOND: memalot: a time-based leak monitor \(startLeakMonitoring\) is already running in this thread; stop it/);
    assert.match(run.stdout, /RESTARTED/);
  });

  test('options are checked before anything starts', async () => {
    const run = await runProgram(`
import { startLeakMonitoring } from 'memalot';
try { startLeakMonitoring({ maxObjectLifetme: 5 }); } catch (e) { console.log(e.constructor.name + ': ' + e.message); }
const m = startLeakMonitoring({ maxObjectLifetime: 5, outputFunc: () => {}, saveReports: false });
await m.stop();
`);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /TypeError: memalot: startLeakMonitoring\(\): unknown option "maxObjectLifetme"\. Did you mean "maxObjectLifetime"\?/);
  });

  test('a worker thread has its own heap and its own monitor, beside the main thread\'s', async () => {
    const run = await runProgram(`
import { Worker, isMainThread } from 'node:worker_threads';
import { startLeakMonitoring } from 'memalot';
if (isMainThread) {
  const worker = new Worker(new URL(import.meta.url));
  const monitor = startLeakMonitoring({ maxObjectLifetime: 0.5, warmupPeriod: 0.5, saveReports: false, outputFunc: () => {} });
  worker.on('exit', async (code) => { await monitor.stop(); console.log('worker exit ' + code); });
} else {
  class InWorker {}
  const kept = [];
  const monitor = startLeakMonitoring({ maxObjectLifetime: 0.5, warmupPeriod: 0.5 });
  const timer = setInterval(() => kept.push(new InWorker()), 20);
  ${stopAfter(3, 'clearInterval(timer);')}
}
`);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /worker exit 0/);
    const reports = readSavedReports(run.reportDirectory);
    assert.equal(reports.length, 1, 'only the worker saves reports');
    assert.ok(reports[0]!.iterations.some((it) => countOf(it, 'program.mjs:InWorker') > 0));
  });

  test('loads through require() as well as import', async () => {
    const run = await runProgram(
      `const memalot = require('memalot'); console.log(typeof memalot.startLeakMonitoring);`,
      { fileName: 'program.cjs' },
    );
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout.trim(), 'function');
  });
});

// `memalot run`: real programs, with no monitoring code of their own, started through the real
// executable; the reports they leave, their exit statuses and signals.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { makeProjectDir } from './helpers/child.js';
import { installedBin, oneLine, runCli, type CliOptions } from './helpers/cli.js';
import { readSavedReports } from './helpers/reports.js';
import { iterationsSource, reportedSource, untilSavedSource } from './helpers/until-saved.js';
import { zooProblems, type ZooExpectation } from './helpers/zoo-expect.js';

/** Writes `source` as program.mjs in a fresh project; returns the project. */
function project(source: string, fileName = 'program.mjs'): string {
  const dir = makeProjectDir();
  writeFileSync(join(dir, fileName), source);
  return dir;
}

/** JavaScript for untilSaved's `ready`: every expected type found in the counts asked, or (a control) two reports. */
function zooReady(expect: ZooExpectation): string {
  const conditions = expect.types.length === 0 ? [iterationsSource(2)] : expect.types.map((t) => reportedSource(t.match, t.minCount));
  return `(iterations) => [${conditions.join(', ')}].every((ready) => ready(iterations))`;
}

function run(dir: string, args: readonly string[], options: CliOptions = {}) {
  return runCli(['run', ...args], { cwd: dir, ...options });
}

/**
 * The time-based scenarios of ../shared/leak-zoo/scenarios, with their monitoring code taken
 * out (the import, startLeakMonitoring and monitor.stop()): the options they gave
 * startLeakMonitoring are flags here. Each must find what its EXPECT line says. Instead of for
 * a fixed number of seconds, each works until its saved reports show what is expected (a
 * control: two reports after the warm-up), so that a busy machine only makes it slower.
 */
const ZOO: { name: string; flags: string[]; expect: ZooExpectation; source: string }[] = [
  {
    name: 'control-bounded-cache',
    flags: ['--max-object-lifetime', '2', '--warmup-period', '1'],
    expect: { types: [], noLeakTypes: ['CacheEntry'], maxOtherCount: 20 },
    source: `
class CacheEntry {
  constructor(key) {
    this.key = key;
    this.value = { hits: 0, at: Date.now() };
  }
}
const cache = new Map();
const MAX = 20;
function lookup(i) {
  const key = \`k\${i}\`;
  if (!cache.has(key)) {
    cache.set(key, new CacheEntry(key));
    if (cache.size > MAX) cache.delete(cache.keys().next().value);
  }
  return cache.get(key).value.hits++;
}
let i = 0;
const timer = setInterval(() => lookup(i++), 10);
untilSaved(ready, () => clearInterval(timer));
`,
  },
  {
    name: 'listener-leak',
    flags: ['--max-object-lifetime', '1', '--warmup-period', '1'],
    expect: { types: [{ match: 'RequestContext', minCount: 10, referrerMatch: 'shutdown' }] },
    source: `
import { EventEmitter } from 'node:events';
class RequestContext {
  constructor(id) {
    this.id = id;
    this.body = \`payload-\${id}-\`.padEnd(128, '.');
  }
}
const bus = new EventEmitter();
bus.setMaxListeners(0);
function handle(i) {
  const ctx = new RequestContext(i);
  bus.on('shutdown', () => console.log('closing', ctx.id));
}
let i = 0;
const timer = setInterval(() => handle(i++), 20);
untilSaved(ready, () => clearInterval(timer));
`,
  },
  {
    name: 'seed-example',
    flags: ['--max-object-lifetime', '1', '--warmup-period', '1', '--max-object-details', '5'],
    expect: { types: [{ match: 'string', minCount: 5, referrerMatch: 'Array' }] },
    source: `
import { setTimeout as sleep } from 'node:timers/promises';
let running = true;
untilSaved(ready, () => (running = false));
async function myFunction() {
  const myList = [];
  for (let i = 0; running; i++) {
    myList.push(\`Object \${i}\`);
    await sleep(50);
  }
  return myList.length;
}
await myFunction();
`,
  },
  {
    name: 'unbounded-cache',
    flags: ['--max-object-lifetime', '1', '--warmup-period', '1'],
    expect: { types: [{ match: 'Session', minCount: 10, referrerMatch: 'sessionCache' }], noLeakTypes: ['Scratch'] },
    source: `
class Session {
  constructor(id) {
    this.id = id;
    this.createdAt = Date.now();
    this.user = { name: \`user-\${id}\`, roles: ['reader'] };
  }
}
class Scratch {
  constructor(k) { this.k = k; }
}
const sessionCache = new Map();
function handleRequest(i) {
  const session = new Session(i);
  sessionCache.set(\`sess-\${i}\`, session);
  const scratch = [];
  for (let k = 0; k < 50; k++) scratch.push(new Scratch(k));
  return scratch.length + session.id;
}
let i = 0;
const timer = setInterval(() => handleRequest(i++), 20);
untilSaved(ready, () => clearInterval(timer));
`,
  },
];

describe('memalot run', { concurrency: true }, () => {
  for (const scenario of ZOO) {
    test(`finds what the leak-zoo scenario ${scenario.name} finds, with no monitoring code in the program`, async () => {
      const { project: dir, bin } = installedBin();
      const reports = join(dir, 'reports');
      writeFileSync(join(dir, `${scenario.name}.mjs`), `${untilSavedSource(reports)}\nconst ready = ${zooReady(scenario.expect)};\n${scenario.source}`);
      const result = await runCli(['run', ...scenario.flags, '--report-directory', reports, `${scenario.name}.mjs`], {
        executable: bin,
        cwd: dir,
        env: { NO_COLOR: '1' },
      });
      // The program ends on its own when its work is done: the monitor does not keep it alive.
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.signal, null);
      const saved = readSavedReports(reports);
      assert.equal(saved.length, 1, 'one report');
      assert.equal(saved[0]?.summary.entrypoint, join(dir, `${scenario.name}.mjs`));
      assert.deepEqual(zooProblems(saved[0]?.iterations ?? [], scenario.expect), []);
    });
  }

  test('flags become the monitoring options; what follows SCRIPT is the program\'s', async () => {
    const dir = makeProjectDir();
    const reports = join(dir, 'saved');
    // It works until a report with the leak is saved, however long a busy machine takes.
    writeFileSync(join(dir, 'program.mjs'), `${untilSavedSource(reports)}
class Leaky { constructor(i) { this.i = i; } }
class Temp { constructor(i) { this.i = i; } }
const kept = [];
const timer = setInterval(() => { kept.push(new Leaky(kept.length)); new Temp(1); }, 20);
untilSaved(${reportedSource('program.mjs:Leaky')}, () => clearInterval(timer));
`);
    const result = await run(dir, [
      '--max-object-lifetime', '0.5', '--warmup-period', '0.25',
      '--include-type', 'Leaky', '--include-type', 'odd,name', '--exclude-type', 'Temp',
      '--max-types-in-leak-summary', '7', '--compute-size-in-leak-summary', '--max-object-details', '0',
      '--no-check-referrers', '--referrers-max-depth', 'none', '--referrers-search-timeout', '2.5',
      '--single-object-referrer-limit', '9', '--referrers-module-prefix', 'src/', '--str-max-length', '40',
      '--report-directory', reports,
      'program.mjs', '--max-object-lifetime', '9', '-x', '--', 'last',
    ]);
    assert.equal(result.code, 0, result.stderr);
    const [report, ...others] = readSavedReports(reports);
    assert.ok(report);
    assert.deepEqual(others, []);
    assert.deepEqual(report.summary.arguments, ['--max-object-lifetime', '9', '-x', '--', 'last']);
    const o = report.summary.options;
    assert.deepEqual(
      [o['maxObjectLifetime'], o['warmupPeriod'], o['includedTypeNames'], o['excludedTypeNames'], o['maxTypesInLeakSummary'], o['computeSizeInLeakSummary']],
      [0.5, 0.25, ['Leaky', 'odd,name'], ['Temp'], 7, true],
    );
    assert.deepEqual(
      [o['maxObjectDetails'], o['checkReferrers'], o['referrersMaxDepth'], o['referrersSearchTimeout'], o['singleObjectReferrerLimit'], o['referrersModulePrefixes'], o['strMaxLength'], o['reportDirectory']],
      [0, false, null, 2.5, 9, ['src/'], 40, reports],
    );
    const types = new Set(report.iterations.flatMap((it) => it.leakSummary.typeSummaries.map((s) => s.objectType)));
    assert.deepEqual([...types], ['program.mjs:Leaky']);
    assert.ok(report.iterations.every((it) => it.objectDetails.length === 0));
  });

  test('the program\'s exit status is memalot\'s; a program that cannot start says so itself', async () => {
    const dir = project(`console.log('working'); process.exitCode = 3;`);
    writeFileSync(join(dir, 'broken.mjs'), 'this is not JavaScript (');
    const exits = await run(dir, ['--report-directory', join(dir, 'r'), 'program.mjs']);
    assert.equal(exits.code, 3);
    assert.match(exits.stdout, /working/);
    const broken = await run(dir, ['broken.mjs']);
    assert.equal(broken.code, 1);
    assert.match(broken.stderr, /SyntaxError/);
  });

  test('a program that ends before its first report: memalot says so; the monitor never keeps it alive', async () => {
    const dir = project(`console.log('done');`);
    // Held up by the monitor for the 60 s warm-up, it would be killed first.
    const result = await run(dir, ['program.mjs'], { env: { MEMALOT_REPORT_DIR: join(dir, 'r') }, timeoutMs: 55_000 });
    assert.equal(result.signal, null);
    assert.equal(result.code, 0);
    assert.match(result.stdout, /^Memalot is monitoring for memory leaks\. .* warm-up of 60 s .*\ndone\n$/s);
    assert.equal(
      oneLine(result.stderr),
      'memalot: program.mjs ended before its first report (due 120 s after it started), so nothing was saved; a shorter --max-object-lifetime or --warmup-period reports sooner',
    );
    const quiet = await run(dir, ['--no-save-reports', 'program.mjs']);
    assert.equal(quiet.stderr, '', 'with nothing to save there is nothing to say');
  });

  test('signals reach the program: it may handle them, or end by them as memalot then does', async () => {
    const handles = project(`
process.on('SIGTERM', () => { console.log('got SIGTERM'); process.exit(0); });
console.log('ready');
setInterval(() => {}, 1000);
`);
    const sendWhenReady = (signal: NodeJS.Signals) => {
      let child: ChildProcess | undefined;
      let sent = false;
      return {
        started: (c: ChildProcess) => (child = c),
        onStdout: (soFar: string) => {
          if (!sent && soFar.includes('ready')) {
            sent = true;
            child?.kill(signal);
          }
        },
      };
    };
    const handled = await run(handles, ['--no-save-reports', 'program.mjs'], sendWhenReady('SIGTERM'));
    assert.equal(handled.code, 0, handled.stderr);
    assert.match(handled.stdout, /got SIGTERM/);

    const ends = project(`console.log('ready'); setInterval(() => {}, 1000);`);
    const ended = await run(ends, ['--no-save-reports', 'program.mjs'], sendWhenReady('SIGINT'));
    assert.equal(ended.signal, 'SIGINT', `ended by the signal (status ${ended.code}): ${ended.stderr}`);
  });

  describe('bad input: one line, status 2 for bad usage and 1 otherwise, the program never started', { concurrency: true }, () => {
    const dir = project(`import { writeFileSync } from 'node:fs'; writeFileSync('ran', '');`);
    mkdirSync(join(dir, 'a-directory'));

    async function refused(args: readonly string[], status: number, message: RegExp, env: Record<string, string> = {}) {
      const result = await run(dir, args, { env });
      assert.equal(result.code, status, result.stderr);
      assert.equal(result.stdout, '');
      assert.match(oneLine(result.stderr), message);
      assert.ok(!existsSync(join(dir, 'ran')), 'the program did not run');
    }

    test('a value a flag cannot take', async () => {
      await refused(['--max-object-lifetime', 'soon', 'program.mjs'], 2, /^memalot: --max-object-lifetime "soon" cannot be used: it must be a number of seconds, such as 60 or 0\.5$/);
      await refused(['--max-object-lifetime', '0', 'program.mjs'], 2, /^memalot: --max-object-lifetime "0" cannot be used: it must be a number at least 0\.1/);
      await refused(['--warmup-period', '-1', 'program.mjs'], 2, /--warmup-period "-1" cannot be used: it must be a number at least 0/);
      await refused(['--max-object-details', '2.5', 'program.mjs'], 2, /--max-object-details "2\.5" cannot be used: it must be an integer/);
      await refused(['--referrers-max-depth', 'deep', 'program.mjs'], 2, /--referrers-max-depth "deep" cannot be used: it must be a whole number, or "none"/);
    });

    test('a MEMALOT_* variable of the environment that cannot be used, named', () =>
      refused(['program.mjs'], 2, /^memalot: MEMALOT_CHECK_REFERRERS="maybe" \(in the environment\) cannot be used: it must be true or false/, { MEMALOT_CHECK_REFERRERS: 'maybe' }));

    test('usage: an unknown flag, no script', async () => {
      await refused(['--max-object-lifetme', '3', 'program.mjs'], 2, /unknown option '--max-object-lifetme' \(Did you mean --max-object-lifetime\?\) \(see memalot run --help\)$/);
      await refused([], 2, /missing required argument 'SCRIPT'/);
    });

    test('a script that is not there, or is a directory', async () => {
      await refused(['nothing-here.mjs'], 1, /^memalot: cannot run nothing-here\.mjs: there is no such file \(from .*\)$/);
      await refused(['a-directory'], 1, /^memalot: cannot run a-directory: it is a directory/);
    });
  });
});

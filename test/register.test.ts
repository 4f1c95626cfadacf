// `node --import memalot/register app.js`: monitoring configured by MEMALOT_* variables, in real
// programs that import nothing of memalot's and resolve it as an installed package.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runProgram } from './helpers/child.js';
import { oneLine } from './helpers/cli.js';
import { countOf, readSavedReports } from './helpers/reports.js';
import { iterationsSource, reportedSource, untilSavedSource } from './helpers/until-saved.js';

const REGISTER = ['--import', 'memalot/register'];

// It works until a report with the leak is saved (however long a busy machine takes), then ends.
const LEAKY = `${untilSavedSource()}
class Leaky { constructor(i) { this.i = i; } }
class Temp { constructor(i) { this.i = i; } }
const kept = [];
const timer = setInterval(() => { kept.push(new Leaky(kept.length)); new Temp(1); }, 20);
untilSaved(${reportedSource('program.mjs:Leaky')}, () => { clearInterval(timer); console.log('RAN'); });
`;

describe('node --import memalot/register', { concurrency: true }, () => {
  test('monitors from the first line with the options of the variables, and lets the program end', async () => {
    const run = await runProgram(LEAKY, {
      nodeArgs: REGISTER,
      args: ['--flag'],
      env: {
        MEMALOT_MAX_OBJECT_LIFETIME: '0.5',
        MEMALOT_WARMUP_PERIOD: '0.25',
        MEMALOT_INCLUDED_TYPE_NAMES: 'Leaky,["not json"',
        MEMALOT_EXCLUDED_TYPE_NAMES: '["Temp","a,b"]',
        MEMALOT_COMPUTE_SIZE_IN_LEAK_SUMMARY: 'yes',
        MEMALOT_MAX_OBJECT_DETAILS: '2',
        MEMALOT_CHECK_REFERRERS: 'false',
        MEMALOT_REFERRERS_SEARCH_TIMEOUT: 'none',
      },
    });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, '');
    assert.match(run.stdout, /^Memalot is monitoring for memory leaks\. Objects created after a warm-up of 0\.25 s that are still alive 0\.5 s later/);
    assert.match(run.stdout, /RAN/);
    const [report, ...others] = readSavedReports(run.reportDirectory);
    assert.ok(report);
    assert.deepEqual(others, []);
    assert.deepEqual(report.summary.arguments, ['--flag']);
    const o = report.summary.options;
    assert.deepEqual(
      [o['maxObjectLifetime'], o['warmupPeriod'], o['includedTypeNames'], o['excludedTypeNames'], o['computeSizeInLeakSummary'], o['maxObjectDetails'], o['checkReferrers'], o['referrersSearchTimeout']],
      [0.5, 0.25, ['Leaky', '["not json"'], ['Temp', 'a,b'], true, 2, false, null],
    );
    const later = report.iterations.filter((it) => it.kind === 'leaks');
    assert.ok(later.some((it) => countOf(it, 'program.mjs:Leaky') > 0), 'the leak is found');
    assert.ok(later.every((it) => countOf(it, 'Temp') === 0));
  });

  test('with no variable at all: a lifetime of 60 s, and a short program is not held up', async () => {
    // Held up by the monitor for the 60 s warm-up, it would be killed first.
    const run = await runProgram(`console.log('RAN');`, { nodeArgs: REGISTER, timeoutMs: 55_000 });
    assert.equal(run.signal, null);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /warm-up of 60 s that are still alive 60 s later.*\nRAN\n$/s);
  });

  test('a variable that cannot be used: status 2, one line naming it, and the program never starts', async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ MEMALOT_MAX_OBJECT_LIFETIME: 'a minute' }, /^memalot: MEMALOT_MAX_OBJECT_LIFETIME="a minute" cannot be used: it must be a number of seconds, such as 60 or 0\.5; fix or unset the variable \(the program was not started\)$/],
      [{ MEMALOT_MAX_OBJECT_LIFETIME: '0' }, /^memalot: MEMALOT_MAX_OBJECT_LIFETIME="0" cannot be used: it must be a number at least 0\.1 and at most \d+;/],
      [{ MEMALOT_WARMUP_PERIOD: '-5' }, /MEMALOT_WARMUP_PERIOD="-5" cannot be used: it must be a number at least 0/],
      [{ MEMALOT_MAX_OBJECT_DETAILS: '1.5' }, /MEMALOT_MAX_OBJECT_DETAILS="1\.5" cannot be used: it must be an integer/],
      [{ MEMALOT_SAVE_REPORTS: 'maybe' }, /MEMALOT_SAVE_REPORTS="maybe" cannot be used: it must be true or false/],
      [{ MEMALOT_INCLUDED_TYPE_NAMES: ' , ' }, /MEMALOT_INCLUDED_TYPE_NAMES=" , " cannot be used: it must be names separated by commas/],
      [{ MEMALOT_EXCLUDED_TYPE_NAMES: '["a", 3]' }, /MEMALOT_EXCLUDED_TYPE_NAMES=.* cannot be used: it must be names separated by commas, or a JSON array of non-empty strings/],
      [{ MEMALOT_REFERRERS_MAX_DEPTH: '0' }, /MEMALOT_REFERRERS_MAX_DEPTH="0" cannot be used: it must be an integer at least 1/],
    ];
    await Promise.all(
      cases.map(async ([env, message]) => {
        const run = await runProgram(`console.log('RAN');`, { nodeArgs: REGISTER, env });
        assert.equal(run.code, 2, `${JSON.stringify(env)}: ${run.stderr}`);
        assert.equal(run.stdout, '', 'the program did not run');
        assert.match(oneLine(run.stderr), message);
      }),
    );
  });

  test('a misspelt variable is pointed out, and the program runs', async () => {
    const run = await runProgram(`console.log('RAN');`, { nodeArgs: REGISTER, env: { MEMALOT_MAX_OBJECT_LIFTIME: '3', MEMALOT_SOMETHING_ELSE_ENTIRELY: '1' } });
    assert.equal(run.code, 0);
    assert.match(run.stdout, /RAN/);
    assert.equal(oneLine(run.stderr), 'memalot: MEMALOT_MAX_OBJECT_LIFTIME is not a memalot setting, so it is ignored. Did you mean MEMALOT_MAX_OBJECT_LIFETIME?');
  });

  test('worker threads are not monitored apart: one report, the main thread\'s', async () => {
    // The worker leaks until the main thread has saved two reports after the warm-up: were it
    // monitored apart, it would have had the time to save its own.
    const run = await runProgram(
      `
import { Worker } from 'node:worker_threads';
const worker = new Worker(${JSON.stringify(`${untilSavedSource()}
  const kept = [];
  const timer = setInterval(() => kept.push({ n: kept.length }), 20);
  untilSaved(${iterationsSource(2)}, () => clearInterval(timer));
`)}, { eval: true });
await new Promise((resolve) => worker.on('exit', resolve));
console.log('RAN');
`,
      { nodeArgs: REGISTER, env: { MEMALOT_MAX_OBJECT_LIFETIME: '0.5', MEMALOT_WARMUP_PERIOD: '0.25' } },
    );
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout.match(/Memalot is monitoring/g)?.length, 1);
    const reports = readSavedReports(run.reportDirectory);
    assert.equal(reports.length, 1);
    assert.ok(reports[0]!.iterations.filter((it) => it.kind === 'leaks').length >= 2, 'the worker ran until then');
  });
});

// assertNoLeaks() (memalot/testing) in real programs: what passes, what fails and with which
// message, what `allow` accepts, how fn's errors and bad options come out, and that the monitor
// is always stopped. Runner integration is in testing-runners.test.ts.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runProgram } from './helpers/child.js';
import { readSavedReports } from './helpers/reports.js';

const SUBJECT = `
import { AssertionError } from 'node:assert';
import { assertNoLeaks, toLeak } from 'memalot/testing';
class Entry { constructor(i) { this.i = i; this.payload = [i]; } }
class Temp { constructor(i) { this.i = i; } }
const cache = new Map();
let next = 0;
function leaky() { const e = new Entry(++next); cache.set(e.i, e); return e.i; }
function clean() { const t = []; for (let i = 0; i < 50; i++) t.push(new Temp(i)); return t.length; }
async function cleanAsync() { await null; const t = new Temp(1); await new Promise((r) => setImmediate(r)); return t.i; }
async function outcome(promise) {
  try { await promise; return { passed: true }; }
  catch (error) { return { passed: false, name: error.constructor.name, isAssertion: error instanceof AssertionError, message: error.message }; }
}
const out = (label, value) => console.log(JSON.stringify({ label, ...value }));
`;

function results(stdout: string): Map<string, { passed: boolean; name?: string; isAssertion?: boolean; message?: string }> {
  const lines = stdout.split('\n').filter((line) => line.startsWith('{"label"'));
  return new Map(lines.map((line) => {
    const { label, ...rest } = JSON.parse(line) as { label: string; passed: boolean };
    return [label, rest];
  }));
}

describe('assertNoLeaks', { concurrency: 2 }, () => {
  test('a clean function passes 20 times in 20, sync and async; a leaking one fails with the report in short', async () => {
    const run = await runProgram(`${SUBJECT}
let passes = 0;
for (let i = 0; i < 20; i++) if ((await outcome(assertNoLeaks(clean))).passed) passes++;
for (let i = 0; i < 20; i++) if ((await outcome(assertNoLeaks(cleanAsync))).passed) passes++;
out('clean', { passed: passes === 40, message: String(passes) });
out('leaky', await outcome(assertNoLeaks(leaky, { calls: 4 })));
out('unsaved', await outcome(assertNoLeaks(leaky, { saveReports: false })));
const matcher = await toLeak(leaky);
out('matcher', { passed: matcher.pass, message: matcher.message() });
const notLeaking = await toLeak(clean);
out('matcher clean', { passed: !notLeaking.pass, message: notLeaking.message() });
`);
    assert.equal(run.code, 0, run.stderr);
    const r = results(run.stdout);
    assert.deepEqual(r.get('clean'), { passed: true, message: '40' }, '20 of 20 sync and 20 of 20 async checks pass');
    const leaky = r.get('leaky')!;
    assert.equal(leaky.passed, false);
    assert.equal(leaky.isAssertion, true, 'an AssertionError from node:assert');
    const message = leaky.message!;
    assert.match(message, /^memalot: leaky leaks: 2 objects \(program\.mjs:Entry, Array\) created during a call outlived it\./);
    assert.match(message, /│ program\.mjs:Entry │ +1 │/, 'the leaks table, with the holder and its count');
    assert.match(message, /with 1 Array/, 'and what it carries');
    assert.match(message, /← Map value for key \d+\s*│\n│ ← cache \(module variable in program\.mjs\) \(root\)/, 'the trace: the Map and its variable');
    assert.doesNotMatch(message, /\u001b\[/, 'no colour');
    const id = /Report ID: ([a-z0-9]{4}-[a-z0-9]{4}); the full report: memalot print \1/.exec(message)?.[1];
    assert.ok(id !== undefined, message);
    const saved = readSavedReports(run.reportDirectory).find((report) => report.summary.reportId === id)!;
    assert.deepEqual(saved.iterations.map((it) => it.kind), ['warmup', 'leaks'], 'one warm-up, one check after 3 calls');
    assert.deepEqual(saved.iterations[1]!.functionCalls, { functionName: 'leaky', calls: 3, followedCalls: 1, overlapped: false });
    assert.match(r.get('unsaved')!.message!, /Report ID: [a-z0-9-]{9} \(not saved: saveReports is false\)$/);
    assert.equal(r.get('matcher')!.passed, true, 'toLeak passes for a leaking function');
    assert.match(r.get('matcher')!.message!, /^memalot: leaky leaks/);
    assert.equal(r.get('matcher clean')!.passed, true);
    assert.match(r.get('matcher clean')!.message!, /expected clean to leak/);
  });

  test('allow: exact names, patterns and holders; the message lists what was allowed', async () => {
    const run = await runProgram(`${SUBJECT}
out('by name', await outcome(assertNoLeaks(leaky, { allow: ['program.mjs:Entry', 'Array'], saveReports: false })));
out('by pattern', await outcome(assertNoLeaks(leaky, { allow: [/:Entry$/, /^Array$/], saveReports: false })));
out('holder', await outcome(assertNoLeaks(leaky, { allow: [/Entry/], saveReports: false })));
out('part', await outcome(assertNoLeaks(leaky, { allow: ['Array'], saveReports: false })));
out('substring is not a name', await outcome(assertNoLeaks(leaky, { allow: ['Entry', 'Array'], saveReports: false })));
`);
    assert.equal(run.code, 0, run.stderr);
    const r = results(run.stdout);
    assert.deepEqual(r.get('by name'), { passed: true });
    assert.deepEqual(r.get('by pattern'), { passed: true });
    assert.deepEqual(r.get('holder'), { passed: true }, 'an allowed holder accepts what it carries');
    const part = r.get('part')!;
    assert.equal(part.passed, false);
    assert.match(part.message!, /^memalot: leaky leaks: 1 object \(program\.mjs:Entry\)/);
    assert.match(part.message!, /Allowed \(not failing the check\):\n {2}1 Array \(allowed by "Array"\)/);
    assert.equal(r.get('substring is not a name')!.passed, false, 'a string allows the exact type name only');
  });

  test("fn's errors pass through unchanged, and the monitor is stopped whatever happens", async () => {
    const run = await runProgram(`${SUBJECT}
import { startLeakMonitoring } from 'memalot';
const boom = new RangeError('boom');
const sync = await outcome(assertNoLeaks(() => { throw boom; }));
const thrown = await assertNoLeaks(async () => { await null; throw boom; }).catch((e) => e);
out('sync', sync);
out('async same object', { passed: thrown === boom });
out('after leak', await outcome(assertNoLeaks(leaky, { saveReports: false })));
// Every check stopped its monitor: a time-based monitor may start now, and blocks a check.
const monitor = startLeakMonitoring({ maxObjectLifetime: 60, saveReports: false, outputFunc: () => {} });
out('while time-based', await outcome(assertNoLeaks(clean)));
await monitor.stop();
// Two checks at once are refused: they would count each other's objects.
let release;
const gate = new Promise((r) => (release = r));
const first = assertNoLeaks(async function slow() { await gate; });
out('overlap', await outcome(assertNoLeaks(clean)));
release();
out('first', await outcome(first));
out('again', await outcome(assertNoLeaks(clean)));
`);
    assert.equal(run.code, 0, run.stderr);
    const r = results(run.stdout);
    assert.deepEqual(r.get('sync'), { passed: false, name: 'RangeError', isAssertion: false, message: 'boom' });
    assert.deepEqual(r.get('async same object'), { passed: true });
    assert.equal(r.get('after leak')!.isAssertion, true);
    assert.match(r.get('while time-based')!.message!, /memalot: a time-based leak monitor .* is already running in this thread; stop it/);
    assert.match(r.get('overlap')!.message!, /^memalot: assertNoLeaks\(\) is already checking slow in this thread; checks cannot overlap/);
    assert.deepEqual(r.get('first'), { passed: true });
    assert.deepEqual(r.get('again'), { passed: true });
  });

  test('bad options are refused before fn runs, each error naming the option', async () => {
    const run = await runProgram(`${SUBJECT}
let ran = 0;
const fn = () => { ran++; };
for (const [label, options] of [
  ['typo', { cals: 3 }], ['calls', { calls: 1 }], ['calls type', { calls: '3' }], ['warm-ups', { calls: 2, warmupCalls: 2 }],
  ['age', { calls: 3, maxObjectAgeCalls: 3 }], ['allow string', { allow: 'Map' }], ['allow item', { allow: [3] }],
  ['monitor option', { strMaxLength: -1 }], ['options', 'x'],
]) out(label, await outcome(assertNoLeaks(fn, options)));
out('not a function', await outcome(assertNoLeaks(42)));
out('ran', { passed: ran === 0, message: String(ran) });
`);
    assert.equal(run.code, 0, run.stderr);
    const r = results(run.stdout);
    const expect = (label: string, pattern: RegExp) => {
      const result = r.get(label)!;
      assert.equal(result.name, 'TypeError', label);
      assert.match(result.message!, pattern, label);
    };
    expect('typo', /^memalot: assertNoLeaks\(\): unknown option "cals"\. Did you mean "calls"\?/);
    expect('calls', /option "calls" must be an integer at least 2/);
    expect('calls type', /option "calls" must be an integer .*; got "3"/);
    expect('warm-ups', /option "calls" must be more than the monitored warm-up calls \(2 warmupCalls\)/);
    expect('age', /option "calls" must be enough for maxObjectAgeCalls \(3\) checked calls after 1 warm-up: at least 4/);
    expect('allow string', /option "allow" must be an iterable of type names and RegExps.*, not a single one; got "Map"/);
    expect('allow item', /option "allow" must be .*each a non-empty string or a RegExp.*; got 3/);
    expect('monitor option', /^memalot: assertNoLeaks\(\): option "strMaxLength" must be/);
    expect('options', /options must be an object/);
    expect('not a function', /assertNoLeaks\(\) takes a function to check; got number/);
    assert.deepEqual(r.get('ran'), { passed: true, message: '0' }, 'fn never ran');
  });

  test('require(): the CommonJS entries of memalot and memalot/testing', async () => {
    const run = await runProgram(
      `
const { assertNoLeaks, toLeak } = require('memalot/testing');
const memalot = require('memalot');
const kept = [];
(async () => {
  await assertNoLeaks(function clean() { return [1, 2].length; });
  const failure = await assertNoLeaks(function leaky() { kept.push({ n: kept.length }); }, { saveReports: false }).catch((e) => e);
  console.log(JSON.stringify({ exports: Object.keys(memalot).sort(), toLeak: typeof toLeak, failure: failure.constructor.name, message: failure.message.split('\\n')[0] }));
})();
`,
      { fileName: 'program.cjs' },
    );
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout.trim().split('\n').at(-1)!), {
      exports: ['createLeakMonitor', 'leakMonitor', 'startLeakMonitoring'],
      toLeak: 'function',
      failure: 'AssertionError',
      message: 'memalot: leaky leaks: 1 object (Object) created during a call outlived it.',
    });
  });
});

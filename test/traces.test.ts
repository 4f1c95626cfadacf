// One short, true trace per leak, on real reports: the scenarios of test/zoo (the leak zoo's
// format, with their `// EXPECT:` line) run in child processes under time-based monitoring,
// and their saved reports are checked for the leak's holder named, the trace's length, the
// folded runs of chains (native/chain_folding.h), timers read as written, leak groups, and no
// false leak in the control.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { packageRoot } from '../lib/native/package-root.js';
import type { IterationReport, ObjectDetails } from '../lib/storage/schema.js';
import { runProgram } from './helpers/child.js';
import { readSavedReports } from './helpers/reports.js';
import { zooProblems, type ZooExpectation } from './helpers/zoo-expect.js';
import { shortestTrace } from './helpers/shortest-trace.js';


interface ScenarioRun {
  readonly iterations: IterationReport[];
  readonly expect: ZooExpectation;
  readonly stdout: string;
}

async function runScenario(name: string, seconds: number): Promise<ScenarioRun> {
  const source = readFileSync(join(packageRoot, 'test', 'zoo', `${name}.mjs`), 'utf8');
  const line = source.split('\n').find((l) => l.startsWith('// EXPECT:'));
  assert.ok(line, `${name} has an EXPECT line`);
  const expect = JSON.parse(line.slice('// EXPECT:'.length)) as ZooExpectation;
  const result = await runProgram(source, { fileName: `${name}.mjs`, env: { SCENARIO_SECONDS: String(seconds), COLUMNS: '120' }, timeoutMs: 120_000 });
  assert.equal(result.code, 0, `${name} exited cleanly: ${result.stderr}`);
  const saved = readSavedReports(result.reportDirectory);
  assert.equal(saved.length, 1, `${name} saved one report`);
  return { iterations: saved[0]!.iterations, expect, stdout: result.stdout };
}

function detailsOf(run: ScenarioRun, type: RegExp): ObjectDetails[] {
  return run.iterations.filter((it) => it.iterationNumber > 1).flatMap((it) => it.objectDetails.filter((d) => type.test(d.objectTypeName)));
}

function names(details: readonly ObjectDetails[]): string[] {
  return details.flatMap((d) => (d.referrerGraph?.nodes ?? []).map((n) => n.name));
}

describe('traces on real reports (test/zoo scenarios in child processes)', () => {
  const runs = new Map<string, ScenarioRun>();
  before(async () => {
    for (const name of ['timer-per-connection', 'linked-list-queue', 'closure-chain', 'listener-per-request', 'control-cleared-timers']) {
      // The control's lifetime is 2 s: long enough for two reports after the warm-up.
      runs.set(name, await runScenario(name, name.startsWith('control-') ? 10 : 6));
    }
  });

  for (const name of ['timer-per-connection', 'linked-list-queue', 'closure-chain', 'listener-per-request', 'control-cleared-timers']) {
    test(`${name}: its expectation holds`, () => {
      const run = runs.get(name)!;
      assert.deepEqual(zooProblems(run.iterations, run.expect), []);
    });
  }

  test('a setInterval per connection: the trace names the callback, folds _idleNext, and ends at the timer lists', () => {
    const run = runs.get('timer-per-connection')!;
    const connections = detailsOf(run, /:Connection$/).filter((d) => d.referrerGraph !== null);
    assert.ok(connections.length > 0, 'connections are detailed');
    for (const details of connections) {
      const trace = shortestTrace(details.referrerGraph!);
      assert.ok(trace.length > 0, 'the trace reaches a root');
      assert.ok(trace.length <= 17, `a short trace (${trace.length} nodes): ${trace.join(' <- ')}`);
      // On Node 26 the report runs inside Node's timer callback, whose frame holds the list too.
      assert.match(trace.at(-1)!, /^(timerList(Map|Queue) \(variable of node:(internal\/)?timers\)|a running function's variable or temporary \(stack\))$/, trace.join(' <- '));
      assert.ok(trace.some((n) => /^setInterval callback at timer-per-connection\.mjs:\d+, every 60 s$/.test(n)), trace.join(' <- '));
      const folded = trace.filter((n) => /^Timeout\._idleNext \(property\) ×[\d,]+$/.test(n));
      assert.ok(folded.length <= 1, trace.join(' <- '));
      assert.ok(!trace.some((n) => n.includes('_idlePrev')), `no back-pointer on the trace: ${trace.join(' <- ')}`);
    }
    assert.ok(names(connections).some((n) => /^Timeout\._idleNext \(property\) ×[\d,]+$/.test(n)), 'a timer list walked is one folded step');
    const leaks = run.iterations.flatMap((it) => it.leakSummary.leaks ?? []);
    const timers = leaks.find((leak) => leak.objectType.endsWith(':Timeout') && leak.count >= 10);
    assert.ok(timers, `the timers lead the leaks: ${JSON.stringify(leaks)}`);
    assert.ok(timers.contents.some((c) => c.objectType.endsWith(':Connection') && c.count === timers.count), JSON.stringify(timers));
    const numbers = detailsOf(run, /^number$/);
    // The numbers detailed (the holders' details come first, so which numbers varies) show their values.
    assert.ok(numbers.length > 0, 'a number is detailed');
    for (const d of numbers) assert.match(d.objectStr ?? '', /^\w+ = -?[\d.]+( or \w+ = -?[\d.]+)*( \(one of these\))?$/, `a number's value: ${d.objectStr}`);
  });

  test('a linked list of thousands of jobs: one folded step to the module variable that holds the head', () => {
    const run = runs.get('linked-list-queue')!;
    const jobs = detailsOf(run, /:Job$/).filter((d) => d.referrerGraph !== null);
    assert.ok(jobs.length > 0);
    const runsSeen: number[] = [];
    for (const details of jobs) {
      const trace = shortestTrace(details.referrerGraph!);
      assert.equal(trace.at(-1), 'pending (module variable in linked-list-queue.mjs)', trace.join(' <- '));
      assert.ok(trace.length <= 5, `target, one folded step, the head, its root: ${trace.join(' <- ')}`);
      const step = trace.map((n) => /^Job\.next \(property\) ×([\d,]+)$/.exec(n)).find((m) => m !== null);
      if (step) runsSeen.push(Number(step[1]!.replaceAll(',', '')));
      assert.ok(details.referrerGraph!.nodes.length < 30, `a small graph (${details.referrerGraph!.nodes.length} nodes)`);
    }
    assert.ok(runsSeen.some((n) => n >= 1000), `a run of a thousand links or more: ${runsSeen.join(', ')}`);
    const leaks = run.iterations.flatMap((it) => it.leakSummary.leaks ?? []);
    const list = leaks.find((leak) => leak.objectType.endsWith(':Job'));
    assert.ok(list, JSON.stringify(leaks));
    assert.ok(list.contents.some((c) => c.objectType.endsWith(':Job') && c.count >= 999), 'the list is one group, headed by its newest job of the epoch');
  });

  test('a closure chain (originalThing): the two repeating steps folded, ending at theThing', () => {
    const run = runs.get('closure-chain')!;
    const things = detailsOf(run, /:LargeThing$/).filter((d) => d.referrerGraph !== null);
    assert.ok(things.length > 0);
    const traces = things.map((d) => shortestTrace(d.referrerGraph!));
    for (const trace of traces) {
      assert.equal(trace.at(-1), 'theThing (module variable in closure-chain.mjs)', trace.join(' <- '));
      assert.ok(trace.length <= 11, trace.join(' <- '));
    }
    assert.ok(
      traces.some((trace) => trace.some((n) => /^\(the 2 steps above repeat [\d,]+ more times?\)$/.test(n))),
      traces.map((t) => t.join(' <- ')).join('\n'),
    );
  });

  test("a listener per request reads as the emitter's 'shutdown' listener", () => {
    const run = runs.get('listener-per-request')!;
    const contexts = detailsOf(run, /:RequestContext$/).filter((d) => d.referrerGraph !== null);
    assert.ok(contexts.length > 0);
    const trace = shortestTrace(contexts[0]!.referrerGraph!);
    assert.ok(trace.some((n) => n === "EventEmitter 'shutdown' listener"), trace.join(' <- '));
    assert.equal(trace.at(-1), 'bus (module variable in listener-per-request.mjs)', trace.join(' <- '));
  });

  test('timers that are cleared: nothing reported, not even Node’s own timer bookkeeping', () => {
    const run = runs.get('control-cleared-timers')!;
    const after = run.iterations.filter((it) => it.iterationNumber > 1);
    assert.ok(after.length >= 2, 'reports after the warm-up');
    for (const it of after) {
      const types = it.leakSummary.typeSummaries;
      // Neither the connections nor any of Node's timer bookkeeping (Timeout, TimersList, numbers).
      assert.deepEqual(types.filter((t) => /Connection|Timeout|TimersList|^number$/.test(t.objectType)), [], `iteration ${it.iterationNumber}`);
      // Known, open (see the scenario's EXPECT): on Node 22 and 24 a report can keep one Function
      // (Node's lazily made \`enabled\` getter of node:internal/util/debuglog, held through the
      // timer frames' \`debug\`) and one internalized string; anything more, or of another type, is
      // a false leak.
      assert.ok(types.every((t) => t.objectType === 'Function' || t.objectType === 'string'), `iteration ${it.iterationNumber}: ${JSON.stringify(types)}`);
      assert.ok(types.reduce((n, t) => n + t.count, 0) <= 2, `iteration ${it.iterationNumber}: ${JSON.stringify(types)}`);
    }
  });
});

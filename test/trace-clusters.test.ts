// The compact console report: detailed objects clustered by the shape of their trace (one box
// per cluster, "and N more with this path"), the leaks table, the width and line budgets, and
// the full report. Hand-made, schema-valid reports; a real program's report at the end.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, test } from 'node:test';
import { MAX_REPORT_LINES, renderIteration, type RenderContext } from '../lib/report/render.js';
import { makeStyle, visibleLength } from '../lib/report/style.js';
import { clusterTraces, isUnnamedRoot, shownSteps, stepShape, traceLines, traceOf } from '../lib/report/trace-clusters.js';
import { shortenMiddle, terminalWidth } from '../lib/report/width.js';
import { iterationReportSchema, type IterationReport, type ObjectDetails } from '../lib/storage/schema.js';
import { runProgram } from './helpers/child.js';

const MiB = 1024 * 1024;
const plain = makeStyle(false);

type Node = NonNullable<ObjectDetails['referrerGraph']>['nodes'][number];

/** A chain from the target (first) to the root (last), as the native search saves one. */
function chain(names: readonly string[], ids: readonly number[]): NonNullable<ObjectDetails['referrerGraph']> {
  const nodes: Node[] = names.map((name, i) => ({ id: `n${i}`, name, objectId: ids[i] ?? null, referentIds: i === 0 ? [] : [`n${i - 1}`] }));
  return { targetIds: ['n0'], rootIds: [`n${names.length - 1}`], nodes };
}

/** A Session held in a Map under its key, the Map in a module variable. */
function session(id: number, key: string, retained = 100): ObjectDetails {
  return {
    objectTypeName: 'src/session.js:Session',
    objectId: id,
    objectStr: `Session { id: ${id} }`,
    retainedSizeBytes: retained,
    referrersChecked: true,
    referrerGraph: chain(
      ['Session (object)', `Map value for key "${key}"`, 'Map (object)', 'sessions (module variable in src/session.js)'],
      [id, 500, 500, 400],
    ),
  };
}

function report(details: readonly ObjectDetails[], extra: Partial<IterationReport['leakSummary']> = {}): IterationReport {
  const types = [...new Set(details.map((d) => d.objectTypeName))];
  const value: IterationReport = {
    reportId: 'ab12-cd34',
    iterationNumber: 3,
    kind: 'leaks',
    startTime: '2024-05-01T12:00:00.000Z',
    endTime: '2024-05-01T12:01:00.000Z',
    memoryUsage: {
      rssBytes: 100 * MiB,
      heapUsedBytes: 50 * MiB,
      rssChangeBytes: MiB,
      heapUsedChangeBytes: null,
      peakRssBytes: 130 * MiB,
      systemMemoryBytes: 16 * 1024 * MiB,
      memalot: { rssBytes: 20 * MiB, heapUsedBytes: 2 * MiB },
    },
    leakSummary: {
      typeSummaries: types.map((objectType) => ({ objectType, count: 42 })),
      maxTypesInSummary: 500,
      totalTypes: types.length,
      ...extra,
    },
    objectDetails: [...details],
  };
  return iterationReportSchema.parse(value);
}

describe('traceOf', () => {
  it("tells the roots the program's author can name from Node's, V8's and the stack's", () => {
    for (const name of ['timerListMap (variable of node:internal/timers)', "a running function's variable or temporary (stack)", 'a global handle (held by native code)', '(GC roots)']) {
      assert.ok(isUnnamedRoot(name), name);
    }
    for (const name of ['sessions (module variable in server.mjs)', 'globalThis.registry (global)', 'bus (module variable in listener-leak.mjs)']) {
      assert.ok(!isUnnamedRoot(name), name);
    }
  });

  it('takes the shortest path to a root the user can name, not a shorter one through Node', () => {
    const graph = {
      targetIds: ['t'],
      rootIds: ['internal', 'mine'],
      nodes: [
        { id: 't', name: 'Conn (object)', objectId: 1, referentIds: [] },
        { id: 'internal', name: 'timerListMap (variable of node:internal/timers)', objectId: 2, referentIds: ['t'] },
        { id: 'a', name: 'Array index=3', objectId: 3, referentIds: ['t'] },
        { id: 'b', name: 'Array (object)', objectId: 3, referentIds: ['a'] },
        { id: 'mine', name: 'conns (module variable in server.js)', objectId: 4, referentIds: ['b'] },
      ],
    };
    const trace = traceOf(graph);
    assert.deepEqual(trace?.steps.map((s) => s.id), ['t', 'a', 'b', 'mine']);
    assert.equal(trace?.reachesRoot, true);
  });

  it('follows first referrers to where the search stopped when no root is reached', () => {
    const graph = chain(['X (object)', 'Y.x (property)', 'Maximum depth of 2 exceeded'], [1, 2]);
    const trace = traceOf({ ...graph, rootIds: [] });
    assert.equal(trace?.steps.length, 3);
    assert.equal(trace?.reachesRoot, false);
  });

  it('leaves out an object node that repeats the label before it', () => {
    const steps = traceOf(session(1, 'a').referrerGraph!)!.steps;
    assert.deepEqual(shownSteps(steps).map((s) => s.name), ['Session (object)', 'Map value for key "a"', 'sessions (module variable in src/session.js)']);
  });
});

describe('traceLines: repeats folded', () => {
  it('folds a step that comes three or more times into one line with ×N, and a pattern of two into a note', () => {
    const timers = chain(['Conn (object)', 'c (closure variable)', ...Array<string>(7).fill('Timeout._idlePrev (property)'), 'timers (module variable in a.js)'], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert.deepEqual(traceLines(traceOf(timers)!).map((l) => l.name), ['Conn (object)', 'c (closure variable)', 'Timeout._idlePrev (property) ×7', 'timers (module variable in a.js)']);
    const pairs = ['LargeThing.someMethod (property)', 'originalThing (closure variable)'];
    const closures = chain(['LargeThing (object)', ...pairs, ...pairs, ...pairs, 'theThing (module variable in a.js)'], [1, 2, 3, 4, 5, 6, 7, 8]);
    assert.deepEqual(traceLines(traceOf(closures)!).map((l) => l.name), ['LargeThing (object)', ...pairs, '(the 2 steps above repeat 2 more times)', 'theThing (module variable in a.js)']);
    const twice = chain(['X (object)', 'a.next (property)', 'a.next (property)', 'root (module variable in a.js)'], [1, 2, 3, 4]);
    assert.equal(traceLines(traceOf(twice)!).length, 4, 'two in a row are not folded');
  });

  it('puts traces that differ only in the length of a folded run in one cluster', () => {
    const conn = (id: number, hops: number): ObjectDetails => ({
      ...session(id, 'x'),
      referrerGraph: chain(['Conn (object)', ...Array<string>(hops).fill('Timeout._idlePrev (property)'), 'timers (module variable in a.js)'], [id]),
    });
    const clusters = clusterTraces([conn(1, 9), conn(2, 4), conn(3, 30)]);
    assert.equal(clusters.length, 1);
    assert.equal(clusters[0]!.representative.objectId, 2, 'the shortest trace represents the cluster');
  });
});

describe('clusterTraces', () => {
  it('puts objects with one path shape (keys, indices, IDs and fold counts aside) in one cluster', () => {
    assert.equal(stepShape('Map value for key "sess-1"'), stepShape('Map value for key "sess-2"'));
    assert.equal(stepShape('Array index=3'), stepShape('Array index=40'));
    assert.equal(stepShape('Timeout._idleNext (property) ×52'), stepShape('Timeout._idleNext (property) ×7'));
    assert.equal(stepShape('Node.next (property) ×10,000'), stepShape('Node.next (property) ×3'));
    assert.equal(stepShape('(the 2 steps above repeat 1,117 more times)'), stepShape('(the 2 steps above repeat 5 more times)'));
    assert.notEqual(stepShape('Foo.a (property)'), stepShape('Foo.b (property)'));
    const clusters = clusterTraces([session(1, 'a', 100), session(2, 'b', 200), session(3, 'c', 300)]);
    assert.equal(clusters.length, 1);
    assert.equal(clusters[0]!.members.length, 3);
    assert.equal(clusters[0]!.retainedSizeBytes, 600);
  });

  it('adds up what the members retain without counting twice a member that another one holds', () => {
    // A linked list: node 2 is held by node 1's next, node 3 by node 2's; node 1 retains them all.
    const node = (id: number, depth: number, retained: number): ObjectDetails => ({
      ...session(id, 'x', retained),
      referrerGraph: chain(['Node (object)', ...Array.from({ length: depth }, () => 'Node.next (property)'), 'head (module variable in a.js)'], [id, ...Array.from({ length: depth }, (_, k) => id - 1 - k), 1]),
    });
    const [cluster] = clusterTraces([node(11, 1, 300), node(12, 2, 200), node(13, 3, 100)]);
    assert.equal(cluster!.members.length, 3);
    assert.equal(cluster!.retainedSizeBytes, 300, 'node 11 retains the two after it');
  });

  it('keeps different paths and different types apart, in the order of their first member', () => {
    const other: ObjectDetails = { ...session(9, 'z'), referrerGraph: chain(['Session (object)', 'current (module variable in src/app.js)'], [9, 8]) };
    const string: ObjectDetails = { ...session(5, 'y'), objectTypeName: 'string' };
    const clusters = clusterTraces([session(1, 'a'), other, session(2, 'b'), string]);
    assert.deepEqual(clusters.map((c) => [c.representative.objectId, c.members.length]), [[1, 2], [9, 1], [5, 1]]);
  });
});

describe('the compact console report', () => {
  const context: RenderContext = { style: plain, width: 100, maxObjectLifetime: 60 };

  it('shows one trace for a cluster, "and N more with this path", and what they retain together', () => {
    const text = renderIteration(report([session(1, 'a', 1024), session(2, 'b', 1024), session(3, 'c', 1024)]), context).join('\n');
    assert.equal(text.match(/╭─/g)?.length, 2, 'the header and one cluster');
    assert.match(text, /src\/session\.js:Session \(id=1\), and 2 more with this path/);
    assert.match(text, /Retained size: ~1 KiB; all 3: ~3 KiB/);
    assert.match(text, /│ ← Map value for key "a" +│\n│ ← sessions \(module variable in src\/session\.js\) \(root\) +│/);
    assert.ok(!/id=500/.test(text), 'no ID on the steps');
  });

  it('leads with the leaks table: holder, count, retained size, what it carries', () => {
    const leaks = [{ objectType: 'server.js:Connection', count: 33, retainedSizeBytes: 5 * MiB, contents: [{ objectType: 'Buffer', count: 33 }, { objectType: 'number', count: 99 }, { objectType: 'Function', count: 33 }] }];
    const [, body] = renderIteration(report([session(1, 'a')], { leaks }), context);
    assert.match(body!, /┃ Held by +┃ Count ┃ Retained Size ┃ Carrying +┃/);
    assert.match(body!, /│ server\.js:Connection │ +33 │ +5 MiB │ with 33 Buffer, 99 number, 33 Function │/);
    assert.ok(!/Object Type/.test(body!), 'the per-type table only when asked for');
    assert.match(renderIteration(report([session(1, 'a')], { leaks }), { ...context, types: true })[1]!, /┃ Object Type/);
  });

  it('shows the per-type table when there are no leak groups', () => {
    assert.match(renderIteration(report([session(1, 'a')]), context)[1]!, /┃ Object Type +┃ Count ┃/);
  });

  it(`shows ${10} rows of a table and says where the rest are; the full report shows all`, () => {
    const leaks = Array.from({ length: 25 }, (_, i) => ({ objectType: `T${i}`, count: 25 - i, retainedSizeBytes: 100, contents: [] }));
    const typeSummaries = leaks.map((l) => ({ objectType: l.objectType, count: l.count }));
    const compact = renderIteration(report([], { leaks, typeSummaries, totalTypes: 25 }), context)[1]!;
    assert.equal(compact.split('\n').filter((l) => /^│ T\d+/.test(l)).length, 10);
    assert.match(compact, /\(15 more leaks in the saved report: memalot print --full\)/);
    const full = renderIteration(report([], { leaks, typeSummaries, totalTypes: 25 }), { ...context, full: true })[1]!;
    assert.equal(full.split('\n').filter((l) => /^│ T\d+/.test(l)).length, 50, 'every leak, and every type');
  });

  it('shows the program\'s memory and memalot\'s own apart', () => {
    const [header] = renderIteration(report([]), context);
    assert.match(header!, /Program: 80 MiB RSS \(\+1 MiB\) \/ 0\.49% sys; V8 heap 48 MiB/);
    assert.match(header!, /Memalot's own: 20 MiB RSS, 2 MiB V8 heap; peak 130 MiB RSS in all/);
  });

  it(`keeps within ${MAX_REPORT_LINES} lines: the traces that do not fit are counted`, () => {
    const many = Array.from({ length: 40 }, (_, i) => ({
      ...session(i + 1, 'k'),
      referrerGraph: chain(['Session (object)', ...Array.from({ length: 6 }, (_, k) => `Holder${i}.next${k} (property)`), 'root (module variable in a.js)'], [i + 1]),
    }));
    const blocks = renderIteration(report(many), context);
    const lines = blocks.map((b) => `${b}\n`).join('').split('\n').length - 1;
    assert.ok(lines <= MAX_REPORT_LINES, `${lines} lines`);
    assert.match(blocks.at(-2)!, /^\d+ more traces \(\d+ detailed objects of src\/session\.js:Session\) in the saved report: memalot print\s--full$/);
    const full = renderIteration(report(many), { ...context, full: true });
    assert.equal(full.filter((b) => b.includes('Details for')).length, 40, 'the full report: every object with its graph');
  });

  it('fits the width: long names shortened in the middle, no line wider', () => {
    const long = 'x'.repeat(300);
    const detail: ObjectDetails = {
      ...session(1, long),
      objectTypeName: `src/${long}.js:Session`,
      objectStr: long,
      referrerGraph: chain(['Session (object)', `Map value for key "${long}"`, 'Map (object)', `sessions${long} (module variable in src/session.js)`], [1, 2, 2, 3]),
    };
    const leaks = [{ objectType: `src/${long}.js:Session`, count: 1, retainedSizeBytes: 1, contents: [{ objectType: long, count: 2 }] }];
    for (const width of [60, 80, 120]) {
      for (const full of [false, true]) {
        const colored = renderIteration(report([detail], { leaks }), { ...context, style: makeStyle(true), width, full }).join('\n');
        assert.ok(Math.max(...colored.split('\n').map(visibleLength)) <= width, `with colours (full: ${full})`);
        const text = renderIteration(report([detail], { leaks }), { ...context, width, full }).join('\n');
        const widest = Math.max(...text.split('\n').map(visibleLength));
        assert.ok(widest <= width, `${widest} > ${width} (full: ${full})`);
        assert.match(text, /xxx…xxx/);
        if (!full && width >= 80) assert.match(text, /…x+ \(module variable in src\/session\.js\) \(root\)/, 'the end of a name is kept');
      }
    }
  });
});

describe('width', () => {
  it('is the terminal\'s, else COLUMNS, else 120', () => {
    assert.equal(terminalWidth({ columns: 90 }, { COLUMNS: '70' }), 90);
    assert.equal(terminalWidth({}, { COLUMNS: '70' }), 70);
    assert.equal(terminalWidth({}, { COLUMNS: 'wide' }), 120);
    assert.equal(terminalWidth({}, {}), 120);
  });

  it('shortens in the middle, keeping the end', () => {
    assert.equal(shortenMiddle('abcdefghij', 10), 'abcdefghij');
    assert.equal(shortenMiddle('abcdefghijk', 6), 'abc…jk');
  });
});

test('a real report with long names fits COLUMNS, and clusters its objects', async () => {
  const run = await runProgram(
    `
import { createLeakMonitor } from 'memalot';
class ${'VeryLong'.repeat(12)}Session { constructor(i) { this.i = i; } }
const ${'registry'.repeat(10)} = new Map();
const monitor = createLeakMonitor({ warmupCalls: 0 });
monitor.run(() => {
  for (let i = 0; i < 50; i++) ${'registry'.repeat(10)}.set('key-' + i + '-' + 'k'.repeat(200), new ${'VeryLong'.repeat(12)}Session(i));
});
await monitor.stop();
`,
    { env: { COLUMNS: '80' } },
  );
  assert.equal(run.code, 0, run.stderr);
  const widest = Math.max(...run.stdout.split('\n').map((l) => l.length));
  assert.ok(widest <= 80, `widest line ${widest}:\n${run.stdout}`);
  assert.match(run.stdout, /and \d+ more with this path/);
  const [name] = readdirSync(run.reportDirectory);
  const saved = JSON.parse(readFileSync(join(run.reportDirectory, name!, 'iteration_report_1.json'), 'utf8')) as IterationReport;
  const sessions = saved.objectDetails.filter((d) => d.objectTypeName.endsWith('Session'));
  assert.ok(sessions.length > 1, 'the saved report keeps every detailed object');
  assert.ok(saved.leakSummary.leaks?.some((l) => l.objectType.endsWith('Session')), JSON.stringify(saved.leakSummary.leaks));
});

test('a heartbeat timer per connection, never cleared: the connections are detailed first, in one screen', async () => {
  const run = await runProgram(
    `
import { createLeakMonitor } from 'memalot';
class Connection {
  constructor(id) { this.id = id; this.lastSeen = Date.now() + id + 0.5; this.buffer = Buffer.alloc(64); }
}
const monitor = createLeakMonitor({ warmupCalls: 0 });
monitor.run(() => {
  for (let i = 0; i < 60; i++) {
    const c = new Connection(i);
    setInterval(() => { c.lastSeen = Date.now() + 0.5; }, 60_000).unref();
  }
});
await monitor.stop();
process.exit(0);
`,
    { env: { COLUMNS: '120' } },
  );
  assert.equal(run.code, 0, run.stderr);
  const lines = run.stdout.split('\n');
  assert.ok(lines.length <= MAX_REPORT_LINES + 5, `${lines.length} lines`);
  assert.ok(Math.max(...lines.map((l) => l.length)) <= 120);
  assert.match(run.stdout, /program\.mjs:Connection \(id=\d+\), and \d+ more with this path/);
  const [name] = readdirSync(run.reportDirectory);
  const saved = JSON.parse(readFileSync(join(run.reportDirectory, name!, 'iteration_report_1.json'), 'utf8')) as IterationReport;
  assert.deepEqual(saved.objectDetails.slice(0, 10).map((d) => d.objectTypeName), Array<string>(10).fill('program.mjs:Connection'), 'the holders, not their numbers');
  const shown = new Set(saved.leakSummary.typeSummaries.map((s) => s.objectType));
  const detailed = new Set(saved.objectDetails.map((d) => d.objectTypeName));
  assert.ok([...shown].every((type) => detailed.has(type)), 'every leaked type keeps a detailed object');
});

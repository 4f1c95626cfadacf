// The end of a report in one native call (HeapGraph.complete): the live objects found by their
// IDs on a helper thread that holds the isolate, the retained sizes computed meanwhile, the
// snapshot freed. And the graph index's three ways of numbering nodes, which must agree.
//
// Objects are made only inside helper functions: a frame still running when V8 takes the
// snapshot holds what is in its registers.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { addon } from '../lib/native/addon.js';

const native = addon();
const kept = new Map<string, unknown>();

class Account {
  constructor(
    readonly owner: string,
    readonly balance: number,
  ) {}
}
class Ledger {
  readonly entries: Account[] = [];
}

const KINDS = ['account', 'ledger', 'dictionary', 'array', 'map', 'set', 'closure', 'regexp', 'date', 'string', 'changed'] as const;

function build(): void {
  kept.set('account', new Account('ada', 12.5));
  kept.set('ledger', Object.assign(new Ledger(), { note: 'q3' }));
  const dictionary: Record<string, number> = { a: 1, b: 2, c: 3 };
  delete dictionary.b; // an object in dictionary mode, with a map of that kind
  kept.set('dictionary', dictionary);
  kept.set('array', [1, 2, 3]);
  kept.set('map', new Map([[1, 'one']]));
  kept.set('set', new Set(['x']));
  const secret = { secret: true };
  kept.set('closure', () => secret);
  kept.set('regexp', /leak-(\d+)/g);
  kept.set('date', new Date(0));
  kept.set('string', `a string made at run time ${process.pid}`);
  kept.set('changed', new Account('grace', 1));
}

function idsOf(names: readonly string[]): number[] {
  return native.objectIds(names.map((name) => kept.get(name)));
}

function buildLedger(size: number): void {
  const ledger = new Ledger();
  for (let i = 0; i < size; i++) ledger.entries.push(new Account(`owner-${i}`, i));
  kept.set('big ledger', ledger);
}

describe('complete(): the objects, the sizes, and the snapshot freed, in one call', () => {
  before(() => {
    native.startTracking();
    build();
    native.markBoundary(); // gives the new objects their IDs
  });
  after(() => native.stopTracking());

  test('finds every JavaScript object by its ID (the object itself), and no string', () => {
    const ids = idsOf(KINDS);
    assert.ok(ids.every((id) => id > 0));
    const graph = native.takeSnapshot();
    const sizes = graph.retainedSizes(ids);
    // A property added now gives the object another map than the snapshot saw: the walk,
    // which passes over objects of other maps, must find it all the same.
    (kept.get('changed') as Record<string, unknown>).added = 'after the snapshot';
    const done = graph.complete(ids, ids);
    KINDS.forEach((name, i) => {
      if (name === 'string') assert.equal(done.objects[i], undefined, 'strings are not JavaScript objects to find');
      else assert.equal(done.objects[i], kept.get(name), name);
    });
    assert.deepEqual(done.retainedSizes, sizes);
    assert.deepEqual(done.typeRetainedSizes, [], 'summarizeRange was not asked for retained sizes');
    assert.throws(() => graph.nodeCount, /this heap snapshot has been disposed/);
  });

  test('gives what each summary row retains, as typeRetainedSizes() does', () => {
    const start = native.markBoundary();
    buildLedger(500);
    const end = native.markBoundary();
    const graph = native.takeSnapshot();
    const rows = graph.summarizeRange(start.lastObjectId, end.lastObjectId, [], [], { samplesPerType: 3, retainedSizes: true });
    const byRow = graph.typeRetainedSizes();
    const sample = rows.flatMap((row) => row.sampleIds);
    const sizes = graph.retainedSizes(sample);
    const done = graph.complete([], sample);
    assert.deepEqual(done.typeRetainedSizes, byRow);
    assert.deepEqual(done.retainedSizes, sizes);
    assert.deepEqual(done.objects, []);
    const ledgerRow = rows.findIndex((row) => row.name === 'Ledger');
    assert.ok(ledgerRow >= 0, `a Ledger row: ${rows.map((r) => r.name).join(', ')}`);
    assert.ok(byRow[ledgerRow]! > 500 * 16, `the Ledger retains its 500 accounts (${byRow[ledgerRow]} bytes)`);
  });

  test('an object not alive when the snapshot was taken is not found', () => {
    const graph = native.takeSnapshot();
    const done = graph.complete([1e9 + 1], [1e9 + 1]);
    assert.equal(done.objects.length, 1);
    assert.equal(done.objects[0], undefined);
    assert.deepEqual(done.retainedSizes, [0]);
  });

  test('refuses bad IDs before doing anything, naming the argument', () => {
    const graph = native.takeSnapshot();
    try {
      assert.throws(() => graph.complete('1' as unknown as number[], []), { name: 'TypeError', message: /complete\(\): objectIds must be an array of object IDs/ });
      assert.throws(() => graph.complete([], [-1]), { name: 'RangeError', message: /complete\(\): retainedSizeIds must hold object IDs, integers from 0 to 4294967295 \(item 0 is not\)/ });
      assert.throws(() => graph.complete([1.5], []), { name: 'RangeError', message: /complete\(\): objectIds must hold object IDs/ });
      assert.throws(() => graph.complete([], [7, '8'] as unknown as number[]), {
        name: 'TypeError',
        message: /complete\(\): retainedSizeIds must hold object IDs, which are numbers \(item 1 is not\)/,
      });
      assert.ok(graph.nodeCount > 0, 'the snapshot is still there after refused calls');
    } finally {
      graph.dispose();
    }
    assert.throws(() => graph.complete([], []), /this heap snapshot has been disposed/);
  });
});

describe('the graph index numbers nodes three ways, which agree', () => {
  before(() => {
    native.startTracking();
    build();
    buildLedger(200);
    native.markBoundary();
  });
  after(() => {
    delete process.env['MEMALOT_TEST_NODE_INDEX'];
    native.stopTracking();
  });

  test("V8's own entry numbers, checked for every node, are used on this Node.js", () => {
    const graph = native.takeSnapshot();
    try {
      assert.equal(graph.nodeNumbering, 'entry-numbers');
    } finally {
      graph.dispose();
    }
  });

  test('address runs and a hash map give the same sizes and referrers', () => {
    const ids = idsOf(['account', 'ledger', 'big ledger', 'closure', 'map']);
    const results = ['', 'runs', 'hash'].map((way) => {
      if (way === '') delete process.env['MEMALOT_TEST_NODE_INDEX'];
      else process.env['MEMALOT_TEST_NODE_INDEX'] = way;
      const graph = native.takeSnapshot();
      try {
        return {
          numbering: graph.nodeNumbering,
          sizes: graph.retainedSizes(ids),
          referrers: graph.referrerGraph(ids[1]!, { cwd: process.cwd() })?.nodes.map((node) => node.name),
        };
      } finally {
        graph.dispose();
      }
    });
    assert.deepEqual(results.map((r) => r.numbering), ['entry-numbers', 'runs', 'hash']);
    assert.ok(results[0]!.sizes.every((size) => size > 0));
    assert.ok((results[0]!.referrers ?? []).some((name) => name.includes('kept')), `kept holds the ledger: ${results[0]!.referrers}`);
    for (const other of results.slice(1)) {
      assert.deepEqual(other.sizes, results[0]!.sizes, other.numbering);
      assert.deepEqual(other.referrers, results[0]!.referrers, other.numbering);
    }
  });
});

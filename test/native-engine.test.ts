// The native engine against the real V8 heap of this process: epochs, survivor counts, and the
// type summary of a heap snapshot.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { addon, type NativeTypeRow } from '../lib/native/addon.js';

const native = addon();

class EngineProbe {
  constructor(readonly i: number) {}
}
class EngineOther {
  readonly label: string;
  constructor(i: number) {
    this.label = `other-${i}`;
  }
}

function row(rows: NativeTypeRow[], kind: NativeTypeRow['kind'], name: string): NativeTypeRow | undefined {
  return rows.find((r) => r.kind === kind && r.name === name);
}

describe('epoch tracking', () => {
  before(() => native.startTracking());
  after(() => native.stopTracking());

  test('a second start is refused while tracking', () => {
    assert.equal(native.isTracking(), true);
    assert.throws(() => native.startTracking(), /already tracking/);
  });

  test('objects created between two boundaries are counted while alive, and not once dropped', () => {
    const start = native.markBoundary();
    let kept: EngineProbe[] | undefined = Array.from({ length: 5000 }, (_, i) => new EngineProbe(i));
    const end = native.markBoundary();
    assert.ok(end.lastObjectId > start.lastObjectId, 'IDs grow');
    assert.equal(end.epoch, start.epoch + 1);
    const alive = native.countAlive(start.lastObjectId, end.lastObjectId);
    assert.ok(alive.objects >= 5000, `at least the 5000 probes are alive (got ${alive.objects})`);
    assert.ok(alive.bytes > 5000 * 16);
    assert.equal(kept.length, 5000);
    kept = undefined;
    native.markBoundary();
    const later = native.countAlive(start.lastObjectId, end.lastObjectId);
    // The probes and their array are gone; what else the range holds (V8's compiled code, the
    // test runner's own objects) may stay, and varies from one Node.js to another.
    assert.ok(alive.objects - later.objects >= 5001, `the probes died with their array (${alive.objects} alive before, ${later.objects} after)`);
  });

  test('a range that does not start and end at boundaries is refused', () => {
    const start = native.markBoundary();
    const end = native.markBoundary();
    assert.throws(() => native.countAlive(start.lastObjectId + 1, end.lastObjectId), /epoch boundaries/);
    assert.throws(() => native.countAlive(start.lastObjectId, end.lastObjectId + 2), /epoch boundaries/);
  });

  test('arguments are checked', () => {
    assert.throws(() => native.countAlive('1' as unknown as number, 2), TypeError);
    assert.throws(() => native.countAlive(-1, 2), RangeError);
    assert.throws(() => native.countAlive(1.5, 2), RangeError);
  });

  test('the live totals cover the whole heap', () => {
    const boundary = native.markBoundary();
    assert.ok(boundary.liveObjects > 1000);
    assert.ok(boundary.liveBytes > 100_000);
  });
});

describe('heap snapshot summary', () => {
  let rows: NativeTypeRow[] = [];
  let keep: unknown[] = [];

  before(() => {
    native.startTracking();
    const start = native.markBoundary();
    const strings = Array.from({ length: 300 }, (_, i) => `engine-string-${i}-`.padEnd(200, '.'));
    keep = [
      Array.from({ length: 1000 }, (_, i) => new EngineProbe(i)),
      Array.from({ length: 250 }, (_, i) => new EngineOther(i)),
      strings,
      Array.from({ length: 40 }, (_, i) => () => i),
      new Map([['a', 1]]),
      Array.from({ length: 7 }, (_, i) => BigInt(i) ** 70n),
      Array.from({ length: 9 }, (_, i) => Symbol(`s${i}`)),
      // V8's own closures (a promise's resolving functions) and bound functions
      Array.from({ length: 6 }, () => {
        let resolve: unknown;
        void new Promise((r) => (resolve = r));
        return resolve;
      }),
      Array.from({ length: 4 }, () => function bound() {}.bind(null)),
    ];
    const end = native.markBoundary();
    const graph = native.takeSnapshot();
    try {
      assert.ok(graph.nodeCount > 1000);
      rows = graph.summarizeRange(start.lastObjectId, end.lastObjectId);
    } finally {
      graph.dispose();
    }
  });
  after(() => native.stopTracking());

  test('class instances are counted exactly, with the script that defines the class', () => {
    const probe = row(rows, 'object', 'EngineProbe');
    assert.ok(probe, 'EngineProbe is in the summary');
    assert.equal(probe.count, 1000);
    assert.equal(fileURLToPath(probe.script), fileURLToPath(import.meta.url));
    assert.equal(row(rows, 'object', 'EngineOther')?.count, 250);
  });

  test('a string built from pieces (padEnd) counts once', () => {
    // 250 labels of EngineOther plus 300 padded strings; their pieces are not counted.
    const strings = row(rows, 'string', 'string');
    assert.ok(strings, 'strings are in the summary');
    assert.ok(strings.count >= 550 && strings.count <= 560, `550 strings expected, got ${strings.count}`);
  });

  test('closures, built-ins and heap primitives have their own kinds', () => {
    assert.ok((row(rows, 'function', 'Function')?.count ?? 0) >= 40);
    assert.equal(row(rows, 'object', 'Map')?.script, '');
    assert.ok((row(rows, 'bigint', 'bigint')?.count ?? 0) >= 6);
    assert.equal(row(rows, 'symbol', 'symbol')?.count, 9);
    assert.ok((row(rows, 'object', 'Array')?.count ?? 0) >= 5);
  });

  test("V8's own objects are kept apart as internal", () => {
    assert.ok(rows.some((r) => r.kind === 'internal'));
    assert.ok(!rows.some((r) => r.kind !== 'internal' && r.name.startsWith('system / ')));
    assert.equal(keep.length, 9);
  });

  test("closures V8 makes for itself are internal; bound functions are the program's", () => {
    assert.ok((row(rows, 'internal', '(builtin closure)')?.count ?? 0) >= 6, 'the promise resolving functions');
    // 40 arrow functions and 4 bound functions (and the 4 functions they bind)
    const functions = row(rows, 'function', 'Function')?.count ?? 0;
    assert.ok(functions >= 48 && functions < 60, `about 48 functions, got ${functions}`);
  });

  test('holes leave out the objects of the epochs inside them', () => {
    // Kept in the heap (what only the stack holds is not counted: it is on its way out).
    const start = native.markBoundary();
    const first = Array.from({ length: 100 }, (_, i) => new EngineProbe(i));
    keep.push(first);
    const holeStart = native.markBoundary();
    const inHole = Array.from({ length: 70 }, (_, i) => new EngineOther(i));
    keep.push(inHole);
    const holeEnd = native.markBoundary();
    const second = Array.from({ length: 30 }, (_, i) => new EngineProbe(i));
    keep.push(second);
    const end = native.markBoundary();
    const graph = native.takeSnapshot();
    try {
      const all = graph.summarizeRange(start.lastObjectId, end.lastObjectId);
      assert.equal(row(all, 'object', 'EngineProbe')?.count, 130);
      assert.equal(row(all, 'object', 'EngineOther')?.count, 70);
      const holed = graph.summarizeRange(start.lastObjectId, end.lastObjectId, [holeStart.lastObjectId, holeEnd.lastObjectId]);
      assert.equal(row(holed, 'object', 'EngineProbe')?.count, 130);
      assert.equal(row(holed, 'object', 'EngineOther'), undefined);
      const onlyHole = graph.summarizeRange(holeStart.lastObjectId, holeEnd.lastObjectId);
      assert.equal(row(onlyHole, 'object', 'EngineOther')?.count, 70);
      assert.throws(() => graph.summarizeRange(start.lastObjectId, end.lastObjectId, [1]), /even number/);
      const excluded = native.objectIds([first[0], first[1], second[0], 42, 7]);
      assert.ok(excluded[0]! > start.lastObjectId && excluded[2]! > holeEnd.lastObjectId, 'live objects have IDs in their epochs');
      assert.deepEqual(excluded.slice(3), [0, 0]);
      const less = graph.summarizeRange(start.lastObjectId, end.lastObjectId, [], excluded);
      assert.equal(row(less, 'object', 'EngineProbe')?.count, 127);
    } finally {
      graph.dispose();
    }
    assert.equal(first.length + inHole.length + second.length, 200);
  });

  test('what only the stack holds is not counted', () => {
    const start = native.markBoundary();
    const onStack = Array.from({ length: 50 }, (_, i) => new EngineProbe(i));
    const end = native.markBoundary();
    const graph = native.takeSnapshot();
    try {
      assert.equal(row(graph.summarizeRange(start.lastObjectId, end.lastObjectId), 'object', 'EngineProbe'), undefined);
    } finally {
      graph.dispose();
    }
    assert.equal(onStack.length, 50);
  });

  test('a disposed snapshot refuses further use', () => {
    const graph = native.takeSnapshot();
    graph.dispose();
    graph.dispose();
    assert.throws(() => graph.summarizeRange(0, 2), /disposed/);
  });
});

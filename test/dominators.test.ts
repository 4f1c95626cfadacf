// Retained sizes from the native dominator tree (native/dominators.h), against structures built
// here whose retained sizes follow from the definition: retained(x) is the total shallow size of
// what would become unreachable from the GC roots were x removed.
//
// Objects are made, and looked up by ID, only inside helper functions that return nothing or
// numbers: a frame that is still running when V8 takes the snapshot holds what is in its
// registers, and such a stack reference would share in what an object retains.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { addon, type NativeHeapGraph } from '../lib/native/addon.js';

const native = addon();

/** Everything the tests build, held from here only. */
const kept = new Map<string, unknown>();

class Holder {
  constructor(readonly item: unknown) {}
}
class TreeNode {
  constructor(
    readonly left: TreeNode | null,
    readonly right: TreeNode | null,
  ) {}
}

// Past V8's slack tracking, every instance of a class has its final size.
function warmUp(): void {
  for (let i = 0; i < 20; i++) kept.set('warm-up', [new Holder(null), new TreeNode(null, null)]);
  kept.delete('warm-up');
}

function keep(name: string, value: unknown): void {
  kept.set(name, value);
}

function held<T>(name: string): T {
  if (!kept.has(name)) throw new Error(`nothing kept as ${name}`);
  return kept.get(name) as T;
}

/** The retained sizes of the values picked from what is kept. */
function sizesOf(graph: NativeHeapGraph, pick: () => unknown[]): number[] {
  return graph.retainedSizes(native.objectIds(pick()));
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

/** A flat string (padEnd and repeat build trees of pieces, which strings may share). */
function flat(length: number): string {
  return Array.from({ length }, (_, i) => String.fromCharCode(97 + (i % 26))).join('');
}

function buildTree(depth: number): TreeNode | null {
  return depth === 0 ? null : new TreeNode(buildTree(depth - 1), buildTree(depth - 1));
}

function build(): void {
  warmUp();
  // Sizes of one instance of each class, alone (no object it points to is its own).
  keep('emptyHolder', new Holder(null));
  keep('leaf', new TreeNode(null, null));

  keep('owner', new Holder(Array.from({ length: 1000 }, (_, i) => `distinct-${i}-`.padEnd(100, '.'))));

  const shared = Array.from({ length: 2000 }, (_, i) => `shared-${i}-`.padEnd(100, '.'));
  keep('sharedA', new Holder(shared));
  keep('sharedB', new Holder(shared));
  // Two sharers of another array, held by one container only.
  const alsoShared = Array.from({ length: 2000 }, (_, i) => `also-shared-${i}-`.padEnd(100, '.'));
  keep('container', new Holder([new Holder(alsoShared), new Holder(alsoShared)]));

  keep('chain', new Holder(new Holder(new Holder(flat(5000)))));

  keep('tree', buildTree(6));

  // top -> left -> bottom and top -> right -> bottom: bottom is top's, not left's or right's.
  const bottom = new TreeNode(null, null);
  keep('diamond', new TreeNode(new TreeNode(bottom, null), new TreeNode(null, bottom)));
}

function dropped(): number {
  const doomed = { doomed: true };
  native.markBoundary(); // gives the new object its ID
  return native.objectIds([doomed])[0]!;
}

describe('retained sizes', () => {
  let graph: NativeHeapGraph;
  let leaf = 0;
  let holder = 0;
  let deadId = 0;

  before(() => {
    native.startTracking();
    build();
    deadId = dropped();
    graph = native.takeSnapshot();
    [holder, leaf] = sizesOf(graph, () => [held('emptyHolder'), held('leaf')]) as [number, number];
  });
  after(() => {
    graph.dispose();
    native.stopTracking();
  });

  test('an object that retains nothing else retains its own size', () => {
    assert.ok(holder >= 16 && holder < 200, `a Holder is a small object (${holder} bytes)`);
    assert.ok(leaf >= 16 && leaf < 200, `a TreeNode is a small object (${leaf} bytes)`);
  });

  test('the only holder of an array retains the array and all its strings', () => {
    const [owner, array] = sizesOf(graph, () => [held<Holder>('owner'), held<Holder>('owner').item]) as [number, number];
    const strings = sizesOf(graph, () => held<Holder>('owner').item as string[]);
    assert.equal(strings.length, 1000);
    assert.ok(strings.every((size) => size >= 100), 'each string retains at least its 100 characters');
    assert.ok(array > sum(strings), `the array (${array}) retains its strings (${sum(strings)}) and its elements`);
    assert.equal(owner, holder + array, 'the owner retains itself and the array');
    assert.ok(owner > holder + 100_000);
  });

  test('objects that share an array do not retain it; what alone holds them both does', () => {
    const [a, b, shared] = sizesOf(graph, () => [held('sharedA'), held('sharedB'), held<Holder>('sharedA').item]) as [number, number, number];
    assert.equal(a, holder, 'one sharer retains only itself');
    assert.equal(b, holder);
    assert.ok(shared > 2000 * 100, `the shared array retains its strings (${shared} bytes)`);
    const [container, sharers, x, y, alsoShared] = sizesOf(graph, () => {
      const sharers = held<Holder>('container').item as [Holder, Holder];
      return [held('container'), sharers, sharers[0], sharers[1], sharers[0].item];
    }) as [number, number, number, number, number];
    assert.equal(x, holder);
    assert.equal(y, holder);
    assert.ok(alsoShared > 2000 * 100);
    assert.ok(sharers > 2 * holder + alsoShared, `the array of sharers retains them and what they share (${sharers} bytes)`);
    assert.equal(container, holder + sharers);
  });

  test('a chain a -> b -> c: each retains the rest of the chain', () => {
    const [a, b, c, text] = sizesOf(graph, () => {
      const a = held<Holder>('chain');
      const b = a.item as Holder;
      const c = b.item as Holder;
      return [a, b, c, c.item];
    }) as [number, number, number, number];
    assert.ok(text >= 5000, `the string retains its characters (${text} bytes)`);
    assert.equal(c, holder + text);
    assert.equal(b, holder + c);
    assert.equal(a, holder + b);
  });

  test('a binary tree: every node retains its subtree, exactly', () => {
    const ids = (() => {
      const levels: number[][] = [];
      let level = [held<TreeNode>('tree')];
      while (level.length > 0) {
        levels.push(native.objectIds(level));
        level = level.flatMap((node) => [node.left, node.right]).filter((node) => node !== null);
      }
      return levels;
    })();
    assert.equal(ids.length, 6);
    ids.forEach((level, depth) => {
      const expected = (2 ** (6 - depth) - 1) * leaf;
      assert.deepEqual(graph.retainedSizes(level), level.map(() => expected), `nodes at depth ${depth}`);
    });
  });

  test('a diamond: the common descendant belongs to the top only', () => {
    const [top, left, right, bottom] = sizesOf(graph, () => {
      const top = held<TreeNode>('diamond');
      return [top, top.left, top.right, top.left!.left];
    }) as [number, number, number, number];
    assert.equal(bottom, leaf);
    assert.equal(left, leaf, 'left shares bottom with right: it retains only itself');
    assert.equal(right, leaf);
    assert.equal(top, 4 * leaf);
  });

  test('IDs that are not in the snapshot have retained size 0', () => {
    assert.ok(deadId > 0, 'the dropped object had an ID');
    assert.deepEqual(graph.retainedSizes([deadId, 0, 4294967295]), [0, 0, 0]);
    assert.deepEqual(graph.retainedSizes([]), []);
  });

  test('the tree is built once: later calls give the same answers', () => {
    const ids = native.objectIds([held('owner'), held('tree'), held('diamond')]);
    assert.deepEqual(graph.retainedSizes(ids), graph.retainedSizes(ids));
  });

  test('arguments are checked', () => {
    assert.throws(() => graph.retainedSizes(1 as unknown as number[]), TypeError);
    assert.throws(() => graph.retainedSizes(['1'] as unknown as number[]), TypeError);
    assert.throws(() => graph.retainedSizes([-1]), RangeError);
    assert.throws(() => graph.retainedSizes([1.5]), RangeError);
    assert.throws(() => graph.retainedSizes([2 ** 32]), RangeError);
  });
});

// Chains folded in the referrer search (native/chain_folding.h), on this process's real heap:
// a linked list of 10,000 nodes reaches the module variable that holds its head in one folded
// step, within the default depth and object limits (and within a depth of 2); a doubly linked
// list is walked forwards, not by its back-pointers; a chain of two repeating steps (a closure
// that keeps the previous object) is shown once, with the count of its repeats.
//
// Structures are built by helper functions and held by this module's variables only (a frame
// running when V8 takes the snapshot would hold what is in its registers).
import assert from 'node:assert/strict';
import { relative } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { addon, type NativeHeapGraph } from '../lib/native/addon.js';
import { packageRoot } from '../lib/native/package-root.js';
import { shortestTrace } from './helpers/shortest-trace.js';

const native = addon();
const thisModule = relative(packageRoot, fileURLToPath(import.meta.url));

class ListNode {
  next: ListNode | null = null;
  prev: ListNode | null = null;
  constructor(readonly value: number) {}
}
class LargeThing {
  readonly text = `${Math.random()}`.padEnd(200, '*');
  someMethod?: () => number;
}

let queueHead: ListNode | null = null;
let ringHead: ListNode | null = null;
let theThing: LargeThing | null = null;
// Weak, so that only the structures hold what the tests look for.
const handles: { tail?: WeakRef<ListNode>; middle?: WeakRef<ListNode>; oldThing?: WeakRef<LargeThing> } = {};
const ids = { tail: 0, middle: 0, oldThing: 0 };

function buildList(length: number): void {
  let head: ListNode | null = null;
  for (let i = 0; i < length; i++) {
    const node = new ListNode(i);
    node.next = head;
    if (i === 0) handles.tail = new WeakRef(node);
    head = node;
  }
  queueHead = head;
}

function buildDoublyLinked(length: number): void {
  const head = new ListNode(-1);
  let last = head;
  for (let i = 0; i < length; i++) {
    const node = new ListNode(i);
    last.next = node;
    node.prev = last;
    last = node;
    if (i === length - 10) handles.middle = new WeakRef(node);
  }
  ringHead = head;
}

function replaceThing(): void {
  const originalThing = theThing;
  const unused = (): boolean => originalThing !== null;
  unused();
  theThing = new LargeThing();
  theThing.someMethod = function someMethod(): number {
    return 1;
  };
}

function idOf(value: 'tail' | 'middle' | 'oldThing'): number {
  return ids[value];
}

function readIds(): void {
  for (const key of ['tail', 'middle', 'oldThing'] as const) ids[key] = native.objectIds([handles[key]?.deref()])[0]!;
}

describe('chains folded in the referrer search', () => {
  let graph: NativeHeapGraph;
  before(async () => {
    native.startTracking();
    buildList(10_000);
    buildDoublyLinked(1_000);
    for (let i = 0; i < 120; i++) {
      replaceThing();
      if (i === 20) handles.oldThing = new WeakRef(theThing!);
    }
    native.markBoundary(); // gives the objects their IDs
    readIds();
    // deref() keeps its object alive until the end of the job: the snapshot comes after it.
    await new Promise((resolve) => setImmediate(resolve));
    graph = native.takeSnapshot();
  });
  after(() => {
    graph.dispose();
    native.stopTracking();
    queueHead = ringHead = theThing = null;
  });

  test('a list of 10,000 nodes: one folded step to the module variable, within the default limits', () => {
    const found = graph.referrerGraph(idOf('tail'), { cwd: packageRoot, maxDepth: 50, maxObjects: 200 });
    assert.ok(found);
    const path = shortestTrace(found);
    assert.deepEqual(path, ['ListNode (object)', 'ListNode.next (property) ×9,999', 'ListNode (object)', `queueHead (module variable in ${thisModule})`]);
    assert.ok(found.nodes.length < 20, `${found.nodes.length} nodes`);
    assert.ok(!found.nodes.some((n) => /limit|exceeded/.test(n.name)), found.nodes.map((n) => n.name).join('\n'));
  });

  test('the folded run counts as one step for the depth limit', () => {
    const found = graph.referrerGraph(idOf('tail'), { cwd: packageRoot, maxDepth: 2 });
    assert.equal(shortestTrace(found!).at(-1), `queueHead (module variable in ${thisModule})`);
  });

  test('a doubly linked list is walked forwards: the back-pointers are not followed', () => {
    const found = graph.referrerGraph(idOf('middle'), { cwd: packageRoot });
    assert.ok(found);
    const path = shortestTrace(found);
    assert.deepEqual(path, ['ListNode (object)', 'ListNode.next (property) ×991', 'ListNode (object)', `ringHead (module variable in ${thisModule})`]);
    assert.ok(!found.nodes.some((n) => n.name.startsWith('ListNode.prev')), found.nodes.map((n) => n.name).join('\n'));
    assert.ok(found.nodes.some((n) => /^1 back-pointer .* not followed/.test(n.name)), 'says a back-pointer was left');
  });

  test('a closure chain: two steps, then "(the 2 steps above repeat N more times)"', () => {
    const found = graph.referrerGraph(idOf('oldThing'), { cwd: packageRoot });
    assert.ok(found);
    const path = shortestTrace(found);
    assert.deepEqual(path.slice(0, 6), [
      'LargeThing (object)',
      'replaceThing.originalThing (closure variable)',
      'Function someMethod (closure)',
      'LargeThing.someMethod (property)',
      'LargeThing (object)',
      '(the 2 steps above repeat 98 more times)',
    ]);
    assert.equal(path.at(-1), `theThing (module variable in ${thisModule})`);
  });
});

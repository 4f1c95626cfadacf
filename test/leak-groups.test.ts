// Leaks, not types (native/leak_groups.h): survivors kept alive only through another survivor
// of the epoch belong to its leak. On real heaps: connections that each carry a buffer,
// numbers and a closure; a linked list (one group however long); and objects held from
// outside the epoch apart, each its own group.
//
// Objects are made only inside helper functions: a frame still running when V8 takes the
// snapshot holds what is in its registers.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { addon, type NativeCompletion, type NativeTypeRow } from '../lib/native/addon.js';
import { namedLeaks } from '../lib/monitor/epoch-scan.js';
import { typeName } from '../lib/monitor/type-names.js';

const native = addon();
const held: unknown[] = [];

class Connection {
  readonly buffer = Buffer.alloc(2048);
  lastSeen = Date.now() + 0.5;
  latency = Math.random() + 0.25;
  score = Math.random() * 1000 + 0.125;
  readonly onData: () => number;
  constructor(readonly id: number) {
    this.onData = () => this.id + this.latency;
  }
}

class ListNode {
  next: ListNode | null = null;
  constructor(readonly value: number) {}
}

function openConnections(count: number): void {
  for (let i = 0; i < count; i++) held.push(new Connection(i));
}

function buildList(length: number): void {
  let head: ListNode | null = null;
  for (let i = 0; i < length; i++) {
    const node = new ListNode(i);
    node.next = head;
    head = node;
  }
  held.push(head);
}

/** Runs `build` in an epoch of its own and returns the summary rows and complete()'s result. */
function epochOf(build: () => void): { rows: NativeTypeRow[]; done: NativeCompletion } {
  const start = native.markBoundary();
  build();
  const end = native.markBoundary();
  const graph = native.takeSnapshot();
  const rows = graph.summarizeRange(start.lastObjectId, end.lastObjectId, [], [], { samplesPerType: 1, retainedSizes: true });
  const done = graph.complete([], []);
  return { rows, done };
}

describe('leak groups: survivors grouped by the survivor that keeps them', () => {
  before(() => {
    native.startTracking();
    held.length = 0;
    held.push(...new Array(100).fill(null)); // the holder's backing store grows now, not in the epoch
    held.length = 0;
  });
  after(() => native.stopTracking());

  test('33 connections, each with a Buffer, 3 numbers and a closure: one leak, Connection x33', () => {
    const { rows, done } = epochOf(() => openConnections(33));
    const names = rows.map((row) => typeName(row));
    const leaks = namedLeaks(done.leakGroups, names);
    const connection = leaks.find((leak) => leak.objectType.endsWith(':Connection'));
    assert.ok(connection, `a Connection leak among ${JSON.stringify(leaks)}`);
    assert.equal(connection.count, 33);
    assert.equal(leaks[0], connection, `the largest leak: ${JSON.stringify(leaks)}`);
    const contents = new Map(connection.contents.map((c) => [c.objectType, c.count]));
    assert.equal(contents.get('Buffer'), 33, JSON.stringify(connection.contents));
    assert.equal(contents.get('Function'), 33, JSON.stringify(connection.contents));
    assert.ok((contents.get('number') ?? 0) >= 99, JSON.stringify(connection.contents));
    assert.equal(contents.get(names.find((n) => n?.endsWith(':Connection'))!), undefined, 'no Connection inside another');
    // Each connection keeps its 2 KiB buffer's header (the bytes are off-heap) and the rest.
    const connectionRow = rows.findIndex((row) => row.name === 'Connection');
    assert.ok(connection.retainedSizeBytes >= rows[connectionRow]!.shallowSize, `${connection.retainedSizeBytes} bytes`);
    assert.ok(!leaks.some((leak) => leak.objectType === 'Buffer'), 'no Buffer heads a leak of its own');
  });

  test('a linked list of 10,000 nodes is one group headed by its first node', () => {
    const { rows, done } = epochOf(() => buildList(10_000));
    const leaks = namedLeaks(done.leakGroups, rows.map((row) => typeName(row)));
    const list = leaks.find((leak) => leak.objectType.endsWith(':ListNode'));
    assert.ok(list, JSON.stringify(leaks));
    assert.equal(list.count, 1, 'the head');
    assert.deepEqual(
      list.contents.find((c) => c.objectType.endsWith(':ListNode')),
      { objectType: list.objectType, count: 9_999 },
    );
    const listRow = rows.findIndex((row) => row.name === 'ListNode');
    assert.ok(list.retainedSizeBytes >= rows[listRow]!.shallowSize, 'the head retains every node');
  });

  test('objects held each from outside the epoch are groups of their own', () => {
    const { rows, done } = epochOf(() => {
      for (let i = 0; i < 20; i++) held.push({ plain: i, name: `plain-${i}-${process.pid}` });
    });
    const leaks = namedLeaks(done.leakGroups, rows.map((row) => typeName(row)));
    const objects = leaks.find((leak) => leak.objectType === 'Object');
    assert.ok(objects, JSON.stringify(leaks));
    assert.equal(objects.count, 20);
    assert.equal(objects.contents.find((c) => c.objectType === 'string')?.count, 20, JSON.stringify(objects.contents));
  });

  test('no groups unless summarizeRange was asked for retained sizes', () => {
    const start = native.markBoundary();
    openConnections(3);
    const end = native.markBoundary();
    const graph = native.takeSnapshot();
    graph.summarizeRange(start.lastObjectId, end.lastObjectId, [], [], { samplesPerType: 1 });
    assert.deepEqual(graph.complete([], []).leakGroups, []);
  });
});

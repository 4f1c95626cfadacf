// summarizeRange counts what the frames of running functions hold (native/frame_holds.h), on
// this process's own heap: through something older than the range, not directly, never
// through a blocked (excluded) object unless it is to be walked through.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addon, type NativeHeapGraph, type SummarizeOptions } from '../lib/native/addon.js';

class FrameHeld {
  constructor(readonly n: number) {}
}

function heldCount(graph: NativeHeapGraph, afterId: number, upToId: number, excludedIds: number[], options: SummarizeOptions): number {
  return graph
    .summarizeRange(afterId, upToId, [], excludedIds, options)
    .filter((row) => row.name === 'FrameHeld')
    .reduce((sum, row) => sum + row.count, 0);
}

test('what only a running frame holds counts through older objects; not what it holds directly, nor through a blocked value', () => {
  const native = addon();
  native.startTracking();
  try {
    // Older than the range: a local list, and a bag that will hold a value handed back.
    const list: FrameHeld[] = [];
    const bag: unknown[] = [];
    const afterId = native.markBoundary().lastObjectId;
    for (let i = 0; i < 5; i++) list.push(new FrameHeld(i));
    // Of the range, held by this frame directly: what it is working on, not a survivor.
    const direct = { inner: [new FrameHeld(10), new FrameHeld(11)] };
    // Of the range, held through the bag: a survivor, unless blocked.
    const value = { rows: [new FrameHeld(20), new FrameHeld(21), new FrameHeld(22)] };
    bag.push(value);
    const upToId = native.markBoundary().lastObjectId;
    const [valueId] = native.objectIds([value]);
    assert.ok(valueId! > afterId && valueId! <= upToId, 'the value is an object of the range');

    const graph = native.takeSnapshot();
    try {
      assert.equal(heldCount(graph, afterId, upToId, [], {}), 8, "the list's 5 and the value's 3; not the 2 held directly");
      assert.equal(heldCount(graph, afterId, upToId, [], { stackHeld: false }), 0, 'without the rule, only the stack holds them');
      assert.equal(heldCount(graph, afterId, upToId, [valueId!], {}), 5, 'a blocked value is not walked through');
      assert.equal(heldCount(graph, afterId, upToId, [valueId!], { walkedIds: [valueId!] }), 8, 'a walked one is');
      const rows = graph.summarizeRange(afterId, upToId, [], [valueId!], { walkedIds: [valueId!] });
      assert.deepEqual(rows.filter((row) => row.name === 'Object'), [], 'neither the walked value nor the object held directly counts');
      assert.throws(() => graph.summarizeRange(afterId, upToId, [], [], { walkedIds: ['x' as unknown as number] }), /walkedIds/);
    } finally {
      graph.dispose();
    }
    // Used after the snapshot, so that they are alive in it.
    assert.equal(list.length + direct.inner.length + bag.length, 8);
  } finally {
    native.stopTracking();
  }
});

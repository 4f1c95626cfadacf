// The heaps the benchmark measures on: many small objects, built in this process and kept
// referenced until dropHeap(). Each Item carries a unique string, a boxed double, a small
// nested object and a shared string: about five heap objects per Item.
import { getHeapStatistics } from 'node:v8';

const KINDS = ['order', 'invoice', 'customer', 'shipment', 'refund'] as const;

export class Item {
  readonly id: number;
  readonly name: string;
  readonly price: number;
  readonly meta: { kind: string; weight: number };
  constructor(i: number) {
    this.id = i;
    this.name = `item-${i}`;
    this.price = i * 0.37 + 0.5;
    this.meta = { kind: KINDS[i % KINDS.length]!, weight: i % 100 };
  }
}

/** What a time-based epoch leaks in the "with survivors" case. */
export class LeakedSession {
  readonly user: string;
  readonly openedAt: number;
  readonly data: { hits: number };
  constructor(i: number) {
    this.user = `user-${i}`;
    this.openedAt = i + 0.25;
    this.data = { hits: i };
  }
}

export type HeapSize = 'small' | 'large';

/** Target heapUsed after a full GC, in bytes. */
export const HEAP_TARGETS: Record<HeapSize, number> = { small: 5 * 1024 * 1024, large: 48 * 1024 * 1024 };

const retained: Item[][] = [];
let nextId = 0;

export function gc(): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (collect === undefined) throw new Error('run node with --expose-gc');
  collect();
}

/** Grows the retained heap until heapUsed (after a full GC) reaches `target` bytes. */
export function growHeapTo(target: number): number {
  gc();
  let used = process.memoryUsage().heapUsed;
  while (used < target) {
    // Chunks sized to the remaining gap (about 90 bytes per Item), re-measured after each.
    const items = Math.max(1000, Math.min(100_000, Math.floor((target - used) / 120)));
    const chunk: Item[] = new Array<Item>(items);
    for (let i = 0; i < items; i++) chunk[i] = new Item(nextId++);
    retained.push(chunk);
    gc();
    used = process.memoryUsage().heapUsed;
  }
  return used;
}

/** Grows the retained heap until it holds `count` Items (the main process's count, in a child). */
export function growHeapToItems(count: number): number {
  while (nextId < count) {
    const items = Math.min(100_000, count - nextId);
    const chunk: Item[] = new Array<Item>(items);
    for (let i = 0; i < items; i++) chunk[i] = new Item(nextId++);
    retained.push(chunk);
  }
  gc();
  return process.memoryUsage().heapUsed;
}

export function retainedItems(): number {
  return nextId;
}

export function dropHeap(): void {
  retained.length = 0;
  nextId = 0;
  gc();
}

export function heapSizeLimitMB(): number {
  return getHeapStatistics().heap_size_limit / (1024 * 1024);
}

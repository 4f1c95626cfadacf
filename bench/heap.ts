// The heaps the benchmark measures on, built in the measuring child process and kept referenced
// for its life: a mix of what programs hold (plain objects, arrays, Maps, strings, closures), in
// units of about ten heap objects each, grown to a target heapUsed. The known leak is
// LeakedSession, made by the figures themselves in the period they examine.
const KINDS = ['order', 'invoice', 'customer', 'shipment', 'refund'] as const;

/** One object of each kind a program holds. */
export class Item {
  readonly id: number;
  readonly name: string;
  readonly price: number;
  readonly meta: { kind: string; weight: number };
  readonly tags: number[];
  readonly format: () => string;
  constructor(i: number) {
    this.id = i;
    this.name = `item-${i}`;
    this.price = i * 0.37 + 0.5;
    this.meta = { kind: KINDS[i % KINDS.length]!, weight: i % 100 };
    this.tags = [i % 7, i % 11, i % 13];
    const label = `#${i}`;
    this.format = () => `${label} ${this.name}`; // a closure with a context of its own
  }
}

/** What a period leaks in the "with survivors" figures. */
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

const retained: Item[][] = [];
/** Every 8th Item is also indexed by name in a Map (Maps of strings are common and costly to walk). */
const byName = new Map<string, Item>();
let nextId = 0;

export const MB = 1024 * 1024;

export function gc(): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (collect === undefined) throw new Error('run node with --expose-gc');
  collect();
}

function addItems(count: number): void {
  const chunk: Item[] = new Array<Item>(count);
  for (let i = 0; i < count; i++) {
    const item = new Item(nextId++);
    chunk[i] = item;
    if (item.id % 8 === 0) byName.set(item.name, item);
  }
  retained.push(chunk);
}

/** Grows the retained heap until heapUsed (after a full GC) reaches `target` bytes; returns heapUsed. */
export function growHeapTo(target: number): number {
  gc();
  let used = process.memoryUsage().heapUsed;
  while (used < target) {
    // Chunks sized to the remaining gap (about 330 bytes per Item), re-measured after each.
    addItems(Math.max(1000, Math.min(100_000, Math.floor((target - used) / 400))));
    gc();
    used = process.memoryUsage().heapUsed;
  }
  return used;
}

export function retainedItems(): number {
  return nextId;
}

// An allocation-heavy loop, the same work with and without V8's object tracking active.
class Point {
  readonly x: number;
  readonly y: number;
  readonly label: string;
  constructor(x: number, y: number, label: string) {
    this.x = x;
    this.y = y;
    this.label = label;
  }
}

const LABELS = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
let sink: Point | undefined;

/** Creates `n` Points and drops each right away (kept in a variable only to defeat escape analysis). */
export function createAndDrop(n: number): number {
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const p = new Point(i, i + 1, LABELS[i & 7]!);
    sink = p;
    sum += p.x;
  }
  sink = undefined;
  return sum;
}

/** Creates `n` Points, each kept alive for the next `ring` allocations: some survive a scavenge and are moved. */
export function createShortLived(n: number, ring: number): number {
  const kept = new Array<Point | undefined>(ring).fill(undefined);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const p = new Point(i, i + 1, LABELS[i & 7]!);
    kept[i % ring] = p;
    sum += p.x;
  }
  return sum;
}

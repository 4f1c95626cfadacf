// Samples without heap allocation per sample (a double pushed into a JS array is a heap object,
// which would survive into a memalot epoch), and the formatting of the tables.
export class Samples {
  private readonly values: Float64Array;
  private count = 0;
  constructor(capacity: number) {
    this.values = new Float64Array(capacity);
  }
  add(value: number): void {
    if (this.count < this.values.length) this.values[this.count++] = value;
  }
  get length(): number {
    return this.count;
  }
  sorted(): number[] {
    return Array.from(this.values.subarray(0, this.count)).sort((a, b) => a - b);
  }
  median(): number {
    const s = this.sorted();
    if (s.length === 0) return Number.NaN;
    const mid = s.length >> 1;
    return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  }
  min(): number {
    return this.sorted()[0] ?? Number.NaN;
  }
}

/** Samples holding these values. */
export function samplesOf(values: readonly number[]): Samples {
  const s = new Samples(values.length);
  for (const v of values) s.add(v);
  return s;
}

export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return 'n/a';
  if (ms < 10) return `${ms.toFixed(2)} ms`;
  if (ms < 100) return `${ms.toFixed(1)} ms`;
  if (ms < 10_000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}

export function formatRatio(r: number): string {
  if (!Number.isFinite(r)) return 'n/a';
  if (r < 0.001) return '<0.001x';
  if (r < 0.1) return `${r.toFixed(3)}x`;
  return `${r.toFixed(2)}x`;
}

/** A duration that may be far below a millisecond (a plain call of a small function). */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return 'n/a';
  if (ms >= 0.1) return formatMs(ms);
  const us = ms * 1000;
  if (us >= 1) return `${us.toFixed(us < 10 ? 2 : 1)} µs`;
  return `${Math.round(us * 1000)} ns`;
}

/** A ratio that may run into the millions: three significant digits with separators. */
export function formatBigRatio(r: number): string {
  if (!Number.isFinite(r) || r < 100) return formatRatio(r);
  return `${Number(r.toPrecision(3)).toLocaleString('en-US')}x`;
}

export function formatMB(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

export function formatCount(n: number): string {
  if (n >= 1_000_000) return `${(n / 1_000_000).toFixed(2)}M`;
  if (n >= 10_000) return `${Math.round(n / 1000)}k`;
  return n.toLocaleString('en-US');
}

export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const lines = [`| ${header.join(' | ')} |`, `|${header.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`];
  for (const row of rows) lines.push(`| ${row.join(' | ')} |`);
  return lines.join('\n');
}

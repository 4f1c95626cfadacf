// The statistics of the figures: a ratio of two things measured side by side is summarised by
// the median, min and max of the per-round ratios; the formatting of the tables.
export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** How many values the spread is of. */
  readonly n: number;
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function spread(values: readonly number[]): Spread {
  const v = values.filter((x) => Number.isFinite(x));
  return { median: median(v), min: v.length === 0 ? Number.NaN : Math.min(...v), max: v.length === 0 ? Number.NaN : Math.max(...v), n: v.length };
}

/** a[i] / b[i] for the rounds where both were measured. */
export function pairedRatios(a: readonly (number | null)[], b: readonly (number | null)[]): Spread {
  const r: number[] = [];
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x !== null && x !== undefined && y !== null && y !== undefined && y > 0) r.push(x / y);
  }
  return spread(r);
}

/** Values each divided by the median of `base` (for cases timed in batches of different counts). */
export function overMedian(values: readonly number[], base: readonly number[]): Spread {
  const m = median(base);
  return spread(values.map((v) => v / m));
}

/** The exponent k of y = c·x^k, least squares on log y against log x. */
export function fitExponent(xs: readonly number[], ys: readonly number[]): number {
  const lx = xs.map(Math.log);
  const ly = ys.map(Math.log);
  const mx = lx.reduce((s, v) => s + v, 0) / lx.length;
  const my = ly.reduce((s, v) => s + v, 0) / ly.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < lx.length; i++) {
    num += (lx[i]! - mx) * (ly[i]! - my);
    den += (lx[i]! - mx) ** 2;
  }
  return num / den;
}

export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return 'n/a';
  if (ms < 0.001) return `${Math.round(ms * 1e6)} ns`;
  if (ms < 0.1) return `${(ms * 1000).toFixed(ms < 0.01 ? 1 : 0)} µs`;
  if (ms < 10) return `${ms.toFixed(2)} ms`;
  if (ms < 100) return `${ms.toFixed(1)} ms`;
  if (ms < 10_000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}

/** Three significant digits, with separators for large ratios. */
export function formatRatio(r: number): string {
  if (!Number.isFinite(r)) return 'n/a';
  if (r >= 100) return `${Number(r.toPrecision(3)).toLocaleString('en-US')}x`;
  if (r < 0.1) return `${r.toFixed(3)}x`;
  return `${r.toFixed(2)}x`;
}

export function formatSpread(s: Spread, format: (v: number) => string = formatRatio): string {
  if (s.n === 0) return 'n/a';
  return s.n === 1 ? `${format(s.median)} (1 run)` : `${format(s.median)} (min ${format(s.min)}, max ${format(s.max)}; ${s.n} runs)`;
}

export function formatMB(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** A markdown table: the first `textColumns` columns left-aligned, the others (numbers) right. */
export function table(header: readonly string[], rows: readonly (readonly string[])[], textColumns = 1): string {
  const lines = [`| ${header.join(' | ')} |`, `|${header.map((_, i) => (i < textColumns ? '---' : '---:')).join('|')}|`];
  for (const row of rows) lines.push(`| ${row.join(' | ')} |`);
  return lines.join('\n');
}

// `memalot print ID --trend`: each leaked type's count in each iteration, its total, a
// sparkline and its verdict, as a table that fits the terminal. With many iterations the table
// keeps the latest as columns (the totals, sparklines and verdicts still cover the others).
import type { LeakTrend, TypeTrend } from './leak-trend.js';
import { table } from './render.js';
import { sparkline } from './sparkline.js';
import type { Style } from './style.js';
import { TREND_VERDICTS, VERDICT_MEANINGS } from './trend-verdict.js';
import { wrapText } from './width.js';

/** Rows shown unless the whole table is asked for (--full). */
export const TREND_ROWS = 20;
/** Iterations a sparkline covers at most: the latest. */
export const SPARKLINE_ITERATIONS = 40;
/** The type column keeps at least this much room before iteration columns are left out. */
const TYPE_ROOM = 28;

export interface TrendTableOptions {
  readonly width: number;
  readonly full: boolean;
  readonly style: Style;
}

function range(numbers: readonly number[]): string {
  return numbers.length === 1 ? `${numbers[0]}` : `${numbers[0]}-${numbers.at(-1)}`;
}

const countText = (count: number | null) => (count === null ? '?' : String(count));

const cellWidth = (trend: LeakTrend, rows: readonly TypeTrend[], i: number) =>
  Math.max(`#${trend.iterationNumbers[i]}`.length, ...rows.map((t) => countText(t.counts[i] ?? null).length));

/**
 * How many of the latest iterations the sparklines cover, and how many are columns: the type,
 * total and verdict first, then the latest iteration's column, then the sparkline (up to
 * SPARKLINE_ITERATIONS), then as many more columns as fit.
 */
function layout(trend: LeakTrend, rows: readonly TypeTrend[], width: number): { sparkIterations: number; columns: number } {
  const all = trend.iterationNumbers.length;
  const longestType = Math.max('Object Type'.length, ...rows.map((t) => t.objectType.length));
  const total = Math.max('Total'.length, ...rows.map((t) => String(t.total).length));
  let used = 1 + (Math.min(longestType, TYPE_ROOM) + 3) + (total + 3) + (Math.max(...TREND_VERDICTS.map((v) => v.length)) + 3) + 3;
  const latest = cellWidth(trend, rows, all - 1) + 3;
  const sparkIterations = Math.min(all, SPARKLINE_ITERATIONS, Math.max('Trend'.length, width - used - latest));
  used += Math.max('Trend'.length, sparkIterations);
  let columns = 0;
  for (let i = all - 1; i >= 0 && used + cellWidth(trend, rows, i) + 3 <= width; i--) {
    used += cellWidth(trend, rows, i) + 3;
    columns++;
  }
  return { sparkIterations, columns };
}

export function renderTrendTable(reportId: string, trend: LeakTrend, options: TrendTableOptions): string {
  const { style, width } = options;
  const warmups = trend.warmupIterations.length === 0 ? '' : ` (warm-up: ${range(trend.warmupIterations)})`;
  const all = trend.iterationNumbers.length;
  if (all === 0) return `Report ${reportId} has no leak iteration yet${warmups}: the first iteration is a warm-up, which reports nothing.`;
  const title = `Leak trend of report ${reportId}, iterations ${range(trend.iterationNumbers)}${warmups}`;
  const explained = style.dim(wrapText("Each count is the type's new objects found leaked in that iteration (each object is counted once; ? = not known).", width));
  if (trend.types.length === 0) return [style.bold(title), style.good('No leaked object in any of these iterations.')].join('\n');
  const rows = options.full ? trend.types : trend.types.slice(0, TREND_ROWS);
  const { sparkIterations, columns } = layout(trend, rows, width);
  const sparkFrom = all - sparkIterations;
  const from = all - columns;
  const shownNumbers = trend.iterationNumbers.slice(from);
  const headers = ['Object Type', ...shownNumbers.map((n) => `#${n}`), 'Total', 'Trend', 'Verdict'];
  // Trend right-aligned: a narrow terminal shortens left-aligned columns, and a cut sparkline would lie.
  const align: ('left' | 'right')[] = ['left', ...shownNumbers.map(() => 'right' as const), 'right', 'right', 'left'];
  const cells = rows.map((t) => [t.objectType, ...t.counts.slice(from).map(countText), String(t.total), sparkline(t.counts.slice(sparkFrom)), t.verdict]);
  const lines = [table(title, headers, cells, align, style, { width, styles: [style.type] }), explained];
  const note = (text: string) => lines.push(style.dim(wrapText(text, width)));
  if (from > 0) note(`(the counts of iterations ${range(trend.iterationNumbers.slice(0, from))} are not shown as columns; totals and verdicts cover them)`);
  if (sparkFrom > 0) note(`(the sparklines show the last ${sparkIterations} iterations)`);
  const left = trend.types.length - rows.length;
  if (left > 0) note(`(${left} more type${left === 1 ? '' : 's'}: memalot print ${reportId} --trend --full)`);
  for (const verdict of TREND_VERDICTS.filter((v) => rows.some((t) => t.verdict === v))) lines.push(wrapText(`${verdict}: ${VERDICT_MEANINGS[verdict]}`, width));
  return lines.join('\n');
}

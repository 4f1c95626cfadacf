// `memalot print ID --trend`: each leaked type's count in each iteration, its total, a
// sparkline and its verdict, as a table that fits the terminal. With many iterations the table
// keeps the latest as columns (the totals, sparklines and verdicts still cover the others).
import type { LeakTrend, TypeTrend } from './leak-trend.js';
import { table } from './render.js';
import { sparkline } from './sparkline.js';
import type { Style } from './style.js';
import { TREND_VERDICTS, VERDICT_MEANINGS } from './trend-verdict.js';

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

/** How many of the latest iterations fit as columns beside the type, total, sparkline and verdict. */
function iterationColumns(trend: LeakTrend, rows: readonly TypeTrend[], width: number, sparkWidth: number): number {
  const longestType = Math.max('Object Type'.length, ...rows.map((t) => t.objectType.length));
  const total = Math.max('Total'.length, ...rows.map((t) => String(t.total).length));
  let used = 1 + (Math.min(longestType, TYPE_ROOM) + 3) + (total + 3) + (Math.max(5, sparkWidth) + 3) + (Math.max(...TREND_VERDICTS.map((v) => v.length)) + 3);
  let columns = 0;
  for (let i = trend.iterationNumbers.length - 1; i >= 0; i--) {
    const cell = Math.max(`#${trend.iterationNumbers[i]}`.length, ...rows.map((t) => countText(t.counts[i] ?? null).length));
    if (used + cell + 3 > width) break;
    used += cell + 3;
    columns++;
  }
  return columns;
}

export function renderTrendTable(reportId: string, trend: LeakTrend, options: TrendTableOptions): string {
  const { style, width } = options;
  const warmups = trend.warmupIterations.length === 0 ? '' : ` (warm-up: ${range(trend.warmupIterations)})`;
  const all = trend.iterationNumbers.length;
  if (all === 0) return `Report ${reportId} has no leak iteration yet${warmups}: the first iteration is a warm-up, which reports nothing.`;
  const title = `Leak trend of report ${reportId}, iterations ${range(trend.iterationNumbers)}${warmups}`;
  const explained = style.dim("Each count is the type's new objects found leaked in that iteration (each object is counted once; ? = not known).");
  if (trend.types.length === 0) return [style.bold(title), style.good('No leaked object in any of these iterations.')].join('\n');
  const rows = options.full ? trend.types : trend.types.slice(0, TREND_ROWS);
  const sparkFrom = Math.max(0, all - SPARKLINE_ITERATIONS);
  const columns = iterationColumns(trend, rows, width, all - sparkFrom);
  const from = all - columns;
  const shownNumbers = trend.iterationNumbers.slice(from);
  const headers = ['Object Type', ...shownNumbers.map((n) => `#${n}`), 'Total', 'Trend', 'Verdict'];
  // Trend right-aligned: a narrow terminal shortens left-aligned columns, and a cut sparkline would lie.
  const align: ('left' | 'right')[] = ['left', ...shownNumbers.map(() => 'right' as const), 'right', 'right', 'left'];
  const cells = rows.map((t) => [t.objectType, ...t.counts.slice(from).map(countText), String(t.total), sparkline(t.counts.slice(sparkFrom)), t.verdict]);
  const lines = [table(title, headers, cells, align, style, { width, styles: [style.type] }), explained];
  if (from > 0) lines.push(style.dim(`(the counts of iterations ${range(trend.iterationNumbers.slice(0, from))} are not shown as columns; totals and verdicts cover them)`));
  if (sparkFrom > 0) lines.push(style.dim(`(the sparklines show the last ${SPARKLINE_ITERATIONS} iterations)`));
  const left = trend.types.length - rows.length;
  if (left > 0) lines.push(style.dim(`(${left} more type${left === 1 ? '' : 's'}: memalot print ${reportId} --trend --full)`));
  for (const verdict of TREND_VERDICTS.filter((v) => rows.some((t) => t.verdict === v))) lines.push(`${verdict}: ${VERDICT_MEANINGS[verdict]}`);
  return lines.join('\n');
}

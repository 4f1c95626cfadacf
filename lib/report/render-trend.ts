// The trend so far in the console report: a Trend column in the iteration's table (a
// sparkline of the type's count in each recent iteration and its verdict), a line for the types
// that leaked before but not in this iteration, and a line that says how to read them.
import type { LeakTrend, TypeTrend } from './leak-trend.js';
import { NONE, sparkline } from './sparkline.js';
import { TREND_VERDICTS } from './trend-verdict.js';

/** Leak iterations a trend needs before it says more than "new" of every row. */
const MIN_ITERATIONS = 2;
const VERDICT_WIDTH = Math.max(...TREND_VERDICTS.map((v) => v.length));

/** The trend to show, or undefined when there is none yet (the first leak iteration). */
export function shownTrend(trend: LeakTrend | undefined): LeakTrend | undefined {
  return trend !== undefined && trend.iterationNumbers.length >= MIN_ITERATIONS ? trend : undefined;
}

/** "▁▃▅█ growing": every cell as wide, so that the column reads as one chart. */
export function trendCell(trend: LeakTrend, objectType: string): string {
  const found = trend.types.find((t) => t.objectType === objectType);
  const counts = found?.counts ?? trend.iterationNumbers.map(() => null);
  return `${sparkline(counts)} ${(found?.verdict ?? '?').padEnd(VERDICT_WIDTH)}`;
}

function described(t: TypeTrend): string {
  return `${t.objectType} (${t.verdict} ${sparkline(t.counts)})`;
}

/**
 * "Leaked before, none in this iteration: A (one-off █··), B (stopped ▂█·)": the types of the
 * recent iterations that this one did not find, in one line of at most `width` columns.
 */
export function earlierLeaksLine(trend: LeakTrend, width: number): string | undefined {
  const earlier = trend.types.filter((t) => t.verdict === 'stopped' || t.verdict === 'one-off');
  if (earlier.length === 0) return undefined;
  const lead = 'Leaked before, none in this iteration: ';
  let line = lead;
  for (const [i, t] of earlier.entries()) {
    const rest = earlier.length - i - 1;
    const more = rest > 0 ? `, and ${rest} more` : '';
    const next = `${i === 0 ? '' : ', '}${described(t)}`;
    if (i > 0 && (line + next + more).length > width) return `${line}, and ${earlier.length - i} more`;
    line += next;
  }
  return line;
}

export function trendLegend(trend: LeakTrend): string {
  return (
    `Trend: new objects per iteration, last ${trend.iterationNumbers.length} (${NONE} none). ` +
    'growing: leaked before and now; new: first now.'
  );
}

// The text form of get_leak_trend: one line per type, its pattern first, then its counts.
import type { FittedTrend } from '../fit-trend.js';
import type { TypeTrend } from '../../report/leak-trend.js';
import { TREND_VERDICTS, VERDICT_MEANINGS } from '../../report/trend-verdict.js';

function range(numbers: readonly number[]): string {
  if (numbers.length === 0) return '(none yet)';
  return numbers.length === 1 ? `${numbers[0]}` : `${numbers[0]}-${numbers.at(-1)}`;
}

export function trendLine(t: TypeTrend, iterationCount: number): string {
  const counts = t.counts.map((c) => (c === null ? '?' : String(c))).join(' ');
  return `${t.verdict.padEnd(7)}  ${t.objectType}: ${counts} (total ${t.total}, in ${t.iterationsWithLeaks} of ${iterationCount} iterations)`;
}

export function trendText(reportId: string, fitted: FittedTrend, allIterations: number, notes: readonly string[]): string {
  const { trend } = fitted;
  const warmups = trend.warmupIterations.length === 0 ? '' : `; warm-up: ${range(trend.warmupIterations)}`;
  const lines = [
    `Report ${reportId}, leak trend over iterations ${range(trend.iterationNumbers)}${warmups}. ` +
      'Each count is the objects of that type found leaked in that iteration (each object is counted once; ? = not known).',
    ...notes,
  ];
  if (trend.iterationNumbers.length === 0 && fitted.iterationsLeftOut === 0) {
    lines.push('No leak iteration yet (the first iteration is a warm-up, which reports nothing). Ask again after the next iteration.');
  } else if (trend.types.length === 0 && fitted.typesLeftOut === 0 && notes.length === 0) {
    lines.push('No leaked object in any of these iterations.');
  }
  if (trend.types.length > 0) {
    // A loop, not push(...rows): a spread of as many arguments as the report has rows overflows the stack.
    for (const t of trend.types) lines.push(trendLine(t, allIterations));
    const used = TREND_VERDICTS.filter((p) => trend.types.some((t) => t.verdict === p));
    lines.push(`Patterns: ${used.map((p) => `${p} = ${VERDICT_MEANINGS[p]}`).join('; ')}.`);
  }
  return lines.join('\n');
}

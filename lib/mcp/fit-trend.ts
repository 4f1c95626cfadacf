// Fits a leak trend into the result budget: the most telling types first (the trend's order),
// and, for a report of very many iterations, the counts of the latest iterations only. Verdicts
// and totals stay those of the whole report.
import type { LeakTrend } from '../report/leak-trend.js';

export interface FittedTrend {
  readonly trend: LeakTrend;
  readonly typesLeftOut: number;
  /** The oldest iterations whose counts are left out. */
  readonly iterationsLeftOut: number;
}

/** Types that must fit before the iterations are cut instead. */
const TYPES_BEFORE_CUTTING_ITERATIONS = 10;

function cut(trend: LeakTrend, typesShown: number, iterationsShown: number): FittedTrend {
  const from = trend.iterationNumbers.length - iterationsShown;
  return {
    trend: {
      ...trend,
      iterationNumbers: trend.iterationNumbers.slice(from),
      uncheckedIterations: trend.uncheckedIterations.filter((n) => trend.iterationNumbers.indexOf(n) >= from),
      types: trend.types.slice(0, typesShown).map((t) => ({ ...t, counts: t.counts.slice(from) })),
    },
    typesLeftOut: trend.types.length - typesShown,
    iterationsLeftOut: from,
  };
}

export function fitTrend(trend: LeakTrend, budget: number, measure: (fitted: FittedTrend) => number): FittedTrend {
  const fits = (types: number, iterations: number) => measure(cut(trend, types, iterations)) <= budget;
  const allTypes = trend.types.length;
  let iterations = trend.iterationNumbers.length;
  const essential = Math.min(TYPES_BEFORE_CUTTING_ITERATIONS, allTypes);
  while (iterations > 1 && !fits(essential, iterations)) iterations = Math.ceil(iterations / 2);
  // The most types that fit: the size grows with each type, so a binary search finds it.
  let low = 0;
  let high = allTypes;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (fits(mid, iterations)) low = mid;
    else high = mid - 1;
  }
  return cut(trend, low, iterations);
}

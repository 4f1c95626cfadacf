// How each leaked type's count changed across a report's iterations. An iteration reports the
// objects that leaked in its own period, each object once, so a leak that goes on shows up in
// iteration after iteration (its total keeps growing), and a one-off (a cache filled once, a
// pool warmed up) shows up once and never again.
import type { IterationTrendParts } from '../storage/schema.js';
import { typeMatches } from './type-filter.js';

export const TREND_PATTERNS = ['growing', 'new', 'stopped', 'one-off'] as const;
export type TrendPattern = (typeof TREND_PATTERNS)[number];

export const PATTERN_MEANINGS: Record<TrendPattern, string> = {
  growing: 'new objects leaked in at least two iterations, the latest among them: the leak goes on',
  new: 'leaked only in the latest iteration: too early to tell (ask again after the next iteration)',
  stopped: 'leaked in several iterations, but not in the latest',
  'one-off': 'leaked in one iteration only, and not since: most likely a one-time allocation (a cache or pool filled once)',
};

export interface TypeTrend {
  readonly objectType: string;
  readonly pattern: TrendPattern;
  /** Per leak iteration, oldest first: the objects of this type it found; null when it could not tell. */
  readonly counts: readonly (number | null)[];
  readonly total: number;
  readonly iterationsWithLeaks: number;
}

export interface LeakTrend {
  /** The iterations the counts refer to, oldest first (warm-ups report nothing and are left out). */
  readonly iterationNumbers: readonly number[];
  readonly warmupIterations: readonly number[];
  /** Iterations that could not check their objects (no memory for a heap snapshot): null counts. */
  readonly uncheckedIterations: readonly number[];
  /** Most telling first: growing leaks, then by pattern, then by total. */
  readonly types: readonly TypeTrend[];
}

function patternOf(counts: readonly (number | null)[]): TrendPattern {
  const withLeaks = counts.flatMap((count, i) => (count !== null && count > 0 ? [i] : []));
  const lastKnown = counts.findLastIndex((count) => count !== null);
  const inLatest = withLeaks.at(-1) === lastKnown;
  if (withLeaks.length === 1) return inLatest ? 'new' : 'one-off';
  return inLatest ? 'growing' : 'stopped';
}

/** The count of each type in a leak iteration (its rows by type); null when it cannot tell. */
function countOf(it: IterationTrendParts, rows: ReadonlyMap<string, number>, type: string): number | null {
  if (it.scan?.snapshotSkipped !== undefined) return null;
  const count = rows.get(type);
  if (count !== undefined) return count;
  // A summary cut to maxTypesInSummary rows may have left this type out.
  return it.leakSummary.totalTypes > it.leakSummary.typeSummaries.length ? null : 0;
}

/** From whole iterations or from their trend parts alone (readIterationTrendParts). */
export function leakTrend(iterations: readonly IterationTrendParts[], typeFilter?: string): LeakTrend {
  const leaks = iterations.filter((it) => it.kind === 'leaks');
  // By type, for a trend over thousands of iterations: one look-up per type and iteration.
  const rowsOf = leaks.map((it) => new Map(it.leakSummary.typeSummaries.map((row) => [row.objectType, row.count])));
  const filter = typeFilter === undefined ? undefined : [typeFilter];
  const types = new Set<string>();
  for (const it of leaks) for (const row of it.leakSummary.typeSummaries) if (typeMatches(row.objectType, filter)) types.add(row.objectType);
  const trends = [...types].map((objectType): TypeTrend => {
    const counts = leaks.map((it, i) => countOf(it, rowsOf[i]!, objectType));
    return {
      objectType,
      pattern: patternOf(counts),
      counts,
      total: counts.reduce<number>((sum, count) => sum + (count ?? 0), 0),
      iterationsWithLeaks: counts.filter((count) => count !== null && count > 0).length,
    };
  });
  trends.sort((a, b) => TREND_PATTERNS.indexOf(a.pattern) - TREND_PATTERNS.indexOf(b.pattern) || b.total - a.total || a.objectType.localeCompare(b.objectType));
  return {
    iterationNumbers: leaks.map((it) => it.iterationNumber),
    warmupIterations: iterations.filter((it) => it.kind === 'warmup').map((it) => it.iterationNumber),
    uncheckedIterations: leaks.filter((it) => it.scan?.snapshotSkipped !== undefined).map((it) => it.iterationNumber),
    types: trends,
  };
}

// How each leaked type's count changed across a report's iterations, with its verdict
// (trend-verdict.ts). An iteration reports the objects that leaked in its own period, each
// object once, so a leak that goes on shows up in iteration after iteration (its total keeps
// growing), and a one-off (a cache filled once, a pool warmed up) shows up once and never again.
import type { IterationReport } from '../storage/schema.js';
import { TREND_VERDICTS, trendVerdict, type TrendVerdict } from './trend-verdict.js';

export interface TypeTrend {
  readonly objectType: string;
  readonly verdict: TrendVerdict;
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
  /** Most telling first: growing leaks, then by verdict, then by total. */
  readonly types: readonly TypeTrend[];
}

/** What leakTrend reads of an iteration: the console keeps no more than this of its recent ones. */
export type TrendInput = Pick<IterationReport, 'kind' | 'iterationNumber'> & {
  readonly leakSummary: Pick<IterationReport['leakSummary'], 'totalTypes'> & {
    readonly typeSummaries: readonly { readonly objectType: string; readonly count: number }[];
  };
  readonly scan?: { readonly snapshotSkipped?: string | undefined } | undefined;
};

/** The count of `type` in a leak iteration (its rows by type): 0 when absent, null when the iteration cannot tell. */
function countIn(it: TrendInput, rows: ReadonlyMap<string, number>, type: string): number | null {
  if (it.scan?.snapshotSkipped !== undefined) return null;
  const count = rows.get(type);
  if (count !== undefined) return count;
  // A summary cut to maxTypesInSummary rows may have left this type out.
  return it.leakSummary.totalTypes > it.leakSummary.typeSummaries.length ? null : 0;
}

/** The trend of every type (those `matches` accepts) over `iterations`, oldest first. */
export function leakTrend(iterations: readonly TrendInput[], matches: (objectType: string) => boolean = () => true): LeakTrend {
  const leaks = iterations.filter((it) => it.kind === 'leaks');
  // By type, for a trend over thousands of iterations: one look-up per type and iteration.
  const rowsOf = leaks.map((it) => new Map(it.leakSummary.typeSummaries.map((row) => [row.objectType, row.count])));
  const types = new Set<string>();
  for (const it of leaks) for (const row of it.leakSummary.typeSummaries) if (matches(row.objectType)) types.add(row.objectType);
  const trends = [...types].map((objectType): TypeTrend => {
    const counts = leaks.map((it, i) => countIn(it, rowsOf[i]!, objectType));
    return {
      objectType,
      verdict: trendVerdict(counts),
      counts,
      total: counts.reduce<number>((sum, count) => sum + (count ?? 0), 0),
      iterationsWithLeaks: counts.filter((count) => count !== null && count > 0).length,
    };
  });
  trends.sort((a, b) => TREND_VERDICTS.indexOf(a.verdict) - TREND_VERDICTS.indexOf(b.verdict) || b.total - a.total || a.objectType.localeCompare(b.objectType));
  return {
    iterationNumbers: leaks.map((it) => it.iterationNumber),
    warmupIterations: iterations.filter((it) => it.kind === 'warmup').map((it) => it.iterationNumber),
    uncheckedIterations: leaks.filter((it) => it.scan?.snapshotSkipped !== undefined).map((it) => it.iterationNumber),
    types: trends,
  };
}

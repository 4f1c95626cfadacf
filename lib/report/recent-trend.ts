// The iterations the console report judges its trend from: the last CONSOLE_TREND_ITERATIONS,
// the current one included. The live monitor keeps no more than their per-type counts (a
// monitor may run for days; its memory must not grow with the iterations), and `memalot print`
// reads as many saved iterations before the one it prints, so both show the same trend.
import type { IterationReport } from '../storage/schema.js';
import { leakTrend, type LeakTrend, type TrendInput } from './leak-trend.js';

export const CONSOLE_TREND_ITERATIONS = 12;

/** What the trend reads of an iteration, and nothing else (no details, no sizes). */
function slim(report: IterationReport): TrendInput {
  return {
    kind: report.kind,
    iterationNumber: report.iterationNumber,
    leakSummary: {
      totalTypes: report.leakSummary.totalTypes,
      typeSummaries: report.leakSummary.typeSummaries.map((row) => ({ objectType: row.objectType, count: row.count })),
    },
    ...(report.scan?.snapshotSkipped === undefined ? {} : { scan: { snapshotSkipped: report.scan.snapshotSkipped } }),
  };
}

/** The trend of `iterations`' last CONSOLE_TREND_ITERATIONS (oldest first, the current one last). */
export function recentTrend(iterations: readonly TrendInput[], matches?: (objectType: string) => boolean): LeakTrend {
  return leakTrend(iterations.slice(-CONSOLE_TREND_ITERATIONS), matches);
}

/** The live monitor's memory of its recent iterations. */
export class RecentIterations {
  private readonly kept: TrendInput[] = [];

  /** Adds `report` (the latest) and returns the trend that it ends. */
  add(report: IterationReport): LeakTrend {
    this.kept.push(slim(report));
    if (this.kept.length > CONSOLE_TREND_ITERATIONS) this.kept.shift();
    return recentTrend(this.kept);
  }
}

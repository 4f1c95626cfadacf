// What a check's report says once the accepted leaks are taken out: the survivors that fail
// the assertion, and those that `allow` accepted (and which entry accepted them).
import type { IterationReport, Leak, ObjectDetails, TypeSummary } from '../storage/schema.js';
import { traceOf } from '../report/trace-clusters.js';
import { type AllowedLeak, allows } from './options.js';

/**
 * node:test keeps a Map of the async resources each test creates (their IDs as keys, to say
 * which test an unfinished one belongs to): the runner's bookkeeping, alive until the test
 * ends, never the code's under test. The rows whose detailed objects are all held through it
 * are accepted, and the message says so.
 */
const RUNNER_BOOKKEEPING = /node:internal\/test_runner\//;
const BY_RUNNER = /node:test's bookkeeping of async resources/;

function heldByRunner(details: readonly ObjectDetails[]): boolean {
  return (
    details.length > 0 &&
    details.every((d) => {
      const trace = d.referrerGraph === null ? null : traceOf(d.referrerGraph);
      return trace !== null && trace.reachesRoot && RUNNER_BOOKKEEPING.test(trace.steps.at(-1)!.name);
    })
  );
}

export interface Accepted {
  readonly objectType: string;
  readonly count: number;
  readonly by: AllowedLeak;
  /** Accepted as carried by an accepted holder, rather than by its own name. */
  readonly carriedBy?: string;
}

export interface Verdict {
  /** The report as the message shows it: only what is not accepted. */
  readonly failing: IterationReport;
  readonly accepted: readonly Accepted[];
  readonly leaked: boolean;
}

export function judge(report: IterationReport, allow: readonly AllowedLeak[]): Verdict {
  const accepted: Accepted[] = [];
  const leaks = report.leakSummary.leaks;
  const keptLeaks: Leak[] = [];
  // Per type, the objects that accepted holders carry: accepted with them.
  const carried = new Map<string, { count: number; by: AllowedLeak; holder: string }>();
  for (const leak of leaks ?? []) {
    const by = allows(allow, leak.objectType);
    if (by === undefined) {
      keptLeaks.push(leak);
      continue;
    }
    for (const content of leak.contents) {
      const sum = carried.get(content.objectType);
      carried.set(content.objectType, { count: (sum?.count ?? 0) + content.count, by: sum?.by ?? by, holder: sum?.holder ?? leak.objectType });
    }
  }
  const keptTypes: TypeSummary[] = [];
  for (const row of report.leakSummary.typeSummaries) {
    const by = allows(allow, row.objectType) ?? (heldByRunner(report.objectDetails.filter((d) => d.objectTypeName === row.objectType)) ? BY_RUNNER : undefined);
    if (by !== undefined) {
      accepted.push({ objectType: row.objectType, count: row.count, by });
      continue;
    }
    const inHolders = carried.get(row.objectType);
    if (inHolders === undefined) {
      keptTypes.push(row);
      continue;
    }
    const rest = row.count - Math.min(row.count, inHolders.count);
    accepted.push({ objectType: row.objectType, count: row.count - rest, by: inHolders.by, carriedBy: inHolders.holder });
    if (rest > 0) keptTypes.push({ objectType: row.objectType, count: rest });
  }
  const failingTypes = new Set(keptTypes.map((row) => row.objectType));
  const keptDetails: ObjectDetails[] = report.objectDetails.filter((details) => failingTypes.has(details.objectTypeName));
  const failing: IterationReport = {
    ...report,
    leakSummary: {
      ...report.leakSummary,
      typeSummaries: keptTypes,
      totalTypes: report.leakSummary.totalTypes - (report.leakSummary.typeSummaries.length - keptTypes.length),
      ...(leaks === undefined ? {} : { leaks: keptLeaks }),
    },
    objectDetails: keptDetails,
  };
  // A report that could not look (too little memory for a snapshot) cannot pass either.
  const leaked = keptTypes.length > 0 || report.scan?.snapshotSkipped !== undefined;
  return { failing, accepted, leaked };
}

// What a check's report says once the accepted leaks are taken out: the survivors that fail
// the assertion, and those that were accepted (by `allow`, or as node:test's bookkeeping).
import { traceOf } from '../report/trace-clusters.js';
import type { IterationReport, ObjectDetails, TypeSummary } from '../storage/schema.js';
import { type AllowedLeak, allows, describeAllowed } from './options.js';

/**
 * node:test keeps a Map of the async resources each test creates (their IDs as keys, to tell
 * which test an unfinished one belongs to): the runner's bookkeeping, alive until the test ends,
 * never the leak of the code under test. A type whose detailed objects are all held through it
 * (their traces end at a root in node:internal/test_runner) is accepted, and the message says so.
 */
const RUNNER_BOOKKEEPING = /node:internal\/test_runner\//;

function heldByRunner(details: readonly ObjectDetails[]): boolean {
  return (
    details.length > 0 &&
    details.every((d) => {
      const trace = d.referrerGraph === null ? null : traceOf(d.referrerGraph);
      return trace !== null && trace.reachesRoot && RUNNER_BOOKKEEPING.test(trace.steps.at(-1)?.name ?? '');
    })
  );
}

export interface Accepted {
  readonly objectType: string;
  readonly count: number;
  /** Why: "allowed by "Map"", "allowed by /cache/, carried by Cache", "node:test's bookkeeping". */
  readonly reason: string;
}

export interface Verdict {
  /** The report as the message shows it: only what is not accepted. */
  readonly failing: IterationReport;
  readonly accepted: readonly Accepted[];
  readonly leaked: boolean;
}

/** Per type, the objects that accepted holders carry, and the first holder and entry that accept them. */
function carriedByAccepted(report: IterationReport, allow: readonly AllowedLeak[]): Map<string, { count: number; reason: string }> {
  const carried = new Map<string, { count: number; reason: string }>();
  for (const leak of report.leakSummary.leaks ?? []) {
    const by = allows(allow, leak.objectType);
    if (by === undefined) continue;
    for (const content of leak.contents) {
      const sum = carried.get(content.objectType);
      carried.set(content.objectType, {
        count: (sum?.count ?? 0) + content.count,
        reason: sum?.reason ?? `allowed by ${describeAllowed(by)}, carried by ${leak.objectType}`,
      });
    }
  }
  return carried;
}

export function judge(report: IterationReport, allow: readonly AllowedLeak[]): Verdict {
  const accepted: Accepted[] = [];
  const carried = carriedByAccepted(report, allow);
  const keptTypes: TypeSummary[] = [];
  for (const row of report.leakSummary.typeSummaries) {
    const by = allows(allow, row.objectType);
    if (by !== undefined) {
      accepted.push({ objectType: row.objectType, count: row.count, reason: `allowed by ${describeAllowed(by)}` });
      continue;
    }
    if (heldByRunner(report.objectDetails.filter((d) => d.objectTypeName === row.objectType))) {
      accepted.push({ objectType: row.objectType, count: row.count, reason: "node:test's bookkeeping of the test's async resources" });
      continue;
    }
    const inHolders = carried.get(row.objectType);
    const carriedCount = Math.min(row.count, inHolders?.count ?? 0);
    if (carriedCount > 0) accepted.push({ objectType: row.objectType, count: carriedCount, reason: inHolders!.reason });
    if (row.count > carriedCount) keptTypes.push(carriedCount === 0 ? row : { objectType: row.objectType, count: row.count - carriedCount });
  }
  const failingTypes = new Set(keptTypes.map((row) => row.objectType));
  const leaks = report.leakSummary.leaks;
  const failing: IterationReport = {
    ...report,
    leakSummary: {
      ...report.leakSummary,
      typeSummaries: keptTypes,
      totalTypes: report.leakSummary.totalTypes - (report.leakSummary.typeSummaries.length - keptTypes.length),
      // The leaks shown are those whose holders fail the check.
      ...(leaks === undefined ? {} : { leaks: leaks.filter((leak) => failingTypes.has(leak.objectType)) }),
    },
    objectDetails: report.objectDetails.filter((details) => failingTypes.has(details.objectTypeName)),
  };
  // A report that could not look (too little memory for a heap snapshot) cannot pass either.
  const leaked = keptTypes.length > 0 || report.scan?.snapshotSkipped !== undefined;
  return { failing, accepted, leaked };
}

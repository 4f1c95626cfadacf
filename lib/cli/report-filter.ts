// Narrows a saved iteration to what a reader asked for: the types whose name contains one of
// some names (case-insensitive, as the monitor's own type filters match by substring), and
// with or without the object details. The report is transformed, not its rendering, so the
// console text and the JSON always agree.
import type { IterationReport } from '../storage/schema.js';

export interface IterationFilter {
  /** Keep summary rows and object details whose type contains one of these; all when absent. */
  readonly types?: readonly string[] | undefined;
  /** Leave the object details out. */
  readonly summaryOnly?: boolean | undefined;
}

export function typeMatcher(names: readonly string[]): (type: string) => boolean {
  const wanted = names.map((n) => n.toLowerCase());
  return (type) => {
    const lower = type.toLowerCase();
    return wanted.some((n) => lower.includes(n));
  };
}

export function filterIteration(report: IterationReport, filter: IterationFilter): IterationReport {
  const matches = filter.types === undefined ? () => true : typeMatcher(filter.types);
  const { leakSummary } = report;
  const typeSummaries = leakSummary.typeSummaries.filter((s) => matches(s.objectType));
  // A summary that was cut when saved is still cut (its note stays); otherwise the filtered
  // rows are all the types there are.
  const wasCut = leakSummary.totalTypes > leakSummary.typeSummaries.length;
  // A leak stays when its holders' type or a type it carries matches.
  const leaks = leakSummary.leaks?.filter((leak) => matches(leak.objectType) || leak.contents.some((c) => matches(c.objectType)));
  return {
    ...report,
    leakSummary: {
      ...leakSummary,
      typeSummaries,
      totalTypes: wasCut ? leakSummary.totalTypes : typeSummaries.length,
      ...(leaks === undefined ? {} : { leaks }),
    },
    objectDetails: filter.summaryOnly ? [] : report.objectDetails.filter((d) => matches(d.objectTypeName)),
  };
}

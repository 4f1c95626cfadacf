// filter_types and summary_only: which of an iteration's summary rows and object details a call
// asked for. Type names match by substring, as the monitor's includedTypeNames do, so "Leaky"
// selects "src/cache.js:Leaky" and "src/cache.js" every type of that module.
import type { IterationReport } from '../storage/schema.js';

export interface ContentSelection {
  /** Substrings of type names; undefined for every type. */
  readonly filterTypes: readonly string[] | undefined;
  readonly summaryOnly: boolean;
}

export function typeMatches(objectType: string, filterTypes: readonly string[] | undefined): boolean {
  return filterTypes === undefined || filterTypes.some((part) => objectType.includes(part));
}

export function selectContent(it: IterationReport, { filterTypes, summaryOnly }: ContentSelection): IterationReport {
  return {
    ...it,
    leakSummary: {
      ...it.leakSummary,
      typeSummaries: it.leakSummary.typeSummaries.filter((row) => typeMatches(row.objectType, filterTypes)),
      // A leak stays when its holders' type or a type it carries matches.
      ...(it.leakSummary.leaks === undefined
        ? {}
        : { leaks: it.leakSummary.leaks.filter((l) => typeMatches(l.objectType, filterTypes) || l.contents.some((c) => typeMatches(c.objectType, filterTypes))) }),
    },
    objectDetails: summaryOnly ? [] : it.objectDetails.filter((detail) => typeMatches(detail.objectTypeName, filterTypes)),
  };
}

/** The type names in these iterations, most objects first: what a filter could have named. */
export function typesFound(iterations: readonly IterationReport[]): string[] {
  const counts = new Map<string, number>();
  for (const it of iterations) {
    for (const row of it.leakSummary.typeSummaries) counts.set(row.objectType, (counts.get(row.objectType) ?? 0) + row.count);
    for (const detail of it.objectDetails) if (!counts.has(detail.objectTypeName)) counts.set(detail.objectTypeName, 0);
  }
  return [...counts].sort((a, b) => b[1] - a[1]).map(([type]) => type);
}

// Reads the reports a child process saved, checking every file against the published schema.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { iterationReportSchema, reportSummarySchema, type IterationReport, type ReportSummary } from '../../lib/storage/schema.js';

export interface SavedReport {
  readonly directory: string;
  readonly summary: ReportSummary;
  readonly version: string;
  /** In iteration order. */
  readonly iterations: IterationReport[];
}

export function readSavedReports(reportDirectory: string): SavedReport[] {
  if (!existsSync(reportDirectory)) return [];
  return readdirSync(reportDirectory)
    .filter((name) => name.startsWith('memalot_report_'))
    .map((name) => {
      const directory = join(reportDirectory, name);
      const files = readdirSync(directory);
      const iterations = files
        .filter((f) => /^iteration_report_\d+\.json$/.test(f))
        .map((f) => iterationReportSchema.parse(JSON.parse(readFileSync(join(directory, f), 'utf8'))))
        .sort((a, b) => a.iterationNumber - b.iterationNumber);
      return {
        directory,
        summary: reportSummarySchema.parse(JSON.parse(readFileSync(join(directory, 'summary.json'), 'utf8'))),
        version: readFileSync(join(directory, 'version'), 'utf8').trim(),
        iterations,
      };
    });
}

/** The count of the first summary row whose type contains `match`, or 0. */
export function countOf(report: IterationReport, match: string): number {
  return report.leakSummary.typeSummaries.find((s) => s.objectType.includes(match))?.count ?? 0;
}

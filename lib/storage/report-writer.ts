// Saves a report the way the CLI and the MCP server read it:
//   <reportDirectory>/memalot_report_<id>/summary.json, version, iteration_report_<n>.json
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic-write.js';
import { newReportId } from './report-id.js';
import { STORAGE_FORMAT_VERSION } from './format.js';
import type { IterationReport, ReportSummary } from './schema.js';

export const REPORT_DIR_PREFIX = 'memalot_report_';

export function iterationFileName(iterationNumber: number): string {
  return `iteration_report_${iterationNumber}.json`;
}

export class ReportWriter {
  /** The report's directory, made on the first write. */
  private directory: string | undefined;

  private constructor(
    readonly baseDirectory: string,
    private id: string,
  ) {}

  /** Chooses an ID; nothing is written until the first iteration. */
  static create(baseDirectory: string): ReportWriter {
    return new ReportWriter(baseDirectory, newReportId());
  }

  get reportId(): string {
    return this.id;
  }

  get reportDirectory(): string {
    return this.directory ?? join(this.baseDirectory, REPORT_DIR_PREFIX + this.id);
  }

  /** Makes the report's directory, choosing a new ID should one already be taken. */
  private ensureDirectory(): string {
    if (this.directory !== undefined) return this.directory;
    mkdirSync(this.baseDirectory, { recursive: true });
    for (let attempt = 0; ; attempt++) {
      const candidate = join(this.baseDirectory, REPORT_DIR_PREFIX + this.id);
      try {
        mkdirSync(candidate);
        this.directory = candidate;
        return candidate;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 100) throw error;
        this.id = newReportId();
      }
    }
  }

  /** Writes summary.json and version; the summary's reportId is this writer's. */
  writeSummary(summary: Omit<ReportSummary, 'reportId' | 'version'>): void {
    const directory = this.ensureDirectory();
    const full: ReportSummary = { reportId: this.id, version: STORAGE_FORMAT_VERSION, ...summary };
    writeFileAtomic(join(directory, 'version'), `${STORAGE_FORMAT_VERSION}\n`);
    writeFileAtomic(join(directory, 'summary.json'), `${JSON.stringify(full, null, 2)}\n`);
  }

  writeIteration(report: IterationReport): string {
    const file = join(this.ensureDirectory(), iterationFileName(report.iterationNumber));
    writeFileAtomic(file, `${JSON.stringify(report, null, 2)}\n`);
    return file;
  }
}

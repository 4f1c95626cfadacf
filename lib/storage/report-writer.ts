// Saves a report the way the CLI and the MCP server read it:
//   <reportDirectory>/memalot_report_<id>/summary.json, version, iteration_report_<n>.json
import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { removeStaleTemporaries, writeFileAtomic } from './atomic-write.js';
import { checkOwnDirectory, type DirectoryIdentity, makeOwnDirectory, makePrivateDirectories } from './private-files.js';
import { newReportId } from './report-id.js';
import { STORAGE_FORMAT_VERSION } from './format.js';
import type { IterationReport, ReportSummary } from './schema.js';

export const REPORT_DIR_PREFIX = 'memalot_report_';

export function iterationFileName(iterationNumber: number): string {
  return `iteration_report_${iterationNumber}.json`;
}

export class ReportWriter {
  /** The report's directory, made on the first write (and checked at each: private-files.ts). */
  private directory: DirectoryIdentity | undefined;

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
    return this.directory?.path ?? join(this.baseDirectory, REPORT_DIR_PREFIX + this.id);
  }

  /**
   * Makes the report's directory, choosing a new ID should one already be taken; afterwards,
   * checks that it is still the one made.
   */
  private ensureDirectory(): string {
    if (this.directory !== undefined) {
      checkOwnDirectory(this.directory);
      return this.directory.path;
    }
    makePrivateDirectories(this.baseDirectory);
    cleanUpAfterDeadWriters(this.baseDirectory);
    for (let attempt = 0; ; attempt++) {
      const candidate = join(this.baseDirectory, REPORT_DIR_PREFIX + this.id);
      try {
        this.directory = makeOwnDirectory(candidate);
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

/** At most this many reports are looked at for leftovers when a report starts. */
const CLEAN_UP_LIMIT = 1000;

/** Removes the temporary files of writers that died mid-write, in the reports under `baseDirectory`. */
function cleanUpAfterDeadWriters(baseDirectory: string): void {
  try {
    let looked = 0;
    for (const name of readdirSync(baseDirectory)) {
      if (!name.startsWith(REPORT_DIR_PREFIX)) continue;
      if (++looked > CLEAN_UP_LIMIT) break;
      const directory = join(baseDirectory, name);
      // Only real directories: a link could lead anywhere.
      if (lstatSync(directory).isDirectory()) removeStaleTemporaries(directory);
    }
  } catch {
    // Leftovers stay; the new report does not depend on them.
  }
}

// One monitor's report: its ID and files, the console output, and the iterations written so far.
// Both ways of monitoring write their iterations through it.
import { hostname } from 'node:os';
import { MemorySampler } from '../report/memory.js';
import { ReportOutput } from '../report/output.js';
import { RecentIterations } from '../report/recent-trend.js';
import { renderObjectDetails } from '../report/render-details.js';
import { lineCount, renderDetailBlocks, renderFooter, renderHeader, renderSummaryBlock, widthOf, type RenderContext } from '../report/render.js';
import { terminalWidth } from '../report/width.js';
import { ReportWriter } from '../storage/report-writer.js';
import type { FunctionCalls, IterationReport, ReportSummary } from '../storage/schema.js';
import type { EpochRange, EpochScanResult } from './epoch-scan.js';
import { prepareObjectDetails } from './object-details.js';
import { describeOptions, type ResolvedCommonOptions } from './options.js';
import { memalotVersion } from './version.js';
import { currentThread } from './thread-info.js';
import { printableData } from '../report/printable-data.js';
import { describeError } from '../report/describe-error.js';

export interface IterationInput {
  readonly kind: 'warmup' | 'leaks';
  /** When the boundary that this iteration examines the heap at was marked (ms since epoch). */
  readonly markedAt: number;
  readonly checked?: EpochRange | undefined;
  readonly scan?: EpochScanResult | undefined;
  readonly functionCalls?: FunctionCalls | undefined;
}

export interface SessionSettings {
  /** Everything in force (a mode's own options included): saved in summary.json. */
  readonly options: ResolvedCommonOptions;
  readonly mode: ReportSummary['mode'];
  readonly functionName?: string | undefined;
  /** For the explanation under the table (time-based). */
  readonly maxObjectLifetime?: number | undefined;
}

export class ReportSession {
  readonly output: ReportOutput;
  private readonly writer: ReportWriter;
  private readonly memory = new MemorySampler();
  private readonly recent = new RecentIterations();
  private iteration = 0;
  private summaryWritten = false;
  private lastSaveError: string | undefined;

  private functionName: string | undefined;
  private readonly thread = currentThread();

  constructor(private readonly settings: SessionSettings) {
    this.output = new ReportOutput(settings.options);
    this.writer = ReportWriter.create(settings.options.reportDirectory);
    this.functionName = settings.functionName;
  }

  /** A decorated method learns its class's name after the monitor is made. */
  setFunctionName(name: string): void {
    this.functionName = name;
  }

  get reportId(): string {
    return this.writer.reportId;
  }

  get reportDirectory(): string | null {
    return this.settings.options.saveReports ? this.writer.reportDirectory : null;
  }

  get iterations(): number {
    return this.iteration;
  }

  /** Builds, saves (best effort) and prints the next iteration. */
  write(input: IterationInput): IterationReport {
    const { options } = this.settings;
    const startTime = new Date(input.markedAt);
    const iterationNumber = ++this.iteration;
    if (options.saveReports && !this.summaryWritten) {
      this.summaryWritten = true;
      this.save(() => this.writeSummary(startTime));
    }
    const all = input.scan?.typeSummaries ?? [];
    const report: IterationReport = {
      reportId: this.writer.reportId,
      iterationNumber,
      kind: input.kind,
      startTime: startTime.toISOString(),
      endTime: new Date().toISOString(),
      memoryUsage: this.memory.sample(input.scan?.memoryBefore),
      leakSummary: {
        typeSummaries: all.slice(0, options.maxTypesInLeakSummary),
        maxTypesInSummary: options.maxTypesInLeakSummary,
        totalTypes: all.length,
        ...(input.scan?.filteredOut === undefined
          ? {}
          : {
              filteredOut: {
                ...input.scan.filteredOut,
                includedTypeNames: [...options.includedTypeNames],
                excludedTypeNames: [...options.excludedTypeNames],
              },
            }),
      },
      objectDetails: [],
      thread: this.thread,
    };
    const { checked, scan } = input;
    if (checked !== undefined && scan !== undefined) {
      report.scan = {
        createdAfter: checked.createdAfter.toISOString(),
        createdBefore: checked.createdBefore.toISOString(),
        afterObjectId: checked.afterId,
        upToObjectId: checked.upToId,
        survivingObjects: scan.survivingObjects,
        survivingBytes: scan.survivingBytes,
        snapshotTaken: scan.snapshotTaken,
        snapshotNodes: scan.snapshotNodes,
        ...(scan.snapshotSkipped === undefined ? {} : { snapshotSkipped: scan.snapshotSkipped }),
        ...(scan.objectWalk === undefined ? {} : { objectWalk: { ...scan.objectWalk } }),
        durationMs: Math.round(scan.durationMs * 10) / 10,
      };
    }
    if (input.functionCalls !== undefined) report.functionCalls = input.functionCalls;
    const context: RenderContext = {
      style: this.output.style,
      width: terminalWidth(),
      full: options.fullReport,
      // The counts are final here (the details add sizes only): the trend so far, this iteration the latest.
      trend: this.recent.add(report),
      ...(this.settings.maxObjectLifetime === undefined ? {} : { maxObjectLifetime: this.settings.maxObjectLifetime }),
    };
    // The blocks of renderIteration, each written as soon as it is known: on a large heap the
    // details take a while, and the summary is worth reading meanwhile.
    // What the console shows has the program's control characters escaped (a type or function
    // name could hold terminal escape codes), as `memalot print` shows the saved report.
    const header = `\n\n${renderHeader(printableData(report), context.style, widthOf(context))}`;
    this.output.write(header);
    const snapshot = scan?.snapshot;
    let summaryWritten = false;
    let usedLines = lineCount(header) + lineCount(renderFooter(printableData(report), context.style));
    const writeSummary = (withDetails: boolean): void => {
      summaryWritten = true;
      const summary = renderSummaryBlock(printableData(report), context, withDetails);
      usedLines += lineCount(summary);
      this.output.write(summary);
    };
    if (snapshot !== undefined) {
      try {
        // The graphs, the sizes and the objects first (this frees the snapshot), then the
        // summary with what each type retains, then each object's details.
        // The pause began with the scan (the snapshot is part of it).
        const deadline = options.maxReportPause === null ? Number.POSITIVE_INFINITY : performance.now() - scan!.durationMs + options.maxReportPause * 1000;
        const prepared = prepareObjectDetails(snapshot, report.leakSummary.typeSummaries, scan!.sampleIds ?? new Map(), options, deadline);
        if (prepared.objectsLeftOut > 0) report.detailsCutShort = { maxReportPause: options.maxReportPause!, objectsLeftOut: prepared.objectsLeftOut };
        const retained = scan!.retainedByType?.(prepared.typeRetainedSizes);
        if (retained !== undefined) {
          report.leakSummary.typeSummaries = report.leakSummary.typeSummaries.map((row) => {
            const bytes = retained.get(row.objectType);
            return bytes === undefined ? row : { ...row, retainedSizeBytes: bytes };
          });
        }
        const leaks = scan!.leaksOf?.(prepared.leakGroups);
        if (leaks !== undefined) report.leakSummary.leaks = leaks;
        writeSummary(true);
        prepared.emit((details) => {
          report.objectDetails.push(details);
          // The full report shows each object as it comes; the compact one clusters them all.
          if (context.full === true) this.output.write(renderObjectDetails(printableData(details), context.style, widthOf(context)));
        });
      } catch (error) {
        // The summary stands without the details: say why they are missing, and go on.
        warn(`could not compute object details: ${describeError(error)}`);
      } finally {
        snapshot.dispose();
      }
      if (context.full !== true) {
        try {
          for (const block of renderDetailBlocks(printableData(report.objectDetails), context, usedLines, printableData(report.leakSummary.typeSummaries))) this.output.write(block);
        } catch (error) {
          // The saved report has the details; the console goes on to the footer.
          warn(`could not print the object details: ${describeError(error)}`);
        }
      }
    }
    if (!summaryWritten) writeSummary(false);
    if (options.saveReports) this.save(() => this.writer.writeIteration(report));
    this.output.write(renderFooter(printableData(report), context.style));
    this.memory.workDone();
    return report;
  }

  private writeSummary(startTime: Date): void {
    this.writer.writeSummary({
      mode: this.settings.mode,
      ...(this.functionName === undefined ? {} : { functionName: this.functionName }),
      entrypoint: process.argv[1] ?? process.argv0,
      arguments: process.argv.slice(2),
      startTime: startTime.toISOString(),
      options: describeOptions({ ...this.settings.options }),
      nodeVersion: process.version,
      memalotVersion,
      pid: process.pid,
      hostname: hostname(),
      thread: this.thread,
    });
  }

  /** Saving is best effort: a full or read-only disk costs the saved copy, not the report. */
  private save(write: () => void): void {
    try {
      write();
    } catch (error) {
      const message = `could not save the report in ${this.writer.reportDirectory}: ${describeError(error)}`;
      if (message !== this.lastSaveError) warn(`${message} (the report is still printed)`);
      this.lastSaveError = message;
    }
  }
}

export { describeError };

/** memalot's own complaints go to stderr, never as an exception into the program. */
export function warn(message: string): void {
  try {
    process.stderr.write(`memalot: ${message}\n`);
  } catch {
    // stderr is gone: nothing more can be said
  }
}

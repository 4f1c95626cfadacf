// Time-based leak discovery: objects created after the warm-up that are still alive at least
// `maxObjectLifetime` seconds later.
//
// Timeline (B = an epoch boundary, one native markBoundary() call):
//   start ── warmupPeriod ── B0 (tracking starts) ── T ── iteration 1 ── T ── iteration 2 ...
// Each iteration k marks Bk, reports the objects of the epoch closed at iteration k-1 that are
// still alive (so they have lived at least T), and ends with a second boundary B'k. The IDs
// between Bk and B'k belong to objects memalot made while reporting: they are in no epoch, so
// memalot never reports its own objects. An iteration runs synchronously from Bk to B'k, so no
// object of the program can be created in between.
import { hostname } from 'node:os';
import { addon } from '../native/addon.js';
import { MemorySampler } from '../report/memory.js';
import { ReportOutput } from '../report/output.js';
import { renderIteration } from '../report/render.js';
import { formatSeconds } from '../report/format.js';
import { ReportWriter } from '../storage/report-writer.js';
import type { IterationReport } from '../storage/schema.js';
import { claimMonitorSlot } from './active-monitor.js';
import { type EpochRange, scanEpoch } from './epoch-scan.js';
import { describeOptions, resolveTimeBasedOptions, type ResolvedTimeBasedOptions, type TimeBasedOptions } from './options.js';
import { memalotVersion } from './version.js';

export interface LeakMonitor extends AsyncDisposable {
  /** The ID under which reports are saved (also shown in each report's header). */
  readonly reportId: string;
  /** The directory that holds this monitor's report, if reports are saved. */
  readonly reportDirectory: string | null;
  /** Iterations written so far (the first is the warm-up). */
  readonly iterations: number;
  /** Stops monitoring; resolves once any report in progress is written. Safe to call twice. */
  stop(): Promise<void>;
}

export class TimeBasedLeakMonitor implements LeakMonitor {
  private readonly options: ResolvedTimeBasedOptions;
  private readonly output: ReportOutput;
  private readonly writer: ReportWriter;
  private readonly memory = new MemorySampler();
  private readonly slot: { release(): void };
  private timer: NodeJS.Timeout;
  private iteration = 0;
  private tracking = false;
  private stopped = false;
  private summaryWritten = false;
  private failures = 0;
  private lastSaveError: string | undefined;
  /** Start of the epoch in progress: the boundary that ended the last report. */
  private epochStartId = 0;
  /** A double from the start, so that V8 boxes it now (before any epoch) and updates the box in place. */
  private epochStartTime = Date.now() + 0.5;
  /** The epoch closed by the last iteration, examined by the next one. */
  private pending: EpochRange | undefined;

  constructor(options: TimeBasedOptions) {
    this.options = resolveTimeBasedOptions(options);
    this.slot = claimMonitorSlot('a time-based leak monitor (startLeakMonitoring)');
    try {
      this.output = new ReportOutput(this.options);
      this.writer = ReportWriter.create(this.options.reportDirectory);
      this.timer = setTimeout(() => this.endWarmup(), this.options.warmupPeriod * 1000);
      this.timer.unref();
    } catch (error) {
      this.slot.release();
      throw error;
    }
    this.output.write(this.startupMessage());
  }

  get reportId(): string {
    return this.writer.reportId;
  }

  get reportDirectory(): string | null {
    return this.options.saveReports ? this.writer.reportDirectory : null;
  }

  get iterations(): number {
    return this.iteration;
  }

  private startupMessage(): string {
    const { maxObjectLifetime: lifetime, warmupPeriod: warmup, saveReports } = this.options;
    const where = saveReports ? ` Reports are saved in ${this.options.reportDirectory}.` : '';
    return (
      `Memalot is monitoring for memory leaks. Objects created after a warm-up of ${formatSeconds(warmup)} that are ` +
      `still alive ${formatSeconds(lifetime)} later will be reported as possible leaks. The first report, a warm-up ` +
      `iteration, comes in about ${formatSeconds(warmup + lifetime)}.${where}`
    );
  }

  private endWarmup(): void {
    if (this.stopped) return;
    try {
      // Made before the first boundary: the timer lives on, and must not count as a new object.
      this.timer = setTimeout(() => this.runIteration(), this.options.maxObjectLifetime * 1000);
      this.timer.unref();
      addon().startTracking();
      this.tracking = true;
      // A second boundary right away: what the first call made (its result, and the property
      // names V8 interns for it the first time) is memalot's and belongs to no epoch.
      this.epochStartId = addon().markBoundary().lastObjectId;
      this.epochStartTime = Date.now();
      // Starting to track took a while: the first epoch, too, lasts the full lifetime.
      this.timer.refresh();
    } catch (error) {
      this.warn(`could not start tracking heap objects, so monitoring has stopped: ${describeError(error)}`);
      this.finish();
    }
  }

  private runIteration(): void {
    if (this.stopped) return;
    const native = addon();
    try {
      // Nothing is allocated before the boundary: an object made here would belong to the
      // program's epoch and, kept until the next iteration, be reported as a leak.
      const markedAt = Date.now();
      const boundary = native.markBoundary();
      const startTime = new Date(markedAt);
      const iterationNumber = ++this.iteration;
      if (this.options.saveReports && !this.summaryWritten) {
        this.save(() => this.writeSummary(startTime));
        this.summaryWritten = true;
      }
      const checked = this.pending;
      const scan = checked === undefined ? undefined : scanEpoch(checked, boundary.liveObjects, this.options);
      const all = scan?.typeSummaries ?? [];
      const typeSummaries = all.slice(0, this.options.maxTypesInLeakSummary);
      const report: IterationReport = {
        reportId: this.writer.reportId,
        iterationNumber,
        kind: checked === undefined ? 'warmup' : 'leaks',
        startTime: startTime.toISOString(),
        endTime: new Date().toISOString(),
        memoryUsage: this.memory.sample(),
        leakSummary: { typeSummaries, maxTypesInSummary: this.options.maxTypesInLeakSummary, totalTypes: all.length },
        objectDetails: [],
      };
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
          durationMs: Math.round(scan.durationMs * 10) / 10,
        };
      }
      if (this.options.saveReports) this.save(() => this.writer.writeIteration(report));
      for (const block of renderIteration(report, { style: this.output.style, maxObjectLifetime: this.options.maxObjectLifetime })) {
        this.output.write(block);
      }
      // The epoch that ended at this iteration's first boundary is examined by the next one.
      this.pending = {
        afterId: this.epochStartId,
        upToId: boundary.lastObjectId,
        createdAfter: new Date(this.epochStartTime),
        createdBefore: startTime,
      };
      this.failures = 0;
    } catch (error) {
      // One bad iteration (a full disk, a failing outputFunc) must not end monitoring, nor
      // reach the program. Its epoch is dropped: the next iteration starts a fresh one.
      this.pending = undefined;
      this.warn(`iteration ${this.iteration} failed: ${describeError(error)}`);
      if (++this.failures >= 3) {
        this.warn('three iterations in a row failed, so monitoring has stopped');
        this.finish();
        return;
      }
    }
    if (this.stopped) return;
    try {
      const closing = native.markBoundary();
      this.epochStartId = closing.lastObjectId;
      this.epochStartTime = Date.now();
    } catch (error) {
      this.warn(`could not mark the end of iteration ${this.iteration}, so monitoring has stopped: ${describeError(error)}`);
      this.finish();
      return;
    }
    // Re-armed after the closing boundary, so that the next epoch lasts the full lifetime. What
    // re-arming allocates (at most a timer list) is released when the timer fires, well before
    // the epoch it falls in is examined.
    this.timer.refresh();
  }

  private writeSummary(startTime: Date): void {
    this.writer.writeSummary({
      mode: 'time',
      entrypoint: process.argv[1] ?? process.argv0,
      arguments: process.argv.slice(2),
      startTime: startTime.toISOString(),
      options: describeOptions({ ...this.options }),
      nodeVersion: process.version,
      memalotVersion,
      pid: process.pid,
      hostname: hostname(),
    });
  }

  /** Saving is best effort: a full or read-only disk costs the saved copy, not the report. */
  private save(write: () => void): void {
    try {
      write();
    } catch (error) {
      const message = `could not save the report in ${this.writer.reportDirectory}: ${describeError(error)}`;
      if (message !== this.lastSaveError) this.warn(`${message} (the report is still printed)`);
      this.lastSaveError = message;
    }
  }

  private warn(message: string): void {
    try {
      process.stderr.write(`memalot: ${message}\n`);
    } catch {
      // stderr is gone: nothing more can be said
    }
  }

  private finish(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    if (this.tracking) {
      this.tracking = false;
      try {
        addon().stopTracking();
      } catch (error) {
        this.warn(`could not stop tracking heap objects: ${describeError(error)}`);
      }
    }
    this.slot.release();
  }

  stop(): Promise<void> {
    // Iterations run synchronously, so none can be half-done when this runs.
    if (!this.stopped) this.finish();
    return Promise.resolve();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Starts time-based leak discovery: every `maxObjectLifetime` seconds, after a warm-up, prints
 * (and saves) the objects that have lived longer than that.
 *
 * @throws TypeError when an option is unknown, of the wrong type or out of range.
 * @throws Error when a monitor is already running in this thread.
 */
export function startLeakMonitoring(options: TimeBasedOptions): LeakMonitor {
  return new TimeBasedLeakMonitor(options);
}

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
import { startAllocationSampling } from './allocation-sites.js';
import { addon } from '../native/addon.js';
import { formatSeconds } from '../report/format.js';
import { claimMonitorSlot } from './active-monitor.js';
import { type EpochRange, scanEpoch, type ScanOptions } from './epoch-scan.js';
import { resolveTimeBasedOptions, type ResolvedTimeBasedOptions, type TimeBasedOptions } from './options.js';
import { describeError, ReportSession, warn } from './report-session.js';
import { ReportingMonitor } from './reporting-monitor.js';
import { printable } from '../report/render-details.js';

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

/**
 * How a time-based iteration scans its epoch: a summary without details counts the JavaScript
 * objects in one walk of the heap unless summaryFromSnapshot asks for the snapshot. (Time-based
 * only: a call's verdict needs the snapshot's view of the stack, native/frame_holds.h.)
 */
export function timeBasedScanOptions(options: ResolvedTimeBasedOptions): ScanOptions {
  return { ...options, objectCensus: !options.summaryFromSnapshot };
}

export class TimeBasedLeakMonitor extends ReportingMonitor implements LeakMonitor {
  private readonly options: ResolvedTimeBasedOptions;
  protected readonly session: ReportSession;
  private readonly slot: { release(): void };
  private timer: NodeJS.Timeout | undefined;
  private tracking = false;
  private stopped = false;
  private failures = 0;
  /** Start of the epoch in progress: the boundary that ended the last report. */
  private epochStartId = 0;
  /** A double from the start, so that V8 boxes it now (before any epoch) and updates the box in place. */
  private epochStartTime = Date.now() + 0.5;
  /** The epoch closed by the last iteration, examined by the next one. */
  private pending: EpochRange | undefined;

  constructor(options: TimeBasedOptions) {
    super();
    this.options = resolveTimeBasedOptions(options);
    this.slot = claimMonitorSlot('time', 'a time-based leak monitor (startLeakMonitoring)');
    try {
      this.session = new ReportSession({
        options: this.options,
        mode: 'time',
        maxObjectLifetime: this.options.maxObjectLifetime,
      });
      this.timer = setTimeout(() => this.endWarmup(), this.options.warmupPeriod * 1000);
      this.timer.unref();
      // Inside the clean-up: a monitor that fails to start leaves nothing running.
      this.session.output.write(this.startupMessage());
    } catch (error) {
      if (this.timer !== undefined) clearTimeout(this.timer);
      this.slot.release();
      throw error;
    }
  }

  private startupMessage(): string {
    const { maxObjectLifetime: lifetime, warmupPeriod: warmup, saveReports } = this.options;
    // The directory is the program's choice: its control characters escaped.
    const where = saveReports ? ` Reports are saved in ${printable(this.options.reportDirectory)}.` : '';
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
      // Sampling first, so that the first boundary dates its samples too.
      const noSites = startAllocationSampling(this.options);
      if (noSites !== undefined) warn(noSites);
      addon().startTracking();
      this.tracking = true;
      // A second boundary right away: what the first call made (its result, and the property
      // names V8 interns for it the first time) is memalot's and belongs to no epoch.
      this.epochStartId = addon().markBoundary().lastObjectId;
      this.epochStartTime = Date.now();
      // Starting to track took a while: the first epoch, too, lasts the full lifetime.
      this.timer.refresh();
    } catch (error) {
      warn(`could not start tracking heap objects, so monitoring has stopped: ${describeError(error)}`);
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
      const checked = this.pending;
      const scan = checked === undefined ? undefined : scanEpoch(checked, boundary.liveObjects, timeBasedScanOptions(this.options));
      this.session.write({ kind: checked === undefined ? 'warmup' : 'leaks', markedAt, checked, scan });
      // The epoch that ended at this iteration's first boundary is examined by the next one.
      this.pending = {
        afterId: this.epochStartId,
        upToId: boundary.lastObjectId,
        createdAfter: new Date(this.epochStartTime),
        createdBefore: new Date(markedAt),
      };
      this.failures = 0;
    } catch (error) {
      // One bad iteration must not end monitoring, nor reach the program. Its epoch is
      // dropped: the next iteration starts a fresh one.
      this.pending = undefined;
      warn(`iteration ${this.session.iterations} failed: ${describeError(error)}`);
      if (++this.failures >= 3) {
        warn('three iterations in a row failed, so monitoring has stopped');
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
      warn(`could not mark the end of iteration ${this.session.iterations}, so monitoring has stopped: ${describeError(error)}`);
      this.finish();
      return;
    }
    // Re-armed after the closing boundary, so that the next epoch lasts the full lifetime. What
    // re-arming allocates (at most a timer list) is released when the timer fires, well before
    // the epoch it falls in is examined.
    this.timer?.refresh();
  }

  private finish(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    if (this.tracking) {
      this.tracking = false;
      try {
        addon().stopTracking();
      } catch (error) {
        warn(`could not stop tracking heap objects: ${describeError(error)}`);
      }
    }
    this.slot.release();
  }

  stop(): Promise<void> {
    // Iterations run synchronously, so none can be half-done when this runs.
    if (!this.stopped) this.finish();
    return Promise.resolve();
  }
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

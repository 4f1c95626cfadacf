// What the function-based monitors of this thread share: V8's object tracking, the count of
// monitored calls in progress (over all monitors), and the "holes": ranges of IDs in which
// memalot was writing a report while some monitored call was in progress. A call's range of
// IDs spans everything created while it ran, so the holes inside it are taken out of it:
// memalot's own objects are never counted against a call.
import { addon, type NativeBoundary } from '../native/addon.js';
import { startAllocationSampling } from './allocation-sites.js';
import type { IdRange } from './epoch-scan.js';
import type { ResolvedCommonOptions } from './options.js';
import { warn } from './report-session.js';

export class CallTracking {
  /** Monitored calls in progress, over all monitors of this thread. */
  activeCalls = 0;
  private started = false;
  /** Sampling allocations (or told why not), for some monitor's captureAllocationSites. */
  private sampling = false;
  private readonly holes: IdRange[] = [];

  /** Starts V8's object tracking if no monitor has yet. */
  ensureStarted(): void {
    if (this.started) return;
    const native = addon();
    native.startTracking();
    // A second boundary at once: what the first call made belongs to no call.
    native.markBoundary();
    this.started = true;
  }

  /**
   * Starts sampling allocations for a monitor that captures their sites, before the boundary
   * of the call it begins (the first monitor's interval is the one used).
   */
  ensureSampling(options: Pick<ResolvedCommonOptions, 'captureAllocationSites' | 'allocationSampleInterval'>): void {
    if (this.sampling || !options.captureAllocationSites) return;
    this.sampling = true;
    const why = startAllocationSampling(options);
    if (why !== undefined) warn(why);
  }

  get isStarted(): boolean {
    return this.started;
  }

  mark(): NativeBoundary {
    return addon().markBoundary();
  }

  /** How many holes there are now: a range that begins now needs only those after this. */
  get holeCount(): number {
    return this.holes.length;
  }

  holesSince(index: number): IdRange[] {
    return this.holes.slice(index);
  }

  /**
   * Ends a stretch in which memalot made objects (since boundary `afterId`): if a monitored call
   * is in progress, marks a boundary and records the stretch as a hole. The hole's own object is
   * made before that boundary, so it falls inside the hole.
   */
  closeStretch(afterId: number): void {
    if (this.activeCalls === 0) {
      // No range is open, so none needs the hole; the list can start afresh.
      this.holes.length = 0;
      return;
    }
    const hole = { afterId, upToId: afterId };
    this.holes.push(hole);
    hole.upToId = this.mark().lastObjectId;
  }

  /** Stops tracking (when no monitor needs it any more). */
  stop(): void {
    if (!this.started) return;
    this.started = false;
    this.sampling = false;
    this.holes.length = 0;
    addon().stopTracking();
  }
}

/** One per thread, shared by every function-based monitor. */
export const callTracking = new CallTracking();

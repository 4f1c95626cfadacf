// Function-based leak discovery: the objects created while a monitored function runs that are
// still alive after it returns (or after `maxObjectAgeCalls` calls).
//
// A call's objects are the heap object IDs between a boundary marked when it begins and one
// marked when it ends. Calls of one monitor that overlap (an async call that begins before
// another ended, or a call from within another) form one group: their objects are counted
// together, once the last of them ends, and the report says so. With maxObjectAgeCalls N, the
// group that begins a cycle is followed and checked when N calls have ended; the calls in
// between need no boundary at all.
//
// memalot's own objects are never counted: what it keeps for a call is made before the call's
// first boundary; what it makes while reporting falls between two boundaries that are recorded
// as a hole in any call still in progress (see call-tracking.ts); the promise that the wrapper
// of an async function returns, and the value the function returns, are left out by their IDs.
import { types } from 'node:util';
import { addon } from '../native/addon.js';
import { claimMonitorSlot, isMonitorActive } from './active-monitor.js';
import { callTracking } from './call-tracking.js';
import { type EpochRange, scanEpoch } from './epoch-scan.js';
import { type FunctionBasedOptions, resolveFunctionBasedOptions, type ResolvedFunctionBasedOptions } from './options.js';
import { describeError, ReportSession, warn } from './report-session.js';
import { ReportingMonitor } from './reporting-monitor.js';
import { printable } from '../report/render-details.js';
import type { IterationReport } from '../storage/schema.js';

/** The calls whose objects are examined: a call, or calls that overlapped. */
interface CallGroup {
  afterId: number;
  startedAt: number;
  holesFrom: number;
  calls: number;
  overlapped: boolean;
}

interface FollowedCalls extends EpochRange {
  readonly calls: number;
  readonly overlapped: boolean;
}

/** One monitored call; made before the call's first boundary, so that it is never counted. */
export class MonitoredCall implements Disposable {
  /** Warm-up calls need no boundary; unsampled calls and calls after stop() are not monitored. */
  kind: 'monitored' | 'warmup' | 'unmonitored' = 'unmonitored';
  inGroup = false;
  /** The cycle the call began in: a call still running when its cycle is reported counts for none. */
  cycle = 0;
  ended = false;
  // Values memalot holds on the call's behalf, left out of the report: what the function
  // returned, the promise the wrapper returned, what that promise resolved to. Fields, not an
  // array, so that holding them allocates nothing inside the call's range.
  returned: unknown = undefined;
  wrapperPromise: unknown = undefined;
  resolved: unknown = undefined;
  readonly onFulfilled: (value: unknown) => unknown;
  readonly onRejected: (reason: unknown) => never;

  constructor(private readonly monitor: FunctionLeakMonitor) {
    // Made here, before the call's boundary, like everything the call keeps.
    this.onFulfilled = (value) => {
      this.resolved = value;
      this.end();
      return value;
    };
    this.onRejected = (reason) => {
      this.end();
      throw reason;
    };
  }

  /** Ends the call's monitoring; the report, if one is due, is written now. Idempotent. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.monitor.endCall(this);
  }

  [Symbol.dispose](): void {
    this.end();
  }
}

export class FunctionLeakMonitor extends ReportingMonitor {
  private readonly options: ResolvedFunctionBasedOptions;
  protected readonly session: ReportSession;
  private readonly slot: { release(): void };
  private functionName: string;
  private announced = false;
  private stopped = false;
  /** Calls seen, monitored or not (for sampling). */
  private callsSeen = 0;
  private warmupCallsBegun = 0;
  private warmupCallsEnded = 0;
  /** Monitored calls of this monitor in progress. */
  private active = 0;
  private group: CallGroup | undefined;
  private followed: FollowedCalls | undefined;
  /** Calls ended since the followed group began. */
  private cycleCalls = 0;
  private cycle = 0;
  /** Values (and call records) memalot holds for the followed calls: left out of their report. */
  private pendingHeld: unknown[] = [];
  /**
   * The promises the wrapper returned for the followed calls (in pendingHeld too): not counted,
   * but walked through from the stack, since their reactions are the callers awaiting them.
   */
  private pendingPromises: unknown[] = [];
  /** Receives each leak report once written (memalot/testing reads them instead of the console's text). */
  onReport: ((report: IterationReport) => void) | undefined = undefined;

  constructor(options: FunctionBasedOptions | undefined, functionName: string, where: string) {
    super();
    this.options = resolveFunctionBasedOptions(where, options);
    this.functionName = functionName;
    this.slot = claimMonitorSlot('function', `a function-based leak monitor (${where})`);
    try {
      this.session = new ReportSession({
        options: this.options,
        mode: 'function',
        functionName,
      });
    } catch (error) {
      this.slot.release();
      throw error;
    }
  }

  /** The monitored function's name, as reports show it. */
  get name(): string {
    return this.functionName;
  }

  /** Names the function better once known (a decorated method learns its class at its first call). */
  rename(name: string): void {
    if (this.announced) return;
    this.functionName = name;
    this.session.setFunctionName(name);
  }

  /**
   * Runs `fn` as one monitored call. A promise-returning `fn` is monitored until the promise
   * settles; the returned promise settles as fn's does. Errors reach the caller unchanged.
   */
  run<R>(fn: () => R): R {
    if (typeof fn !== 'function') throw new TypeError(`memalot: run() takes a function; got ${typeof fn}`);
    return this.call(fn, undefined, []);
  }

  /** Begins a monitored call that ends when the returned scope is disposed (`using scope = monitor.enter()`). */
  enter(): MonitoredCall {
    return this.takesPart() ? this.beginCall() : new MonitoredCall(this);
  }

  /** Calls `fn` with `thisArg` and `args` as one monitored call (what wrappers use). */
  call<R>(fn: (...args: never[]) => R, thisArg: unknown, args: readonly unknown[]): R {
    // A call left out by sampling (or after stop()) runs as if unwrapped: nothing is made for it.
    if (!this.takesPart()) return Reflect.apply(fn, thisArg, args) as R;
    const call = this.beginCall();
    let result: R;
    try {
      result = Reflect.apply(fn, thisArg, args) as R;
    } catch (error) {
      call.end();
      throw error;
    }
    if (isPromise(result)) {
      if (call.kind === 'unmonitored') return result;
      const derived = result.then(call.onFulfilled, call.onRejected) as R;
      call.returned = result;
      call.wrapperPromise = derived;
      return derived;
    }
    call.returned = result;
    call.end();
    return result;
  }

  /** Counts a call, and says whether it is monitored (one in `callSampling`, none after stop()). */
  private takesPart(): boolean {
    return !this.stopped && this.callsSeen++ % this.options.callSampling === 0;
  }

  /** Begins monitoring a call that takesPart() let in. */
  private beginCall(): MonitoredCall {
    const call = new MonitoredCall(this);
    try {
      if (this.warmupCallsBegun < this.options.warmupCalls) {
        this.warmupCallsBegun++;
        this.announce();
        call.kind = 'warmup';
        return call;
      }
      this.announce();
      // Made before the boundary; dropped unless this call begins a group.
      const group: CallGroup = { afterId: 0, startedAt: 0.5, holesFrom: 0, calls: 0, overlapped: false };
      if (this.followed === undefined && this.group === undefined) {
        callTracking.ensureSampling(this.options);
        callTracking.ensureStarted();
        group.holesFrom = callTracking.holeCount;
        group.startedAt = Date.now();
        group.afterId = callTracking.mark().lastObjectId;
        this.group = group;
      }
      if (this.group !== undefined) {
        if (this.active > 0) this.group.overlapped = true;
        this.group.calls++;
        call.inGroup = true;
      }
      call.kind = 'monitored';
      call.cycle = this.cycle;
      this.active++;
      callTracking.activeCalls++;
    } catch (error) {
      warn(`could not begin monitoring a call to ${this.functionName}, so it runs unmonitored: ${describeError(error)}`);
      call.kind = 'unmonitored';
    }
    return call;
  }

  /**
   * Called once per call by MonitoredCall.end(). It makes no closure: V8 would allocate the
   * closure's context when this runs, before the call's last boundary, and that context would
   * count as an object the call left alive (costing a heap snapshot to find it was memalot's).
   */
  endCall(call: MonitoredCall): void {
    try {
      if (call.kind === 'warmup') {
        if (++this.warmupCallsEnded === this.options.warmupCalls && !this.stopped) this.writeWarmup();
        return;
      }
      if (call.kind !== 'monitored') return;
      this.active--;
      callTracking.activeCalls--;
      if (call.cycle !== this.cycle) return;
      this.cycleCalls++;
      let boundaryId: number | undefined;
      let liveObjects = 0;
      let markedAt = 0;
      if (call.inGroup) {
        const group = this.group;
        if (group === undefined || this.active > 0) {
          // Overlapping calls are still running: the group ends with the last of them.
          this.holdForGroup(call);
          return;
        }
        // The time is read after the boundary: Date.now() makes a heap number, which the stack
        // would still hold at the boundary, inside the call's range.
        const boundary = callTracking.mark();
        markedAt = Date.now();
        boundaryId = boundary.lastObjectId;
        liveObjects = boundary.liveObjects;
        this.group = undefined;
        this.followed = {
          afterId: group.afterId,
          upToId: boundary.lastObjectId,
          createdAfter: new Date(group.startedAt),
          createdBefore: new Date(markedAt),
          holes: callTracking.holesSince(group.holesFrom),
          calls: group.calls,
          overlapped: group.overlapped,
        };
        this.holdForGroup(call);
      }
      const followed = this.followed;
      if (followed === undefined || this.cycleCalls < this.options.maxObjectAgeCalls || this.stopped) {
        if (boundaryId !== undefined) callTracking.closeStretch(boundaryId);
        return;
      }
      if (boundaryId === undefined) {
        const boundary = callTracking.mark();
        markedAt = Date.now();
        boundaryId = boundary.lastObjectId;
        liveObjects = boundary.liveObjects;
      }
      const reportFrom = boundaryId;
      this.writeReport(followed, markedAt, liveObjects);
      callTracking.closeStretch(reportFrom);
    } catch (error) {
      warn(`could not report on a call to ${this.functionName}: ${describeError(error)}`);
      this.followed = undefined;
      this.group = undefined;
      this.cycleCalls = 0;
      this.cycle++;
    }
  }

  private holdForGroup(call: MonitoredCall): void {
    // A call that joined a group already begun was made inside the group's range: its own
    // bookkeeping is memalot's, like the values it holds for the caller.
    this.pendingHeld.push(call.returned, call.wrapperPromise, call.resolved, call, call.onFulfilled, call.onRejected);
    if (call.wrapperPromise !== undefined) this.pendingPromises.push(call.wrapperPromise);
  }

  private writeWarmup(): void {
    const functionCalls = { functionName: this.functionName, calls: this.options.warmupCalls, followedCalls: 0, overlapped: false };
    this.writeStretch(() => this.session.write({ kind: 'warmup', markedAt: Date.now(), functionCalls }));
  }

  private writeReport(followed: FollowedCalls, markedAt: number, liveObjects: number): void {
    // The values memalot holds for the followed calls stay held, by this frame only, until the
    // scan is done: each excluded ID is then alive at every boundary the scan counts at, so
    // that subtracting it from the survivors is exact. Held by the monitor instead, they would
    // be reachable from the roots and what they refer to would count.
    const held = this.pendingHeld;
    const walkedIds = excludedIdsOf(this.pendingPromises, followed);
    this.pendingHeld = [];
    this.pendingPromises = [];
    const excludedIds = excludedIdsOf(held, followed);
    const calls = this.cycleCalls;
    this.followed = undefined;
    this.cycleCalls = 0;
    this.cycle++;
    const scan = scanEpoch({ ...followed, excludedIds, walkedIds }, liveObjects, { ...this.options, confirmSurvivors: true });
    // A use after the scan, so that optimised code keeps `held` alive until here.
    held.length = 0;
    const report = this.session.write({
      kind: 'leaks',
      markedAt,
      checked: followed,
      scan,
      functionCalls: { functionName: this.functionName, calls, followedCalls: followed.calls, overlapped: followed.overlapped },
    });
    this.onReport?.(report);
  }

  /** Writes something while calls may be in progress, inside a hole of its own. */
  private writeStretch(write: () => void): void {
    if (callTracking.activeCalls === 0 || !callTracking.isStarted) {
      write();
      return;
    }
    const from = callTracking.mark().lastObjectId;
    write();
    callTracking.closeStretch(from);
  }

  private announce(): void {
    if (this.announced) return;
    this.announced = true;
    const { warmupCalls, maxObjectAgeCalls, callSampling, saveReports, reportDirectory } = this.options;
    const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
    const sampling = callSampling > 1 ? ` One call in ${callSampling} is monitored.` : '';
    // The function's name and the directory are the program's: their control characters escaped.
    const where = saveReports ? ` Reports are saved in ${printable(reportDirectory)}.` : '';
    this.writeStretch(() =>
      this.session.output.write(
        `Memalot is monitoring for memory leaks for the ${printable(this.functionName)} function. After ${plural(warmupCalls, 'warmup call')}, ` +
          `objects that are created while this function is being called and are still alive after ${plural(maxObjectAgeCalls, 'call')} ` +
          `will be reported as possible leaks.${sampling}${where}`,
      ),
    );
  }

  /** Stops monitoring: later calls run unmonitored. Resolves at once (reports are written synchronously). */
  stop(): Promise<void> {
    if (!this.stopped) {
      this.stopped = true;
      this.slot.release();
      if (callTracking.activeCalls === 0 && !isMonitorActive()) callTracking.stop();
    }
    return Promise.resolve();
  }
}

/**
 * The IDs of the held values that are objects of the range: each once, inside (afterId,
 * upToId] and in none of its holes (an object outside them is not counted, so it must not be
 * subtracted either). Values that are not heap objects have no ID (0) and fall out.
 */
export function excludedIdsOf(held: readonly unknown[], range: EpochRange): number[] {
  const ids = new Set<number>();
  for (const id of addon().objectIds(held)) {
    if (id <= range.afterId || id > range.upToId) continue;
    if ((range.holes ?? []).some((hole) => id > hole.afterId && id <= hole.upToId)) continue;
    ids.add(id);
  }
  return [...ids];
}

/**
 * Only a real promise makes a call asynchronous. Other thenables are returned untouched and the
 * call ends when the function returns: calling `then` on a lazy thenable (a query builder, say)
 * would run it, which monitoring must never do.
 */
function isPromise(value: unknown): value is Promise<unknown> {
  return types.isPromise(value);
}

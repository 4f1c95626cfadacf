// Figure 6: the function-based measurements that run.ts asks bench/function-worker.ts for, one fresh
// process per heap size (a leakMonitor() wrapper holds this thread's monitor slot, and V8's
// object tracking, for as long as the process lives).
/** The two heaps of figure 6 (their sizes and rounds: bench/settings.ts). */
export type HeapSize = 'small' | 'large';
/** Monitored calls of the non-leaking function per round. */
export const NO_LEAK_PER_ROUND: Record<HeapSize, number> = { small: 2, large: 1 };
/**
 * Calls through the saving check monitor before anything is measured: the first starts V8's
 * tracking and compiles memalot's code; the later ones say (in their saved reports) whether a
 * call that leaks nothing takes a heap snapshot. Only on the small heap: what memalot counts
 * does not depend on the heap's size, and on the large heap a call may cost seconds.
 */
export const CHECK_CALLS: Record<HeapSize, number> = { small: 3, large: 1 };
/** Plain calls timed together (one call is far below the clock's resolution). */
export const PLAIN_BATCH_CALLS = 10_000;
/** Batches of plain calls timed before tracking starts, and per round while it is on. */
export const PLAIN_BATCHES_OFF = 15;
export const PLAIN_BATCHES_ON_PER_ROUND = 3;
/**
 * Batches run untimed before those: right after a forced GC or a heap snapshot, the young
 * generation is small and the collector still busy, and a batch takes up to 20 times as long.
 */
export const PLAIN_WARMUP_BATCHES = 15;
/** `callSampling` of the sampled monitor. */
export const CALL_SAMPLING = 100;
/** At most this many monitored calls per sampled batch (1,000 calls). */
export const SAMPLED_MAX_MONITORED = 10;
/** Time a sampled batch may take: fewer monitored calls per batch when a monitored call is slow. */
export const SAMPLED_BATCH_BUDGET_MS: Record<HeapSize, number> = { small: 1_000, large: 7_000 };
/** Objects the leaking function keeps per call. */
export const LEAKED_PER_CALL = 1_000;
/** Objects the non-leaking function allocates (and drops) per call. */
export const WORK_OBJECTS = 8;

/** What the saved reports of the check monitor's calls (after its first) say. */
export interface CheckResult {
  readonly calls: number;
  readonly snapshots: number;
  /** survivingObjects of each checked call (countAlive over the call's IDs, less memalot's own). */
  readonly survivingObjects: number[];
  readonly survivingBytes: number[];
  /** Types in the summaries of those calls, summed (none when nothing leaked). */
  readonly summaryTypes: number;
}

/** Reports received by an outputFunc: bodies that found leaks, that found none, and the objects they counted. */
export interface ReportCounts {
  readonly noLeaks: number;
  readonly withLeaks: number;
}

export interface FunctionResult {
  readonly size: HeapSize;
  readonly heapUsed: number;
  readonly items: number;
  /** Nodes in the JS route's snapshot in the child. */
  readonly jsNodes: number;
  /** ms per call, one value per batch of PLAIN_BATCH_CALLS. */
  readonly plainOff: number[];
  readonly plainOn: number[];
  /** ms per monitored call of the non-leaking function (every call monitored). */
  readonly noLeak: number[];
  /** Calls per sampled batch, and how many of them were monitored. */
  readonly sampledCalls: number;
  readonly sampledMonitored: number;
  /** ms per call, averaged over a sampled batch; one value per batch. */
  readonly sampled: number[];
  /** ms per monitored call of the leaking function, report included. */
  readonly leak: number[];
  /** Objects the report of each leaking call counted (parsed from its text). */
  readonly leakReported: number[];
  /** ms of each JS route (v8.getHeapSnapshot() read fully + JSON.parse), interleaved with the above. */
  readonly jsRoute: number[];
  readonly noLeakReports: ReportCounts;
  readonly sampledReports: ReportCounts;
  readonly check: CheckResult;
}

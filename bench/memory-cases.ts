// The memory measurements that run.ts asks bench/memory-worker.ts for, one fresh process per child case.
import type { HeapSize } from './heap.js';

/** What one child process measures: both memalot iterations, or one JS-route operation. */
export const MEMORY_CHILDREN = ['iterations', 'write-file', 'js-route'] as const;
export type MemoryChild = (typeof MEMORY_CHILDREN)[number];

/** The operations measured, in table order. */
export const MEMORY_CASES = ['iter-none', 'iter-surv', 'write-file', 'js-route'] as const;
export type MemoryCase = (typeof MEMORY_CASES)[number];

export interface MemoryResult {
  readonly case: MemoryCase;
  readonly size: HeapSize;
  readonly heapUsed: number;
  /** RSS right before the operation. */
  readonly rssBefore: number;
  /** Highest RSS during the operation: exact (from maxRSS) when it set a new process peak, else sampled. */
  readonly peakRss: number;
  readonly peakExact: boolean;
  readonly sampledPeakRss: number;
  readonly maxRssBefore: number;
  readonly maxRssAfter: number;
  /** RSS after the operation and a full GC: what the process keeps. */
  readonly rssAfter: number;
  /** RSS added by startTracking() (V8's heap-objects map), for the iteration cases. */
  readonly trackingRss: number | null;
  readonly opMs: number;
  /** For the iteration cases: whether the scan took a heap snapshot, and the survivors it counted. */
  readonly snapshotTaken: boolean | null;
  readonly survivingObjects: number | null;
}

export const LEAKED_SESSIONS = 10_000;

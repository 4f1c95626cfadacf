// memalot's time-based iteration, driven the way lib/monitor/time-based.ts drives it (minus the
// report rendering and writing): each iteration marks a boundary, examines the epoch that the
// previous iteration closed (countAlive, and a heap snapshot only if something survived), and
// ends with a second boundary. Everything here avoids leaving JavaScript objects alive across
// epochs: results go into typed arrays and module-level small integers.
import { addon } from '../lib/native/addon.js';
import { scanEpoch, type ScanOptions } from '../lib/monitor/epoch-scan.js';
import { LeakedSession } from './heap.js';

/** The monitor's defaults, but for object details (measured on their own, in details.ts). */
const SCAN_OPTIONS: ScanOptions = {
  includedTypeNames: [],
  excludedTypeNames: [],
  computeSizeInLeakSummary: false,
  maxObjectDetails: 0,
};
const EPOCH_TIME = new Date(0);

let epochStartId = 0;
let pendingAfter = -1;
let pendingUpTo = -1;

/**
 * The last iteration's scan: [scanned (0/1), snapshotTaken (0/1), snapshotNodes, survivingObjects,
 * scanEpoch ms, snapshot skipped for want of memory (0/1), types in the summary (V8's internal
 * objects, such as compiled code, are counted as survivors but left out of the summary)].
 */
export const lastScan = new Float64Array(7);

export function startTracking(): void {
  const native = addon();
  native.startTracking();
  epochStartId = native.markBoundary().lastObjectId;
  pendingAfter = -1;
  pendingUpTo = -1;
}

export function stopTracking(): void {
  addon().stopTracking();
  pendingAfter = -1;
}

/** One bare epoch boundary (a full GC and an update of V8's heap-objects map). */
export function markBoundaryOnce(): void {
  addon().markBoundary();
}

/** One time-based iteration: markBoundary, scanEpoch of the pending epoch, markBoundary. */
export function iteration(): void {
  const native = addon();
  const boundary = native.markBoundary();
  if (pendingAfter >= 0) {
    const scan = scanEpoch(
      { afterId: pendingAfter, upToId: pendingUpTo, createdAfter: EPOCH_TIME, createdBefore: EPOCH_TIME },
      boundary.liveObjects,
      SCAN_OPTIONS,
    );
    lastScan[0] = 1;
    lastScan[1] = scan.snapshotTaken ? 1 : 0;
    lastScan[2] = scan.snapshotNodes ?? 0;
    lastScan[3] = scan.survivingObjects;
    lastScan[4] = scan.durationMs;
    lastScan[5] = scan.snapshotSkipped === undefined ? 0 : 1;
    lastScan[6] = scan.typeSummaries.length;
  } else {
    lastScan.fill(0);
  }
  pendingAfter = epochStartId;
  pendingUpTo = boundary.lastObjectId;
  epochStartId = native.markBoundary().lastObjectId;
}

/**
 * An iteration without the scan: closes the current epoch as the pending one, which the next
 * iteration examines. Used to set up an iteration without paying for a scan (and the heap
 * snapshot that V8's own new objects, such as freshly compiled code, can trigger).
 */
export function closeEpoch(): void {
  const native = addon();
  const boundary = native.markBoundary();
  pendingAfter = epochStartId;
  pendingUpTo = boundary.lastObjectId;
  epochStartId = native.markBoundary().lastObjectId;
}

let leaks: LeakedSession[] | undefined;

/** Leaks `count` sessions in the current epoch (kept until releaseLeaks). */
export function makeLeaks(count: number): void {
  const made = new Array<LeakedSession>(count);
  for (let i = 0; i < count; i++) made[i] = new LeakedSession(i);
  leaks = made;
}

export function releaseLeaks(): void {
  leaks = undefined;
}

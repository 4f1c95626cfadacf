// A period with survivors, as memalot's time-based monitor sees one: a heap grown to a target
// size, V8's object tracking on, and LEAKED objects made between two epoch boundaries and held
// by a module-level Map (the known leak). `report()` is memalot's own code path for the report
// of that period: scanEpoch (summary, and the snapshot when survivors need one), then
// ReportSession.write (details, referrer graphs, retained sizes, rendering), output discarded.
import { addon } from '../lib/native/addon.js';
import { scanEpoch } from '../lib/monitor/epoch-scan.js';
import { resolveTimeBasedOptions } from '../lib/monitor/options.js';
import { ReportSession } from '../lib/monitor/report-session.js';
import { timeBasedScanOptions } from '../lib/monitor/time-based.js';
import { gc, growHeapTo, LeakedSession } from './heap.js';
import { performance } from 'node:perf_hooks';

export const LEAKED = 10_000;
export const DETAILS = 30;

const sessionCache = new Map<string, LeakedSession>();
/** A function that uses the cache makes it a module variable, as in a real program. */
function openSession(i: number): void {
  sessionCache.set(`sess-${i}`, new LeakedSession(i));
}

export interface Period {
  readonly heapUsed: number;
  /** One report of the period with `maxObjectDetails` details: ms of [closing boundary, scanEpoch + write], and what it found. */
  report(maxObjectDetails: number, summaryFromSnapshot?: boolean): {
    boundaryMs: number;
    reportMs: number;
    survivors: number;
    snapshotTaken: boolean;
    detailed: number;
    /** Survivors the summary named, and (a summary without a snapshot) those it only counted. */
    named: number;
    unnamed: number | null;
  };
}

/** Builds the heap (about `heapBytes` used), starts tracking and leaks LEAKED sessions in one epoch. */
export function makePeriod(heapBytes: number): Period {
  const native = addon();
  growHeapTo(heapBytes - 2 * 1024 * 1024);
  native.startTracking();
  const before = native.markBoundary();
  for (let i = 0; i < LEAKED; i++) openSession(i);
  const after = native.markBoundary();
  gc();
  const range = { afterId: before.lastObjectId, upToId: after.lastObjectId, createdAfter: new Date(), createdBefore: new Date() };
  const sessions = new Map<string, ReportSession>();
  const optionsFor = (maxObjectDetails: number, summaryFromSnapshot: boolean) =>
    resolveTimeBasedOptions({ maxObjectLifetime: 1, maxObjectDetails, summaryFromSnapshot, saveReports: false, outputFunc: () => {} });
  return {
    heapUsed: process.memoryUsage().heapUsed,
    report(maxObjectDetails, summaryFromSnapshot = false) {
      const options = optionsFor(maxObjectDetails, summaryFromSnapshot);
      const key = `${maxObjectDetails}/${summaryFromSnapshot}`;
      let session = sessions.get(key);
      if (session === undefined) {
        session = new ReportSession({ options, mode: 'time', maxObjectLifetime: 1 });
        sessions.set(key, session);
      }
      const t0 = performance.now();
      const boundary = native.markBoundary();
      const t1 = performance.now();
      const scan = scanEpoch(range, boundary.liveObjects, timeBasedScanOptions(options));
      const report = session.write({ kind: 'leaks', markedAt: Date.now(), checked: range, scan });
      const t2 = performance.now();
      if (maxObjectDetails > 0 && !report.objectDetails.some((d) => d.referrerGraph?.nodes.some((n) => n.name.includes('sessionCache')))) {
        throw new Error('the benchmark report did not find sessionCache as a referrer');
      }
      const named = scan.typeSummaries.reduce((sum, s) => sum + s.count, 0);
      const unnamed = scan.objectWalk?.unnamedObjects ?? null;
      return { boundaryMs: t1 - t0, reportMs: t2 - t1, survivors: scan.survivingObjects, snapshotTaken: scan.snapshotTaken, detailed: report.objectDetails.length, named, unnamed };
    },
  };
}

/** One bare V8 TakeHeapSnapshot through the addon, timed; the snapshot is then deleted, untimed. */
export function bareSnapshot(): { ms: number; nodes: number } {
  const t0 = performance.now();
  const graph = addon().takeSnapshot();
  const ms = performance.now() - t0;
  const nodes = graph.nodeCount;
  graph.dispose();
  return { ms, nodes };
}

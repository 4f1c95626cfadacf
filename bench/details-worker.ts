// The object-details benchmark, in a fresh process: a ~50 MB heap with 10,000 leaked objects
// held by a module-level Map, where one report iteration with 30 detailed objects (memalot's
// own code path: scanEpoch, then ReportSession.write with referrer graphs, retained sizes and
// string forms) is timed against one bare V8 TakeHeapSnapshot of the same heap, in rounds. The
// report uses both cores of the machine where it can (native/isolate_handoff.h); the times are
// wall-clock times, what the program waits.
// Prints one JSON line: a DetailsResult (details-cases.ts).
import { performance } from 'node:perf_hooks';
import { addon } from '../lib/native/addon.js';
import { scanEpoch } from '../lib/monitor/epoch-scan.js';
import { resolveTimeBasedOptions } from '../lib/monitor/options.js';
import { ReportSession } from '../lib/monitor/report-session.js';
import { DETAILS_HEAP_BYTES, DETAILS_LEAKED, DETAILS_OBJECTS, type DetailsResult } from './details-cases.js';
import { gc, growHeapTo, LeakedSession } from './heap.js';


const rounds = Number(process.argv[2] ?? 3);
const sessionCache = new Map<string, LeakedSession>();
/** A function that uses the cache makes it a module variable (in the module's context), as in a real program. */
function openSession(i: number): void {
  sessionCache.set(`sess-${i}`, new LeakedSession(i));
}

const native = addon();
growHeapTo(DETAILS_HEAP_BYTES - 2 * 1024 * 1024);
native.startTracking();
const before = native.markBoundary();
for (let i = 0; i < DETAILS_LEAKED; i++) openSession(i);
const after = native.markBoundary();
gc();
const heapUsed = process.memoryUsage().heapUsed;

const options = resolveTimeBasedOptions({
  maxObjectLifetime: 1,
  maxObjectDetails: DETAILS_OBJECTS,
  saveReports: false,
  outputFunc: () => {},
});
const session = new ReportSession({ options, mode: 'time', maxObjectLifetime: 1 });
const range = { afterId: before.lastObjectId, upToId: after.lastObjectId, createdAfter: new Date(), createdBefore: new Date() };

const snapshotMs: number[] = [];
const snapshotDeleteMs: number[] = [];
const reportMs: number[] = [];
const boundaryMs: number[] = [];
const scanMs: number[] = [];
const writeMs: number[] = [];
let nodes = 0;
let detailed = 0;
for (let round = 0; round < rounds; round++) {
  // The bare call: V8's TakeHeapSnapshot, and (timed apart) the Delete that frees it.
  let started = performance.now();
  const graph = native.takeSnapshot();
  const taken = performance.now();
  snapshotMs.push(taken - started);
  nodes = graph.nodeCount;
  graph.dispose();
  snapshotDeleteMs.push(performance.now() - started);
  gc();

  // memalot's report iteration: the boundary that ends the period (timed apart), then the report.
  const beforeBoundary = performance.now();
  const boundary = native.markBoundary();
  boundaryMs.push(performance.now() - beforeBoundary);
  started = performance.now();
  const scan = scanEpoch(range, boundary.liveObjects, options);
  const scanned = performance.now();
  const report = session.write({ kind: 'leaks', markedAt: Date.now(), checked: range, scan });
  const done = performance.now();
  reportMs.push(done - started);
  scanMs.push(scanned - started);
  writeMs.push(done - scanned);
  detailed = report.objectDetails.length;
  if (!report.objectDetails.some((d) => d.referrerGraph?.nodes.some((n) => n.name.includes('sessionCache')))) {
    const names = report.objectDetails[0]?.referrerGraph?.nodes.map((n) => n.name).join(' | ');
    throw new Error(`the benchmark report did not find sessionCache as a referrer: ${names}`);
  }
  gc();
}
native.stopTracking();
const result: DetailsResult = {
  heapUsed,
  nodes,
  detailed,
  leaked: sessionCache.size,
  snapshotMs,
  snapshotDeleteMs,
  boundaryMs,
  reportMs,
  scanMs,
  writeMs,
};
process.stdout.write(`${JSON.stringify(result)}\n`);

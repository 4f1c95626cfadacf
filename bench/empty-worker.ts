// Figure 4, in a fresh process: a time-based iteration in which nothing of the period survived
// (closing boundary, scanEpoch: countAlive finds nothing so no snapshot, and the "no leaks"
// report written and discarded), against one bare epoch boundary (markBoundary: GetHeapStats
// after a full GC), alternately on the same heap:
//   node --expose-gc dist/bench/empty-worker.js <heapMB> <rounds>
// Results go into typed arrays so that the measuring leaves no objects alive in the periods.
import { performance } from 'node:perf_hooks';
import { addon } from '../lib/native/addon.js';
import { scanEpoch } from '../lib/monitor/epoch-scan.js';
import { resolveTimeBasedOptions } from '../lib/monitor/options.js';
import { ReportSession } from '../lib/monitor/report-session.js';
import { progress, workerMain } from './child.js';
import { growHeapTo, MB } from './heap.js';

export interface EmptyResult {
  readonly heapUsed: number;
  /** Per round; null where the iteration found survivors after all. */
  readonly iterationMs: (number | null)[];
  readonly boundaryMs: number[];
  /** Iterations that found survivors after all (V8's own new objects, such as compiled code): left out of iterationMs. */
  readonly withSurvivors: number;
}

workerMain('empty-worker', (): EmptyResult => {
  const heapMB = Number(process.argv[2]);
  const rounds = Number(process.argv[3]);
  const native = addon();
  const heapUsed = growHeapTo(heapMB * MB);
  native.startTracking();
  const options = resolveTimeBasedOptions({ maxObjectLifetime: 1, saveReports: false, outputFunc: () => {} });
  const session = new ReportSession({ options, mode: 'time', maxObjectLifetime: 1 });
  const iterationMs = new Float64Array(rounds);
  const boundaryMs = new Float64Array(rounds);
  const counts = new Int32Array(2); // [kept iterations, iterations with survivors]
  // The examined period lies between two back-to-back boundaries, in which no code of ours
  // runs (as in the monitor, which examines an older epoch than the one it just closed): a
  // boundary's own result object, or a double held by an unoptimised frame, would survive.
  const period = new Float64Array(2);
  const openEmptyPeriod = (): void => {
    period[0] = native.markBoundary().lastObjectId;
    period[1] = native.markBoundary().lastObjectId;
  };
  const iterate = (): number => {
    openEmptyPeriod();
    const t0 = performance.now();
    const end = native.markBoundary();
    const range = { afterId: period[0]!, upToId: period[1]!, createdAfter: new Date(0), createdBefore: new Date(0) };
    const scan = scanEpoch(range, end.liveObjects, options);
    session.write({ kind: 'leaks', markedAt: 0, checked: range, scan });
    const ms = performance.now() - t0;
    return scan.survivingObjects === 0 ? ms : -1;
  };
  for (let i = 0; i < 3; i++) iterate(); // compiles memalot's code, whose new objects survive a period
  for (let round = 0; round < rounds; round++) {
    const ms = iterate();
    iterationMs[round] = ms >= 0 ? ms : Number.NaN;
    counts[ms >= 0 ? 0 : 1]! += 1;
    const b0 = performance.now();
    native.markBoundary();
    boundaryMs[round] = performance.now() - b0;
  }
  native.stopTracking();
  progress('empty', `heap ${(heapUsed / MB).toFixed(1)} MB: ${counts[0]} iterations without survivors, ${counts[1]} with`);
  return { heapUsed, iterationMs: Array.from(iterationMs, (ms) => (Number.isNaN(ms) ? null : ms)), boundaryMs: Array.from(boundaryMs), withSurvivors: counts[1]! };
});

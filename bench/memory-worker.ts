// Memory measurements in a fresh process (resourceUsage().maxRSS is process-wide):
//   node --expose-gc dist/bench/memory-worker.js <iterations|write-file|js-route> <small|large>
// Builds the heap, prepares, then runs each operation once while a worker thread samples the
// process's RSS every millisecond. Prints one JSON line per operation (MemoryResult) on stdout.
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { closeEpoch, iteration, lastScan, makeLeaks, startTracking, stopTracking } from './epochs.js';
import { gc, growHeapTo, HEAP_TARGETS, type HeapSize } from './heap.js';
import { jsRoute, writeSnapshotFile } from './js-route.js';
import { LEAKED_SESSIONS, MEMORY_CHILDREN, type MemoryCase, type MemoryChild, type MemoryResult } from './memory-cases.js';

const SAMPLER = `
const { workerData } = require('node:worker_threads');
const peak = new Float64Array(workerData.peak);
const control = new Int32Array(workerData.control);
while (Atomics.load(control, 0) === 0) {
  const rss = process.memoryUsage.rss();
  if (rss > peak[0]) peak[0] = rss;
  Atomics.wait(control, 0, 0, 1);
}
`;

function maxRss(): number {
  return process.resourceUsage().maxRSS * 1024; // kilobytes
}

const peakBuffer = new SharedArrayBuffer(8);
const controlBuffer = new SharedArrayBuffer(4);
const peak = new Float64Array(peakBuffer);
const control = new Int32Array(controlBuffer);
/** [heapUsed, RSS added by startTracking (or -1)]: numbers kept out of JS objects while tracking. */
const setup = new Float64Array([0, -1]);

/** Runs `op` once and describes its memory. `op` returns its duration in ms. */
async function measure(kind: MemoryCase, size: HeapSize, op: () => number | Promise<number>): Promise<MemoryResult> {
  gc();
  const rssBefore = process.memoryUsage.rss();
  const maxRssBefore = maxRss();
  peak[0] = rssBefore;
  const opMs = await op();
  const maxRssAfter = maxRss();
  const sampledPeakRss = Math.max(peak[0]!, process.memoryUsage.rss());
  gc();
  const rssAfter = process.memoryUsage.rss();
  const tracked = kind === 'iter-none' || kind === 'iter-surv';
  const peakExact = maxRssAfter > maxRssBefore;
  return {
    case: kind,
    size,
    heapUsed: setup[0]!,
    rssBefore,
    peakRss: peakExact ? maxRssAfter : sampledPeakRss,
    peakExact,
    sampledPeakRss,
    maxRssBefore,
    maxRssAfter,
    rssAfter,
    trackingRss: setup[1]! >= 0 ? setup[1]! : null,
    opMs,
    snapshotTaken: tracked ? lastScan[1] === 1 : null,
    survivingObjects: tracked ? lastScan[3]! : null,
  };
}

function timedIteration(): number {
  const started = performance.now();
  iteration();
  return performance.now() - started;
}

async function main(): Promise<void> {
  const [child, size] = process.argv.slice(2) as [MemoryChild | undefined, HeapSize | undefined];
  if (child === undefined || !MEMORY_CHILDREN.includes(child) || (size !== 'small' && size !== 'large')) {
    throw new Error(`usage: memory-worker <${MEMORY_CHILDREN.join('|')}> <small|large>`);
  }
  const sampler = new Worker(SAMPLER, { eval: true, workerData: { peak: peakBuffer, control: controlBuffer } });
  await once(sampler, 'online');
  setup[0] = growHeapTo(HEAP_TARGETS[size]);
  const results: MemoryResult[] = [];
  if (child === 'iterations') {
    gc();
    const before = process.memoryUsage.rss();
    startTracking();
    gc();
    setup[1] = process.memoryUsage.rss() - before;
    closeEpoch(); // the epoch of the set-up above, examined by no one
    closeEpoch(); // an empty epoch, for the iteration without survivors
    results.push(await measure('iter-none', size, timedIteration));
    makeLeaks(LEAKED_SESSIONS);
    closeEpoch(); // the epoch of the leaks, which the next iteration examines
    results.push(await measure('iter-surv', size, timedIteration));
    stopTracking();
  } else {
    makeLeaks(LEAKED_SESSIONS); // the same heap as in the iteration with survivors
    if (child === 'write-file') {
      results.push(await measure('write-file', size, () => writeSnapshotFile(() => performance.now()).ms));
    } else {
      results.push(
        await measure('js-route', size, async () => {
          const started = performance.now();
          await jsRoute();
          return performance.now() - started;
        }),
      );
    }
  }
  Atomics.store(control, 0, 1);
  Atomics.notify(control, 0);
  await sampler.terminate();
  for (const result of results) process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`memory-worker: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

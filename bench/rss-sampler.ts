// The process's peak RSS during one synchronous operation: a worker thread samples RSS every
// millisecond (the main thread is blocked while V8 takes a snapshot), and the kernel's
// high-water mark (maxRSS) is taken when the operation set a new one.
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';

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

export interface RssSampler {
  /** Peak RSS in bytes while `op` ran, and RSS just before it. */
  during(op: () => unknown): Promise<{ peak: number; before: number }>;
  stop(): Promise<void>;
}

export async function startRssSampler(): Promise<RssSampler> {
  const peakBuffer = new SharedArrayBuffer(8);
  const controlBuffer = new SharedArrayBuffer(4);
  const peak = new Float64Array(peakBuffer);
  const control = new Int32Array(controlBuffer);
  const worker = new Worker(SAMPLER, { eval: true, workerData: { peak: peakBuffer, control: controlBuffer } });
  await once(worker, 'online');
  const maxRss = (): number => process.resourceUsage().maxRSS * 1024;
  return {
    async during(op) {
      const before = process.memoryUsage.rss();
      const maxBefore = maxRss();
      peak[0] = before;
      await op();
      const maxAfter = maxRss();
      const sampled = Math.max(peak[0]!, process.memoryUsage.rss());
      return { peak: maxAfter > maxBefore ? Math.max(maxAfter, sampled) : sampled, before };
    },
    async stop() {
      Atomics.store(control, 0, 1);
      Atomics.notify(control, 0);
      await worker.terminate();
    },
  };
}

// Figure 7, in a fresh process: peak RSS while memalot makes a full report (30 details) of a
// period with survivors, against peak RSS while V8 takes one bare TakeHeapSnapshot of the same
// heap (and deletes it), alternately; the bare snapshot first in odd rounds, the report first
// in even ones:
//   node --expose-gc dist/bench/rss-worker.js <heapMB> <rounds>
import { progress, workerMain } from './child.js';
import { gc, MB } from './heap.js';
import { bareSnapshot, DETAILS, makePeriod } from './period.js';
import { startRssSampler } from './rss-sampler.js';

export interface RssResult {
  readonly heapUsed: number;
  readonly reportPeak: number[];
  readonly reportBefore: number[];
  readonly barePeak: number[];
  readonly bareBefore: number[];
}

workerMain('rss-worker', async (): Promise<RssResult> => {
  const heapMB = Number(process.argv[2]);
  const rounds = Number(process.argv[3]);
  const sampler = await startRssSampler();
  const period = makePeriod(heapMB * MB);
  const r: RssResult = { heapUsed: period.heapUsed, reportPeak: [], reportBefore: [], barePeak: [], bareBefore: [] };
  const bare = async (): Promise<void> => {
    gc();
    const m = await sampler.during(() => bareSnapshot());
    r.barePeak.push(m.peak);
    r.bareBefore.push(m.before);
  };
  const report = async (): Promise<void> => {
    gc();
    const m = await sampler.during(() => period.report(DETAILS));
    r.reportPeak.push(m.peak);
    r.reportBefore.push(m.before);
  };
  for (let round = 0; round < rounds; round++) {
    if (round % 2 === 0) {
      await bare();
      await report();
    } else {
      await report();
      await bare();
    }
    progress('rss', `round ${round + 1}/${rounds}: peak RSS bare snapshot ${(r.barePeak.at(-1)! / MB).toFixed(0)} MB, report ${(r.reportPeak.at(-1)! / MB).toFixed(0)} MB`);
  }
  await sampler.stop();
  return r;
});

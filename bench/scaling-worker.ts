// Figure 8, one heap size per fresh process: the full report (30 details) of a period with
// survivors and, alternately, one bare TakeHeapSnapshot of the same heap:
//   node --expose-gc dist/bench/scaling-worker.js <heapMB> <rounds>
import { progress, workerMain } from './child.js';
import { gc, MB } from './heap.js';
import { bareSnapshot, DETAILS, makePeriod } from './period.js';

export interface ScalingResult {
  readonly heapMB: number;
  readonly heapUsed: number;
  readonly nodes: number;
  readonly reportMs: number[];
  readonly bareMs: number[];
}

workerMain('scaling-worker', (): ScalingResult => {
  const heapMB = Number(process.argv[2]);
  const rounds = Number(process.argv[3]);
  const period = makePeriod(heapMB * MB);
  const r = { heapMB, heapUsed: period.heapUsed, nodes: 0, reportMs: [] as number[], bareMs: [] as number[] };
  for (let round = 0; round < rounds; round++) {
    gc();
    const bare = bareSnapshot();
    r.bareMs.push(bare.ms);
    r.nodes = bare.nodes;
    gc();
    r.reportMs.push(period.report(DETAILS).reportMs);
    progress('scaling', `${heapMB} MB round ${round + 1}/${rounds}: bare snapshot ${bare.ms.toFixed(0)} ms, report ${r.reportMs.at(-1)!.toFixed(0)} ms`);
  }
  return r;
});

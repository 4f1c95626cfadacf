// Figures 1-3, in a fresh process on one heap with a period of survivors (period.ts):
//   node --expose-gc dist/bench/reports-worker.js <heapMB> <rounds>
// Each round times, one after the other on the same heap: the JS route (v8.getHeapSnapshot +
// JSON.parse), memlab's route (write the snapshot, getFullHeapFromFile), memalot's summary-only
// report (maxObjectDetails: 0), the same from a snapshot (summaryFromSnapshot), one bare
// TakeHeapSnapshot, and memalot's full report (30 details).
import { jsRoute } from './js-route.js';
import { gc, MB } from './heap.js';
import { loadMemlab, memlabRoute } from './memlab-route.js';
import { bareSnapshot, DETAILS, LEAKED, makePeriod } from './period.js';
import { progress, workerMain } from './child.js';
import { performance } from 'node:perf_hooks';

export interface ReportsResult {
  readonly heapUsed: number;
  readonly nodes: number;
  readonly leaked: number;
  readonly detailed: number;
  readonly jsRouteMs: number[];
  readonly bareMs: number[];
  readonly summaryMs: number[];
  readonly summaryBoundaryMs: number[];
  readonly summarySnapshotTaken: boolean[];
  /** The same summary with summaryFromSnapshot: true (the way every summary was made before the walk). */
  readonly summaryFromSnapshotMs: number[];
  /** What the walk's summary named, and left unnamed, in the last round. */
  readonly summaryNamed: number;
  readonly summaryUnnamed: number | null;
  readonly fullMs: number[];
  readonly memlabMs: number[];
  readonly memlabUnavailable: string | null;
}

workerMain('reports-worker', async (): Promise<ReportsResult> => {
  const heapMB = Number(process.argv[2]);
  const rounds = Number(process.argv[3]);
  const memlab = loadMemlab();
  const period = makePeriod(heapMB * MB);
  progress('reports', `heap ${(period.heapUsed / MB).toFixed(1)} MB${'unavailable' in memlab ? `; memlab: ${memlab.unavailable}` : ''}`);
  const r = {
    heapUsed: period.heapUsed, nodes: 0, leaked: LEAKED, detailed: 0,
    jsRouteMs: [] as number[], bareMs: [] as number[], summaryMs: [] as number[], summaryBoundaryMs: [] as number[],
    summarySnapshotTaken: [] as boolean[], summaryFromSnapshotMs: [] as number[], summaryNamed: 0, summaryUnnamed: null as number | null, fullMs: [] as number[], memlabMs: [] as number[],
    memlabUnavailable: 'unavailable' in memlab ? memlab.unavailable : null,
  };
  for (let round = 1; round <= rounds; round++) {
    // The order matters, measured: a snapshot taken right after the JS route (which frees its
    // snapshot without giving the memory back) reused glibc's free pages and took 0.7x of one
    // taken after memalot's reports, which give theirs back (malloc_trim). So the bare snapshot
    // and the full report that figure 2 compares each follow a report that gave its memory back.
    gc();
    const j0 = performance.now();
    await jsRoute();
    r.jsRouteMs.push(performance.now() - j0);
    gc();
    if ('getFullHeapFromFile' in memlab) {
      const m = await memlabRoute(memlab.getFullHeapFromFile);
      r.memlabMs.push(m.writeMs + m.analyseMs);
      gc();
    }
    const summary = period.report(0);
    r.summaryMs.push(summary.reportMs);
    r.summaryBoundaryMs.push(summary.boundaryMs);
    r.summarySnapshotTaken.push(summary.snapshotTaken);
    r.summaryNamed = summary.named;
    r.summaryUnnamed = summary.unnamed;
    gc();
    const fromSnapshot = period.report(0, true);
    r.summaryFromSnapshotMs.push(fromSnapshot.reportMs);
    gc();
    const bare = bareSnapshot();
    r.bareMs.push(bare.ms);
    r.nodes = bare.nodes;
    gc();
    const full = period.report(DETAILS);
    r.fullMs.push(full.reportMs);
    r.detailed = full.detailed;
    progress(
      'reports',
      `round ${round}/${rounds}: JS route ${r.jsRouteMs.at(-1)!.toFixed(0)} ms, memlab ${r.memlabMs.at(-1)?.toFixed(0) ?? 'n/a'} ms, ` +
        `summary report ${summary.reportMs.toFixed(0)} ms (from a snapshot ${fromSnapshot.reportMs.toFixed(0)} ms), bare snapshot ${bare.ms.toFixed(0)} ms, full report ${full.reportMs.toFixed(0)} ms`,
    );
  }
  return r;
});

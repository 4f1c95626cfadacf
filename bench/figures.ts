// The eight figures of the benchmark (issue 16), each a ratio of two things measured side by
// side in this run, from the workers' results; and their goals.
import type { EmptyResult } from './empty-worker.js';
import { CALL_SAMPLING, type FunctionResult } from './function-cases.js';
import type { HttpRun } from './http-run.js';
import type { ReportsResult } from './reports-worker.js';
import type { RssResult } from './rss-worker.js';
import type { ScalingResult } from './scaling-worker.js';
import { fitExponent, formatMB, median, overMedian, pairedRatios, type Spread, spread } from './stats.js';

export interface FigureRow {
  /** "1", "5a", ...: the figure's number in issue 16, with a letter where it has several rows. */
  readonly id: string;
  readonly name: string;
  readonly heap: string;
  readonly value: Spread | null;
  /** Why there is no value. */
  readonly notMeasured?: string;
  readonly goal: string;
  /** null: the figure has no goal (figure 6), or was not measured. */
  readonly met: boolean | null;
  /** A ratio ("0.83x"), or a bare number (the fitted exponent). */
  readonly unit: 'ratio' | 'exponent';
}

export interface Results {
  readonly reports: ReportsResult;
  readonly empty: EmptyResult;
  readonly http: {
    readonly off: HttpRun;
    readonly on: HttpRun;
    readonly summaryOnly: HttpRun;
    /** V8's object tracking and an iteration's two boundaries every `lifetime` seconds, no report: the floor of 5a and 5b. */
    readonly tracking: HttpRun;
    readonly seconds: number;
    readonly lifetime: number;
  };
  readonly functions: readonly FunctionResult[];
  readonly rss: RssResult;
  readonly scaling: readonly ScalingResult[];
}

const atMost = (limit: number) => (s: Spread | null): boolean | null => (s === null || s.n === 0 ? null : s.median <= limit);
const atLeast = (limit: number) => (s: Spread | null): boolean | null => (s === null || s.n === 0 ? null : s.median >= limit);
const one = (v: number): Spread => spread([v]);

function row(id: string, name: string, heap: string, value: Spread | null, goal: string, test: ((s: Spread | null) => boolean | null) | null, notMeasured?: string): FigureRow {
  return { id, name, heap, value, goal, met: test === null ? null : test(value), unit: id === '8' ? 'exponent' : 'ratio', ...(notMeasured === undefined ? {} : { notMeasured }) };
}

function rps(run: HttpRun): number {
  return run.client.requests / (run.client.durationMs / 1000);
}

export function figures(r: Results): FigureRow[] {
  const rep = r.reports;
  const repHeap = `${formatMB(rep.heapUsed)}, ${rep.nodes.toLocaleString('en-US')} nodes`;
  const { off, on, summaryOnly, tracking } = r.http;
  const httpHeap = `server ${formatMB(off.server.heapUsedAtStart)} at start`;
  const rows: FigureRow[] = [
    row('1', 'Figure 1: summary-only report (maxObjectDetails: 0) of a period with survivors ÷ JS route (v8.getHeapSnapshot + JSON.parse)', repHeap, pairedRatios(rep.summaryMs, rep.jsRouteMs), '≤ 0.3', atMost(0.3)),
    row('2', `Figure 2: full report (${rep.detailed} details) ÷ one bare TakeHeapSnapshot`, repHeap, pairedRatios(rep.fullMs, rep.bareMs), '≤ 1.15', atMost(1.15)),
    rep.memlabUnavailable === null
      ? row('3', 'Figure 3: full report ÷ memlab route (writeHeapSnapshot + getFullHeapFromFile)', repHeap, pairedRatios(rep.fullMs, rep.memlabMs), '≤ 0.4', atMost(0.4))
      : row('3', 'Figure 3: full report ÷ memlab route (writeHeapSnapshot + getFullHeapFromFile)', repHeap, null, '≤ 0.4', null, rep.memlabUnavailable),
    row('4', 'Figure 4: iteration in which nothing survived ÷ one epoch boundary (GetHeapStats after a GC)', formatMB(r.empty.heapUsed), pairedRatios(r.empty.iterationMs, r.empty.boundaryMs), '≤ 1.5', atMost(1.5)),
    row('5a', `Figure 5a: node:http requests/s, monitored (maxObjectLifetime: ${r.http.lifetime}, 30 details) ÷ unmonitored, ${r.http.seconds} s each`, httpHeap, one(rps(on) / rps(off)), '≥ 0.9', atLeast(0.9)),
    row('5b', `Figure 5b: node:http requests/s, monitored with maxObjectDetails: 0 ÷ unmonitored`, httpHeap, one(rps(summaryOnly) / rps(off)), '≥ 0.9', atLeast(0.9)),
    row('5c', 'Figure 5c: node:http longest event-loop pause with maxObjectDetails: 0 ÷ one bare snapshot of that heap', `server ${formatMB(summaryOnly.server.heapUsedAtEnd)} at end`, summaryOnly.server.bareSnapshotMs === null ? null : one(summaryOnly.server.maxPauseMs / summaryOnly.server.bareSnapshotMs), '≤ 0.3', atMost(0.3)),
    row('5d', `Figure 5d: node:http requests/s with V8's object tracking alone (heap object IDs after the same warm-up, an iteration's two boundaries every ${r.http.lifetime} s, no report) ÷ unmonitored: the floor of 5a and 5b`, httpHeap, one(rps(tracking) / rps(off)), 'none set', null),
  ];
  for (const f of r.functions) {
    const heap = formatMB(f.heapUsed);
    const [every, sampled] = f.size === 'small' ? ['6a', '6b'] : ['6c', '6d'];
    rows.push(row(every, `Figure ${every}: monitored call (every call) ÷ the same call unmonitored`, heap, overMedian(f.noLeak, f.plainOff), 'none set', null));
    rows.push(row(sampled, `Figure ${sampled}: monitored call with callSampling: ${CALL_SAMPLING} ÷ the same call unmonitored`, heap, overMedian(f.sampled, f.plainOff), 'none set', null));
  }
  rows.push(row('7', 'Figure 7: peak RSS while a full report is made ÷ peak RSS of a bare TakeHeapSnapshot', formatMB(r.rss.heapUsed), pairedRatios(r.rss.reportPeak, r.rss.barePeak), '≤ 1.1', atMost(1.1)));
  const sizes = r.scaling.map((s) => s.heapUsed);
  const exponent = fitExponent(sizes, r.scaling.map((s) => median(s.reportMs)));
  rows.push(row('8', 'Figure 8: report time against heap size, fitted exponent (log-log least squares)', r.scaling.map((s) => formatMB(s.heapUsed)).join(', '), one(exponent), '≤ 1.1', atMost(1.1)));
  return rows.sort((a, b) => a.id.localeCompare(b.id));
}

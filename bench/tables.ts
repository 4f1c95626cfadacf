// The measurements behind the eight figures, as markdown tables: the times, rates and peaks that
// each ratio is made of.
import type { Results } from './figures.js';
import { CALL_SAMPLING } from './function-cases.js';
import type { HttpRun } from './http-run.js';
import { fitExponent, formatMB, formatMs, formatSpread, median, spread, table } from './stats.js';

const ms = (values: readonly (number | null)[]): string => formatSpread(spread(values.filter((v): v is number => v !== null)), formatMs);
const mb = (values: readonly number[]): string => formatSpread(spread(values), formatMB);

export function detailTables(r: Results): string[] {
  const rep = r.reports;
  const out: string[] = [];
  out.push(
    `**Figures 1-3: the times** (one child process, ${formatMB(rep.heapUsed)} heap, ${rep.nodes.toLocaleString('en-US')} snapshot nodes, ` +
      `${rep.leaked.toLocaleString('en-US')} leaked \`LeakedSession\` objects in a module-level Map; each round times every row once, in this order)`,
    '',
    table(
      ['Operation', 'time: median (min, max)'],
      [
        ['JS route: `v8.getHeapSnapshot()` read fully + `JSON.parse`', ms(rep.jsRouteMs)],
        ['memlab route: `v8.writeHeapSnapshot` + `getFullHeapFromFile`', rep.memlabUnavailable === null ? ms(rep.memlabMs) : `not measured: ${rep.memlabUnavailable}`],
        ['summary-only report (`maxObjectDetails: 0`): `scanEpoch` + `ReportSession.write`', ms(rep.summaryMs)],
        ['&nbsp;&nbsp;the boundary that closes the period, before it (not in the report\'s time)', ms(rep.summaryBoundaryMs)],
        ['the same summary from a heap snapshot (`summaryFromSnapshot: true`)', ms(rep.summaryFromSnapshotMs)],
        ['bare `TakeHeapSnapshot` (through the addon; deleted untimed)', ms(rep.bareMs)],
        [`full report (${rep.detailed} details, referrer graphs, retained sizes)`, ms(rep.fullMs)],
      ],
    ),
    '',
    `Summary-only reports that took a heap snapshot: ${rep.summarySnapshotTaken.filter(Boolean).length} of ${rep.summarySnapshotTaken.length}` +
      (rep.summaryUnnamed === null
        ? '.'
        : `; without one, the summary named ${rep.summaryNamed.toLocaleString('en-US')} survivors by type and counted ${rep.summaryUnnamed.toLocaleString('en-US')} more (strings, numbers, V8's own objects) unnamed.`),
    '',
  );
  out.push(
    `**Figure 4** (${formatMB(r.empty.heapUsed)} heap; each round: one iteration of an empty period, then one bare boundary)`,
    '',
    table(
      ['Operation', 'time: median (min, max)'],
      [
        ['iteration, nothing survived: closing `markBoundary` + `scanEpoch` (countAlive: 0, no snapshot) + "no leaks" report', ms(r.empty.iterationMs)],
        ['one epoch boundary: `markBoundary` (full GC + `GetHeapStats`)', ms(r.empty.boundaryMs)],
      ],
    ),
    '',
    ...(r.empty.withSurvivors > 0 ? [`${r.empty.withSurvivors} iteration(s) found survivors after all (V8's own new objects) and are left out.`, ''] : []),
  );
  const h = r.http;
  const httpRow = (label: string, run: HttpRun): string[] => [
    label,
    (run.client.requests / (run.client.durationMs / 1000)).toFixed(0),
    formatMs(run.client.p99Ms),
    formatMs(run.client.maxMs),
    formatMs(run.server.maxPauseMs),
    `${run.server.reports} (${run.server.reportsWithLeaks} with leaks)`,
    run.server.bareSnapshotMs === null ? '—' : formatMs(run.server.bareSnapshotMs),
    formatMB(run.server.heapUsedAtEnd),
  ];
  out.push(
    `**Figure 5** (a node:http server on 127.0.0.1 keeping each request's headers, a load process with 8 keep-alive connections, ${h.seconds} s per run, one run each, in this order; ` +
      `monitoring: \`startLeakMonitoring({ maxObjectLifetime: ${h.lifetime}, saveReports: false })\`; bare snapshot: one \`TakeHeapSnapshot\` of the \`maxObjectDetails: 0\` server's heap after the load, for figure 5c)`,
    '',
    table(
      ['Server', 'requests/s', 'p99 latency', 'worst latency', 'longest event-loop pause', 'reports', 'bare snapshot', 'heap at end'],
      [
        httpRow('unmonitored', h.off),
        httpRow('monitored, 30 details', h.on),
        httpRow('monitored, `maxObjectDetails: 0`', h.summaryOnly),
        httpRow(`V8's object tracking alone (an iteration's two boundaries every ${h.lifetime} s, no report)`, h.tracking),
      ],
    ),
    '',
  );
  out.push(
    `**Figure 6** (\`work()\` allocates 8 small objects and returns a number; \`leakMonitor(work, { warmupCalls: 0, saveReports: false })\`; plain calls timed in batches of 10,000 before any monitor exists; ` +
      `with \`callSampling: ${CALL_SAMPLING}\`, time per call averaged over a batch)`,
    '',
    table(
      ['Heap', 'plain call', 'monitored call', `with callSampling: ${CALL_SAMPLING}, per call`, 'monitored call that leaks 1,000 objects, report included', 'JS route'],
      r.functions.map((f) => [formatMB(f.heapUsed), ms(f.plainOff), ms(f.noLeak), ms(f.sampled), ms(f.leak), ms(f.jsRoute)]),
    ),
    '',
  );
  const growth = (peaks: readonly number[], befores: readonly number[]): number[] => peaks.map((p, i) => p - befores[i]!);
  out.push(
    `**Figure 7** (${formatMB(r.rss.heapUsed)} heap; RSS sampled every millisecond by a worker thread, and the kernel's maxRSS; bare snapshot and report alternately)`,
    '',
    table(
      ['Operation', 'peak RSS', 'peak − RSS before'],
      [
        ['bare `TakeHeapSnapshot` + delete', mb(r.rss.barePeak), mb(growth(r.rss.barePeak, r.rss.bareBefore))],
        ['full report (30 details)', mb(r.rss.reportPeak), mb(growth(r.rss.reportPeak, r.rss.reportBefore))],
      ],
    ),
    '',
  );
  const sizes = r.scaling.map((s) => s.heapUsed);
  out.push(
    `**Figure 8** (one child process per heap size; each round a bare snapshot then a full report; fitted exponents: report ${fitExponent(sizes, r.scaling.map((s) => median(s.reportMs))).toFixed(2)}, ` +
      `bare \`TakeHeapSnapshot\` ${fitExponent(sizes, r.scaling.map((s) => median(s.bareMs))).toFixed(2)})`,
    '',
    table(
      ['Heap', 'snapshot nodes', 'bare TakeHeapSnapshot', 'full report', 'report ÷ bare (median)'],
      r.scaling.map((s) => [formatMB(s.heapUsed), s.nodes.toLocaleString('en-US'), ms(s.bareMs), ms(s.reportMs), (median(s.reportMs) / median(s.bareMs)).toFixed(2) + 'x']),
    ),
  );
  return out;
}

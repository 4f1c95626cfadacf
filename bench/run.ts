// memalot's benchmark, issue 16's eight figures: `npm run bench` (node --expose-gc
// dist/bench/run.js [--quick] [--json] [--http-seconds <s>] [--sites]).
//
// Every figure is a ratio of two things measured side by side in this one run, in the same
// fresh child process on the same synthetic heap (bench/heap.ts: objects, arrays, Maps,
// strings, closures, and a known leak), interleaved in rounds so that a noisy machine (other
// work on its 2 cores) hits both sides alike; the median of the per-round ratios is given with
// their min and max. Children run one at a time. Progress goes to stderr; the tables (or, with
// --json, the same figures as JSON) to stdout.
import { cpus, platform, arch, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import { addon } from '../lib/native/addon.js';
import { allocationSitesSection } from './allocation-sites.js';
import { runWorker } from './child.js';
import type { EmptyResult } from './empty-worker.js';
import { type FigureRow, figures, type Results } from './figures.js';
import { type FunctionResult } from './function-cases.js';
import { httpRun } from './http-run.js';
import type { ReportsResult } from './reports-worker.js';
import type { RssResult } from './rss-worker.js';
import type { ScalingResult } from './scaling-worker.js';
import { BenchArgumentError, benchSettings } from './settings.js';
import { formatMs, formatRatio, formatSpread, table } from './stats.js';
import { detailTables } from './tables.js';

const started = performance.now();
function progress(message: string): void {
  process.stderr.write(`bench [${((performance.now() - started) / 1000).toFixed(0)}s]: ${message}\n`);
}

function machine(): Record<string, string | number> {
  const cpu = cpus();
  return {
    node: process.version,
    v8: process.versions.v8,
    platform: `${platform()}-${arch()}`,
    cpus: cpu.length,
    cpuModel: cpu[0]?.model.trim() ?? 'unknown',
    memoryGB: Math.round(totalmem() / 1024 ** 3),
    addon: addon().buildInfo,
    date: new Date().toISOString(),
  };
}

function valueCell(f: FigureRow): string {
  if (f.value === null) return `not measured: ${f.notMeasured ?? 'unknown'}`;
  return formatSpread(f.value, f.unit === 'exponent' ? (v) => v.toFixed(2) : formatRatio);
}

function metCell(f: FigureRow): string {
  if (f.met === null) return f.value === null ? 'not measured' : '—';
  return f.met ? 'met' : 'missed';
}

async function main(): Promise<void> {
  const settings = benchSettings(process.argv.slice(2));
  const m = machine();
  progress(`Node ${m.node}, ${m.cpus} × ${m.cpuModel}${settings.quick ? ' (--quick)' : ''}`);
  const s = settings;
  const reports = await runWorker<ReportsResult>('./reports-worker.js', [String(s.reportsHeapMB), String(s.reportsRounds)], 'figures 1-3');
  progress('figures 1-3 done');
  const empty = await runWorker<EmptyResult>('./empty-worker.js', [String(s.emptyHeapMB), String(s.emptyRounds)], 'figure 4');
  progress('figure 4 done');
  const rss = await runWorker<RssResult>('./rss-worker.js', [String(s.rssHeapMB), String(s.rssRounds)], 'figure 7');
  progress('figure 7 done');
  const scaling: ScalingResult[] = [];
  for (const { heapMB, rounds } of s.scaling) scaling.push(await runWorker<ScalingResult>('./scaling-worker.js', [String(heapMB), String(rounds)], `figure 8 at ${heapMB} MB`));
  progress('figure 8 done');
  const functions: FunctionResult[] = [];
  for (const h of s.functionHeaps) functions.push(await runWorker<FunctionResult>('./function-worker.js', [h.size, String(h.heapMB), String(h.rounds)], `figure 6 ${h.size}`));
  progress('figure 6 done');
  const off = await httpRun(false, s.httpSeconds, s.httpLifetime, 30);
  progress(`figure 5 unmonitored: ${off.client.requests} requests`);
  const on = await httpRun(true, s.httpSeconds, s.httpLifetime, 30);
  progress(`figure 5 monitored: ${on.client.requests} requests, ${on.server.reports} reports`);
  // Only this run's heap is snapshotted after the load: figure 5c needs that one bare snapshot.
  const summaryOnly = await httpRun(true, s.httpSeconds, s.httpLifetime, 0, true);
  progress(`figure 5 monitored, maxObjectDetails 0: ${summaryOnly.client.requests} requests, ${summaryOnly.server.reports} reports`);
  const tracking = await httpRun('tracking', s.httpSeconds, s.httpLifetime, 0);
  progress(`figure 5 with V8's object tracking alone: ${tracking.client.requests} requests`);

  // Issue 14's two allocation-site routes, in a child process of their own (a table, not a figure).
  const allocation = s.quick || !s.sites ? undefined : await allocationSitesSection();
  if (allocation !== undefined) progress('allocation sites done');

  const results: Results = { reports, empty, rss, scaling, functions, http: { off, on, summaryOnly, tracking, seconds: s.httpSeconds, lifetime: s.httpLifetime } };
  const rows = figures(results);
  const totalMs = performance.now() - started;
  if (s.json) {
    process.stdout.write(`${JSON.stringify({ machine: m, settings, durationMs: totalMs, figures: rows, results, allocationSites: allocation }, null, 2)}\n`);
    return;
  }
  const out: string[] = [
    `Node ${m.node} (V8 ${m.v8}), ${m.platform}, ${m.cpus} × ${m.cpuModel}, ${m.memoryGB} GB RAM, ${String(m.date).slice(0, 16)}Z` +
      `${s.quick ? ', --quick (small heaps, one round: a smoke run, not figures to quote)' : ''}; whole benchmark ${formatMs(totalMs)}.`,
    '',
    'Each figure: median of the per-round ratios of two things measured side by side in the same child process, with min and max.',
    '',
    table(['#', 'Figure', 'Heap', 'Measured', 'Goal', ''], rows.map((f) => [f.id, f.name.replace(/^Figure \w+: /, ''), f.heap, valueCell(f), f.goal, metCell(f)]), 3),
    '',
    ...detailTables(results),
  ];
  if (allocation !== undefined) out.push('', '## Allocation sites: the cost of each route', '', allocation);
  // The line per figure that the smoke test reads: "Figure <n>: <value>".
  out.push('', ...rows.map((f) => `${f.name.split(':')[0]}: ${valueCell(f)}`));
  process.stdout.write(`${out.join('\n')}\n`);
}

main().catch((error: unknown) => {
  const text = error instanceof BenchArgumentError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`bench: ${text}\n`);
  process.exitCode = 1;
});

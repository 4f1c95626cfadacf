// `memalot print ID --html`: the report as one self-contained page. Everything is inline (the
// style, the chart as SVG, the data as JSON); the page runs no script and its
// Content-Security-Policy forbids every fetch, so opening a report loads nothing from anywhere.
import { objectWalkNote } from '../object-walk-note.js';
import type { IterationReport, ReportSummary } from '../../storage/schema.js';
import { formatBytes } from '../format.js';
import type { LeakTrend } from '../leak-trend.js';
import { carriedText } from '../render.js';
import { sparkline } from '../sparkline.js';
import { clusterTraces } from '../trace-clusters.js';
import { TREND_VERDICTS, VERDICT_MEANINGS } from '../trend-verdict.js';
import { allocationSites } from './allocation-sites.js';
import { escapeHtml as esc, jsonForScript } from './escape.js';
import { PAGE_STYLE } from './page-style.js';
import { trendChart } from './trend-chart.js';
import { traceTree } from './trace-tree.js';

/** Nothing may be fetched; inline style only; no script runs (the JSON block is data). */
export const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";
/** Iteration columns of the page's trend table: the latest. */
const TABLE_ITERATIONS = 30;
/** Iterations whose leaks the page shows, the latest first. */
const ITERATION_SECTIONS = 100;

function summarySection(summary: ReportSummary, iterations: readonly IterationReport[], trend: LeakTrend): string {
  const rows: [string, string][] = [
    ['Program', [summary.entrypoint, ...summary.arguments].join(' ')],
    ['Monitoring', summary.mode === 'function' ? `function-based: ${summary.functionName ?? ''}` : 'time-based'],
    ['Started', summary.startTime],
    ['Iterations', `${iterations.length} shown (${trend.iterationNumbers.length} with leak counts, ${trend.warmupIterations.length} warm-up)`],
    ['Node.js / memalot', `${summary.nodeVersion} / ${summary.memalotVersion}`],
    ['Process', `pid ${summary.pid} on ${summary.hostname}`],
  ];
  const latest = iterations.at(-1)?.memoryUsage;
  if (latest !== undefined) {
    const own = latest.memalot;
    rows.push(['Memory (latest)', `${formatBytes(latest.rssBytes - (own?.rssBytes ?? 0))} RSS, V8 heap ${formatBytes(latest.heapUsedBytes - (own?.heapUsedBytes ?? 0))}${own === undefined ? '' : " (memalot's own share left out)"}`]);
  }
  const growing = trend.types.filter((t) => t.verdict === 'growing').map((t) => t.objectType);
  rows.push(['Growing', growing.length === 0 ? 'none' : growing.join(', ')]);
  return `<dl class="summary">${rows.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('')}</dl>`;
}

function trendTable(trend: LeakTrend): string {
  if (trend.types.length === 0) return '';
  const from = Math.max(0, trend.iterationNumbers.length - TABLE_ITERATIONS);
  const numbers = trend.iterationNumbers.slice(from);
  const head = `<tr><th scope="col">Object type</th>${numbers.map((n) => `<th scope="col" class="num">#${n}</th>`).join('')}<th scope="col" class="num">Total</th><th scope="col">Trend</th><th scope="col">Verdict</th></tr>`;
  const rows = trend.types
    .map(
      (t) =>
        `<tr><th scope="row"><code>${esc(t.objectType)}</code></th>${t.counts
          .slice(from)
          .map((c) => `<td class="num">${c === null ? '?' : c}</td>`)
          .join('')}<td class="num">${t.total}</td><td class="spark">${esc(sparkline(t.counts.slice(from)))}</td><td><span class="verdict ${t.verdict}">${t.verdict}</span></td></tr>`,
    )
    .join('');
  const cut = from > 0 ? `<p>The counts of the ${from} oldest iterations are left out of the table; totals and verdicts cover them.</p>` : '';
  const meanings = TREND_VERDICTS.filter((v) => trend.types.some((t) => t.verdict === v))
    .map((v) => `<dt><span class="verdict ${v}">${v}</span></dt><dd>${esc(VERDICT_MEANINGS[v])}</dd>`)
    .join('');
  return `<div class="scroll"><table class="trend"><thead>${head}</thead><tbody>${rows}</tbody></table></div>${cut}<dl class="meanings">${meanings}</dl>`;
}

function leaksTable(it: IterationReport): string {
  const leaks = it.leakSummary.leaks ?? [];
  if (leaks.length === 0) return '';
  const rows = leaks
    .map(
      (leak) =>
        `<tr><th scope="row"><code>${esc(leak.objectType)}</code>${allocationSites(leak)}</th><td class="num">${leak.count}</td><td class="num">${esc(formatBytes(leak.retainedSizeBytes))}</td><td>${leak.contents.length === 0 ? '-' : esc(`with ${carriedText(leak)}`)}</td></tr>`,
    )
    .join('');
  return `<table><thead><tr><th scope="col">Held by</th><th scope="col" class="num">Count</th><th scope="col" class="num">Retained size</th><th scope="col">Carrying</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function typesTable(it: IterationReport): string {
  const rows = it.leakSummary.typeSummaries
    .map((s) => `<tr><th scope="row"><code>${esc(s.objectType)}</code></th><td class="num">${s.count}</td><td class="num">${s.retainedSizeBytes === undefined ? '' : esc(formatBytes(s.retainedSizeBytes))}</td></tr>`)
    .join('');
  const cut = it.leakSummary.totalTypes > it.leakSummary.typeSummaries.length ? `<p>Cut to ${it.leakSummary.maxTypesInSummary} types of ${it.leakSummary.totalTypes}.</p>` : '';
  return `<details class="types"><summary>By type (${it.leakSummary.typeSummaries.length})</summary><table><thead><tr><th scope="col">Object type</th><th scope="col" class="num">Count</th><th scope="col" class="num">Retained size</th></tr></thead><tbody>${rows}</tbody></table>${cut}</details>`;
}

function traces(it: IterationReport): string {
  if (it.objectDetails.length === 0) return '';
  const trees = clusterTraces(it.objectDetails).map((cluster) => {
    const { representative: r, members } = cluster;
    const more = members.length - 1;
    const size = r.retainedSizeBytes === null ? '' : `, ~${formatBytes(r.retainedSizeBytes)}`;
    const title = `<code>${esc(r.objectTypeName)}</code> <span class="id">id=${r.objectId}</span>${esc(size)}${more > 0 ? esc(`, and ${more} more with this path`) : ''}`;
    const value = r.objectStr === null ? '' : `<pre class="value">${esc(r.objectStr)}</pre>`;
    return `<li>${traceTree(r, title)}${value}${allocationSites(r)}</li>`;
  });
  return `<h4>Traces: what keeps them alive</h4><ul class="traces">${trees.join('')}</ul>`;
}

function iterationSection(it: IterationReport, open: boolean): string {
  const objects = it.leakSummary.typeSummaries.reduce((sum, s) => sum + s.count, 0);
  const skipped = it.scan?.snapshotSkipped;
  const what = skipped !== undefined ? 'not checked' : `${objects} object${objects === 1 ? '' : 's'} of ${it.leakSummary.typeSummaries.length} type${it.leakSummary.typeSummaries.length === 1 ? '' : 's'}`;
  const window = it.scan === undefined ? '' : ` created between ${it.scan.createdAfter} and ${it.scan.createdBefore}`;
  const walked = objectWalkNote(it.scan, it.leakSummary.typeSummaries.length > 0);
  const note = walked === undefined ? '' : `<p class="note">${esc(walked)}</p>`;
  const body = skipped !== undefined ? `<p>${esc(`Memalot could not check this iteration's objects: ${skipped}.`)}</p>` : `${leaksTable(it)}${typesTable(it)}${note}${traces(it)}`;
  return `<details class="iteration"${open ? ' open' : ''}><summary>Iteration ${it.iterationNumber}: ${esc(what)}${esc(window)}</summary>${body}</details>`;
}

function leakSections(iterations: readonly IterationReport[]): string {
  const withLeaks = iterations.filter((it) => it.kind === 'leaks' && (it.leakSummary.typeSummaries.length > 0 || it.scan?.snapshotSkipped !== undefined)).reverse();
  if (withLeaks.length === 0) return '<p>No leaks found in these iterations.</p>';
  const shown = withLeaks.slice(0, ITERATION_SECTIONS);
  const more = withLeaks.length - shown.length;
  return shown.map((it, i) => iterationSection(it, i === 0)).join('') + (more > 0 ? `<p>${more} older iterations with leaks are not shown (memalot print --html --num-iterations).</p>` : '');
}

/** The whole page, for iterations (oldest first) and their trend. */
export function renderHtmlReport(summary: ReportSummary, iterations: readonly IterationReport[], trend: LeakTrend): string {
  const id = esc(summary.reportId);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${esc(CONTENT_SECURITY_POLICY)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Memalot report ${id}</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<header><h1>Memalot report <code>${id}</code></h1>${summarySection(summary, iterations, trend)}</header>
<main>
<section id="trend"><h2>Leaked objects per iteration</h2>
<p>Each count is the new objects of a type found leaked in that iteration (each object counted once).</p>
${trendChart(trend)}${trendTable(trend)}</section>
<section id="leaks"><h2>Leaks</h2>${leakSections(iterations)}</section>
</main>
<script type="application/json" id="memalot-trend">${jsonForScript({ reportId: summary.reportId, ...trend })}</script>
</body>
</html>
`;
}

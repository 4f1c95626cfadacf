// One iteration as compact text, for clients that read only a tool's text: no boxes, no padding
// beyond a count column, one line per summary row, object details with their referrer trees.
// (The console's renderer, lib/report/render.ts, draws panels and tables for people; an
// assistant pays for every character.) Each part is a function of its own, because the result
// budget prices rows and details one at a time with the same functions that write them.
import { objectWalkNote } from '../../report/object-walk-note.js';
import { formatBytes, formatClock, formatSignedBytes } from '../../report/format.js';
import { carriedText, threadLabel } from '../../report/render.js';
import { clusterTraces, traceLines, type TraceCluster, type TraceLine } from '../../report/trace-clusters.js';
import type { IterationReport, Leak, ObjectDetails, TypeSummary } from '../../storage/schema.js';
import { describeFilteredOut } from '../../report/filtered-out.js';
import { frameText, siteText } from '../../report/render-sites.js';
import { makeStyle } from '../../report/style.js';
import type { AllocationSite } from '../../storage/schema.js';

/** Sites given per row and per leak in the text (the structured result has all that were saved). */
const SITES_IN_TEXT = 2;
const PLAIN = makeStyle(false);

/** "\n      allocated ~N at fn (file:4:16)  file:5  code <- caller <- ...", per site shown. */
function sitesText(sites: readonly AllocationSite[] | undefined): string {
  return (sites ?? [])
    .slice(0, SITES_IN_TEXT)
    .map((site) => {
      const callers = site.frames.slice(1).map(frameText);
      return `\n      allocated ~${site.estimatedObjects} at ${siteText(site, PLAIN)}${callers.length === 0 ? '' : ` <- ${callers.join(' <- ')}`}`;
    })
    .join('');
}

function change(bytes: number | null): string {
  return bytes === null ? '' : ` (${formatSignedBytes(bytes)})`;
}

function clockRange(from: string, to: string): string {
  return `${formatClock(new Date(from))}-${formatClock(new Date(to))} UTC`;
}

export function iterationHeading(it: IterationReport): string {
  const m = it.memoryUsage;
  const kind = it.kind === 'warmup' ? 'warm-up' : 'leaks';
  // The program's figures, memalot's own apart (as the console's header shows them), when known.
  const own = m.memalot;
  const rss = own === undefined ? m.rssBytes : Math.max(0, m.rssBytes - own.rssBytes);
  const heap = own === undefined ? m.heapUsedBytes : Math.max(0, m.heapUsedBytes - own.heapUsedBytes);
  const ownText = own === undefined ? '' : `; memalot's own RSS ${formatBytes(own.rssBytes)}, V8 heap ${formatBytes(own.heapUsedBytes)}`;
  // As the console's header: the thread when it is a worker, and details that a pause cap cut short.
  const thread = it.thread?.kind === 'worker' ? `; thread: ${threadLabel(it.thread)}` : '';
  const cut = it.detailsCutShort;
  const cutText = cut === undefined ? '' : `; details cut short at maxReportPause (${cut.maxReportPause} s): ${cut.objectsLeftOut} chosen object${cut.objectsLeftOut === 1 ? '' : 's'} not detailed`;
  return (
    `Iteration ${it.iterationNumber} (${kind}), ${clockRange(it.startTime, it.endTime)}${thread}; ` +
    `${own === undefined ? '' : 'program '}RSS ${formatBytes(rss)}${change(m.rssChangeBytes)}, V8 heap ${formatBytes(heap)}${change(m.heapUsedChangeBytes)}${ownText}${cutText}`
  );
}

/**
 * What the iteration examined and found, in one line (before its summary rows, if any), from
 * the iteration as saved: a type filter or the budget may show fewer rows than it found.
 */
export function iterationFinding(it: IterationReport): string {
  if (it.kind === 'warmup') return 'Warm-up: nothing is reported in this iteration.';
  if (it.scan?.snapshotSkipped !== undefined) return `Not checked: ${it.scan.snapshotSkipped}.`;
  const calls = it.functionCalls;
  const overlap = calls?.overlapped ? ` (${calls.followedCalls} overlapping calls, counted together)` : '';
  const window =
    calls !== undefined
      ? `created during ${calls.followedCalls === 1 ? 'a call' : `${calls.followedCalls} calls`} to ${calls.functionName}${overlap}`
      : it.scan !== undefined
        ? `created ${clockRange(it.scan.createdAfter, it.scan.createdBefore)}`
        : 'created in the period examined';
  const { typeSummaries, totalTypes, filteredOut } = it.leakSummary;
  if (typeSummaries.length === 0 && totalTypes === 0) {
    // The monitor's own type filters emptied the summary: objects did survive.
    if (filteredOut !== undefined) return `Hidden by the type filters, objects ${window}: ${describeFilteredOut(filteredOut)}`;
    const walked = objectWalkNote(it.scan, false);
    return walked === undefined ? `No leaks: no object ${window} is still alive.` : `No leaked JavaScript objects ${window}. ${walked}`;
  }
  const objects = typeSummaries.reduce((sum, s) => sum + s.count, 0);
  const types =
    totalTypes > typeSummaries.length ? `the ${typeSummaries.length} most common of ${totalTypes} types` : `${totalTypes} type${totalTypes === 1 ? '' : 's'}`;
  const walked = objectWalkNote(it.scan, true);
  return `Possible leaks, objects ${window} still alive: ${objects} objects of ${types}${walked === undefined ? '' : ` (${walked})`} (count, type):`;
}

export function countWidth(rows: readonly TypeSummary[]): number {
  // A loop, not Math.max(...rows) or push(...rows): a spread of as many arguments as the report
  // has rows overflows the stack (the same below).
  return rows.reduce((widest, row) => Math.max(widest, String(row.count).length), 1);
}

export function summaryRowLine(row: TypeSummary, width: number): string {
  const sizes = [
    row.shallowSizeBytes === undefined ? '' : `shallow ${formatBytes(row.shallowSizeBytes)}`,
    row.retainedSizeBytes === undefined ? '' : `retained ${formatBytes(row.retainedSizeBytes)}`,
  ].filter((s) => s !== '');
  return `  ${String(row.count).padStart(width)}  ${row.objectType}${sizes.length === 0 ? '' : ` (${sizes.join(', ')})`}${sitesText(row.allocationSites)}`;
}

/** One leak: its holders' count and type, what they retain, what they carry. */
export function leakLine(leak: Leak, width: number): string {
  const carrying = leak.contents.length === 0 ? '' : `, with ${carriedText(leak)}`;
  return `  ${String(leak.count).padStart(width)}  ${leak.objectType} (retained ${formatBytes(leak.retainedSizeBytes)}${carrying})${sitesText(leak.allocationSites)}`;
}

function stepText(step: TraceLine, roots: ReadonlySet<string>): string {
  return `${step.name}${step.node !== null && roots.has(step.node.id) ? ' [root]' : ''}`;
}

/** A cluster of details (trace-clusters.ts): its representative, its trace, how many more. */
export function clusterText(cluster: TraceCluster): string {
  const { representative: detail, members } = cluster;
  const more = members.length - 1;
  const others = more === 0 ? '' : ` and ${more} more with this path`;
  const own = detail.retainedSizeBytes === null ? '' : `, retains ${formatBytes(detail.retainedSizeBytes)}`;
  const all = more > 0 && cluster.retainedSizeBytes !== null ? ` (all ${members.length}: ${formatBytes(cluster.retainedSizeBytes)})` : '';
  const value = detail.objectStr === null ? '' : `: ${detail.objectStr}`;
  const lines = [`  ${detail.objectTypeName} @${detail.objectId}${others}${own}${all}${value}`];
  if (detail.referrerGraph === null) {
    lines.push(detail.referrersChecked ? '    (referrers not found: the object was gone)' : '    (referrers not checked)');
    return lines.join('\n');
  }
  const roots = new Set(detail.referrerGraph.rootIds);
  const steps = traceLines(cluster.trace).slice(1);
  if (steps.length === 0) lines.push('    (no referrer found)');
  for (const step of steps) lines.push(`    ← ${stepText(step, roots)}`);
  if (steps.length > 0 && !cluster.trace.reachesRoot) lines.push('    (no root reached within the search limits)');
  return lines.join('\n');
}

/** One detail on its own, as a cluster of one (what the result budget prices per detail). */
export function objectDetailText(detail: ObjectDetails): string {
  return clusterText(clusterTraces([detail])[0]!);
}

export const OBJECT_DETAILS_HEADING =
  'Object details, one trace per cluster of objects held the same way (each line is held by the next, down to a root; every graph is in the structured result):';

/** An iteration as saved (`saved`) with the rows and details shown of it (`shown`). */
export function iterationText(saved: IterationReport, shown: IterationReport, width = countWidth(saved.leakSummary.typeSummaries)): string {
  const lines = [iterationHeading(saved), iterationFinding(saved)];
  const leaks = shown.leakSummary.leaks ?? [];
  if (leaks.length > 0) {
    const leakWidth = leaks.reduce((widest, l) => Math.max(widest, String(l.count).length), 1);
    lines.push('Leaks (count, the type that holds each group, what the group retains and carries):');
    for (const leak of leaks) lines.push(leakLine(leak, leakWidth));
    lines.push('By type (count, type):');
  }
  for (const row of shown.leakSummary.typeSummaries) lines.push(summaryRowLine(row, width));
  if (shown.objectDetails.length > 0) {
    lines.push(OBJECT_DETAILS_HEADING);
    for (const cluster of clusterTraces(shown.objectDetails)) lines.push(clusterText(cluster));
  }
  return lines.join('\n');
}

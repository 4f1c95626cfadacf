// One iteration as compact text, for clients that read only a tool's text: no boxes, no padding
// beyond a count column, one line per summary row, object details with their referrer trees.
// (The console's renderer, lib/report/render.ts, draws panels and tables for people; an
// assistant pays for every character.) Each part is a function of its own, because the result
// budget prices rows and details one at a time with the same functions that write them.
import { formatBytes, formatClock, formatSignedBytes } from '../../report/format.js';
import { describeFilteredOut } from '../../report/filtered-out.js';
import type { IterationReport, ObjectDetails, TypeSummary } from '../../storage/schema.js';
import { referrerTreeLines } from './referrer-tree.js';

function change(bytes: number | null): string {
  return bytes === null ? '' : ` (${formatSignedBytes(bytes)})`;
}

function clockRange(from: string, to: string): string {
  return `${formatClock(new Date(from))}-${formatClock(new Date(to))} UTC`;
}

export function iterationHeading(it: IterationReport): string {
  const m = it.memoryUsage;
  const kind = it.kind === 'warmup' ? 'warm-up' : 'leaks';
  return (
    `Iteration ${it.iterationNumber} (${kind}), ${clockRange(it.startTime, it.endTime)}; ` +
    `RSS ${formatBytes(m.rssBytes)}${change(m.rssChangeBytes)}, V8 heap ${formatBytes(m.heapUsedBytes)}${change(m.heapUsedChangeBytes)}`
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
    return `No leaks: no object ${window} is still alive.`;
  }
  const objects = typeSummaries.reduce((sum, s) => sum + s.count, 0);
  const types =
    totalTypes > typeSummaries.length ? `the ${typeSummaries.length} most common of ${totalTypes} types` : `${totalTypes} type${totalTypes === 1 ? '' : 's'}`;
  return `Possible leaks, objects ${window} still alive: ${objects} objects of ${types} (count, type):`;
}

export function countWidth(rows: readonly TypeSummary[]): number {
  return Math.max(1, ...rows.map((row) => String(row.count).length));
}

export function summaryRowLine(row: TypeSummary, width: number): string {
  const sizes = [
    row.shallowSizeBytes === undefined ? '' : `shallow ${formatBytes(row.shallowSizeBytes)}`,
    row.retainedSizeBytes === undefined ? '' : `retained ${formatBytes(row.retainedSizeBytes)}`,
  ].filter((s) => s !== '');
  return `  ${String(row.count).padStart(width)}  ${row.objectType}${sizes.length === 0 ? '' : ` (${sizes.join(', ')})`}`;
}

export function objectDetailText(detail: ObjectDetails): string {
  const retained = detail.retainedSizeBytes === null ? '' : `, retains ${formatBytes(detail.retainedSizeBytes)}`;
  const value = detail.objectStr === null ? '' : `: ${detail.objectStr}`;
  const lines = [`  ${detail.objectTypeName} @${detail.objectId}${retained}${value}`];
  const tree = detail.referrerGraph === null ? [] : referrerTreeLines(detail.referrerGraph, 4);
  if (tree.length > 0) lines.push(...tree);
  else if (detail.referrerGraph !== null) lines.push('    (no referrer found)');
  else lines.push(detail.referrersChecked ? '    (referrers not found: the object was gone)' : '    (referrers not checked)');
  return lines.join('\n');
}

export const OBJECT_DETAILS_HEADING = 'Object details (each object, then what holds it: a line is held by the lines indented under it):';

/** An iteration as saved (`saved`) with the rows and details shown of it (`shown`). */
export function iterationText(saved: IterationReport, shown: IterationReport, width = countWidth(saved.leakSummary.typeSummaries)): string {
  const lines = [iterationHeading(saved), iterationFinding(saved), ...shown.leakSummary.typeSummaries.map((row) => summaryRowLine(row, width))];
  if (shown.objectDetails.length > 0) lines.push(OBJECT_DETAILS_HEADING, ...shown.objectDetails.map(objectDetailText));
  return lines.join('\n');
}

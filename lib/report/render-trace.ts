// The console's view of a cluster of detailed objects (trace-clusters.ts): one box with the
// representative's trace, one step a line from the object to the root, and how many more
// objects are held the same way. Each step stays on its line (no staircase), so a trace is as
// wide as its longest name, and names are shortened in the middle to fit the terminal.
import type { AllocationSite, ObjectDetails } from '../storage/schema.js';
import { formatBytes } from './format.js';
import { printable } from './render-details.js';
import { siteText } from './render-sites.js';
import { panel } from './render.js';
import type { Style } from './style.js';
import { traceLines, type TraceCluster, type TraceLine } from './trace-clusters.js';
import { shortenMiddle } from './width.js';

/** Steps drawn per trace at most; a longer trace shows its start and its end. */
export const MAX_TRACE_STEPS = 20;
/** Lines of a multi-line string form shown. */
const MAX_VALUE_LINES = 3;

function stepLine(step: TraceLine, first: boolean, roots: ReadonlySet<string>, room: number, style: Style): string {
  const root = step.node !== null && roots.has(step.node.id) ? ' (root)' : '';
  const arrow = first ? '' : step.node === null ? '  ' : '← ';
  const name = shortenMiddle(printable(step.name), Math.max(8, room - arrow.length - root.length));
  const text = step.node?.objectId == null ? style.dim(name) : name;
  return `${arrow}${text}${root === '' ? '' : style.bad(root)}`;
}

function traceText(cluster: TraceCluster, room: number, style: Style): string[] {
  const { representative, trace } = cluster;
  if (!representative.referrersChecked) return [style.dim('Referrers were not checked (checkReferrers is false)')];
  if (representative.referrerGraph === null) return [style.dim('The object was no longer alive when its referrers were searched')];
  const roots = new Set(representative.referrerGraph.rootIds);
  const steps = traceLines(trace);
  if (steps.length <= 1) return [style.dim('No referrers found')];
  const lines = steps.map((step, i) => stepLine(step, i === 0, roots, room, style));
  if (lines.length > MAX_TRACE_STEPS) {
    const head = Math.ceil((MAX_TRACE_STEPS - 1) / 2);
    const tail = MAX_TRACE_STEPS - 1 - head;
    const hidden = lines.length - head - tail;
    lines.splice(head, hidden, style.dim(`  … ${hidden} steps not shown (memalot print --full) …`));
  }
  if (!trace.reachesRoot) lines.push(style.dim('  (no root reached within the search limits)'));
  return lines;
}

function valueLines(details: ObjectDetails, room: number, style: Style): string[] {
  if (details.objectStr === null) return [];
  const all = details.objectStr.split(/\r?\n/).map((line) => printable(line.replace(/\t/g, '    ')));
  const label = 'Value: ';
  // A value is cut at its end, as its string form already is: its start says what it is.
  const cut = (line: string) => (line.length <= room ? line : `${line.slice(0, room - 1)}…`);
  const lines = all.slice(0, MAX_VALUE_LINES).map((line, i) => cut(i === 0 ? label + line : line));
  if (all.length > MAX_VALUE_LINES) lines.push(style.dim(`… ${all.length - MAX_VALUE_LINES} more lines`));
  return [`${style.bold(label.trim())} ${lines[0]!.slice(label.length)}`, ...lines.slice(1)];
}

/** One cluster as a box, at most `width` columns wide; `site`: its type's commonest allocation site. */
export function renderTraceCluster(cluster: TraceCluster, style: Style, width: number, site?: AllocationSite): string {
  const { representative, members } = cluster;
  const room = width - 4;
  const more = members.length - 1;
  const title = `${printable(representative.objectTypeName)} (id=${representative.objectId})${more > 0 ? `, and ${more} more with this path` : ''}`;
  const own = representative.retainedSizeBytes === null ? 'unknown' : `~${formatBytes(representative.retainedSizeBytes)}`;
  const together = more > 0 && cluster.retainedSizeBytes !== null ? `; all ${members.length}: ~${formatBytes(cluster.retainedSizeBytes)}` : '';
  return panel(
    shortenMiddle(title, width - 6),
    [
      `${style.bold('Retained size:')} ${own}${together}`,
      ...(site === undefined ? [] : [`${style.bold('Allocated at:')} ${siteText(site, style, room - 'Allocated at: '.length)}`]),
      ...traceText(cluster, room, style),
      ...valueLines(representative, room, style),
    ],
    style,
    width,
  );
}

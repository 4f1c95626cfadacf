// The object-details benchmark: its sizes, its result, and its part of the output. The
// measuring is in details-worker.ts, in a child process with a heap of its own.
import { formatMB, formatRatio, type Samples, samplesOf, table } from './stats.js';

export const DETAILS_HEAP_BYTES = 50 * 1024 * 1024;
export const DETAILS_LEAKED = 10_000;
export const DETAILS_OBJECTS = 30;
export const DETAILS_ROUNDS = 5;

export interface DetailsResult {
  readonly heapUsed: number;
  readonly nodes: number;
  /** Objects detailed in the last report (should be DETAILS_OBJECTS). */
  readonly detailed: number;
  readonly leaked: number;
  /** Per round: V8's TakeHeapSnapshot alone, and with the Delete that frees it. */
  readonly snapshotMs: readonly number[];
  readonly snapshotDeleteMs: readonly number[];
  /** Per round: the boundary that closes the period, then the report (scan + write). */
  readonly boundaryMs: readonly number[];
  readonly reportMs: readonly number[];
  readonly scanMs: readonly number[];
  readonly writeMs: readonly number[];
}

const ms = (s: Samples): string => `${Math.round(s.median())} ms (min ${Math.round(s.min())} ms)`;

/** The markdown for docs/benchmark.md: a heading line, the table, and the ratio that the issue asks for. */
export function detailsSection(r: DetailsResult): string[] {
  const bare = samplesOf(r.snapshotMs);
  const rows: [string, Samples][] = [
    ['bare `TakeHeapSnapshot` (V8\'s call, through the addon; the snapshot is then deleted, untimed)', bare],
    ['bare `TakeHeapSnapshot` + `Delete`', samplesOf(r.snapshotDeleteMs)],
    [`report with ${r.detailed} detailed objects: \`scanEpoch\` (snapshot; types named on a helper thread while the graph is indexed; summary) + \`ReportSession.write\` (referrer graphs; the objects found in one walk of the heap on a helper thread while the dominator tree is built and the snapshot freed; string forms, rendering)`, samplesOf(r.reportMs)],
    ['&nbsp;&nbsp;of which `scanEpoch`', samplesOf(r.scanMs)],
    ['&nbsp;&nbsp;of which `ReportSession.write`', samplesOf(r.writeMs)],
    ['the boundary that closes the period, before the report (`markBoundary`, not in the report\'s time)', samplesOf(r.boundaryMs)],
  ];
  return [
    `**Object details** (a fresh child process: a ${formatMB(r.heapUsed)} heap, ${r.nodes.toLocaleString('en-US')} snapshot nodes, ` +
      `${r.leaked.toLocaleString('en-US')} leaked \`LeakedSession\` objects held by a module-level Map; memalot's own code path with ` +
      `\`maxObjectDetails: ${r.detailed}\` and default limits, output discarded, not saved; ${r.snapshotMs.length} rounds, each timing the bare snapshot, then the report; ratio = median ÷ median of the bare \`TakeHeapSnapshot\`)`,
    '',
    table(
      ['Operation', 'time', 'vs bare TakeHeapSnapshot'],
      rows.map(([name, s]) => [name, ms(s), formatRatio(s.median() / bare.median())]),
    ),
  ];
}

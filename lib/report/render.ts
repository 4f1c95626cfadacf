// Renders an iteration report as text blocks (header, body, footer), as the console shows it.
// The same renderer serves the live monitor and, later, `memalot print`.
import { objectWalkNote } from './object-walk-note.js';
import type { IterationReport, Leak, ObjectDetails, ThreadInfo, TypeSummary } from '../storage/schema.js';
import { formatBytes, formatClock, formatSeconds, formatSignedBytes } from './format.js';
import { describeFilteredOut } from './filtered-out.js';
import { renderDetailsIntro, renderObjectDetails } from './render-details.js';
import { renderAllocationSites } from './render-sites.js';
import { earlierLeaksLine, shownTrend, trendCell, trendLegend } from './render-trend.js';
import { renderTraceCluster } from './render-trace.js';
import type { LeakTrend } from './leak-trend.js';
import { type Style, visibleLength } from './style.js';
import { clusterTraces } from './trace-clusters.js';
import { DEFAULT_WIDTH, fitLine, MIN_WIDTH, shortenMiddle, wrapText } from './width.js';

export interface RenderContext {
  readonly style: Style;
  /** Seconds an object must have lived to be reported (time-based), for the explanation line. */
  readonly maxObjectLifetime?: number;
  /** Columns the report may take (terminalWidth()); DEFAULT_WIDTH when not given. */
  readonly width?: number;
  /**
   * The whole report: every row of the tables (the leaks and the per-type counts) and each
   * detailed object's whole referrer graph, not one trace per cluster (fullReport, print --full).
   */
  readonly full?: boolean;
  /** The per-type table as well as the leaks (print --types; part of full). */
  readonly types?: boolean;
  /**
   * The trend of the recent iterations, this one the latest (recent-trend.ts): each row of the
   * tables then shows its type's sparkline and verdict. None: no Trend column.
   */
  readonly trend?: LeakTrend | undefined;
}

/** Rows of a table in the compact console report; the others are in the saved report. */
export const MAX_CONSOLE_ROWS = 10;
/** Lines of one iteration's compact console report, at most (when its parts allow it). */
export const MAX_REPORT_LINES = 150;

export function widthOf(context: Pick<RenderContext, 'width'>): number {
  return Math.max(MIN_WIDTH, context.width ?? DEFAULT_WIDTH);
}

function pad(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const room = Math.max(0, width - visibleLength(text));
  return align === 'left' ? text + ' '.repeat(room) : ' '.repeat(room) + text;
}

/**
 * A rounded panel with a title in its top border, as the Python tool's header; at most
 * `width` columns (longer lines are shortened in the middle).
 */
export function panel(title: string, lines: readonly string[], style: Style, width = Number.POSITIVE_INFINITY): string {
  const fitted = lines.map((l) => fitLine(l, width - 4));
  const shownTitle = shortenMiddle(title, Math.max(1, width - 6));
  const inner = Math.min(width - 2, Math.max(visibleLength(shownTitle) + 4, ...fitted.map((l) => visibleLength(l) + 2)));
  const top = `╭─ ${style.title(shownTitle)} ${'─'.repeat(Math.max(0, inner - visibleLength(shownTitle) - 3))}╮`;
  const body = fitted.map((line) => `│ ${pad(line, inner - 2)} │`);
  return [style.panel(top), ...body.map((b) => b.replace(/^│|│$/g, (edge) => style.panel(edge))), style.panel(`╰${'─'.repeat(inner)}╯`)].join('\n');
}

export interface TableFit {
  /** Columns the table may take. */
  readonly width?: number;
  /**
   * Per column, the style of its cells. With styles, cells are given unstyled and styled after
   * they are fitted (a cut through a styled cell would lose its style).
   */
  readonly styles?: readonly (((text: string) => string) | undefined)[];
}

/** Column widths within `width`: the widest left-aligned column gives up room first. */
function fitWidths(widths: number[], headers: readonly string[], align: readonly ('left' | 'right')[], width: number): number[] {
  const fitted = [...widths];
  const total = () => fitted.reduce((a, w) => a + w + 3, 1);
  while (total() > width) {
    let widest = -1;
    fitted.forEach((w, i) => {
      const floor = Math.max(8, headers[i]!.length);
      if (align[i] === 'left' && w > floor && (widest < 0 || w > fitted[widest]!)) widest = i;
    });
    if (widest < 0) break;
    fitted[widest]! -= 1;
  }
  return fitted;
}

/** Room the type (the first column) keeps before a Trend column is given up for it. */
const TYPE_ROOM_BEFORE_TREND = 24;

/**
 * The narrowest a table can be drawn with its type readable: right-aligned columns keep their
 * width, the type keeps TYPE_ROOM_BEFORE_TREND, other left-aligned ones shrink to their floor.
 */
function narrowestTable(headers: readonly string[], rows: readonly (readonly string[])[], align: readonly ('left' | 'right')[]): number {
  return headers.reduce((sum, header, i) => {
    const natural = Math.max(visibleLength(header), ...rows.map((r) => visibleLength(r[i] ?? '')));
    const floor = i === 0 ? TYPE_ROOM_BEFORE_TREND : Math.max(8, header.length);
    return sum + (align[i] === 'left' ? Math.min(natural, floor) : natural) + 3;
  }, 1);
}

/**
 * The table with a Trend column when it fits in `width`, else without one (a narrow terminal
 * keeps the table it had): `build(withTrend)` gives the headers, rows and alignment.
 */
function withTrendIfItFits(
  trend: LeakTrend | undefined,
  width: number,
  build: (trend: LeakTrend | undefined) => { headers: string[]; rows: string[][]; align: ('left' | 'right')[] },
): { headers: string[]; rows: string[][]; align: ('left' | 'right')[]; trendShown: boolean } {
  const built = build(trend);
  if (trend === undefined || narrowestTable(built.headers, built.rows, built.align) <= width) return { ...built, trendShown: trend !== undefined };
  return { ...build(undefined), trendShown: false };
}

interface TableText {
  readonly text: string;
  /** The table has a Trend column (it fitted). */
  readonly trendShown: boolean;
}

/** A table with a heavy header rule, like rich's default box. */
export function table(
  title: string,
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  align: readonly ('left' | 'right')[],
  style: Style,
  fit: TableFit = {},
): string {
  const natural = headers.map((h, i) => Math.max(visibleLength(h), ...rows.map((r) => visibleLength(r[i] ?? ''))));
  const widths = fitWidths(natural, headers, align, fit.width ?? Number.POSITIVE_INFINITY);
  const cell = (text: string, i: number) => {
    const fitted = fitLine(text, widths[i]!);
    return fit.styles?.[i]?.(fitted) ?? fitted;
  };
  const totalWidth = widths.reduce((a, w) => a + w + 3, 1);
  const line = (left: string, fill: string, mid: string, right: string) => left + widths.map((w) => fill.repeat(w + 2)).join(mid) + right;
  // The title may run past a narrow table (a one-column summary is narrower than "Possible New
  // Leaks (iteration 12)"), up to the width the table may take: shortened, it read "Possi…aks".
  const shownTitle = shortenMiddle(title, Math.max(totalWidth, Math.min(fit.width ?? Number.POSITIVE_INFINITY, visibleLength(title))));
  const out = [
    pad('', Math.max(0, Math.floor((totalWidth - visibleLength(shownTitle)) / 2))) + style.bold(shownTitle),
    line('┏', '━', '┳', '┓'),
    '┃' + headers.map((h, i) => ` ${style.bold(pad(h, widths[i]!, align[i]))} `).join('┃') + '┃',
    line('┡', '━', '╇', '┩'),
    ...rows.map((r) => '│' + r.map((text, i) => ` ${pad(cell(text, i), widths[i]!, align[i])} `).join('│') + '│'),
    line('└', '─', '┴', '┘'),
  ];
  return out.join('\n');
}

/** The memory lines of the header: the program's figures and, when known, memalot's own apart. */
function memoryLines(report: IterationReport, style: Style): string[] {
  const m = report.memoryUsage;
  const change = (bytes: number | null) =>
    bytes === null ? '' : ` (${bytes > 0 ? style.bad(formatSignedBytes(bytes)) : style.good(formatSignedBytes(bytes))})`;
  const own = m.memalot;
  if (own === undefined) {
    const percent = ((m.rssBytes / m.systemMemoryBytes) * 100).toFixed(2);
    return [
      `Memory used: ${formatBytes(m.rssBytes)} RSS${change(m.rssChangeBytes)} / ${percent}% sys; ` +
        `V8 heap ${formatBytes(m.heapUsedBytes)}${change(m.heapUsedChangeBytes)}`,
      `Peak memory: ${formatBytes(m.peakRssBytes)} RSS`,
    ];
  }
  const rss = Math.max(0, m.rssBytes - own.rssBytes);
  const heap = Math.max(0, m.heapUsedBytes - own.heapUsedBytes);
  const percent = ((rss / m.systemMemoryBytes) * 100).toFixed(2);
  return [
    `Program: ${formatBytes(rss)} RSS${change(m.rssChangeBytes)} / ${percent}% sys; V8 heap ${formatBytes(heap)}${change(m.heapUsedChangeBytes)}`,
    `Memalot's own: ${formatBytes(own.rssBytes)} RSS, ${formatBytes(own.heapUsedBytes)} V8 heap; peak ${formatBytes(m.peakRssBytes)} RSS in all`,
  ];
}

/** "worker 3", "worker 3 (crunch)", "main thread". */
export function threadLabel(thread: ThreadInfo): string {
  if (thread.kind === 'main') return 'main thread';
  return `worker ${thread.threadId}${thread.name === undefined ? '' : ` (${thread.name})`}`;
}

export function renderHeader(report: IterationReport, style: Style, width = Number.POSITIVE_INFINITY): string {
  return panel(
    `Memalot Report (iteration ${report.iterationNumber})`,
    [
      `Report ID: ${style.bold(report.reportId)}`,
      // Only a worker's reports say their thread: the main thread's look as they always have.
      ...(report.thread?.kind === 'worker' ? [`Thread: ${style.bold(threadLabel(report.thread))}`] : []),
      ...memoryLines(report, style),
      ...(report.functionCalls === undefined ? [] : [`Function: ${style.bold(report.functionCalls.functionName)}`]),
    ],
    style,
    width,
  );
}

/** The size columns that follow Count, each shown when any type has that size. */
const SIZE_COLUMNS: readonly { readonly header: string; readonly bytes: (s: TypeSummary) => number | undefined }[] = [
  { header: 'Shallow Size', bytes: (s) => s.shallowSizeBytes },
  { header: 'Retained Size', bytes: (s) => s.retainedSizeBytes },
];

function summaryTable(title: string, summaries: readonly TypeSummary[], style: Style, width: number, trend: LeakTrend | undefined): TableText {
  const { headers, rows, align, trendShown } = withTrendIfItFits(trend, width, (t) => summaryColumns(summaries, t));
  return { text: table(title, headers, rows, align, style, { width, styles: [style.type, style.count] }), trendShown };
}

function summaryColumns(summaries: readonly TypeSummary[], trend: LeakTrend | undefined): { headers: string[]; rows: string[][]; align: ('left' | 'right')[] } {
  const sizeColumns = SIZE_COLUMNS.filter((column) => summaries.some((s) => column.bytes(s) !== undefined));
  const trendColumn = trend === undefined ? [] : ['Trend'];
  const headers = ['Object Type', 'Count', ...trendColumn, ...sizeColumns.map((column) => column.header)];
  // Trend is right-aligned so that a narrow terminal never cuts a sparkline (its cells are all as wide).
  const align: ('left' | 'right')[] = ['left', 'right', ...trendColumn.map(() => 'right' as const), ...sizeColumns.map(() => 'right' as const)];
  const rows = summaries.map((s) => [
    s.objectType,
    String(s.count),
    ...(trend === undefined ? [] : [trendCell(trend, s.objectType)]),
    ...sizeColumns.map((column) => {
      const bytes = column.bytes(s);
      return bytes === undefined ? '' : formatBytes(bytes);
    }),
  ]);
  return { headers, rows, align };
}

/** "33 Buffer, 99 number, 33 Function": what a leak's holders keep alive with them. */
export function carriedText(leak: Leak, maxTypes = Number.POSITIVE_INFINITY): string {
  const named = leak.contents.slice(0, maxTypes).map((c) => `${c.count} ${c.objectType}`).join(', ');
  const more = leak.contents.length - Math.min(maxTypes, leak.contents.length);
  return more === 0 ? named : `${named} and ${more} more type${more === 1 ? '' : 's'}`;
}

/** Carried types named per leak in the console's table (all of them in a full report). */
const CARRIED_TYPES_SHOWN = 3;

function leakTable(title: string, leaks: readonly Leak[], style: Style, width: number, full: boolean, trend: LeakTrend | undefined): TableText {
  const { headers, rows, align, trendShown } = withTrendIfItFits(trend, width, (t) => leakColumns(leaks, width, full, t));
  return { text: table(title, headers, rows, align, style, { width, styles: [style.type, style.count] }), trendShown };
}

function leakColumns(leaks: readonly Leak[], width: number, full: boolean, trend: LeakTrend | undefined): { headers: string[]; rows: string[][]; align: ('left' | 'right')[] } {
  const trendColumn = trend === undefined ? [] : ['Trend'];
  const headers = ['Held by', 'Count', ...trendColumn, 'Retained Size', 'Carrying'];
  const fixed = leaks.map((leak) => [
    leak.objectType,
    String(leak.count),
    ...(trend === undefined ? [] : [trendCell(trend, leak.objectType)]),
    formatBytes(leak.retainedSizeBytes),
  ]);
  // The room the Carrying column has once the others take theirs (the holder's type at most
  // half the width): as many carried types as fit are named there, the rest counted.
  const columnWidth = (i: number) => Math.max(visibleLength(headers[i]!), ...fixed.map((row) => visibleLength(row[i]!)));
  const holder = Math.min(columnWidth(0), Math.max(headers[0]!.length, Math.floor(width / 2)));
  const others = fixed[0] === undefined ? 0 : fixed[0].slice(1).reduce((sum, _, i) => sum + columnWidth(i + 1) + 3, 0);
  const room = Math.max('Carrying'.length, width - 1 - (holder + 3) - others - 3);
  const carried = (leak: Leak): string => {
    if (leak.contents.length === 0) return '-';
    const most = full ? leak.contents.length : CARRIED_TYPES_SHOWN;
    for (let types = Math.min(most, leak.contents.length); types > 1; types--) {
      const text = `with ${carriedText(leak, types)}`;
      if (full || text.length <= room) return text;
    }
    return `with ${carriedText(leak, 1)}`;
  };
  const rows = leaks.map((leak, i) => [...fixed[i]!, carried(leak)]);
  return { headers, rows, align: ['left', 'right', ...trendColumn.map(() => 'right' as const), 'right', 'left'] };
}

/** The rows shown of `all` (all of them in a full report), and a line for those left out. */
function shownRows<T>(all: readonly T[], full: boolean, what: string, style: Style): { rows: readonly T[]; note: string[] } {
  if (full || all.length <= MAX_CONSOLE_ROWS) return { rows: all, note: [] };
  const left = all.length - MAX_CONSOLE_ROWS;
  return { rows: all.slice(0, MAX_CONSOLE_ROWS), note: [style.dim(`(${left} more ${what}${left === 1 ? '' : 's'} in the saved report: memalot print --full)`)] };
}

export function renderBody(report: IterationReport, context: RenderContext): string {
  const { style } = context;
  const width = widthOf(context);
  const full = context.full === true;
  if (report.kind === 'warmup') {
    return 'This is a warmup iteration. Reports will be available from the next iteration.';
  }
  const summaries = report.leakSummary.typeSummaries;
  const scan = report.scan;
  const window = scan
    ? `created between ${formatClock(new Date(scan.createdAfter))} and ${formatClock(new Date(scan.createdBefore))} UTC`
    : '';
  if (scan?.snapshotSkipped !== undefined) {
    return fitText(style.bad(`Memalot could not check this iteration's objects: ${scan.snapshotSkipped}.`), width);
  }
  const overlap = report.functionCalls?.overlapped
    ? style.bad(`\n${fitText(`${report.functionCalls.followedCalls} calls to ${report.functionCalls.functionName} overlapped (an async call began before another ended, or one was made from within another); the objects created during all of them are counted together.`, width)}`)
    : '';
  if (summaries.length === 0) {
    const hidden = report.leakSummary.filteredOut;
    if (hidden !== undefined) return style.bad(describeFilteredOut(hidden)) + overlap;
    const walked = objectWalkNote(scan, false);
    const none = walked !== undefined ? `\n${walked}` : report.functionCalls === undefined ? (window ? `\nNo object ${window} is still alive.` : '') : '';
    const trend = shownTrend(context.trend);
    const earlier = trend === undefined ? undefined : earlierLeaksLine(trend, width);
    // Survivors the walk could not name are not "good" news: the verdict is plain then.
    const verdict = (scan?.objectWalk?.unnamedObjects ?? 0) > 0 ? 'No leaked JavaScript objects found during this iteration.' : style.good('No leaks found during this iteration.');
    return verdict + style.dim(none + (earlier === undefined ? '' : `\n${earlier}`)) + overlap;
  }
  const lines: string[] = [];
  const leaks = report.leakSummary.leaks;
  const trend = shownTrend(context.trend);
  let trendShown = false;
  const title = `Possible New Leaks (iteration ${report.iterationNumber})`;
  if (leaks !== undefined && leaks.length > 0) {
    const shown = shownRows(leaks, full, 'leak', style);
    const drawn = leakTable(title, shown.rows, style, width, full, trend);
    trendShown ||= drawn.trendShown;
    lines.push(drawn.text, ...shown.note);
  }
  // A user who asked for sizes in the leak summary (computeSizeInLeakSummary) sees the table that has them.
  const sized = summaries.some((s) => s.shallowSizeBytes !== undefined);
  const withTypes = leaks === undefined || leaks.length === 0 || full || context.types === true || sized;
  if (withTypes) {
    const typesTitle = lines.length === 0 ? title : `Leaked Objects by Type (iteration ${report.iterationNumber})`;
    const shown = shownRows(summaries, full, 'type', style);
    const drawn = summaryTable(typesTitle, shown.rows, style, width, trend);
    trendShown ||= drawn.trendShown;
    lines.push(drawn.text, ...shown.note);
    const { totalTypes, maxTypesInSummary } = report.leakSummary;
    if (totalTypes > summaries.length) lines.push(style.dim(`(truncated to ${maxTypesInSummary} entries; ${totalTypes} types in all)`));
  }
  lines.push(...renderAllocationSites(report, style, width, full));
  const objects = summaries.reduce((sum, s) => sum + s.count, 0);
  const counted = `${objects} object${objects === 1 ? '' : 's'}${withTypes ? '' : ` of ${summaries.length} type${summaries.length === 1 ? '' : 's'}`}`;
  const calls = report.functionCalls;
  if (calls !== undefined) {
    const during = calls.followedCalls === 1 ? `a call to ${calls.functionName}` : `${calls.followedCalls} overlapping calls to ${calls.functionName}`;
    const after = calls.calls <= calls.followedCalls ? (calls.followedCalls === 1 ? 'it returned' : 'they returned') : `${calls.calls} calls`;
    lines.push(style.dim(fitText(`${counted} created during ${during} ${objects === 1 ? 'is' : 'are'} still alive after ${after}.`, width)));
  } else if (window) {
    const age = context.maxObjectLifetime === undefined ? '' : `, at least ${formatSeconds(context.maxObjectLifetime)} ago,`;
    lines.push(style.dim(fitText(`${counted} ${window}${age} ${objects === 1 ? 'is' : 'are'} still alive.`, width)));
  }
  const walked = objectWalkNote(scan, true);
  if (walked !== undefined) lines.push(style.dim(fitText(walked, width)));
  if (trend !== undefined) {
    const earlier = earlierLeaksLine(trend, width);
    if (earlier !== undefined) lines.push(style.dim(earlier));
    if (trendShown) lines.push(style.dim(fitText(trendLegend(trend), width)));
  }
  const cut = report.detailsCutShort;
  if (cut !== undefined) {
    const objects = `${cut.objectsLeftOut} object${cut.objectsLeftOut === 1 ? '' : 's'}`;
    lines.push(style.bad(fitText(`Details cut short: this report reached maxReportPause (${cut.maxReportPause} s); ${objects} chosen for details ${cut.objectsLeftOut === 1 ? 'was' : 'were'} not detailed.`, width)));
  }
  return lines.join('\n') + overlap;
}

/** A sentence wrapped at word boundaries to `width` columns. */
export function fitText(text: string, width: number): string {
  return wrapText(text, width);
}

export function renderFooter(report: IterationReport, style: Style): string {
  return style.bold(`End of Memalot Report (iteration ${report.iterationNumber})`);
}

/**
 * The summary block: the body, followed by the line that announces object details when
 * there are some (the live report prints it before it starts computing them).
 */
export function renderSummaryBlock(report: IterationReport, context: RenderContext, withDetails: boolean): string {
  // Its sentences wrapped to the width (the tables fit already).
  const body = wrapText(renderBody(report, context), widthOf(context));
  return withDetails ? `${body}\n\n${fitLine(renderDetailsIntro(context.style), widthOf(context))}` : body;
}

export function lineCount(block: string): number {
  return block.split('\n').length;
}

/**
 * The blocks for the detailed objects. Full: each object's box with its whole referrer graph.
 * Compact: one box per cluster of objects with the same trace (trace-clusters.ts), as many as
 * fit in MAX_REPORT_LINES with the `usedLines` of the other blocks, then a line for the rest.
 */
export function renderDetailBlocks(
  details: readonly ObjectDetails[],
  context: RenderContext,
  usedLines: number,
  types: readonly TypeSummary[] = [],
): string[] {
  const width = widthOf(context);
  if (context.full === true) return details.map((d) => renderObjectDetails(d, context.style, width));
  const clusters = clusterTraces(details);
  const sitesOfType = new Map(types.map((t) => [t.objectType, t.allocationSites]));
  const blocks: string[] = [];
  let left = MAX_REPORT_LINES - usedLines - 1;
  let shown = 0;
  for (const cluster of clusters) {
    const block = renderTraceCluster(cluster, context.style, width, sitesOfType.get(cluster.representative.objectTypeName)?.[0]);
    // The first cluster is always shown: the most telling trace is what the report is for.
    if (shown > 0 && lineCount(block) > left) break;
    blocks.push(block);
    left -= lineCount(block);
    shown++;
  }
  const rest = clusters.slice(shown);
  if (rest.length > 0) {
    const objects = rest.reduce((sum, c) => sum + c.members.length, 0);
    const types = [...new Set(rest.map((c) => c.representative.objectTypeName))];
    blocks.push(
      context.style.dim(
        fitText(
          `${rest.length} more trace${rest.length === 1 ? '' : 's'} (${objects} detailed object${objects === 1 ? '' : 's'} of ${types.join(', ')}) ` +
            'in the saved report: memalot print --full',
          width,
        ),
      ),
    );
  }
  return blocks;
}

/** The whole iteration as the blocks that outputFunc receives, in order: header, summary, details, footer. */
export function renderIteration(report: IterationReport, context: RenderContext): string[] {
  const header = `\n\n${renderHeader(report, context.style, widthOf(context))}`;
  const summary = renderSummaryBlock(report, context, report.objectDetails.length > 0);
  const footer = renderFooter(report, context.style);
  return [header, summary, ...renderDetailBlocks(report.objectDetails, context, lineCount(header) + lineCount(summary) + lineCount(footer), report.leakSummary.typeSummaries), footer];
}

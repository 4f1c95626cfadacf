// Renders an iteration report as text blocks (header, body, footer), as the console shows it.
// The same renderer serves the live monitor and, later, `memalot print`.
import type { IterationReport, TypeSummary } from '../storage/schema.js';
import { formatBytes, formatClock, formatSeconds, formatSignedBytes } from './format.js';
import { describeFilteredOut } from './filtered-out.js';
import { renderDetailsIntro, renderObjectDetails } from './render-details.js';
import { type Style, visibleLength } from './style.js';

export interface RenderContext {
  readonly style: Style;
  /** Seconds an object must have lived to be reported (time-based), for the explanation line. */
  readonly maxObjectLifetime?: number;
}

function pad(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const room = Math.max(0, width - visibleLength(text));
  return align === 'left' ? text + ' '.repeat(room) : ' '.repeat(room) + text;
}

/** A rounded panel with a title in its top border, as the Python tool's header. */
export function panel(title: string, lines: readonly string[], style: Style): string {
  const inner = Math.max(visibleLength(title) + 4, ...lines.map((l) => visibleLength(l) + 2));
  const top = `╭─ ${style.title(title)} ${'─'.repeat(inner - visibleLength(title) - 3)}╮`;
  const body = lines.map((line) => `│ ${pad(line, inner - 2)} │`);
  return [style.panel(top), ...body.map((b) => b.replace(/^│|│$/g, (edge) => style.panel(edge))), style.panel(`╰${'─'.repeat(inner)}╯`)].join('\n');
}

/** A table with a heavy header rule, like rich's default box. */
export function table(
  title: string,
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  align: readonly ('left' | 'right')[],
  style: Style,
): string {
  const widths = headers.map((h, i) => Math.max(visibleLength(h), ...rows.map((r) => visibleLength(r[i] ?? ''))));
  const totalWidth = widths.reduce((a, w) => a + w + 3, 1);
  const line = (left: string, fill: string, mid: string, right: string) => left + widths.map((w) => fill.repeat(w + 2)).join(mid) + right;
  const out = [
    pad('', Math.max(0, Math.floor((totalWidth - visibleLength(title)) / 2))) + style.bold(title),
    line('┏', '━', '┳', '┓'),
    '┃' + headers.map((h, i) => ` ${style.bold(pad(h, widths[i]!, align[i]))} `).join('┃') + '┃',
    line('┡', '━', '╇', '┩'),
    ...rows.map((r) => '│' + r.map((cell, i) => ` ${pad(cell, widths[i]!, align[i])} `).join('│') + '│'),
    line('└', '─', '┴', '┘'),
  ];
  return out.join('\n');
}

export function renderHeader(report: IterationReport, style: Style): string {
  const m = report.memoryUsage;
  const change = (bytes: number | null) =>
    bytes === null ? '' : ` (${bytes > 0 ? style.bad(formatSignedBytes(bytes)) : style.good(formatSignedBytes(bytes))})`;
  const percent = ((m.rssBytes / m.systemMemoryBytes) * 100).toFixed(2);
  return panel(
    `Memalot Report (iteration ${report.iterationNumber})`,
    [
      `Report ID: ${style.bold(report.reportId)}`,
      `Memory used: ${formatBytes(m.rssBytes)} RSS${change(m.rssChangeBytes)} / ${percent}% sys; ` +
        `V8 heap ${formatBytes(m.heapUsedBytes)}${change(m.heapUsedChangeBytes)}`,
      `Peak memory: ${formatBytes(m.peakRssBytes)} RSS`,
      ...(report.functionCalls === undefined ? [] : [`Function: ${style.bold(report.functionCalls.functionName)}`]),
    ],
    style,
  );
}

/** The size columns that follow Count, each shown when any type has that size. */
const SIZE_COLUMNS: readonly { readonly header: string; readonly bytes: (s: TypeSummary) => number | undefined }[] = [
  { header: 'Shallow Size', bytes: (s) => s.shallowSizeBytes },
  { header: 'Retained Size', bytes: (s) => s.retainedSizeBytes },
];

function summaryTable(title: string, summaries: readonly TypeSummary[], style: Style): string {
  const sizeColumns = SIZE_COLUMNS.filter((column) => summaries.some((s) => column.bytes(s) !== undefined));
  const headers = ['Object Type', 'Count', ...sizeColumns.map((column) => column.header)];
  const align: ('left' | 'right')[] = ['left', 'right', ...sizeColumns.map(() => 'right' as const)];
  const rows = summaries.map((s) => [
    style.type(s.objectType),
    style.count(String(s.count)),
    ...sizeColumns.map((column) => {
      const bytes = column.bytes(s);
      return bytes === undefined ? '' : formatBytes(bytes);
    }),
  ]);
  return table(title, headers, rows, align, style);
}

export function renderBody(report: IterationReport, context: RenderContext): string {
  const { style } = context;
  if (report.kind === 'warmup') {
    return 'This is a warmup iteration. Reports will be available from the next iteration.';
  }
  const summaries = report.leakSummary.typeSummaries;
  const scan = report.scan;
  const window = scan
    ? `created between ${formatClock(new Date(scan.createdAfter))} and ${formatClock(new Date(scan.createdBefore))} UTC`
    : '';
  if (scan?.snapshotSkipped !== undefined) {
    return style.bad(`Memalot could not check this iteration's objects: ${scan.snapshotSkipped}.`);
  }
  const overlap = report.functionCalls?.overlapped
    ? style.bad(`\n${report.functionCalls.followedCalls} calls to ${report.functionCalls.functionName} overlapped (an async call began before another ended, or one was made from within another); the objects created during all of them are counted together.`)
    : '';
  if (summaries.length === 0) {
    const hidden = report.leakSummary.filteredOut;
    if (hidden !== undefined) return style.bad(describeFilteredOut(hidden)) + overlap;
    const none = report.functionCalls === undefined ? (window ? `\nNo object ${window} is still alive.` : '') : '';
    return style.good('No leaks found during this iteration.') + style.dim(none) + overlap;
  }
  const lines = [summaryTable(`Possible New Leaks (iteration ${report.iterationNumber})`, summaries, style)];
  const { totalTypes, maxTypesInSummary } = report.leakSummary;
  if (totalTypes > summaries.length) lines.push(style.dim(`(truncated to ${maxTypesInSummary} entries; ${totalTypes} types in all)`));
  const objects = summaries.reduce((sum, s) => sum + s.count, 0);
  const counted = `${objects} object${objects === 1 ? '' : 's'}`;
  const calls = report.functionCalls;
  if (calls !== undefined) {
    const during = calls.followedCalls === 1 ? `a call to ${calls.functionName}` : `${calls.followedCalls} overlapping calls to ${calls.functionName}`;
    const after = calls.calls <= calls.followedCalls ? (calls.followedCalls === 1 ? 'it returned' : 'they returned') : `${calls.calls} calls`;
    lines.push(style.dim(`${counted} created during ${during} ${objects === 1 ? 'is' : 'are'} still alive after ${after}.`));
  } else if (window) {
    const age = context.maxObjectLifetime === undefined ? '' : `, at least ${formatSeconds(context.maxObjectLifetime)} ago,`;
    lines.push(style.dim(`${counted} ${window}${age} ${objects === 1 ? 'is' : 'are'} still alive.`));
  }
  return lines.join('\n') + overlap;
}

export function renderFooter(report: IterationReport, style: Style): string {
  return style.bold(`End of Memalot Report (iteration ${report.iterationNumber})`);
}

/**
 * The summary block: the body, followed by the line that announces object details when
 * there are some (the live report prints it before it starts computing them).
 */
export function renderSummaryBlock(report: IterationReport, context: RenderContext, withDetails: boolean): string {
  const body = renderBody(report, context);
  return withDetails ? `${body}\n\n${renderDetailsIntro(context.style)}` : body;
}

/** The whole iteration as the blocks that outputFunc receives, in order: header, summary, each object, footer. */
export function renderIteration(report: IterationReport, context: RenderContext): string[] {
  return [
    `\n\n${renderHeader(report, context.style)}`,
    renderSummaryBlock(report, context, report.objectDetails.length > 0),
    ...report.objectDetails.map((details) => renderObjectDetails(details, context.style)),
    renderFooter(report, context.style),
  ];
}

// `memalot print REPORT_ID`: a saved report's last iterations, exactly as the live console
// report showed them (or the stored data, as JSON).
import { Command, Option } from 'commander';
import { renderIteration, widthOf, type RenderContext } from '../../report/render.js';
import { leakTrend } from '../../report/leak-trend.js';
import { CONSOLE_TREND_ITERATIONS, recentTrend } from '../../report/recent-trend.js';
import { renderTrendTable } from '../../report/trend-table.js';
import { renderHtmlReport } from '../../report/html/page.js';
import { printableData } from '../../report/printable-data.js';
import type { Style } from '../../report/style.js';
import { terminalWidth, wrapText } from '../../report/width.js';
import { defaultReportDirectory, loadReport, readIterations, ReportReadError } from '../../storage/report-reader.js';
import type { IterationReport, ReportSummary } from '../../storage/schema.js';
import { commaSeparatedNames, positiveInteger } from '../arguments.js';
import { CliError, EXIT_USAGE, readingReports } from '../errors.js';
import { Progress } from '../progress.js';
import { filterIteration, typeMatcher, type IterationFilter } from '../report-filter.js';
import { outputStyle } from '../terminal.js';
import { reportDirectoryOption, type ReportDirectoryOption } from './shared-options.js';

interface PrintOptions extends ReportDirectoryOption {
  numIterations: number;
  filterTypes?: string[];
  summaryOnly?: boolean;
  forceTerminal?: boolean;
  json?: boolean;
  full?: boolean;
  types?: boolean;
  trend?: boolean;
  html?: boolean;
}

/**
 * As the live report rendered: the lifetime a time-based report was made with (the line under
 * its table says "at least N s ago"), and whether it was full (fullReport); --full and --types
 * ask for more. The width is this terminal's.
 */
function renderContext(summary: ReportSummary, style: Style, options: Pick<PrintOptions, 'full' | 'types'>): RenderContext {
  const lifetime = summary.options['maxObjectLifetime'];
  return {
    style,
    width: terminalWidth(),
    full: options.full === true || summary.options['fullReport'] === true,
    ...(options.types === true ? { types: true } : {}),
    ...(summary.mode === 'time' && typeof lifetime === 'number' ? { maxObjectLifetime: lifetime } : {}),
  };
}

function quoteList(names: readonly string[]): string {
  const quoted = names.map((n) => JSON.stringify(n));
  return quoted.length === 1 ? quoted[0]! : `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}`;
}

/** What a filter left out, said under the iteration's body; none when nothing was. */
function filterNotes(original: IterationReport, shown: IterationReport, filter: IterationFilter, style: Style): string[] {
  const notes: string[] = [];
  const types = original.leakSummary.typeSummaries.length;
  if (filter.types !== undefined && types > 0) {
    notes.push(`Only types whose name contains ${quoteList(filter.types)} are shown (${shown.leakSummary.typeSummaries.length} of ${types}; --filter-types).`);
  }
  const hidden = filter.summaryOnly ? original.objectDetails.length : 0;
  if (hidden > 0) notes.push(`${hidden} object detail${hidden === 1 ? ' is' : 's are'} left out (--summary-only).`);
  return notes.map((n) => style.dim(n));
}

/**
 * One iteration as the console showed it, narrowed by the filter. When the filter leaves no
 * row of a table that had some, the line that would say "no object of the period is still
 * alive" would be false: the period is left out of what is rendered.
 */
export function renderFiltered(report: IterationReport, filter: IterationFilter, context: RenderContext): string[] {
  const shown = filterIteration(report, filter);
  const emptied = shown.leakSummary.typeSummaries.length === 0 && report.leakSummary.typeSummaries.length > 0;
  const rendered = emptied && shown.scan?.snapshotSkipped === undefined ? { ...shown, scan: undefined } : shown;
  if (rendered.scan === undefined) delete rendered.scan;
  const [header, body, ...rest] = renderIteration(rendered, context);
  const notes = filterNotes(report, shown, filter, context.style).map((note) => wrapText(note, widthOf(context)));
  return [header!, body!, ...notes, ...rest];
}

export function printCommand(): Command {
  return new Command('print')
    .description('print the last iterations of a saved report, as the console showed them')
    .argument('<REPORT_ID>', 'the report, e.g. k3x9-0qpa (see memalot list)')
    .addOption(new Option('-n, --num-iterations <n>', 'how many of the last iterations to print').argParser(positiveInteger).default(1))
    .addOption(new Option('--filter-types <names>', 'only types whose name contains one of these (comma-separated, case-insensitive)').argParser(commaSeparatedNames))
    .option('--summary-only', 'leave out the object details')
    .addOption(reportDirectoryOption())
    .option('--force-terminal', 'style the output for a terminal even when it is not one')
    .option('--full', "every row of the tables and each detailed object's whole referrer graph, not one trace per cluster")
    .option('--types', 'the table of leaked objects by type as well as the leaks')
    .option('--json', 'print the stored data (summary and iterations) as JSON')
    .option('--trend', "each leaked type's count in every iteration (or the last --num-iterations), with a sparkline and a verdict: growing, new, stopped or one-off")
    .option('--html', 'write the report as one self-contained HTML page (a chart of the counts per type, the leaks and their traces) to stdout')
    .addHelpText(
      'after',
      '\nExamples:\n  memalot print k3x9-0qpa\n  memalot print k3x9-0qpa --num-iterations 3 --filter-types Session,Map --summary-only\n  memalot print k3x9-0qpa --full\n' +
        '  memalot print k3x9-0qpa --trend\n  memalot print k3x9-0qpa --html > report.html',
    )
    .action((reportId: string, options: PrintOptions, command: Command) => {
      const exclusive = (['json', 'trend', 'html'] as const).filter((name) => options[name] === true);
      if (exclusive.length > 1) throw new CliError(`--${exclusive[0]} and --${exclusive[1]} cannot be given together: each is a whole output of its own`, EXIT_USAGE);
      // --trend and --html cover the whole report unless --num-iterations is given.
      const wholeReport = (options.trend === true || options.html === true) && command.getOptionValueSource('numIterations') !== 'cli';
      const read = wholeReport ? Number.MAX_SAFE_INTEGER : options.numIterations;
      // The console's Trend column reads the iterations before the first one printed, too.
      const withTrend = options.json || options.trend || options.html ? read : options.numIterations + CONSOLE_TREND_ITERATIONS - 1;
      const directory = options.reportDirectory ?? defaultReportDirectory();
      const { summary, iterationNumbers } = readingReports(options.reportDirectory, () => loadReport(directory, reportId));
      if (iterationNumbers.length === 0) {
        throw new CliError(`report ${reportId} has no saved iterations: its program ended, or could not save, before the first one`);
      }
      const filter: IterationFilter = { types: options.filterTypes, summaryOnly: options.summaryOnly };
      const progress = new Progress();
      let iterations: IterationReport[];
      try {
        const readLast = (count: number) =>
          readIterations(directory, reportId, count, (done, total) => {
            if (total > 1) progress.update(`memalot: reading iteration ${done} of ${total} of report ${reportId}…`);
          });
        iterations = readingReports(options.reportDirectory, () => {
          try {
            return readLast(withTrend);
          } catch (error) {
            // An unreadable earlier iteration costs the trend, not the iterations asked for.
            if (withTrend === read || !(error instanceof ReportReadError)) throw error;
            return readLast(read);
          }
        });
      } finally {
        progress.done();
      }
      if (options.json) {
        const data = { summary, iterations: iterations.map((it) => filterIteration(it, filter)) };
        process.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
        return;
      }
      const matches = filter.types === undefined ? undefined : typeMatcher(filter.types);
      if (options.html) {
        // The page escapes every string itself (for HTML, not for a terminal).
        process.stdout.write(renderHtmlReport(summary, iterations.map((it) => filterIteration(it, filter)), leakTrend(iterations, matches)));
        return;
      }
      const style = outputStyle(options.forceTerminal === true);
      if (options.trend) {
        const trend = leakTrend(iterations.map((it) => printableData(it)), matches);
        process.stdout.write(`${renderTrendTable(reportId, trend, { width: terminalWidth(), full: options.full === true, style })}\n`);
        return;
      }
      const context = renderContext(summary, style, options);
      // The files' strings reach the terminal escaped (printable-data.ts); the filter matches
      // what is shown. Each printed iteration shows the trend of the ones before it, as it did live.
      const shown = iterations.map((it) => printableData(it));
      const first = Math.max(0, shown.length - options.numIterations);
      const blocks = shown
        .slice(first)
        .flatMap((it, i) => renderFiltered(it, filter, { ...context, trend: recentTrend(shown.slice(0, first + i + 1), matches) }));
      // As the live report writes them: each block, then a newline.
      process.stdout.write(blocks.map((b) => `${b}\n`).join(''));
    });
}

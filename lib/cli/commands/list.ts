// `memalot list`: the newest saved reports, newest first, as a table (or JSON).
import { Command, Option } from 'commander';
import { printable } from '../../report/render-details.js';
import type { Style } from '../../report/style.js';
import { table } from '../../report/render.js';
import { defaultReportDirectory, listReports, type ReportListing } from '../../storage/report-reader.js';
import { positiveInteger } from '../arguments.js';
import { readingReports } from '../errors.js';
import { outputStyle } from '../terminal.js';
import { reportDirectoryOption, type ReportDirectoryOption } from './shared-options.js';

interface ListOptions extends ReportDirectoryOption {
  numReports: number;
  forceTerminal?: boolean;
  json?: boolean;
}

/** "2026-11-26 20:14:03": the start time in UTC, to the second. */
function formatStartTime(iso: string | null): string {
  return iso === null ? '?' : iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, '');
}

/** Arguments as a shell would need them typed: quoted when they hold spaces or quotes. */
export function formatArguments(args: readonly string[]): string {
  return args.map((a) => (a === '' || /[\s"'\\$`]/.test(a) ? printable(JSON.stringify(a)) : printable(a))).join(' ');
}

/** The table; a report that cannot be read is marked "!" and explained under it. */
export function renderListing(reports: readonly ReportListing[], style: Style): string {
  const rows = reports.map((r) => [
    r.problem === undefined ? r.reportId : `${r.reportId} ${style.bad('!')}`,
    String(r.iterations),
    formatStartTime(r.startTime),
    r.entrypoint === null ? '?' : printable(r.entrypoint),
    formatArguments(r.arguments),
  ]);
  const out = [
    table('Memalot Reports', ['Report ID', 'Iterations', 'Start Time (UTC)', 'Entrypoint', 'Arguments'], rows, ['left', 'right', 'left', 'left', 'left'], style),
  ];
  for (const r of reports) {
    if (r.problem !== undefined) out.push(`${style.bad('!')} ${r.reportId} cannot be read: ${printable(r.problem)}`);
  }
  return out.join('\n');
}

export function listCommand(): Command {
  return new Command('list')
    .description('list the newest saved reports, newest first')
    .addOption(new Option('-n, --num-reports <n>', 'how many reports to list').argParser(positiveInteger).default(10))
    .addOption(reportDirectoryOption())
    .option('--force-terminal', 'style the output for a terminal even when it is not one')
    .option('--json', 'print the list as JSON')
    .addHelpText('after', '\nExample:\n  memalot list --num-reports 5\n  memalot list --report-directory ./reports --json')
    .action((options: ListOptions) => {
      const directory = options.reportDirectory ?? defaultReportDirectory();
      const reports = readingReports(options.reportDirectory, () => listReports(directory, options.numReports));
      if (options.json) {
        process.stdout.write(`${JSON.stringify(reports, null, 2)}\n`);
      } else if (reports.length === 0) {
        process.stdout.write(`No reports found.\n`);
      } else {
        process.stdout.write(`${renderListing(reports, outputStyle(options.forceTerminal === true))}\n`);
      }
    });
}

// The text form of list_leak_reports: one line per report.
import type { ListedReport } from '../tools/list-leak-reports.js';

function commandLine(report: ListedReport): string {
  return [report.entrypoint ?? '(entrypoint unknown)', ...report.arguments].join(' ');
}

function reportLine(report: ListedReport): string {
  const iterations = `${report.iterationCount} iteration${report.iterationCount === 1 ? '' : 's'}`;
  const mode = report.mode === null ? '' : `, ${report.mode}-based`;
  const started = report.startTime ?? 'start time unknown';
  const problem = report.problem === undefined ? '' : `\n  cannot be read: ${report.problem}`;
  const cut = report.argumentsLeftOut === undefined ? '' : ` (${report.argumentsLeftOut} arguments left out or cut short)`;
  return `${report.reportId}  ${started}  ${iterations}${mode}  ${commandLine(report)}${cut}${problem}`;
}

export function listingText(directory: string, reports: readonly ListedReport[], moreReports: boolean): string {
  if (reports.length === 0) return `No memalot reports in ${directory}.`;
  const more = moreReports ? '\n(older reports exist: ask with a larger num_reports)' : '';
  return `memalot reports in ${directory}, newest first:\n${reports.map(reportLine).join('\n')}${more}`;
}

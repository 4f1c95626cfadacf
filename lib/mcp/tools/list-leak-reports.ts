// list_leak_reports: the newest saved reports, so that an assistant can pick one by its ID.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import * as z from 'zod';
import { listReports, type ReportListing } from '../../storage/report-reader.js';
import { resolveReportDirectory } from '../report-directory.js';
import { resultSize } from '../result-budget.js';
import { listingText } from '../text/listing-text.js';
import { READ_ONLY_ANNOTATIONS, reportDirectoryArgument, wholeNumber } from '../tool-arguments.js';
import { answer, textAndStructured } from '../tool-result.js';

const MAX_REPORTS = 100;

const inputSchema = z.strictObject({
  num_reports: wholeNumber('num_reports', 1, MAX_REPORTS).default(5).describe(`How many reports, newest first (1 to ${MAX_REPORTS})`),
  report_directory: reportDirectoryArgument,
});

export const reportListingSchema = z.object({
  reportId: z.string().describe('pass it to get_leak_report and get_leak_trend'),
  iterationCount: z.number().int().describe('iterations saved; the first is a warm-up'),
  startTime: z.string().nullable().describe('when monitoring started, ISO 8601 UTC; null when the report cannot be read'),
  entrypoint: z.string().nullable().describe('the monitored program\'s main file'),
  arguments: z.array(z.string()).describe('its command-line arguments'),
  mode: z.enum(['time', 'function']).nullable().describe('time-based or function-based monitoring'),
  problem: z.string().optional().describe('why this report cannot be read; the others still can'),
  argumentsLeftOut: z.number().int().optional().describe('arguments left out (or cut short) to keep the answer within its budget'),
});

const outputSchema = z.object({
  reportDirectory: z.string(),
  reports: z.array(reportListingSchema).describe('newest first'),
  moreReports: z.boolean().describe('older reports exist beyond num_reports'),
});

export type ListedReport = z.infer<typeof reportListingSchema>;

function listed(report: ReportListing): ListedReport {
  const { reportId, iterations, startTime, entrypoint, arguments: args, mode, problem } = report;
  return { reportId, iterationCount: iterations, startTime, entrypoint, arguments: args, mode, ...(problem === undefined ? {} : { problem }) };
}

/**
 * The listing cut to the budget: a report's entrypoint, arguments and problem come from its
 * files (a program started with 20,000 arguments, a planted summary), so each report gets an
 * equal share of the budget and its command line is cut to it.
 */
export function fitListing(reports: ListedReport[], budget: number): ListedReport[] {
  if (reports.length === 0) return reports;
  // Text and JSON both count; 300 characters per report for the rest of its fields.
  const share = Math.max(100, Math.floor(budget / (2 * reports.length)) - 300);
  return reports.map((report) => {
    const cut = (text: string, room: number): string => (text.length <= room ? text : `${text.slice(0, Math.max(0, room - 1))}…`);
    const entrypoint = report.entrypoint === null ? null : cut(report.entrypoint, Math.floor(share / 2));
    let room = share - (entrypoint?.length ?? 0);
    const args: string[] = [];
    let leftOut = 0;
    for (const argument of report.arguments) {
      // Each argument costs its quotes and a comma in JSON, a space in the text.
      const shown = cut(argument, Math.max(0, room - 4));
      if (room <= 4 || shown.length === 0 && argument.length > 0) {
        leftOut++;
        continue;
      }
      if (shown !== argument) leftOut++;
      args.push(shown);
      room -= shown.length + 4;
    }
    const problem = report.problem === undefined ? undefined : cut(report.problem, 500);
    return {
      ...report,
      entrypoint,
      arguments: args,
      ...(problem === undefined ? {} : { problem }),
      ...(leftOut > 0 || entrypoint !== report.entrypoint ? { argumentsLeftOut: leftOut } : {}),
    };
  });
}

export function registerListLeakReports(server: McpServer, serverDirectory: string, budget: number): void {
  server.registerTool(
    'list_leak_reports',
    {
      title: 'List memalot leak reports',
      description:
        'Lists the newest memory-leak reports that memalot saved while monitoring Node.js programs, newest first: ' +
        'each report\'s ID, iteration count, start time, entrypoint and arguments. Start here, then call get_leak_report ' +
        'or get_leak_trend with a report ID.',
      inputSchema,
      outputSchema,
      annotations: { title: 'List memalot leak reports', ...READ_ONLY_ANNOTATIONS },
    },
    ({ num_reports, report_directory }) =>
      answer('list_leak_reports', () => {
        const directory = resolveReportDirectory(report_directory, serverDirectory);
        // One more than asked for tells whether there are older ones.
        const found = listReports(directory, num_reports + 1);
        const all = found.slice(0, num_reports).map(listed);
        const moreReports = found.length > num_reports;
        const whole = { reportDirectory: directory, reports: all, moreReports };
        const text = listingText(directory, all, moreReports);
        if (resultSize(whole, text) <= budget) return textAndStructured(text, whole);
        let reports = fitListing(all, budget);
        // Escaped characters take more room in JSON than they seem: the last resort is no arguments.
        if (resultSize({ ...whole, reports }, listingText(directory, reports, moreReports)) > budget) {
          reports = reports.map((r) => ({ ...r, entrypoint: r.entrypoint?.slice(0, 100) ?? null, arguments: [], argumentsLeftOut: r.arguments.length }));
        }
        return textAndStructured(listingText(directory, reports, moreReports), { reportDirectory: directory, reports, moreReports });
      }),
  );
}

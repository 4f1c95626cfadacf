// The message of a failed check: the console's compact report without colour, at a fixed
// width (a test's output must read the same wherever it runs): the leaks with their counts,
// one trace per cluster of objects held the same way, what `allow` accepted, and where the
// full report is.
import { lineCount, renderDetailBlocks, renderSummaryBlock, type RenderContext } from '../report/render.js';
import { makeStyle } from '../report/style.js';
import { DEFAULT_WIDTH } from '../report/width.js';
import type { Verdict } from './verdict.js';

export interface MessageInput {
  readonly functionName: string;
  readonly verdict: Verdict;
  /** Checks that found leaks, of how many. */
  readonly failedChecks: number;
  readonly checks: number;
  readonly reportId: string;
  readonly reportDirectory: string | null;
}

const CONTEXT: RenderContext = { style: makeStyle(false), width: DEFAULT_WIDTH };

export function acceptedLines(verdict: Verdict): string[] {
  return verdict.accepted.map(
    (a) => `  ${a.count} ${a.objectType} (${a.reason})`,
  );
}

export function failureMessage(input: MessageInput): string {
  const { verdict } = input;
  const report = verdict.failing;
  const objects = report.leakSummary.typeSummaries.reduce((sum, row) => sum + row.count, 0);
  // The holders first: they are what the reader goes to fix.
  const holders = (report.leakSummary.leaks ?? []).map((leak) => leak.objectType);
  const types = [...new Set([...holders, ...report.leakSummary.typeSummaries.map((row) => row.objectType)])];
  const shown = types.slice(0, 3).join(', ') + (types.length > 3 ? ` and ${types.length - 3} more types` : '');
  const checks = input.checks > 1 ? ` (in ${input.failedChecks} of ${input.checks} checks; the first is shown)` : '';
  const lines = [
    objects > 0
      ? `memalot: ${input.functionName} leaks: ${objects} object${objects === 1 ? '' : 's'} (${shown}) created during a call outlived it${checks}.`
      : `memalot: the objects of ${input.functionName}'s calls could not be checked${checks}.`,
    '',
  ];
  const summary = renderSummaryBlock(report, CONTEXT, false);
  lines.push(summary);
  if (report.objectDetails.length > 0) lines.push(...renderDetailBlocks(report.objectDetails, CONTEXT, lineCount(summary) + 4));
  if (verdict.accepted.length > 0) lines.push('', 'Allowed (not failing the check):', ...acceptedLines(verdict));
  lines.push(
    '',
    input.reportDirectory === null
      ? `Report ID: ${input.reportId} (not saved: saveReports is false)`
      : `Report ID: ${input.reportId}; the full report: memalot print ${input.reportId} (saved in ${input.reportDirectory})`,
  );
  return lines.join('\n');
}

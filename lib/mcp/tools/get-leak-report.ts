// get_leak_report: a report's newest iterations, their summary rows and object details (with
// referrer graphs) as saved, within the result budget.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import * as z from 'zod';
import { loadReport, readIterations } from '../../storage/report-reader.js';
import { iterationReportSchema, reportSummarySchema, type ReportSummary } from '../../storage/schema.js';
import { cutNote, noMatchNote } from '../cut-note.js';
import { fitIterations, type FittedIterations } from '../fit-iterations.js';
import { resolveReportDirectory } from '../report-directory.js';
import { resultSize } from '../result-budget.js';
import { reportText } from '../text/report-text.js';
import { READ_ONLY_ANNOTATIONS, reportDirectoryArgument, reportIdArgument, wholeNumber } from '../tool-arguments.js';
import { answer, textAndStructured } from '../tool-result.js';
import { selectContent, typesFound, type ContentSelection } from '../type-filter.js';

const MAX_ITERATIONS = 100;

const inputSchema = z.strictObject({
  report_id: reportIdArgument,
  num_iterations: wholeNumber('num_iterations', 1, MAX_ITERATIONS)
    .default(1)
    .describe(`How many of the newest iterations (1 to ${MAX_ITERATIONS})`),
  report_directory: reportDirectoryArgument,
  filter_types: z
    .array(z.string({ error: 'filter_types must be a list of strings' }), { error: 'filter_types must be a list of strings, e.g. ["Session"]' })
    .min(1, { error: 'filter_types must name at least one type (or be left out for every type)' })
    .optional()
    .describe('Only the types whose name contains one of these (case-sensitive), e.g. ["Session"] or ["src/cache.js"]'),
  summary_only: z
    .boolean({ error: 'summary_only must be true or false' })
    .default(false)
    .describe('Only the summary rows, without object details and their referrer graphs'),
});

const outputSchema = z.object({
  reportDirectory: z.string(),
  summary: reportSummarySchema.describe('the report: program, mode, options, start time'),
  iterationCount: z.number().int().describe('iterations saved in the report'),
  iterations: z
    .array(iterationReportSchema)
    .describe('the iterations shown, oldest first, as saved, with only the summary rows and object details asked for (and that fit)'),
  filterTypes: z.array(z.string()).optional(),
  summaryOnly: z.boolean(),
  cut: z
    .object({
      iterationsLeftOut: z.number().int(),
      summaryRowsLeftOut: z.number().int(),
      objectDetailsLeftOut: z.number().int(),
      referrerGraphsShortened: z.number().int().describe('object details shown with part of their referrer graph (a limit node says how much was left out)'),
    })
    .optional()
    .describe('present when the result was cut to fit the client\'s limits; notes say how to ask for the rest'),
  notes: z.array(z.string()).describe('what to know about this result: what was cut or matched nothing, and how to ask for it'),
});

type ReportResult = z.infer<typeof outputSchema>;

interface Built {
  readonly structured: ReportResult;
  readonly text: string;
}

export function registerGetLeakReport(server: McpServer, serverDirectory: string, budget: number): void {
  server.registerTool(
    'get_leak_report',
    {
      title: 'Get a memalot leak report',
      description:
        'The newest iterations of a memalot leak report: per iteration, the summary rows (leaked object types with their counts, ' +
        'most common first) and object details (a leaked object\'s string form, retained size and referrer graph: what keeps it alive, ' +
        'down to a root such as a module variable). A large report is cut to fit, with a note on how to ask for the rest ' +
        '(filter_types, summary_only, num_iterations). get_leak_trend tells a growing leak from a one-off.',
      inputSchema,
      outputSchema,
      annotations: { title: 'Get a memalot leak report', ...READ_ONLY_ANNOTATIONS },
    },
    ({ report_id, num_iterations, report_directory, filter_types, summary_only }) =>
      answer('get_leak_report', () => {
        const directory = resolveReportDirectory(report_directory, serverDirectory);
        const { summary, iterationNumbers } = loadReport(directory, report_id);
        const saved = readIterations(directory, report_id, num_iterations);
        const selection: ContentSelection = { filterTypes: filter_types, summaryOnly: summary_only };
        const selected = saved.map((it) => selectContent(it, selection));
        const matchedNothing =
          filter_types !== undefined && selected.every((it) => it.leakSummary.typeSummaries.length === 0 && it.objectDetails.length === 0);
        const filterNotes = matchedNothing ? [noMatchNote(filter_types, typesFound(saved))] : [];
        const build = (fitted: FittedIterations): Built =>
          buildResult({ directory, summary, iterationCount: iterationNumbers.length, selection, fitted, budget, filterNotes });
        const fitted = fitIterations(saved, selected, budget, (candidate) => {
          const { structured, text } = build(candidate);
          return resultSize(structured, text);
        });
        const { structured, text } = build(fitted);
        return textAndStructured(text, structured);
      }),
  );
}

function buildResult(input: {
  directory: string;
  summary: ReportSummary;
  iterationCount: number;
  selection: ContentSelection;
  fitted: FittedIterations;
  budget: number;
  filterNotes: readonly string[];
}): Built {
  const { directory, summary, iterationCount, selection, fitted, budget, filterNotes } = input;
  const { leftOut } = fitted;
  const notes = [...filterNotes];
  const cut = cutNote(leftOut, selection, fitted.shown.length, budget);
  if (cut !== undefined) notes.push(cut);
  const structured: ReportResult = {
    reportDirectory: directory,
    summary,
    iterationCount,
    iterations: [...fitted.shown],
    ...(selection.filterTypes === undefined ? {} : { filterTypes: [...selection.filterTypes] }),
    summaryOnly: selection.summaryOnly,
    ...(cut === undefined
      ? {}
      : {
          cut: {
            iterationsLeftOut: leftOut.iterations,
            summaryRowsLeftOut: leftOut.summaryRows,
            objectDetailsLeftOut: leftOut.objectDetails,
            referrerGraphsShortened: leftOut.shortenedGraphs,
          },
        }),
    notes,
  };
  return { structured, text: reportText(summary, iterationCount, selection, fitted, notes) };
}

// get_leak_trend: each leaked type's count across all of a report's iterations, with a pattern
// (growing, new, stopped, one-off) that tells an ongoing leak from a one-time allocation.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import * as z from 'zod';
import { readIterationTrendParts } from '../../storage/report-reader.js';
import { fitTrend, type FittedTrend } from '../fit-trend.js';
import { leakTrend } from '../../report/leak-trend.js';
import { TREND_VERDICTS, VERDICT_MEANINGS } from '../../report/trend-verdict.js';
import { typeMatches } from '../type-filter.js';
import { resolveReportDirectory } from '../report-directory.js';
import { resultSize } from '../result-budget.js';
import { trendText } from '../text/trend-text.js';
import { READ_ONLY_ANNOTATIONS, reportDirectoryArgument, reportIdArgument } from '../tool-arguments.js';
import { answer, textAndStructured } from '../tool-result.js';

const inputSchema = z.strictObject({
  report_id: reportIdArgument,
  type: z
    .string({ error: 'type must be a string: part of a type name, e.g. "Session"' })
    .optional()
    .describe('Only the types whose name contains this (case-sensitive), e.g. "Session" or "src/cache.js"'),
  report_directory: reportDirectoryArgument,
});

const patternDescription = TREND_VERDICTS.map((p) => `${p}: ${VERDICT_MEANINGS[p]}`).join('; ');

const outputSchema = z.object({
  reportDirectory: z.string(),
  reportId: z.string(),
  iterationNumbers: z.array(z.number().int()).describe('the iterations the counts refer to, oldest first (warm-ups report nothing and are left out)'),
  warmupIterations: z.array(z.number().int()),
  uncheckedIterations: z.array(z.number().int()).describe('iterations that could not check their objects; their counts are null'),
  types: z
    .array(
      z.object({
        objectType: z.string(),
        pattern: z.enum(TREND_VERDICTS).describe(patternDescription),
        counts: z
          .array(z.number().int().nullable())
          .describe('per iteration of iterationNumbers: the objects of this type found leaked in it (each object counted once); null when not known'),
        total: z.number().int().describe('objects of this type found leaked in the whole report'),
        iterationsWithLeaks: z.number().int().describe('iterations of the whole report in which this type leaked'),
      }),
    )
    .describe('growing leaks first, then new, stopped and one-off; by total within each'),
  typeFilter: z.string().optional(),
  cut: z
    .object({ typesLeftOut: z.number().int(), iterationsLeftOut: z.number().int() })
    .optional()
    .describe('present when the result was cut to fit the client\'s limits'),
  notes: z.array(z.string()),
});

type TrendResult = z.infer<typeof outputSchema>;

export function registerGetLeakTrend(server: McpServer, serverDirectory: string, budget: number): void {
  server.registerTool(
    'get_leak_trend',
    {
      title: 'Get the trend of a memalot leak report',
      description:
        'How the count of each leaked type changed across all iterations of a memalot report, so as to tell a growing leak ' +
        '(new objects leak in iteration after iteration) from a one-off (objects kept once, e.g. a cache filled at start). ' +
        'Each type has its counts per iteration and a pattern: growing, new, stopped or one-off.',
      inputSchema,
      outputSchema,
      annotations: { title: 'Get the trend of a memalot leak report', ...READ_ONLY_ANNOTATIONS },
    },
    ({ report_id, type, report_directory }) =>
      answer('get_leak_trend', async () => {
        const directory = resolveReportDirectory(report_directory, serverDirectory);
        // The summaries only, read a few files per turn of the event loop: a report of 10,000
        // iterations is read in seconds, without holding their details.
        const iterations = await readIterationTrendParts(directory, report_id);
        const trend = leakTrend(iterations, type === undefined ? undefined : (objectType) => typeMatches(objectType, [type]));
        const filterNotes: string[] = [];
        if (type !== undefined && trend.types.length === 0) {
          const found = leakTrend(iterations).types.map((t) => t.objectType);
          const names = found.length === 0 ? 'no type leaked in this report' : `types that leaked: ${found.slice(0, 20).join(', ')}${found.length > 20 ? ', ...' : ''}`;
          filterNotes.push(`No leaked type's name contains ${JSON.stringify(type)} (case-sensitive); ${names}.`);
        }
        const build = (fitted: FittedTrend) => buildResult(directory, report_id, type, fitted, trend.iterationNumbers.length, filterNotes);
        const fitted = fitTrend(trend, budget, (candidate) => {
          const { structured, text } = build(candidate);
          return resultSize(structured, text);
        });
        const { structured, text } = build(fitted);
        return textAndStructured(text, structured);
      }),
  );
}

function buildResult(
  directory: string,
  reportId: string,
  typeFilter: string | undefined,
  fitted: FittedTrend,
  leakIterations: number,
  filterNotes: readonly string[],
): { structured: TrendResult; text: string } {
  const notes = [...filterNotes];
  const wasCut = fitted.typesLeftOut > 0 || fitted.iterationsLeftOut > 0;
  if (wasCut) {
    const parts = [
      fitted.typesLeftOut > 0 ? `${fitted.typesLeftOut} less telling types` : '',
      fitted.iterationsLeftOut > 0 ? `the counts of the ${fitted.iterationsLeftOut} oldest iterations (totals and patterns still cover them)` : '',
    ].filter((p) => p !== '');
    notes.push(`Cut to fit the client's limit: left out ${parts.join(' and ')}. Call get_leak_trend with type="<part of a type name>" for chosen types.`);
  }
  const { trend } = fitted;
  const structured: TrendResult = {
    reportDirectory: directory,
    reportId,
    iterationNumbers: [...trend.iterationNumbers],
    warmupIterations: [...trend.warmupIterations],
    uncheckedIterations: [...trend.uncheckedIterations],
    // The field is called pattern in this tool's output (its published schema); it is the verdict of trend-verdict.ts.
    types: trend.types.map(({ verdict, ...t }) => ({ ...t, pattern: verdict, counts: [...t.counts] })),
    ...(typeFilter === undefined ? {} : { typeFilter }),
    ...(wasCut ? { cut: { typesLeftOut: fitted.typesLeftOut, iterationsLeftOut: fitted.iterationsLeftOut } } : {}),
    notes,
  };
  return { structured, text: trendText(reportId, fitted, leakIterations, notes) };
}

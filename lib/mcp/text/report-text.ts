// The text form of get_leak_report: what the report is, the notes (what was cut, and how to ask
// for it; first, so that a client that shortens text still shows them), then each iteration.
import type { ReportSummary } from '../../storage/schema.js';
import type { FittedIterations } from '../fit-iterations.js';
import type { ContentSelection } from '../type-filter.js';
import { iterationText } from './iteration-text.js';

export function reportHeading(summary: ReportSummary, iterationCount: number): string {
  const program = [summary.entrypoint, ...summary.arguments].join(' ');
  const mode = summary.mode === 'time' ? 'time-based' : `function-based (${summary.functionName ?? 'a function'})`;
  const lifetime = typeof summary.options['maxObjectLifetime'] === 'number' ? `, maxObjectLifetime ${summary.options['maxObjectLifetime']} s` : '';
  return `Report ${summary.reportId}: ${program}; ${mode}${lifetime}, started ${summary.startTime}, ${iterationCount} iterations saved.`;
}

/** What the call asked to see of each iteration, when not everything. */
function selectionLine({ filterTypes, summaryOnly }: ContentSelection): string {
  const types = filterTypes === undefined ? '' : ` Only the types whose name contains ${filterTypes.map((t) => JSON.stringify(t)).join(' or ')}.`;
  return `${types}${summaryOnly ? ' Summary rows only, no object details.' : ''}`;
}

export function reportText(
  summary: ReportSummary,
  iterationCount: number,
  selection: ContentSelection,
  fitted: FittedIterations,
  notes: readonly string[],
): string {
  const shown = fitted.shown.length;
  const first = fitted.shown[0]?.iterationNumber;
  const last = fitted.shown.at(-1)?.iterationNumber;
  const range = iterationCount === 0 ? 'No iteration saved yet: the first comes after the warm-up.' : shown === 0 ? 'No iteration shown.' : shown === 1 ? `Showing iteration ${first}.` : `Showing iterations ${first}-${last}.`;
  const blocks = [`${reportHeading(summary, iterationCount)} ${range}${selectionLine(selection)}`, ...notes];
  fitted.shown.forEach((it, k) => blocks.push(`\n${iterationText(fitted.saved[k]!, it)}`));
  return blocks.join('\n');
}

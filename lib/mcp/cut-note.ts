// The note on a get_leak_report result that did not fit whole: what was left out, and the call
// that shows it. An assistant reads this and asks again; it must be able to act on it as is.
import type { LeftOut } from './fit-iterations.js';
import type { ContentSelection } from './type-filter.js';

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

function quoted(types: readonly string[]): string {
  return `[${types.map((t) => JSON.stringify(t)).join(', ')}]`;
}

export function cutNote(leftOut: LeftOut, selection: ContentSelection, iterationsShown: number, budget: number): string | undefined {
  const parts: string[] = [];
  const advice: string[] = [];
  if (leftOut.iterations > 0) {
    parts.push(`the ${plural(leftOut.iterations, 'oldest iteration')} asked for`);
    advice.push(`num_iterations=${iterationsShown} or less (get_leak_trend gives every iteration's counts)`);
  }
  if (leftOut.summaryRows > 0) {
    parts.push(plural(leftOut.summaryRows, 'summary row'));
    if (!selection.summaryOnly) advice.push('summary_only=true for the summary rows without object details');
  }
  if (leftOut.objectDetails > 0) {
    const byType = leftOut.objectDetailTypes.slice(0, 5).map(([type, count]) => `${type} ${count}`);
    const others = leftOut.objectDetailTypes.length > 5 ? ', ...' : '';
    parts.push(`${plural(leftOut.objectDetails, 'object detail')} (${byType.join(', ')}${others})`);
    const top = leftOut.objectDetailTypes[0]?.[0];
    const alreadyJustThat = selection.filterTypes?.length === 1 && top !== undefined && top.includes(selection.filterTypes[0]!);
    if (top !== undefined && !alreadyJustThat) advice.push(`filter_types=${quoted([top])} for that type's rows and details`);
    else if (iterationsShown > 1) advice.push('num_iterations=1 for the newest iteration alone');
  } else if (leftOut.summaryRows > 0) {
    advice.push('filter_types=["<part of a type name>"] for chosen types');
  }
  if (leftOut.shortenedGraphs > 0) {
    parts.push(
      `part of the referrer graphs of ${plural(leftOut.shortenedGraphs, 'object detail')} (each keeps what holds the object nearest, and its first path to a root)`,
    );
  }
  if (parts.length === 0) return undefined;
  const next = advice.length === 0 ? 'The rest does not fit in one result.' : `To see more, call get_leak_report again with ${advice.join('; or ')}.`;
  return `Cut to fit the client's limit (about ${budget} characters of result): left out ${parts.join(', ')}. ${next}`;
}

/** When a type filter matched nothing: say so, and what could be matched. */
export function noMatchNote(filterTypes: readonly string[], typesFound: readonly string[]): string {
  const found = typesFound.length === 0 ? 'these iterations found no leaked types' : `types found: ${typesFound.slice(0, 20).join(', ')}${typesFound.length > 20 ? ', ...' : ''}`;
  return `No summary row or object detail matches filter_types ${quoted(filterTypes)} (a type matches when its name contains one of them, case-sensitively); ${found}.`;
}

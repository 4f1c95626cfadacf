// Fits a report's iterations into the result budget. What matters most goes in first: the
// newest iteration before older ones, summary rows (the overview, most common type first)
// before object details (large: each carries a referrer graph). A detail larger than a fifth of
// the budget goes in with its referrer graph shortened to that (so that one object cannot crowd
// out the others); another that does not fit the room left is skipped while smaller ones still
// go in. The oldest
// iterations are dropped only when even their headings would not fit.
//
// Sizes are first estimated item by item, then the whole result is measured; while it is over
// the budget, the last item added comes out again. So the budget always holds, whatever the
// estimate missed.
import type { IterationReport, ObjectDetails } from '../storage/schema.js';
import { shortenReferrerGraph } from './shorten-referrer-graph.js';
import { countWidth, objectDetailText, summaryRowLine } from './text/iteration-text.js';

export interface LeftOut {
  /** The oldest iterations asked for that did not fit. */
  readonly iterations: number;
  readonly summaryRows: number;
  readonly objectDetails: number;
  /** Object details left out, per type, most first. */
  readonly objectDetailTypes: readonly (readonly [type: string, count: number])[];
  /** Object details shown with a shortened referrer graph. */
  readonly shortenedGraphs: number;
}

export interface FittedIterations {
  /** The iterations as saved, of those shown (ascending). */
  readonly saved: readonly IterationReport[];
  /** The same iterations with the rows and details that fit. */
  readonly shown: readonly IterationReport[];
  readonly leftOut: LeftOut;
}

/** The exact size of the whole result, heading and notes included, for these iterations. */
export type MeasureResult = (fitted: FittedIterations) => number;

/** Room kept for the note on what was cut, which the estimate does not price. */
const NOTE_ROOM = 1_200;

/** The largest share of the budget that one shortened detail may take. */
const SHORTENED_SHARE = 5;

/**
 * The first `rows` summary rows, and the leaks whose holders' type is among them: a leak goes
 * in and comes out with its type's row, so cutting rows cuts the leaks too.
 */
function shownRows(summary: IterationReport['leakSummary'], rows: number): IterationReport['leakSummary'] {
  const typeSummaries = summary.typeSummaries.slice(0, rows);
  if (summary.leaks === undefined) return { ...summary, typeSummaries };
  const types = new Set(typeSummaries.map((row) => row.objectType));
  return { ...summary, typeSummaries, leaks: summary.leaks.filter((leak) => types.has(leak.objectType)) };
}

type Added = { readonly kind: 'row' | 'detail'; readonly iteration: number; readonly index: number };

/** In the JSON, the detail and its comma; in the text, its lines and the line break. */
function detailCost(detail: ObjectDetails): number {
  return JSON.stringify(detail).length + 1 + objectDetailText(detail).length + 1;
}

/** The detail with as much of its referrer graph as fits in `room`, or undefined if none does. */
function shortenedToFit(detail: ObjectDetails, room: number): ObjectDetails | undefined {
  const graph = detail.referrerGraph;
  if (graph === null) return undefined;
  const withNodes = (keep: number): ObjectDetails => ({ ...detail, referrerGraph: shortenReferrerGraph(graph, keep).graph });
  let low = graph.targetIds.length;
  if (detailCost(withNodes(low)) > room) return undefined;
  // The cost grows with the nodes kept, so a binary search finds the most that fit.
  let high = graph.nodes.length - 1;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (detailCost(withNodes(mid)) <= room) low = mid;
    else high = mid - 1;
  }
  return withNodes(low);
}

/**
 * `saved` and `selected` are parallel, ascending: each saved iteration and the rows and details
 * a call asked for of it.
 */
export function fitIterations(
  saved: readonly IterationReport[],
  selected: readonly IterationReport[],
  budget: number,
  measure: MeasureResult,
): FittedIterations {
  let first = 0;
  const rowsShown = selected.map(() => 0);
  // The leak groups (leakSummary.leaks) stay as saved, unless even without rows and details
  // the result is over the budget: then they go, from the oldest iteration on.
  const leaksShown = selected.map(() => true);
  // Per iteration: the index of each detail shown, and the form it is shown in.
  const detailsShown = selected.map(() => new Map<number, ObjectDetails>());
  const added: Added[] = [];

  const current = (): FittedIterations => {
    const shown = selected.slice(first).map((it, k) => {
      const i = first + k;
      const { leaks, ...summary } = it.leakSummary;
      return {
        ...it,
        leakSummary: shownRows(leaksShown[i]! ? it.leakSummary : summary, rowsShown[i]!),
        objectDetails: [...detailsShown[i]!].sort((a, b) => a[0] - b[0]).map(([, detail]) => detail),
      };
    });
    const detailTypes = new Map<string, number>();
    let rows = 0;
    let details = 0;
    let shortened = 0;
    selected.forEach((it, i) => {
      if (i < first) return;
      rows += it.leakSummary.typeSummaries.length - rowsShown[i]!;
      it.objectDetails.forEach((detail, j) => {
        const shownAs = detailsShown[i]!.get(j);
        if (shownAs !== undefined) {
          if (shownAs !== detail) shortened++;
          return;
        }
        details++;
        detailTypes.set(detail.objectTypeName, (detailTypes.get(detail.objectTypeName) ?? 0) + 1);
      });
    });
    return {
      saved: saved.slice(first),
      shown,
      leftOut: {
        iterations: first,
        summaryRows: rows,
        objectDetails: details,
        objectDetailTypes: [...detailTypes].sort((a, b) => b[1] - a[1]),
        shortenedGraphs: shortened,
      },
    };
  };

  while (first < selected.length - 1 && measure(current()) > budget) first++;

  let room = budget - measure(current()) - NOTE_ROOM;
  const newestFirst = selected.map((_, i) => i).slice(first).reverse();
  rows: for (const i of newestFirst) {
    const rows = selected[i]!.leakSummary.typeSummaries;
    const width = countWidth(saved[i]!.leakSummary.typeSummaries);
    for (let j = 0; j < rows.length; j++) {
      // In the JSON, a row and its comma; in the text, its line and the line break.
      const cost = JSON.stringify(rows[j]).length + 1 + summaryRowLine(rows[j]!, width).length + 1;
      if (cost > room) break rows;
      room -= cost;
      rowsShown[i] = j + 1;
      added.push({ kind: 'row', iteration: i, index: j });
    }
  }
  for (const i of newestFirst) {
    selected[i]!.objectDetails.forEach((detail, j) => {
      const cost = detailCost(detail);
      const share = budget / SHORTENED_SHARE;
      // Only a detail larger than its share is shortened: a small one that does not fit the room
      // left is better left out whole (filter_types shows it) than shown as a stub.
      const shownAs = cost <= room ? detail : cost > share ? shortenedToFit(detail, Math.min(room, share)) : undefined;
      if (shownAs === undefined) return;
      room -= shownAs === detail ? cost : detailCost(shownAs);
      detailsShown[i]!.set(j, shownAs);
      added.push({ kind: 'detail', iteration: i, index: j });
    });
  }

  let fitted = current();
  while (added.length > 0 && measure(fitted) > budget) {
    const last = added.pop()!;
    if (last.kind === 'row') rowsShown[last.iteration] = last.index;
    else detailsShown[last.iteration]!.delete(last.index);
    fitted = current();
  }
  for (let i = first; i < selected.length && measure(fitted) > budget; i++) {
    leaksShown[i] = false;
    fitted = current();
  }
  return fitted;
}

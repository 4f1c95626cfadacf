// Fits a report's iterations into the result budget. What matters most goes in first: the
// newest iteration before older ones, summary rows (the overview, most common type first)
// before object details (large: each carries a referrer graph). A detail too large for the room
// left is skipped and smaller ones still go in. The oldest iterations are dropped only when
// even their headings would not fit.
//
// Sizes are first estimated item by item, then the whole result is measured; while it is over
// the budget, the last item added comes out again. So the budget always holds, whatever the
// estimate missed.
import type { IterationReport } from '../storage/schema.js';
import { countWidth, objectDetailText, summaryRowLine } from './text/iteration-text.js';

export interface LeftOut {
  /** The oldest iterations asked for that did not fit. */
  readonly iterations: number;
  readonly summaryRows: number;
  readonly objectDetails: number;
  /** Object details left out, per type, most first. */
  readonly objectDetailTypes: readonly (readonly [type: string, count: number])[];
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

type Added = { readonly kind: 'row' | 'detail'; readonly iteration: number; readonly index: number };

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
  const detailsShown = selected.map(() => new Set<number>());
  const added: Added[] = [];

  const current = (): FittedIterations => {
    const shown = selected.slice(first).map((it, k) => {
      const i = first + k;
      return {
        ...it,
        leakSummary: { ...it.leakSummary, typeSummaries: it.leakSummary.typeSummaries.slice(0, rowsShown[i]) },
        objectDetails: it.objectDetails.filter((_, j) => detailsShown[i]!.has(j)),
      };
    });
    const detailTypes = new Map<string, number>();
    let rows = 0;
    let details = 0;
    selected.forEach((it, i) => {
      if (i < first) return;
      rows += it.leakSummary.typeSummaries.length - rowsShown[i]!;
      it.objectDetails.forEach((detail, j) => {
        if (detailsShown[i]!.has(j)) return;
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
      const cost = JSON.stringify(detail).length + 1 + objectDetailText(detail).length + 1;
      if (cost > room) return;
      room -= cost;
      detailsShown[i]!.add(j);
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
  return fitted;
}

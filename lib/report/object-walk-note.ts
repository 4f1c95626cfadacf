// What a summary made without a heap snapshot leaves unnamed, said once for every face (the
// console, memalot print, MCP, the HTML page): such a summary (native/object_census.h) counts
// the JavaScript objects by type, and only knows how many of the other survivors there are.

/** The part of a saved scan this note reads. */
export interface ObjectWalkScan {
  readonly objectWalk?: { readonly unnamedObjects: number } | undefined;
}

const HOW_TO_NAME = 'summaryFromSnapshot: true (memalot run --summary-from-snapshot) or maxObjectDetails above 0 names them';

/**
 * The sentence for a summary without a snapshot, or undefined for one from a snapshot. `rows`:
 * whether the summary named any type (else the sentence says that no JavaScript object survived).
 */
export function objectWalkNote(scan: ObjectWalkScan | undefined, rows: boolean): string | undefined {
  const walk = scan?.objectWalk;
  if (walk === undefined) return undefined;
  const n = walk.unnamedObjects;
  if (!rows) {
    if (n === 0) return 'Counted without a heap snapshot: no JavaScript object of that time is still alive, and nothing else either.';
    return `Counted without a heap snapshot: no JavaScript object of that time is still alive, but ${count(n)} other heap object${n === 1 ? ' is' : 's are'}: strings, numbers or V8's own (code, shapes, contexts), which only a snapshot tells apart; ${HOW_TO_NAME}.`;
  }
  if (n === 0) return 'Counted without a heap snapshot: every survivor is a JavaScript object, named above.';
  return `Counted without a heap snapshot: ${count(n)} more survivor${n === 1 ? '' : 's'} (strings, numbers, V8's own objects) not named above; ${HOW_TO_NAME}.`;
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

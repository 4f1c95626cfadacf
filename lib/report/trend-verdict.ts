// The one rule that says whether a leaked type is still growing, shared by the console report,
// `memalot print --trend`, the HTML page and the MCP tool get_leak_trend.
//
// What the rule reads: an iteration reports the objects created in its own period that are
// still alive, each object once. So a type's count in an iteration is how many NEW objects of it
// leaked then, not how many are alive in all: any count above zero adds to the heap, and a type
// whose total has stopped rising simply has zeros from then on. (That is why there is no
// "shrinking": 100, 50, 10 is a leak that goes on, slower; and no "stable" apart from "stopped"
// and "one-off", which are what a total that no longer rises looks like here.)
//
// The rule, on the iterations that could tell (an iteration that could not check its objects,
// or whose summary was cut before this type, says nothing either way and is skipped):
//   growing  leaked in at least two iterations, the latest among them: it leaked before and it
//            is leaking now;
//   new      leaked in the latest iteration only: too early to tell, one more iteration decides;
//   stopped  leaked in at least two iterations, but not in the latest;
//   one-off  leaked in one iteration only, and found in none since.
// Why a reader can trust "growing": it needs two iterations with leaks AND the latest one among
// them, so a type that leaked once and then stopped is never called growing (it is "one-off"
// once a later iteration finds none, "new" until then), however many objects it leaked at once.
// The limit: a cache of bounded size that keeps replacing its entries, each living longer than
// the lifetime checked, leaks new objects in every iteration too and so is called growing; the
// memory figures in the report's header tell it apart (its heap stays flat).

export const TREND_VERDICTS = ['growing', 'new', 'stopped', 'one-off'] as const;
export type TrendVerdict = (typeof TREND_VERDICTS)[number];

export const VERDICT_MEANINGS: Record<TrendVerdict, string> = {
  growing: 'new objects leaked in at least two iterations, the latest among them: the leak goes on',
  new: 'leaked only in the latest iteration: too early to tell (ask again after the next iteration)',
  stopped: 'leaked in several iterations, but not in the latest',
  'one-off': 'leaked in one iteration only, and not since: most likely a one-time allocation (a cache or pool filled once)',
};

/** What the rule needs of a type's counts, oldest first (null: that iteration could not tell). */
export function trendVerdict(counts: readonly (number | null)[]): TrendVerdict {
  const withLeaks = counts.flatMap((count, i) => (count !== null && count > 0 ? [i] : []));
  const latestKnown = counts.findLastIndex((count) => count !== null);
  const leaksNow = withLeaks.length > 0 && withLeaks.at(-1) === latestKnown;
  // (No leak at all, which no caller passes, reads as "stopped": never as growing.)
  if (withLeaks.length === 1) return leaksNow ? 'new' : 'one-off';
  return leaksNow ? 'growing' : 'stopped';
}

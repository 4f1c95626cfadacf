// A summary of a period's surviving JavaScript objects by type, without a heap snapshot.
//
// A snapshot costs what the whole heap costs (about 0.6 of the JS route's time, several times
// the heap in memory), whatever the period's survivors. QueryObjects walks the heap once and
// offers every JavaScript object to a predicate, which here tests the object's ID against the
// period's ranges and counts those inside by hidden class (map): a few tenths of a second on a
// 50 MB heap. One object of each map is kept, and named once the walk is over (its
// constructor's name and script, as the snapshot's summary names types).
//
// What it cannot name: strings, heap numbers and V8's own objects (code, shapes, contexts,
// arrays' element stores) are not JavaScript objects and are never offered; the caller gets
// only how many JavaScript objects it counted, and tells the rest from the period's total.
// Nor can it tell which objects only Node's own modules hold (that needs the graph): a
// summary from a snapshot leaves those out, this one counts them.
#pragma once

#include <napi.h>

namespace memalot {

// countObjectTypes(afterId, upToId[, holes[, excludedIds]]) ->
//   { rows: [{ kind: "object" | "function", name, script, count }], objects }
// `objects`: the JavaScript objects of the range counted, those of the rows and V8's own
// closures (which no row names, as no snapshot summary does). Runs no JavaScript during the walk.
Napi::Value CountObjectTypes(const Napi::CallbackInfo& info);

}  // namespace memalot

// Node's bookkeeping is not the program's leak.
//
// Node's own modules keep state in their module variables: node:internal/timers keeps the
// time of the next expiry (`nextExpiry`, a heap number replaced as timers come and go) and one
// TimersList per duration in use (`timerListMap`, `timerListQueue`). Such objects are made
// while the program runs and outlive any lifetime, but they are Node's, not the program's, and
// a control program whose timers are all cleared must report nothing. A survivor is Node's
// bookkeeping when what holds it (its referrers as the referrer graph names them, V8's own
// internal references aside) is:
//  1. only variables of `node:` modules ("nextExpiry (variable of node:internal/timers)"); or
//  2. for an object whose type is defined in a `node:` module (a TimersList): only other
//     objects of `node:` types (the timers in its list, which hold it back), the stack of the
//     moment (memalot reports from a timer callback, whose frames hold the lists they walk),
//     and objects older than the epoch that are Node's state (a `node:` variable or an object
//     of a `node:` type holds them: `timerListMap`, the PriorityQueue's array) -- and the
//     object refers to no other survivor that is an object (a program's Timeout holds the
//     program's callback made with it: it is reported); or
//  3. for a string or number: only survivors found to be Node's bookkeeping by 1 or 2, and
//     objects of `node:` types older than the epoch (a TimersList's new `expiry`, a running
//     interval's new `_idleStart`: Node's fields, which Node replaces as timers run).
// The program's own objects held by a Node module (a leaked Timeout in the timer lists) are
// held through Node's objects, not directly, and so are still reported. A limit: a leaked
// Timeout whose callback and arguments are all older than the epoch (one function shared by
// every timer, nothing per timer) owns no survivor, and would pass for Node's.
// Candidates are screened first on the raw incoming edges, so that only those that a context
// variable or a Node-typed survivor holds (and objects of Node's types) are named.
#pragma once

#include <cstdint>
#include <vector>

#include "graph_index.h"
#include "retainer_labels.h"
#include "type_classifier.h"

namespace memalot {

struct BookkeepingCandidate {
  uint32_t index;     // node index
  uint32_t type;      // index into the classifier's types
  bool primitive;
};

// For each candidate (the survivors of an epoch, which `in_epoch` marks by node index), whether
// it is Node's bookkeeping. `graph` must have its incoming edges built.
std::vector<bool> FindNodeBookkeeping(GraphIndex& graph, RetainerLabeler& labeler, TypeClassifier& classifier,
                                      const std::vector<BookkeepingCandidate>& candidates,
                                      const std::vector<bool>& in_epoch);

}  // namespace memalot

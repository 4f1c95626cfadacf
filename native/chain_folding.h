// Chains folded: a step pattern that repeats along a path is one step of a referrer graph.
//
// A linked list's `next`, Node's timer lists (`Timeout._idleNext`), a chain of closures that
// each keep the previous object (`LargeThing.someMethod` -> closure -> `originalThing` ->
// LargeThing ...): followed one holder at a time, such a path is thousands of steps long, runs
// past the depth limit, fills the graph's object cap, and never reaches the root that a user
// could fix. The folder looks ahead from a referrer for a pattern of 1 to kMaxPeriod steps
// (a step: the label and the holder's name, so indices and IDs do not differ) that occurs
// kMinRepeats times or more in a row, and gives the whole run, which the search then follows
// as one step (retainers.cc).
//
// How a folded run reads in a referrer graph (`referrerGraph.nodes[].name`), for the report's
// renderers:
//  - period 1: one label node, the step's label followed by " ×N" (N >= 3 steps in all), e.g.
//    "Timeout._idleNext (property) ×52"; it leads from the run's first referent to the object
//    at the run's far end (the holder nearest the root).
//  - period p > 1: the first p steps as ordinary nodes, then a label node named
//    "(the p steps above repeat M more times)" (M >= 2), then the object at the run's far end.
// Both match /×\d+$/ or /^\(the \d+ steps above repeat \d+ more times\)$/.
//
// The look-ahead follows one holder per step and stops at a cycle, a root, a node the graph
// already shows (which then ends the run), or the search's deadline: a chain of 10,000 holders
// costs 10,000 look-ups of referrers, once.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "retainer_labels.h"

namespace memalot {

struct FoldedRun {
  size_t period = 0;   // steps per repeat; 0: no run
  size_t steps = 0;    // steps in the run (a multiple of period, >= kMinRepeats * period)
  std::vector<Referrer> first_period;  // the first `period` steps
  Referrer last;       // the run's last step: its holder is the far end
  bool empty() const { return period == 0; }
  size_t repeats() const { return period == 0 ? 0 : steps / period; }
};

class ChainFolder {
 public:
  static constexpr size_t kMinRepeats = 3;
  static constexpr size_t kMaxPeriod = 3;

  // `referrers_of`: the referrers of a node as the search sees them (deduplicated, no
  // self-references); `distances`: from the root (graph_index.h), to pick a pattern's steps.
  using ReferrersOf = std::function<void(uint32_t node, std::vector<Referrer>& out)>;
  ChainFolder(RetainerLabeler& labeler, const std::vector<uint32_t>& distances, ReferrersOf referrers_of);

  // The run that starts with referrer `first` of node `from` (a referrer with a holder), or an
  // empty one. `shown(node)`: the graph shows that node already (a run ends there).
  FoldedRun Find(uint32_t from, const Referrer& first, const std::function<bool(uint32_t)>& shown,
                 std::chrono::steady_clock::time_point deadline);

  // The label of a period-1 run's node, and the node that stands for the repeats of a longer one.
  static std::string RunLabel(const FoldedRun& run);
  static std::string RepeatLabel(const FoldedRun& run);

 private:
  std::string Key(const Referrer& referrer);

  RetainerLabeler& labeler_;
  const std::vector<uint32_t>& distances_;
  ReferrersOf referrers_of_;
  std::vector<Referrer> scratch_;
};

}  // namespace memalot

// The referrer graph of one heap object: what keeps it alive, back to the GC roots.
//
// A heap snapshot gives outgoing edges only; the search runs backwards over the incoming-edge
// index (graph_index.h) from the object, one step per holder the program can see (see
// retainer_labels.h for how a step is named), and stops at roots: GC roots, globals and module
// variables. Holders nearer a root (by their distance from it) are expanded first, so the
// shortest path is found even when a limit cuts the search short, and each node's referrers
// are listed in the order to show them: the program's own references before V8's internal
// ones, nearer roots first.
//
// The limits are the user's (depth, time, referrers per object) plus a cap on the objects in
// one graph, which keeps a report readable; each limit that stops the search leaves a node
// that says so.
//
// Chains are folded (chain_folding.h): a step pattern of 1-3 steps repeated 3+ times is one
// step for the depth limit and adds one object (or the pattern's) to the cap. In the graph:
//   period 1: one label node "<the step's label> ×N", e.g. "Timeout._idleNext (property) ×52",
//             from the run's first referent to the object at its far end;
//   period p: the first p steps as usual, then "(the p steps above repeat M more times)",
//             then the far end's object.
// Renderers detect them by name: / ×[\d,]+$/ and /^\(the \d+ steps above repeat [\d,]+ more times?\)$/.
// Back-pointers (back_pointers.h: prev, parent, _idlePrev...) are not followed when an object
// has a forward referrer; a node "N back-pointer(s) (...) not followed: the object is held
// forwards too" says so.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "graph_index.h"
#include "retainer_labels.h"

namespace memalot {

struct SearchLimits {
  int64_t max_depth = 50;           // holders from the object; < 0 for no limit
  double timeout_seconds = 300;     // < 0 for no limit
  int64_t referrer_limit = 100;     // referrers shown per object; < 0 for no limit
  size_t max_objects = 200;         // objects in one graph
};

struct ReferrerGraphNode {
  std::string id;
  std::string name;
  int64_t object_id = -1;  // -1: none (a limit node)
  std::vector<std::string> referent_ids;
  bool closure = false;    // an object node for a function: the façade adds its location
};

struct ReferrerGraph {
  std::vector<ReferrerGraphNode> nodes;
  std::vector<std::string> target_ids;
  std::vector<std::string> root_ids;
};

class RetainerSearch {
 public:
  RetainerSearch(GraphIndex& graph, RetainerLabeler& labeler, SearchLimits limits);

  // `target_name` names the object itself ("Session (object)").
  ReferrerGraph Search(uint32_t target, const std::string& target_name);

 private:
  GraphIndex& graph_;
  RetainerLabeler& labeler_;
  SearchLimits limits_;
};

}  // namespace memalot

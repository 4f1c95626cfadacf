// The dominator tree of a heap snapshot's graph, and the retained size of every node.
//
// A node d dominates x when every path from the root to x goes through d: were d gone, x would
// be garbage too. The retained size of d is what collecting it would free: its own (shallow)
// size plus the retained sizes of the nodes it immediately dominates. This is what tells a
// small object holding a large structure alone apart from one of many holders of it.
//
// Paths follow the graph's outgoing edges except weak ones (a weak reference keeps nothing
// alive), and start at the snapshot's root; the stack roots are part of the graph, so what a
// live call holds counts as held. A node the root cannot reach has no dominator and a retained
// size of 0: it is garbage already, and removing no node would make it unreachable (the
// definition of retained size as "what becomes unreachable when x is removed" gives 0 too).
//
// Built once per snapshot, on first use, with Lengauer-Tarjan (see dominators.cc); afterwards
// it holds two arrays of n entries (12 bytes per node).
#pragma once

#include <cstdint>
#include <vector>

#include "graph_index.h"

namespace memalot {

class DominatorTree {
 public:
  static constexpr uint32_t kNone = UINT32_MAX;

  // `root`: the index of the snapshot's root node in `graph`.
  DominatorTree(const GraphIndex& graph, uint32_t root);

  // The node's immediate dominator (node indices as in the GraphIndex); the root is its own;
  // kNone for a node the root cannot reach.
  uint32_t immediate_dominator(uint32_t index) const { return idom_[index]; }
  // Bytes that would be freed with the node: see above.
  uint64_t retained_size(uint32_t index) const { return retained_[index]; }

  // The tree's children lists, for walks from the root down: the children of node i are
  // children[first[i]] .. children[first[i + 1] - 1]. Built on request (two arrays of n
  // entries), since only the walks that need them pay for them.
  struct Children {
    std::vector<uint32_t> first;
    std::vector<uint32_t> children;
  };
  Children BuildChildren(uint32_t root) const;

 private:
  std::vector<uint32_t> idom_;
  std::vector<uint64_t> retained_;
};

}  // namespace memalot

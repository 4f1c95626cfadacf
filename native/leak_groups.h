// Leaks, not types: the objects that survived an epoch, grouped by the object that keeps them.
//
// An object of the epoch that is kept alive only through another surviving object of the same
// epoch (that object dominates it) belongs to that object's leak. So each counted node (a
// survivor that summarizeRange counted) has a group head: walking up its chain of immediate
// dominators for as long as the nodes on it are of the epoch (counted, or V8's internal nodes
// made in the epoch, such as a grown array's backing store or a closure's context, which pass
// the chain on), the topmost counted node reached. A counted node whose immediate dominator is
// older than the epoch (or is not of it) heads its own group.
//
// One walk of the dominator tree computes every head (a node's head is its parent's, or itself:
// a linked list of 10,000 nodes is one group, in linear time, with no recursion), and per head
// row: the number of heads, what they retain together (each byte once, as RetainedByType
// counts a type's bytes), and the other members of their groups, counted per row.
#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include "dominators.h"
#include "graph_index.h"

namespace memalot {

struct LeakGroup {
  uint32_t row = 0;            // the summary row of the heads' type
  uint64_t count = 0;          // heads of that row
  uint64_t retained_size = 0;  // what those heads retain together
  std::map<uint32_t, uint64_t> contents;  // row -> members that are not heads
};

// `row_of_node`: per node index, the summary row of a counted node, kNotCounted for the rest;
// `in_epoch`: per node index, whether the node is of the epoch (counted or not). Groups come
// out by retained size, largest first.
constexpr uint32_t kNotCounted = UINT32_MAX;
std::vector<LeakGroup> FindLeakGroups(const GraphIndex& graph, const DominatorTree& tree,
                                      const std::vector<uint32_t>& row_of_node, const std::vector<bool>& in_epoch);

}  // namespace memalot

#include "leak_groups.h"

#include <algorithm>
#include <unordered_map>

namespace memalot {

std::vector<LeakGroup> FindLeakGroups(const GraphIndex& graph, const DominatorTree& tree,
                                      const std::vector<uint32_t>& row_of_node, const std::vector<bool>& in_epoch) {
  const uint32_t n = graph.node_count();
  const uint32_t root = graph.root();
  if (row_of_node.size() != n || in_epoch.size() != n) return {};
  const auto [first_child, children] = tree.BuildChildren(root);

  std::unordered_map<uint32_t, LeakGroup> by_row;
  // Heads of each row on the current path of the walk: a head inside another head's subtree
  // of the same row (with an older object between them) has its bytes counted already.
  std::unordered_map<uint32_t, uint32_t> active;
  // Entries: a node and the head it inherits (kNotCounted: none); the exit of a head is
  // marked by kExit in `node`.
  constexpr uint32_t kExit = 0x80000000u;
  struct Entry {
    uint32_t node;
    uint32_t inherited;
  };
  std::vector<Entry> stack{{root, kNotCounted}};
  while (!stack.empty()) {
    const Entry entry = stack.back();
    stack.pop_back();
    if (entry.node & kExit) {
      active[row_of_node[entry.node & ~kExit]]--;
      continue;
    }
    const uint32_t node = entry.node;
    uint32_t head = kNotCounted;  // what this node's children inherit
    if (in_epoch[node]) {
      const uint32_t row = row_of_node[node];
      if (entry.inherited != kNotCounted) {
        head = entry.inherited;
        if (row != kNotCounted) by_row[row_of_node[head]].contents[row]++;
      } else if (row != kNotCounted) {
        head = node;
        LeakGroup& group = by_row[row];
        group.row = row;
        group.count++;
        if (active[row]++ == 0) group.retained_size += tree.retained_size(node);
        stack.push_back({node | kExit, kNotCounted});
      }
    }
    for (uint32_t c = first_child[node]; c < first_child[node + 1]; c++) stack.push_back({children[c], head});
  }
  std::vector<LeakGroup> groups;
  groups.reserve(by_row.size());
  for (auto& [row, group] : by_row) {
    if (group.count > 0) groups.push_back(std::move(group));
  }
  std::sort(groups.begin(), groups.end(), [](const LeakGroup& a, const LeakGroup& b) {
    return a.retained_size != b.retained_size ? a.retained_size > b.retained_size : a.row < b.row;
  });
  return groups;
}

}  // namespace memalot

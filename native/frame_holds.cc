#include "frame_holds.h"

namespace memalot {

std::vector<bool> HeldByFrames(const GraphIndex& graph, const std::vector<uint32_t>& in_range,
                               const std::vector<uint32_t>& blocked, const std::vector<bool>& reachable) {
  const uint32_t n = graph.node_count();
  std::vector<bool> range(n, false);
  for (uint32_t node : in_range) range[node] = true;
  std::vector<bool> is_blocked(n, false);
  for (uint32_t node : blocked) is_blocked[node] = true;
  std::vector<bool> stack_root(n, false);
  for (uint32_t stack : graph.stack_roots()) stack_root[stack] = true;
  std::vector<bool> held(n, false);

  // First through what is outside the range; the range's nodes met on the way are entries.
  std::vector<uint32_t> queue(graph.stack_roots().begin(), graph.stack_roots().end());
  std::vector<uint32_t> entries;
  while (!queue.empty()) {
    const uint32_t from = queue.back();
    queue.pop_back();
    for (uint32_t e = graph.first_edge(from); e < graph.first_edge(from + 1); e++) {
      if (graph.edge_type(e) == v8::HeapGraphEdge::kWeak) continue;
      const uint32_t to = graph.edge_to(e);
      if (held[to] || is_blocked[to] || stack_root[to] || reachable[to]) continue;
      // Held directly by a frame: what the code running there is working on, not an entry.
      if (range[to] && stack_root[from]) continue;
      held[to] = true;
      (range[to] ? entries : queue).push_back(to);
    }
  }
  // Then everything the entries reach.
  queue.swap(entries);
  while (!queue.empty()) {
    const uint32_t from = queue.back();
    queue.pop_back();
    for (uint32_t e = graph.first_edge(from); e < graph.first_edge(from + 1); e++) {
      if (graph.edge_type(e) == v8::HeapGraphEdge::kWeak) continue;
      const uint32_t to = graph.edge_to(e);
      if (held[to] || is_blocked[to] || stack_root[to] || reachable[to]) continue;
      held[to] = true;
      queue.push_back(to);
    }
  }
  return held;
}

}  // namespace memalot

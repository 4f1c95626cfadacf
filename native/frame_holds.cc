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

  // One walk over strong edges to what is neither held yet, blocked, a stack root nor
  // reachable without the stack; `visit(from, to)` says where each new node goes.
  const auto walk = [&](std::vector<uint32_t>& queue, const auto& visit) {
    while (!queue.empty()) {
      const uint32_t from = queue.back();
      queue.pop_back();
      for (uint32_t e = graph.first_edge(from); e < graph.first_edge(from + 1); e++) {
        if (graph.edge_type(e) == v8::HeapGraphEdge::kWeak) continue;
        const uint32_t to = graph.edge_to(e);
        if (held[to] || is_blocked[to] || stack_root[to] || reachable[to]) continue;
        visit(from, to);
      }
    }
  };
  // First through what is outside the range; the range's nodes met on the way are entries.
  std::vector<uint32_t> queue(graph.stack_roots().begin(), graph.stack_roots().end());
  std::vector<uint32_t> entries;
  walk(queue, [&](uint32_t from, uint32_t to) {
    // Held directly by a frame: what the code running there is working on, not an entry.
    if (range[to] && stack_root[from]) return;
    held[to] = true;
    (range[to] ? entries : queue).push_back(to);
  });
  // Then everything the entries reach.
  walk(entries, [&](uint32_t, uint32_t to) {
    held[to] = true;
    entries.push_back(to);
  });
  return held;
}

}  // namespace memalot

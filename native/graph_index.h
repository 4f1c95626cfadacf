// An index over a heap snapshot's graph, built once per snapshot and only when needed: nodes
// numbered 0..n-1 and their outgoing edges in one flat array (V8's API gives pointers, and
// outgoing edges only). Walks that visit the whole graph (reachability now; retainers and
// dominators later) run over these arrays instead of calling into V8 per edge.
#pragma once

#include <v8-isolate.h>
#include <v8-profiler.h>

#include <cstdint>
#include <unordered_map>
#include <vector>

namespace memalot {

class GraphIndex {
 public:
  GraphIndex(v8::Isolate* isolate, const v8::HeapSnapshot* snapshot);

  uint32_t node_count() const { return static_cast<uint32_t>(nodes_.size()); }
  const v8::HeapGraphNode* node(uint32_t index) const { return nodes_[index]; }
  // Index of a node of this snapshot.
  uint32_t IndexOf(const v8::HeapGraphNode* node) const { return index_.at(node); }

  // Nodes that the program can reach from the GC roots without going through the stack or
  // a weak reference: what would stay alive once the current call stack unwinds.
  const std::vector<bool>& ReachableWithoutStack();

 private:
  std::vector<const v8::HeapGraphNode*> nodes_;
  std::unordered_map<const v8::HeapGraphNode*, uint32_t> index_;
  std::vector<uint32_t> first_edge_;  // node i's edges are [first_edge_[i], first_edge_[i + 1])
  std::vector<uint32_t> edge_to_;
  std::vector<uint8_t> edge_type_;
  uint32_t root_ = 0;
  std::vector<uint32_t> stack_roots_;  // the "(Stack roots)" synthetic nodes
  std::vector<bool> reachable_;
  bool reachable_done_ = false;
};

}  // namespace memalot

#include "graph_index.h"

namespace memalot {

GraphIndex::GraphIndex(v8::Isolate* isolate, const v8::HeapSnapshot* snapshot) {
  const int count = snapshot->GetNodesCount();
  nodes_.reserve(count);
  index_.reserve(count);
  for (int i = 0; i < count; i++) {
    const v8::HeapGraphNode* node = snapshot->GetNode(i);
    nodes_.push_back(node);
    index_.emplace(node, static_cast<uint32_t>(i));
  }
  first_edge_.reserve(count + 1);
  v8::HandleScope scope(isolate);
  v8::Local<v8::String> stack_roots =
      v8::String::NewFromUtf8Literal(isolate, "(Stack roots)", v8::NewStringType::kInternalized);
  for (int i = 0; i < count; i++) {
    const v8::HeapGraphNode* node = nodes_[i];
    first_edge_.push_back(static_cast<uint32_t>(edge_to_.size()));
    for (int e = 0, edges = node->GetChildrenCount(); e < edges; e++) {
      const v8::HeapGraphEdge* edge = node->GetChild(e);
      edge_to_.push_back(index_.at(edge->GetToNode()));
      edge_type_.push_back(static_cast<uint8_t>(edge->GetType()));
    }
    if (node->GetType() == v8::HeapGraphNode::kSynthetic && node->GetName()->StringEquals(stack_roots)) {
      stack_roots_.push_back(static_cast<uint32_t>(i));
    }
  }
  first_edge_.push_back(static_cast<uint32_t>(edge_to_.size()));
  root_ = index_.at(snapshot->GetRoot());
}

const std::vector<bool>& GraphIndex::ReachableWithoutStack() {
  if (reachable_done_) return reachable_;
  reachable_.assign(nodes_.size(), false);
  // The stack roots count as visited, so that nothing is reached through them.
  std::vector<bool> blocked(nodes_.size(), false);
  for (uint32_t stack : stack_roots_) blocked[stack] = true;
  std::vector<uint32_t> queue{root_};
  reachable_[root_] = true;
  while (!queue.empty()) {
    uint32_t from = queue.back();
    queue.pop_back();
    for (uint32_t e = first_edge_[from]; e < first_edge_[from + 1]; e++) {
      if (edge_type_[e] == v8::HeapGraphEdge::kWeak) continue;
      uint32_t to = edge_to_[e];
      if (reachable_[to] || blocked[to]) continue;
      reachable_[to] = true;
      queue.push_back(to);
    }
  }
  reachable_done_ = true;
  return reachable_;
}

}  // namespace memalot

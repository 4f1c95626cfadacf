#include "node_bookkeeping.h"

#include <v8-isolate.h>
#include <v8-local-handle.h>

#include <string>
#include <unordered_map>

namespace memalot {

namespace {

bool IsNodeVariable(const Referrer& r) {
  return r.root && r.label.find(" (variable of node:") != std::string::npos;
}

bool IsNodeScript(const std::string& script) { return script.rfind("node:", 0) == 0; }

}  // namespace

std::vector<bool> FindNodeBookkeeping(GraphIndex& graph, RetainerLabeler& labeler, TypeClassifier& classifier,
                                      const std::vector<BookkeepingCandidate>& candidates,
                                      const std::vector<bool>& in_epoch) {
  v8::Isolate* isolate = v8::Isolate::GetCurrent();
  // (Classify may add types: the list is read after it.)
  const auto script_of_type = [&classifier](uint32_t type) -> const std::string& { return classifier.types()[type].script; };
  std::vector<bool> bookkeeping(candidates.size(), false);
  std::unordered_map<uint32_t, size_t> candidate_at;
  for (size_t i = 0; i < candidates.size(); i++) candidate_at.emplace(candidates[i].index, i);
  std::vector<Referrer> referrers;
  const auto visible_referrers = [&](uint32_t node) {
    v8::HandleScope scope(isolate);
    referrers.clear();
    labeler.ReferrersOf(node, referrers);
    std::vector<Referrer> visible;
    for (Referrer& r : referrers) {
      if (!r.internal && r.holder != node) visible.push_back(std::move(r));
    }
    return visible;
  };
  // An older object that Node's modules hold: by their variables, or through objects of their types.
  std::unordered_map<uint32_t, bool> node_held;
  const auto held_by_node = [&](uint32_t holder) {
    auto known = node_held.find(holder);
    if (known != node_held.end()) return known->second;
    node_held[holder] = false;  // cycles: not proven
    const std::vector<Referrer> up = visible_referrers(holder);
    bool held = !up.empty();
    for (const Referrer& r : up) {
      if (IsNodeVariable(r)) continue;
      if (r.root || r.holder == Referrer::kNoHolder ||
          !IsNodeScript(script_of_type(classifier.Classify(graph.node(r.holder))))) {
        held = false;
        break;
      }
    }
    node_held[holder] = held;
    return held;
  };
  // 1 and 2: objects, and primitives held directly by Node's variables.
  for (size_t i = 0; i < candidates.size(); i++) {
    const BookkeepingCandidate& c = candidates[i];
    const bool node_type = !c.primitive && IsNodeScript(script_of_type(c.type));
    const std::vector<Referrer> visible = visible_referrers(c.index);
    if (visible.empty()) continue;
    bool only_variables = true;
    for (const Referrer& r : visible) only_variables = only_variables && IsNodeVariable(r);
    if (only_variables) {
      bookkeeping[i] = true;
      continue;
    }
    if (!node_type) continue;
    bool owns_survivor = false;
    for (uint32_t e = graph.first_edge(c.index); e < graph.first_edge(c.index + 1) && !owns_survivor; e++) {
      if (graph.edge_type(e) == v8::HeapGraphEdge::kWeak) continue;
      auto target = candidate_at.find(graph.edge_to(e));
      owns_survivor = target != candidate_at.end() && !candidates[target->second].primitive;
    }
    if (owns_survivor) continue;
    bool held = true;
    for (const Referrer& r : visible) {
      if (IsNodeVariable(r)) continue;
      if (r.root || r.holder == Referrer::kNoHolder || in_epoch[r.holder] || !held_by_node(r.holder)) {
        held = false;
        break;
      }
    }
    bookkeeping[i] = held;
  }
  // 3: strings and numbers that only Node's bookkeeping holds.
  for (size_t i = 0; i < candidates.size(); i++) {
    if (bookkeeping[i] || !candidates[i].primitive) continue;
    const std::vector<Referrer> visible = visible_referrers(candidates[i].index);
    bool held = !visible.empty();
    for (const Referrer& r : visible) {
      if (IsNodeVariable(r)) continue;
      auto holder = r.holder == Referrer::kNoHolder ? candidate_at.end() : candidate_at.find(r.holder);
      if (holder == candidate_at.end() || !bookkeeping[holder->second]) {
        held = false;
        break;
      }
    }
    bookkeeping[i] = held;
  }
  return bookkeeping;
}

}  // namespace memalot

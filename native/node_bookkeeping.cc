#include "node_bookkeeping.h"

#include <v8-isolate.h>
#include <v8-local-handle.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <unordered_map>

namespace memalot {

namespace {

bool IsNodeVariable(const Referrer& r) {
  return r.root && r.label.find(" (variable of node:") != std::string::npos;
}

bool IsNodeScript(const std::string& script) { return script.rfind("node:", 0) == 0; }

// The stack at the moment of the snapshot: memalot reports from a timer's callback, whose
// frames (Node's listOnTimeout) hold the timer lists they walk.
bool IsStack(const Referrer& r) { return r.root && r.label.find("(stack)") != std::string::npos; }

bool IsEdgeNamed(v8::Isolate* isolate, const v8::HeapGraphEdge* edge, const char* name) {
  v8::HandleScope scope(isolate);
  const v8::Local<v8::Value> value = edge->GetName();
  if (!value->IsString()) return false;
  const v8::String::Utf8Value utf8(isolate, value);
  return *utf8 != nullptr && std::strcmp(*utf8, name) == 0;
}

}  // namespace

std::vector<bool> FindNodeBookkeeping(GraphIndex& graph, RetainerLabeler& labeler, TypeClassifier& classifier,
                                      const std::vector<BookkeepingCandidate>& candidates,
                                      const std::vector<bool>& in_epoch) {
  v8::Isolate* isolate = v8::Isolate::GetCurrent();
  // (Classify may add types: the list is read after it.)
  const auto script_of_type = [&classifier](uint32_t type) -> const std::string& { return classifier.types()[type].script; };
  std::vector<bool> bookkeeping(candidates.size(), false);
  // Position of each node among the candidates, by node index (a hash map costs a miss per edge).
  constexpr uint32_t kNone = UINT32_MAX;
  std::vector<uint32_t> candidate_at(graph.node_count(), kNone);
  for (size_t i = 0; i < candidates.size(); i++) candidate_at[candidates[i].index] = static_cast<uint32_t>(i);
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
  // An older object that is Node's state: a variable of a node: module holds it, or an object
  // of a node: type does (the PriorityQueue's array behind `timerListQueue`). Other holders
  // too (the module's exports object) do not make it the program's.
  std::unordered_map<uint32_t, bool> node_held;
  const auto held_by_node = [&](uint32_t holder) {
    auto known = node_held.find(holder);
    if (known != node_held.end()) return known->second;
    bool held = false;
    for (const Referrer& r : visible_referrers(holder)) {
      held = IsNodeVariable(r) || (!r.root && r.holder != Referrer::kNoHolder &&
                                   IsNodeScript(script_of_type(classifier.Classify(graph.node(r.holder)))));
      if (held) break;
    }
    node_held[holder] = held;
    return held;
  };
  std::vector<bool> node_typed(candidates.size());
  for (size_t i = 0; i < candidates.size(); i++) {
    node_typed[i] = !candidates[i].primitive && IsNodeScript(script_of_type(candidates[i].type));
  }
  // Which candidates may be Node's at all, from the raw incoming edges (no V8 strings): a
  // module variable is a context variable edge, and case 3 needs a holder of a node: type.
  // Naming the referrers of every survivor would cost five summaries on a heap of strings.
  // Whether an older object is of a node: type, by node index: -1 not known yet.
  std::vector<int8_t> older_node_typed(graph.node_count(), -1);
  const auto is_older_node_typed = [&](uint32_t node) {
    if (older_node_typed[node] < 0) {
      older_node_typed[node] = !in_epoch[node] && graph.node(node)->GetType() == v8::HeapGraphNode::kObject &&
                               IsNodeScript(script_of_type(classifier.Classify(graph.node(node))));
    }
    return older_node_typed[node] == 1;
  };
  // Whether an older array is the table of a Map or Set that Node holds (node:test's
  // `testResources`, keyed by async IDs, which are heap numbers): by node index, -1 not known.
  std::vector<int8_t> node_collection_table(graph.node_count(), -1);
  const auto is_node_collection_table = [&](uint32_t table) {
    if (node_collection_table[table] < 0) {
      bool held = false;
      if (!in_epoch[table] && graph.node(table)->GetType() == v8::HeapGraphNode::kArray) {
        for (uint32_t k = graph.first_in(table); k < graph.first_in(table + 1) && !held; k++) {
          const uint32_t owner = graph.in_from(k);
          if (in_epoch[owner] || graph.edge_type(graph.in_edge(k)) != v8::HeapGraphEdge::kInternal) continue;
          if (IsEdgeNamed(isolate, graph.edge(owner, graph.in_edge(k)), "table")) held = held_by_node(owner);
        }
      }
      node_collection_table[table] = held;
    }
    return node_collection_table[table] == 1;
  };
  std::vector<bool> context_held(candidates.size(), false);
  std::vector<bool> node_object_held(candidates.size(), false);
  for (size_t i = 0; i < candidates.size(); i++) {
    const uint32_t node = candidates[i].index;
    for (uint32_t k = graph.first_in(node); k < graph.first_in(node + 1); k++) {
      const v8::HeapGraphEdge::Type type = graph.edge_type(graph.in_edge(k));
      if (type == v8::HeapGraphEdge::kWeak) continue;
      if (type == v8::HeapGraphEdge::kContextVariable) context_held[i] = true;
      const uint32_t from = graph.in_from(k);
      const uint32_t holder = candidate_at[from];
      if (holder != kNone ? node_typed[holder]
                          : (candidates[i].primitive && (is_older_node_typed(from) || is_node_collection_table(from)))) {
        node_object_held[i] = true;
      }
    }
  }
  // 1 and 2: objects, and primitives held directly by Node's variables.
  for (size_t i = 0; i < candidates.size(); i++) {
    const BookkeepingCandidate& c = candidates[i];
    const bool node_type = node_typed[i];
    if (!context_held[i] && !node_type) continue;
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
      const uint32_t target = candidate_at[graph.edge_to(e)];
      owns_survivor = target != kNone && !candidates[target].primitive;
    }
    if (owns_survivor) continue;
    // Held by Node: through objects older than the epoch that Node's variables hold, or by
    // other objects of Node's (the timers of its list, which hold the list in turn).
    bool held = true;
    for (const Referrer& r : visible) {
      if (IsNodeVariable(r) || IsStack(r)) continue;
      if (r.root || r.holder == Referrer::kNoHolder || in_epoch[r.holder]) {
        held = false;
        break;
      }
      if (!IsNodeScript(script_of_type(classifier.Classify(graph.node(r.holder)))) && !held_by_node(r.holder)) {
        held = false;
        break;
      }
    }
    bookkeeping[i] = held;
  }
  // 3: strings and numbers that only Node's bookkeeping holds.
  for (size_t i = 0; i < candidates.size(); i++) {
    if (bookkeeping[i] || !candidates[i].primitive || !node_object_held[i]) continue;
    // All referrers: a number in an object's own field is held through an internal slot
    // ("TimersList (object) (internal 2)"). V8's own roots and code say nothing either way.
    std::vector<Referrer> all;
    {
      v8::HandleScope scope(isolate);
      labeler.ReferrersOf(candidates[i].index, all);
    }
    bool held = false;
    for (const Referrer& r : all) {
      if (IsNodeVariable(r)) {
        held = true;
        continue;
      }
      if (r.root || r.holder == Referrer::kNoHolder) {
        if (r.internal || IsStack(r)) continue;
        held = false;
        break;
      }
      held = true;
      const uint32_t holder = candidate_at[r.holder];
      // (The labeler names a collection's entry by the collection, not by its table.)
      if (holder == kNone ? !is_older_node_typed(r.holder) && (in_epoch[r.holder] || !held_by_node(r.holder))
                          : !bookkeeping[holder]) {
        held = false;
        break;
      }
    }
    bookkeeping[i] = held;
  }
  return bookkeeping;
}

}  // namespace memalot

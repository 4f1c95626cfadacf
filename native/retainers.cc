#include "retainers.h"

#include <v8-isolate.h>
#include <v8-local-handle.h>

#include <algorithm>
#include <chrono>
#include <queue>
#include <unordered_map>
#include <unordered_set>

namespace memalot {

namespace {

std::string FormatSeconds(double seconds) {
  std::string text = std::to_string(seconds);
  text.erase(text.find_last_not_of('0') + 1);
  if (!text.empty() && text.back() == '.') text.pop_back();
  return text;
}

// "r12", "limit3": ids unique within one graph. (Built by appending: GCC 12 warns wrongly
// about `"r" + std::to_string(n)`.)
std::string NodeId(const char* prefix, size_t number) {
  std::string id(prefix);
  id += std::to_string(number);
  return id;
}

// Drops repeats (V8 often holds one object twice from one holder: from the object and from
// its backing store), and a holder's internal references when it also has a visible one.
void Deduplicate(std::vector<Referrer>& referrers) {
  std::unordered_set<uint32_t> visible_holders;
  for (const Referrer& r : referrers) {
    if (!r.internal && r.holder != Referrer::kNoHolder) visible_holders.insert(r.holder);
  }
  std::unordered_set<std::string> seen;
  std::vector<Referrer> kept;
  for (Referrer& r : referrers) {
    if (r.internal && r.holder != Referrer::kNoHolder && visible_holders.count(r.holder) != 0) continue;
    std::string key = std::to_string(r.holder) + '\n' + r.label;
    if (!seen.insert(std::move(key)).second) continue;
    kept.push_back(std::move(r));
  }
  referrers.swap(kept);
}

}  // namespace

RetainerSearch::RetainerSearch(GraphIndex& graph, RetainerLabeler& labeler, SearchLimits limits)
    : graph_(graph), labeler_(labeler), limits_(limits) {}

ReferrerGraph RetainerSearch::Search(uint32_t target, const std::string& target_name) {
  const auto started = std::chrono::steady_clock::now();
  const std::vector<uint32_t>& distances = graph_.Distances();
  ReferrerGraph out;
  std::unordered_map<uint32_t, size_t> object_nodes;  // node index -> position in out.nodes
  size_t labels = 0;

  auto add_node = [&out](std::string id, std::string name, int64_t object_id, std::string referent) {
    ReferrerGraphNode node;
    node.id = std::move(id);
    node.name = std::move(name);
    node.object_id = object_id;
    if (!referent.empty()) node.referent_ids.push_back(std::move(referent));
    out.nodes.push_back(std::move(node));
    return out.nodes.size() - 1;
  };

  add_node(NodeId("o", graph_.node(target)->GetId()), target_name, graph_.node(target)->GetId(), "");
  out.target_ids.push_back(out.nodes.back().id);
  out.nodes.back().closure = labeler_.IsClosure(target);
  object_nodes.emplace(target, 0);

  // Nearest a root first; ties in the order found.
  struct Pending {
    uint32_t distance;
    uint64_t order;
    uint32_t node;
    int64_t depth;
    bool operator>(const Pending& other) const {
      return distance != other.distance ? distance > other.distance : order > other.order;
    }
  };
  std::priority_queue<Pending, std::vector<Pending>, std::greater<Pending>> queue;
  uint64_t order = 0;
  queue.push({distances[target], order++, target, 0});
  bool cut = false;
  std::vector<Referrer> referrers;

  while (!queue.empty() && !cut) {
    const Pending pending = queue.top();
    queue.pop();
    const std::string node_id = out.nodes[object_nodes.at(pending.node)].id;
    if (limits_.timeout_seconds >= 0) {
      const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      if (elapsed > limits_.timeout_seconds) {
        add_node(NodeId("limit", labels++),
                 "Timeout of " + FormatSeconds(limits_.timeout_seconds) + " seconds exceeded", -1, node_id);
        break;
      }
    }
    // Edge and node names are V8 strings: handles made for them are freed per step.
    v8::HandleScope scope(v8::Isolate::GetCurrent());
    referrers.clear();
    labeler_.ReferrersOf(pending.node, referrers);
    Deduplicate(referrers);
    if (referrers.empty()) continue;
    if (limits_.max_depth >= 0 && pending.depth >= limits_.max_depth) {
      add_node(NodeId("limit", labels++),
               "Maximum depth of " + std::to_string(limits_.max_depth) + " exceeded", -1, node_id);
      continue;
    }
    // An object that refers to itself (a generator's register file holding the generator) says nothing.
    referrers.erase(std::remove_if(referrers.begin(), referrers.end(),
                                   [&pending](const Referrer& r) { return r.holder == pending.node; }),
                    referrers.end());
    // Every referrer of the object itself is shown. Further up, a path goes on only through
    // holders nearer a root than the object they hold: the others lead round, by longer
    // paths, to roots that the nearer ones reach anyway, and following them all would bury
    // the paths that matter under the program's (and Node's) whole object graph.
    size_t roundabout = 0;
    if (pending.depth > 0) {
      const uint32_t here = distances[pending.node];
      const auto farther = [&distances, here](const Referrer& r) {
        return !r.root && r.holder != Referrer::kNoHolder && distances[r.holder] >= here;
      };
      const auto kept = std::remove_if(referrers.begin(), referrers.end(), farther);
      roundabout = static_cast<size_t>(referrers.end() - kept);
      referrers.erase(kept, referrers.end());
    }
    std::stable_sort(referrers.begin(), referrers.end(), [&distances](const Referrer& a, const Referrer& b) {
      if (a.internal != b.internal) return !a.internal;
      const uint32_t da = a.holder == Referrer::kNoHolder ? 0 : distances[a.holder];
      const uint32_t db = b.holder == Referrer::kNoHolder ? 0 : distances[b.holder];
      return da < db;
    });
    const size_t total = referrers.size();
    if (limits_.referrer_limit >= 0 && total > static_cast<size_t>(limits_.referrer_limit)) {
      referrers.resize(static_cast<size_t>(limits_.referrer_limit));
    }
    for (Referrer& referrer : referrers) {
      const std::string label_id = NodeId("r", labels++);
      add_node(label_id, std::move(referrer.label), static_cast<int64_t>(referrer.label_object_id), node_id);
      if (referrer.root || referrer.holder == Referrer::kNoHolder) {
        out.root_ids.push_back(label_id);
        continue;
      }
      auto existing = object_nodes.find(referrer.holder);
      if (existing != object_nodes.end()) {
        out.nodes[existing->second].referent_ids.push_back(label_id);
        continue;
      }
      if (object_nodes.size() >= limits_.max_objects) {
        add_node(NodeId("limit", labels++),
                 "Graph limit of " + std::to_string(limits_.max_objects) + " objects reached", -1, label_id);
        cut = true;
        break;
      }
      const size_t position = add_node(NodeId("o", graph_.node(referrer.holder)->GetId()), labeler_.ObjectName(referrer.holder),
                                       graph_.node(referrer.holder)->GetId(), label_id);
      out.nodes[position].closure = labeler_.IsClosure(referrer.holder);
      object_nodes.emplace(referrer.holder, position);
      queue.push({distances[referrer.holder], order++, referrer.holder, pending.depth + 1});
    }
    if (roundabout > 0) {
      add_node(NodeId("limit", labels++),
               std::to_string(roundabout) + (roundabout == 1 ? " other referrer leads" : " other referrers lead") +
                   " to a root by a longer path (not shown)",
               -1, node_id);
    }
    if (total > referrers.size()) {
      add_node(NodeId("limit", labels++),
               "Referrer limit of " + std::to_string(limits_.referrer_limit) + " exceeded with " +
                   std::to_string(total) + " referrers",
               -1, node_id);
    }
  }
  return out;
}

}  // namespace memalot

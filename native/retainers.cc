#include "retainers.h"

#include <v8-isolate.h>
#include <v8-local-handle.h>

#include <algorithm>
#include <chrono>
#include <queue>
#include <unordered_map>
#include <unordered_set>

#include "back_pointers.h"
#include "chain_folding.h"

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
// Referrers of one object beyond which no chain is looked for among those that lead farther
// from a root (a chain's objects have one or two holders; V8's shared objects have hundreds).
constexpr size_t kMaxTriedForRuns = 8;

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

  const auto deadline = limits_.timeout_seconds < 0
                            ? std::chrono::steady_clock::time_point::max()
                            : started + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                            std::chrono::duration<double>(limits_.timeout_seconds));
  ChainFolder folder(labeler_, distances, [this](uint32_t node, std::vector<Referrer>& found) {
    v8::HandleScope scope(v8::Isolate::GetCurrent());
    labeler_.ReferrersOf(node, found);
    Deduplicate(found);
    found.erase(std::remove_if(found.begin(), found.end(), [node](const Referrer& r) { return r.holder == node; }),
                found.end());
  });
  // Adds a folded run that leads from the node with id `from` (see chain_folding.h for how it
  // reads), and queues the object at its far end; false when the graph's object cap stops it.
  const auto add_run = [&](FoldedRun& run, const std::string& from, int64_t depth) {
    std::string referent = from;
    int64_t steps = 1;
    auto add_object = [&](uint32_t holder, const std::string& label_id) -> std::string {
      auto existing = object_nodes.find(holder);
      if (existing != object_nodes.end()) {
        out.nodes[existing->second].referent_ids.push_back(label_id);
        return {};
      }
      if (object_nodes.size() >= limits_.max_objects) {
        add_node(NodeId("limit", labels++),
                 "Graph limit of " + std::to_string(limits_.max_objects) + " objects reached", -1, label_id);
        return {};
      }
      const int64_t object_id = graph_.node(holder)->GetId();
      const size_t position = add_node(NodeId("o", object_id), labeler_.ObjectName(holder), object_id, label_id);
      out.nodes[position].closure = labeler_.IsClosure(holder);
      object_nodes.emplace(holder, position);
      return out.nodes[position].id;
    };
    std::string label_id;
    if (run.period == 1) {
      label_id = NodeId("r", labels++);
      add_node(label_id, ChainFolder::RunLabel(run), static_cast<int64_t>(run.last.label_object_id), referent);
    } else {
      // The first period as it is, the rest as one node: the objects of the first period are
      // shown but not searched further (their other holders are the chain's business).
      for (Referrer& step : run.first_period) {
        label_id = NodeId("r", labels++);
        add_node(label_id, step.label, static_cast<int64_t>(step.label_object_id), referent);
        referent = add_object(step.holder, label_id);
        if (referent.empty()) return object_nodes.size() < limits_.max_objects;
        steps++;
      }
      label_id = NodeId("r", labels++);
      add_node(label_id, ChainFolder::RepeatLabel(run), static_cast<int64_t>(run.last.label_object_id), referent);
    }
    const bool existed = object_nodes.count(run.last.holder) != 0;
    if (add_object(run.last.holder, label_id).empty()) return existed;
    queue.push({distances[run.last.holder], order++, run.last.holder, depth + steps});
    return true;
  };

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
    const auto shown = [&object_nodes](uint32_t node) { return object_nodes.count(node) != 0; };
    const auto leads_on = [&shown](const Referrer& r) {
      return !r.root && r.holder != Referrer::kNoHolder && !shown(r.holder);
    };
    std::vector<FoldedRun> runs(referrers.size());
    // Every referrer of the object itself is shown. Further up, a path goes on only through
    // holders nearer a root than the object they hold: the others lead round, by longer
    // paths, to roots that the nearer ones reach anyway, and following them all would bury
    // the paths that matter under the program's (and Node's) whole object graph. A chain
    // (chain_folding.h) is one step: one that leads through farther holders to one nearer
    // (a timer list walked from its far half towards its head) is followed.
    size_t roundabout = 0;
    if (pending.depth > 0) {
      const uint32_t here = distances[pending.node];
      std::vector<Referrer> kept;
      std::vector<FoldedRun> kept_runs;
      for (size_t i = 0; i < referrers.size(); i++) {
        Referrer& r = referrers[i];
        const bool farther = !r.root && r.holder != Referrer::kNoHolder && distances[r.holder] >= here;
        if (farther && leads_on(r) && referrers.size() <= kMaxTriedForRuns && !IsBackPointerLabel(r.label)) {
          runs[i] = folder.Find(pending.node, r, shown, deadline);
          // A chain that leads round to where the search has been, or farther still, is one of
          // the longer paths too.
          if (!runs[i].empty() && distances[runs[i].last.holder] >= here) runs[i] = FoldedRun();
        }
        if (farther && runs[i].empty()) {
          roundabout++;
          continue;
        }
        kept.push_back(std::move(r));
        kept_runs.push_back(std::move(runs[i]));
      }
      referrers.swap(kept);
      runs.swap(kept_runs);
    }
    // Forward edges before back-pointers (back_pointers.h): when the object is held some
    // other way, the back-pointers are not followed.
    size_t backwards = 0;
    const bool forward = std::any_of(referrers.begin(), referrers.end(),
                                     [](const Referrer& r) { return !IsBackPointerLabel(r.label); });
    if (forward) {
      std::vector<Referrer> kept;
      std::vector<FoldedRun> kept_runs;
      for (size_t i = 0; i < referrers.size(); i++) {
        if (IsBackPointerLabel(referrers[i].label)) {
          backwards++;
          continue;
        }
        kept.push_back(std::move(referrers[i]));
        kept_runs.push_back(std::move(runs[i]));
      }
      referrers.swap(kept);
      runs.swap(kept_runs);
    }
    std::vector<size_t> ranked(referrers.size());
    for (size_t i = 0; i < ranked.size(); i++) ranked[i] = i;
    std::stable_sort(ranked.begin(), ranked.end(), [&distances, &referrers](size_t ia, size_t ib) {
      const Referrer& a = referrers[ia];
      const Referrer& b = referrers[ib];
      if (a.internal != b.internal) return !a.internal;
      const uint32_t da = a.holder == Referrer::kNoHolder ? 0 : distances[a.holder];
      const uint32_t db = b.holder == Referrer::kNoHolder ? 0 : distances[b.holder];
      return da < db;
    });
    const size_t total = referrers.size();
    size_t listed = total;
    if (limits_.referrer_limit >= 0 && total > static_cast<size_t>(limits_.referrer_limit)) {
      listed = static_cast<size_t>(limits_.referrer_limit);
    }
    for (size_t k = 0; k < listed && !cut; k++) {
      Referrer& referrer = referrers[ranked[k]];
      FoldedRun& run = runs[ranked[k]];
      if (run.empty() && leads_on(referrer) && !IsBackPointerLabel(referrer.label)) {
        run = folder.Find(pending.node, referrer, shown, deadline);
      }
      if (!run.empty()) {
        cut = !add_run(run, node_id, pending.depth);
        continue;
      }
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
    if (backwards > 0) {
      add_node(NodeId("limit", labels++),
               std::to_string(backwards) + (backwards == 1 ? " back-pointer" : " back-pointers") +
                   " (prev, parent, _idlePrev...) not followed: the object is held forwards too",
               -1, node_id);
    }
    if (roundabout > 0) {
      add_node(NodeId("limit", labels++),
               std::to_string(roundabout) + (roundabout == 1 ? " other referrer leads" : " other referrers lead") +
                   " to a root by a longer path (not shown)",
               -1, node_id);
    }
    if (total > listed) {
      add_node(NodeId("limit", labels++),
               "Referrer limit of " + std::to_string(limits_.referrer_limit) + " exceeded with " +
                   std::to_string(total) + " referrers",
               -1, node_id);
    }
  }
  return out;
}

}  // namespace memalot

// One heap snapshot, held natively for the time a report needs it.
//
// The snapshot is taken by V8 (HeapProfiler::TakeHeapSnapshot) and read through its graph API
// in place: it is never serialised. JavaScript gets one object with a few coarse methods, each
// of which walks the graph natively; it never receives one call per node. The snapshot's
// native memory can be many times the heap, so it is freed by dispose() as soon as the report
// is done (and by the finaliser should a caller forget).
#pragma once

#include <napi.h>
#include <v8-profiler.h>

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "dominators.h"
#include "graph_index.h"
#include "host_guard.h"
#include "leak_groups.h"
#include "retainer_labels.h"
#include "snapshot_analysis.h"
#include "type_classifier.h"

namespace memalot {

class HeapGraph : public Napi::ObjectWrap<HeapGraph> {
 public:
  static Napi::Function Define(Napi::Env env);
  // takeSnapshot(): takes a snapshot of the current isolate's heap and wraps it.
  static Napi::Value Take(const Napi::CallbackInfo& info);

  explicit HeapGraph(const Napi::CallbackInfo& info);
  ~HeapGraph() override;

 private:
  // A method, guarded (host_guard.h): what it throws never reaches std::terminate.
  template <Napi::Value (HeapGraph::*Method)(const Napi::CallbackInfo&)>
  Napi::Value Guarded(const Napi::CallbackInfo& info) {
    napi_env env = info.Env();
    return Napi::Value(env, GuardCall(env, [&]() -> napi_value { return (this->*Method)(info); }));
  }

  // summarizeRange(afterId, upToId[, holes[, excludedIds[, { samplesPerType, retainedSizes,
  // stackHeld, walkedIds }]]]): the types of the nodes whose IDs are in (afterId, upToId], in
  // none of the holes' ranges and not excluded, that the program holds (reachable once the
  // stack unwinds or, unless stackHeld is false, held by the frames of running functions, not
  // through an excluded node but those of walkedIds: frame_holds.h), with their counts and
  // shallow sizes and up to samplesPerType of their object IDs (the oldest):
  // [{ kind, name, script, count, shallowSize, sampleIds }]. With retainedSizes,
  // typeRetainedSizes() then gives, per row, what the type's objects retain together (from
  // the dominator tree).
  Napi::Value SummarizeRange(const Napi::CallbackInfo& info);
  Napi::Value TypeRetainedSizes(const Napi::CallbackInfo& info);
  // referrerGraph(objectId, { maxDepth, timeoutSeconds, referrerLimit, maxObjects,
  // modulePrefixes, cwd }): what keeps the object alive (see retainers.h), as
  // { nodes: [{ id, name, objectId, referentIds, closure }], targetIds, rootIds, targetName,
  //   stringValue? }, or null when the object is not in the snapshot.
  Napi::Value ReferrerGraph(const Napi::CallbackInfo& info);
  // retainedSizes(objectIds): the retained size in bytes of each heap object (see
  // dominators.h); 0 for an ID that is not in the snapshot.
  Napi::Value RetainedSizes(const Napi::CallbackInfo& info);
  // complete(objectIds, retainedSizeIds): the end of a report, in one call. Finds the live
  // objects with objectIds (as findObjects does) on a helper thread holding the isolate,
  // while this thread computes the retained sizes of retainedSizeIds and, after
  // summarizeRange(..., { retainedSizes: true }), those per row; then frees the snapshot.
  // -> { objects, retainedSizes, typeRetainedSizes, leakGroups }; the graph is disposed of
  // afterwards. leakGroups (see leak_groups.h), empty unless asked for retained sizes:
  // [{ row, count, retainedSize, contents: [{ row, count }] }], largest first.
  Napi::Value Complete(const Napi::CallbackInfo& info);
  Napi::Value NodeCount(const Napi::CallbackInfo& info);
  // How the graph's index numbers nodes (graph_index.h): "entry-numbers", "runs" or "hash".
  Napi::Value NodeNumbering(const Napi::CallbackInfo& info);
  Napi::Value Dispose(const Napi::CallbackInfo& info);

  const v8::HeapSnapshot* Snapshot(Napi::Env env) const;
  // The analysis of the snapshot's graph (see snapshot_analysis.h), made on first use.
  SnapshotAnalysis& Analysis(v8::Isolate* isolate);
  GraphIndex& Index(v8::Isolate* isolate);
  // The node index of the node with this heap object ID, or UINT32_MAX.
  uint32_t NodeOfId(v8::Isolate* isolate, v8::SnapshotObjectId id);
  // The node index of each ID (UINT32_MAX for none), with at most one pass over the nodes.
  std::vector<uint32_t> NodesOfIds(const GraphIndex& index, const std::vector<v8::SnapshotObjectId>& ids) const;
  const DominatorTree& Dominators(v8::Isolate* isolate);
  // The labeller for referrer graphs, kept across the calls of one report (it caches names).
  RetainerLabeler& Labeler(v8::Isolate* isolate, LabelOptions options);
  // Frees the analysis and the snapshot, and gives the memory back to the system. Needs no
  // isolate, except for the names' handles (ReleaseHandles, first).
  void ReleaseHandles();
  void Release();
  // Per row of the last summarizeRange, what its type's objects retain together (each byte
  // once); empty when summarizeRange was not asked for retained sizes.
  std::vector<uint64_t> RowRetainedSizes(const DominatorTree& tree) const;
  // The leak groups of the last summarizeRange's counted nodes (leak_groups.h), by row; empty
  // when summarizeRange was not asked for retained sizes.
  std::vector<LeakGroup> RowLeakGroups(const DominatorTree& tree) const;

  const v8::HeapSnapshot* snapshot_ = nullptr;
  std::unique_ptr<SnapshotAnalysis> analysis_;
  std::unique_ptr<TypeClassifier> classifier_;
  std::unique_ptr<RetainerLabeler> labeler_;
  std::string labeler_key_;
  // What the last summarizeRange classified: each node's type (for those counted), and the
  // type of each row it returned, for typeRetainedSizes().
  std::vector<uint32_t> type_of_node_;
  std::unordered_map<v8::SnapshotObjectId, uint32_t> range_nodes_;  // the last range's, by ID
  std::vector<uint32_t> row_types_;
  std::vector<bool> in_epoch_;  // per node: in the last range (counted or not), for leak groups
  size_t type_count_ = 0;
};

}  // namespace memalot

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

#include "dominators.h"
#include "graph_index.h"

namespace memalot {

class HeapGraph : public Napi::ObjectWrap<HeapGraph> {
 public:
  static Napi::Function Define(Napi::Env env);
  // Takes a snapshot of the current isolate's heap and wraps it.
  static Napi::Value Take(const Napi::CallbackInfo& info);

  explicit HeapGraph(const Napi::CallbackInfo& info);
  ~HeapGraph() override;

 private:
  // summarizeRange(afterId, upToId[, holes[, excludedIds[, { samplesPerType, retainedSizes }]]]):
  // the types of the nodes whose IDs are in (afterId, upToId], in none of the holes' ranges
  // and not excluded, with their counts and shallow sizes, up to samplesPerType of their
  // object IDs (the oldest), and, with retainedSizes, what the objects of each type retain
  // together: [{ kind, name, script, count, shallowSize, sampleIds, retainedSize? }].
  Napi::Value SummarizeRange(const Napi::CallbackInfo& info);
  // referrerGraph(objectId, { maxDepth, timeoutSeconds, referrerLimit, maxObjects,
  // modulePrefixes, cwd }): what keeps the object alive (see retainers.h), as
  // { nodes: [{ id, name, objectId, referentIds, closure }], targetIds, rootIds, targetName,
  //   stringValue? }, or null when the object is not in the snapshot.
  Napi::Value ReferrerGraph(const Napi::CallbackInfo& info);
  // retainedSizes(objectIds): the retained size in bytes of each heap object (see
  // dominators.h); 0 for an ID that is not in the snapshot.
  Napi::Value RetainedSizes(const Napi::CallbackInfo& info);
  Napi::Value NodeCount(const Napi::CallbackInfo& info);
  Napi::Value Dispose(const Napi::CallbackInfo& info);

  const v8::HeapSnapshot* Snapshot(Napi::Env env) const;
  // The index over the graph, built on first use and kept as long as the snapshot.
  GraphIndex& Index(v8::Isolate* isolate);
  // The dominator tree, likewise built on first use and kept as long as the snapshot.
  const DominatorTree& Dominators(v8::Isolate* isolate);
  void Release();

  const v8::HeapSnapshot* snapshot_ = nullptr;
  std::unique_ptr<GraphIndex> index_;
  std::unique_ptr<DominatorTree> dominators_;
};

}  // namespace memalot

// The work on a snapshot's graph that needs no V8 heap access, each part built on first use
// and kept as long as the snapshot: the index of nodes and edges and reachability (for a
// summary), incoming edges and distances (for referrer searches), and the
// dominator tree (for retained sizes).
//
// None of it touches the isolate, so a report builds the index while a helper thread that
// holds the isolate names the snapshot's types, and the dominator tree while the helper looks
// objects up (isolate_handoff.h). Both run on the isolate's own thread, with the isolate let
// go: their memory comes from the main malloc arena, as the snapshot's does. (The whole
// analysis was once tried on a thread of its own: glibc kept that thread's freed memory in
// its arena, and every report left the process about 40 MB larger.)
#pragma once

#include <v8-profiler.h>

#include <memory>
#include <vector>

#include "dominators.h"
#include "graph_index.h"

namespace memalot {

class SnapshotAnalysis {
 public:
  explicit SnapshotAnalysis(const v8::HeapSnapshot* snapshot, GraphIndex::Edges edges = GraphIndex::Edges::kFill);

  GraphIndex& Index() { return *index_; }
  // The index with ReachableWithoutStack built.
  GraphIndex& Reachable();
  // The index with what referrer searches need: incoming edges and distances.
  GraphIndex& Paths();
  const DominatorTree& Dominators();

 private:
  std::unique_ptr<GraphIndex> index_;
  std::unique_ptr<DominatorTree> dominators_;
};

}  // namespace memalot

// The work on a snapshot's graph that needs no V8 heap access, each part built on first use
// and kept as long as the snapshot: the index of nodes and edges and reachability (for a
// summary), incoming edges and distances (for referrer searches), and the
// dominator tree (for retained sizes).
//
// It runs on the isolate's thread. It was tried on a thread of its own, beside the type
// naming: that saved about 0.1 s of a 4 s report, but glibc keeps a thread's freed memory in
// that thread's arena (malloc_trim does not give it back), so every report left the process
// about 40 MB larger (measured on the benchmark's 50 MB heap).
#pragma once

#include <v8-profiler.h>

#include <memory>
#include <vector>

#include "dominators.h"
#include "graph_index.h"

namespace memalot {

class SnapshotAnalysis {
 public:
  SnapshotAnalysis(const v8::HeapSnapshot* snapshot, std::vector<const v8::HeapGraphNode*> stack_roots);

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

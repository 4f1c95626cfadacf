// The work on a snapshot's graph that needs no V8 heap access, run on a thread of its own as
// soon as the snapshot is taken: the index of nodes and edges, reachability, incoming edges and
// distances, and (for object details) the dominator tree.
//
// Meanwhile the isolate's thread does what only it can: name types (node names are V8
// strings) and find the live objects for the report (QueryObjects walks the heap). On a report
// with object details these two halves take about as long each, so the report costs about
// half what it would one after the other.
//
// The thread only reads the snapshot, whose nodes and edges V8 never changes once it is taken,
// and writes only what it builds; the isolate's thread waits for a stage before it reads what
// that stage built (Wait). The snapshot is freed only after the thread has ended (the
// destructor joins it).
#pragma once

#include <v8-profiler.h>

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "dominators.h"
#include "graph_index.h"

namespace memalot {

class SnapshotAnalysis {
 public:
  enum Stage : int {
    kIndex = 1,      // the GraphIndex
    kReachable = 2,  // GraphIndex::ReachableWithoutStack
    kPaths = 3,      // GraphIndex::BuildIncoming, Distances, BuildIdIndex: what referrer searches need
    kDominators = 4, // the dominator tree (when asked for)
  };

  SnapshotAnalysis(const v8::HeapSnapshot* snapshot, std::vector<const v8::HeapGraphNode*> stack_roots,
                   bool with_dominators);
  ~SnapshotAnalysis();

  // Waits until `stage` is done; throws std::runtime_error if the thread failed.
  void Wait(Stage stage);
  GraphIndex& Index() {
    Wait(kIndex);
    return *index_;
  }
  // The dominator tree: from the thread when it was asked for, otherwise built now.
  const DominatorTree& Dominators();

 private:
  void Run(const v8::HeapSnapshot* snapshot, std::vector<const v8::HeapGraphNode*> stack_roots);
  void Publish(int stage);

  bool with_dominators_;
  std::unique_ptr<GraphIndex> index_;
  std::unique_ptr<DominatorTree> dominators_;
  std::mutex mutex_;
  std::condition_variable changed_;
  int done_ = 0;
  std::string error_;
  std::atomic<bool> cancelled_{false};
  std::thread thread_;  // last: started once the members it uses exist
};

}  // namespace memalot

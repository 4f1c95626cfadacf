#include "snapshot_analysis.h"

namespace memalot {

SnapshotAnalysis::SnapshotAnalysis(const v8::HeapSnapshot* snapshot, GraphIndex::Edges edges)
    : index_(std::make_unique<GraphIndex>(snapshot, edges)) {}

GraphIndex& SnapshotAnalysis::Reachable() {
  index_->ReachableWithoutStack();
  return *index_;
}

GraphIndex& SnapshotAnalysis::Paths() {
  index_->BuildIncoming();
  index_->Distances();
  return *index_;
}

const DominatorTree& SnapshotAnalysis::Dominators() {
  if (!dominators_) dominators_ = std::make_unique<DominatorTree>(*index_, index_->root());
  return *dominators_;
}

}  // namespace memalot

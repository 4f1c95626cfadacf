#include "snapshot_analysis.h"

#include <exception>
#include <stdexcept>

namespace memalot {

SnapshotAnalysis::SnapshotAnalysis(const v8::HeapSnapshot* snapshot, std::vector<const v8::HeapGraphNode*> stack_roots,
                                   bool with_dominators)
    : with_dominators_(with_dominators),
      thread_([this, snapshot, roots = std::move(stack_roots)]() mutable { Run(snapshot, std::move(roots)); }) {}

SnapshotAnalysis::~SnapshotAnalysis() {
  // The dominator tree, the longest stage, is not interrupted; the stages after the current
  // one are skipped.
  cancelled_ = true;
  if (thread_.joinable()) thread_.join();
}

void SnapshotAnalysis::Run(const v8::HeapSnapshot* snapshot, std::vector<const v8::HeapGraphNode*> stack_roots) {
  try {
    index_ = std::make_unique<GraphIndex>(snapshot, stack_roots);
    Publish(kIndex);
    if (cancelled_) return Publish(kDominators);
    index_->ReachableWithoutStack();
    Publish(kReachable);
    if (cancelled_) return Publish(kDominators);
    index_->BuildIncoming();
    index_->Distances();
    index_->BuildIdIndex();
    Publish(kPaths);
    if (with_dominators_ && !cancelled_) dominators_ = std::make_unique<DominatorTree>(*index_, index_->root());
    Publish(kDominators);
  } catch (const std::exception& error) {
    std::lock_guard<std::mutex> lock(mutex_);
    error_ = std::string("could not analyse the heap snapshot: ") + error.what();
    done_ = kDominators;
    changed_.notify_all();
  }
}

void SnapshotAnalysis::Publish(int stage) {
  std::lock_guard<std::mutex> lock(mutex_);
  done_ = stage;
  changed_.notify_all();
}

void SnapshotAnalysis::Wait(Stage stage) {
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait(lock, [this, stage] { return done_ >= stage; });
  if (!error_.empty()) throw std::runtime_error(error_);
}

const DominatorTree& SnapshotAnalysis::Dominators() {
  Wait(kDominators);
  if (!dominators_) dominators_ = std::make_unique<DominatorTree>(*index_, index_->root());
  return *dominators_;
}

}  // namespace memalot

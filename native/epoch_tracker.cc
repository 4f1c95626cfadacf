#include "epoch_tracker.h"

#include <v8-isolate.h>

#include <stdexcept>
#include <string>

namespace memalot {

// Receives V8's per-interval statistics: only the intervals whose live count or size changed
// since the previous call are streamed.
class EpochTracker::StatsStream final : public v8::OutputStream {
 public:
  explicit StatsStream(std::vector<Epoch>* epochs) : epochs_(epochs) {}

  WriteResult WriteAsciiChunk(char*, int) override { return kContinue; }
  void EndOfStream() override {}
  int GetChunkSize() override { return 4096; }

  WriteResult WriteHeapStatsChunk(v8::HeapStatsUpdate* data, int count) override {
    for (int i = 0; i < count; i++) {
      if (data[i].index >= epochs_->size()) {
        // An interval we did not open: another client of the profiler is calling GetHeapStats.
        foreign_interval_ = true;
        continue;
      }
      Epoch& epoch = (*epochs_)[data[i].index];
      epoch.live_objects = data[i].count;
      epoch.live_bytes = data[i].size;
    }
    return kContinue;
  }

  bool saw_foreign_interval() const { return foreign_interval_; }

 private:
  std::vector<Epoch>* epochs_;
  bool foreign_interval_ = false;
};

Boundary EpochTracker::Start(v8::Isolate* isolate, bool track_allocations) {
  if (tracking_) {
    throw std::logic_error("memalot is already tracking heap objects in this thread");
  }
  v8::HeapProfiler* profiler = isolate->GetHeapProfiler();
  epochs_.clear();
  // Allocation stacks would make every allocation 3-17x slower; IDs are all we need.
  profiler->StartTrackingHeapObjects(track_allocations);
  tracking_ = true;
  return Mark(isolate);
}

Boundary EpochTracker::Mark(v8::Isolate* isolate) {
  if (!tracking_) {
    throw std::logic_error("memalot is not tracking heap objects: start monitoring first");
  }
  // V8 opens interval number epochs_.size() in this call.
  epochs_.emplace_back();
  StatsStream stream(&epochs_);
  v8::SnapshotObjectId last_id = isolate->GetHeapProfiler()->GetHeapStats(&stream);
  if (stream.saw_foreign_interval()) {
    throw std::runtime_error(
        "another heap profiler client (such as a DevTools allocation timeline) is tracking heap "
        "objects in this process; memalot cannot share V8's object tracking with it");
  }
  epochs_.back().last_id = last_id;
  return Summarize();
}

Boundary EpochTracker::Summarize() const {
  Boundary boundary{epochs_.back().last_id, static_cast<uint32_t>(epochs_.size() - 1), 0, 0};
  for (const Epoch& epoch : epochs_) {
    boundary.live_objects += epoch.live_objects;
    boundary.live_bytes += epoch.live_bytes;
  }
  return boundary;
}

Survivors EpochTracker::CountAlive(v8::SnapshotObjectId after,
                                   v8::SnapshotObjectId up_to) const {
  Survivors survivors{0, 0};
  bool after_is_boundary = after == 0;
  bool up_to_is_boundary = false;
  v8::SnapshotObjectId previous_last = 0;
  for (const Epoch& epoch : epochs_) {
    if (epoch.last_id == after) after_is_boundary = true;
    if (epoch.last_id == up_to) up_to_is_boundary = true;
    if (previous_last >= after && epoch.last_id <= up_to) {
      survivors.objects += epoch.live_objects;
      survivors.bytes += epoch.live_bytes;
    }
    previous_last = epoch.last_id;
  }
  if (!after_is_boundary || !up_to_is_boundary) {
    throw std::invalid_argument("object ID range (" + std::to_string(after) + ", " +
                                std::to_string(up_to) + "] does not start and end at epoch boundaries");
  }
  return survivors;
}

void EpochTracker::Stop(v8::Isolate* isolate) {
  if (!tracking_) return;
  v8::HeapProfiler* profiler = isolate->GetHeapProfiler();
  profiler->StopTrackingHeapObjects();
  // Without this V8 keeps recording every object move, which slows every later GC.
  profiler->ClearObjectIds();
  epochs_.clear();
  tracking_ = false;
}

}  // namespace memalot

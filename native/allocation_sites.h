// Where the objects of an epoch were allocated, from V8's sampling heap profiler.
//
// The sampling profiler keeps a stack for about one allocation in every `interval` bytes, and
// (with the default flags) drops a sample when its object is collected, so the samples left are
// live objects. A sample carries no heap object ID, only its size, its stack and an ID that
// grows with time. So each epoch boundary notes the highest sample ID alive right after its
// garbage collection: the samples above one boundary's mark and up to the next one's are the
// allocations of that epoch that are still alive, which is what a report's range of object IDs
// holds. Reports match them to types by size (in lib/).
#pragma once

#include <napi.h>
#include <v8-profiler.h>

#include <cstdint>
#include <map>

#include "id_ranges.h"

namespace memalot {

class AllocationSampler {
 public:
  bool IsSampling() const { return sampling_; }

  // Starts V8's sampling heap profiler; false when another client (DevTools, --heap-prof) has it.
  bool Start(v8::Isolate* isolate, uint64_t interval_bytes, int stack_depth);

  // Notes the boundary that closed at `last_object_id` (call right after EpochTracker::Mark,
  // whose full GC has dropped the samples of dead objects).
  void NoteBoundary(v8::Isolate* isolate, v8::SnapshotObjectId last_object_id);

  // The live samples allocated in the ranges, grouped by stack and size, as an array of
  // { frames: [{ functionName, script, line, column }], size, samples (V8's scaled count),
  // sampleCount }, the innermost frame first.
  Napi::Array Sites(Napi::Env env, v8::Isolate* isolate, const IdRanges& ranges, uint32_t max_frames) const;

  void Stop(v8::Isolate* isolate);

 private:
  // The highest sample ID alive at the boundary with this last object ID: samples above it
  // were allocated after it.
  uint64_t MarkOf(v8::SnapshotObjectId boundary) const;

  std::map<v8::SnapshotObjectId, uint64_t> marks_;  // boundary's last object ID -> sample mark
  bool sampling_ = false;
};

}  // namespace memalot

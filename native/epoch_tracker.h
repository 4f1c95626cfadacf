// Birth epochs of heap objects.
//
// Once V8's heap-objects map is tracking, every object gets an ID the first time the map is
// updated after the object was allocated, IDs only grow, and they survive GC moves. Every call
// to HeapProfiler::GetHeapStats updates the map (after a full GC) and opens a new "time
// interval" in V8: the IDs first assigned by that update. So the IDs between two of our calls
// are exactly the objects created between them that were still alive at the second call: a
// birth epoch. V8 also streams, per interval, how many of its objects are still alive, which
// tells us without a heap snapshot whether anything from an epoch survived.
#pragma once

#include <v8-profiler.h>

#include <cstdint>
#include <vector>

namespace memalot {

// The state of the heap at one epoch boundary.
struct Boundary {
  // Every object alive at the boundary has an ID at most this.
  v8::SnapshotObjectId last_object_id;
  // Index of the epoch this boundary closed (V8's time-interval index).
  uint32_t epoch;
  // All live objects and their shallow bytes, over all epochs.
  uint64_t live_objects;
  uint64_t live_bytes;
};

struct Survivors {
  uint64_t objects;
  uint64_t bytes;
};

class EpochTracker {
 public:
  bool IsTracking() const { return tracking_; }

  // Starts V8's object tracking and closes the first epoch: everything alive now.
  // `track_allocations` also records a stack for every allocation (V8's allocation tracker):
  // only the benchmark asks for it, to measure that route to allocation sites.
  Boundary Start(v8::Isolate* isolate, bool track_allocations = false);

  // Closes the current epoch (a full GC and a walk of the heap inside V8).
  Boundary Mark(v8::Isolate* isolate);

  // Live objects, as of the last Mark, whose IDs are in (after, up_to]. Both must be IDs that
  // a Mark returned (or 0 for `after`), so that the range is a union of whole epochs.
  Survivors CountAlive(v8::SnapshotObjectId after, v8::SnapshotObjectId up_to) const;

  // Stops tracking and drops V8's ID map, which gives GCs their normal speed back.
  void Stop(v8::Isolate* isolate);

 private:
  struct Epoch {
    v8::SnapshotObjectId last_id = 0;
    uint32_t live_objects = 0;
    uint32_t live_bytes = 0;
  };
  class StatsStream;

  Boundary Summarize() const;

  std::vector<Epoch> epochs_;  // epochs_[i] is V8's time interval i
  bool tracking_ = false;
};

}  // namespace memalot

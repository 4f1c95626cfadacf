// State the addon keeps per isolate (per Node.js environment: the main thread and each
// worker have their own heap, so each has its own tracker).
#pragma once

#include <napi.h>

#include "allocation_sites.h"
#include "epoch_tracker.h"

namespace memalot {

struct AddonData {
  EpochTracker epochs;
  AllocationSampler allocations;  // only when allocation sites are captured
  Napi::FunctionReference heap_graph_constructor;
};

inline AddonData& GetAddonData(Napi::Env env) { return *env.GetInstanceData<AddonData>(); }

}  // namespace memalot

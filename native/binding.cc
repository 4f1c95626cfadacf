// The module's entry point: the narrow surface JavaScript sees.
//
//   startTracking() / markBoundary() -> { lastObjectId, epoch, liveObjects, liveBytes }
//   countAlive(afterId, upToId)      -> { objects, bytes }   (no snapshot needed)
//   countObjectTypes(afterId, upToId, holes, excludedIds) (see object_census.h)
//   startAllocationSampling(intervalBytes, stackDepth) -> boolean
//   allocationSites(afterId, upToId, holes, maxFrames) (see allocation_sites.h)
//   stopTracking(), isTracking(), objectIds(values)
//   takeSnapshot()                   -> HeapGraph
//   findObjects(ids), functionLocation(fn)   (see object_lookup.h)
//   abi, buildInfo, v8Version         (to check that the right binary was loaded)
// node_version.h first: it defines NAPI_VERSION, which napi.h would otherwise default.
#include <node_version.h>
#include <napi.h>
#include <v8-isolate.h>
#include <v8-version.h>

#include <algorithm>
#include <cstring>
#include <string>

#include "addon_data.h"
#include "atomic_file.h"
#include "heap_graph.h"
#include "host_guard.h"
#include "id_ranges.h"
#include "object_census.h"
#include "object_lookup.h"
#include "object_id_argument.h"

#ifndef MEMALOT_SOURCE_HASH
#error "binding.gyp defines MEMALOT_SOURCE_HASH: build with node-gyp"
#endif
#define MEMALOT_STRINGIFY_(x) #x
#define MEMALOT_STRINGIFY(x) MEMALOT_STRINGIFY_(x)

namespace memalot {

namespace {

// One literal, so that it can be read straight from the binary's bytes without loading it:
// the loader checks the ABI before it loads a binary (a binary built against another Node's V8
// would load and then crash on its first call), and a test checks every prebuild's source hash.
constexpr const char kBuildInfo[] = "memalot-build-info:abi=" MEMALOT_STRINGIFY(NODE_MODULE_VERSION)
                                    ";source-hash=" MEMALOT_STRINGIFY(MEMALOT_SOURCE_HASH) ";";

Napi::Object BoundaryToJs(Napi::Env env, const Boundary& boundary) {
  Napi::Object result = Napi::Object::New(env);
  result.Set("lastObjectId", static_cast<double>(boundary.last_object_id));
  result.Set("epoch", static_cast<double>(boundary.epoch));
  result.Set("liveObjects", static_cast<double>(boundary.live_objects));
  result.Set("liveBytes", static_cast<double>(boundary.live_bytes));
  return result;
}

// Every boundary is also noted by the allocation sampler (when it runs), so that its samples
// can be dated to the same epochs.
Napi::Value StartTracking(const Napi::CallbackInfo& info) {
  AddonData& data = GetAddonData(info.Env());
  v8::Isolate* isolate = v8::Isolate::GetCurrent();
  // startTracking(true): with V8's allocation tracker too (for the benchmark's comparison).
  const bool track_allocations = info.Length() > 0 && info[0].ToBoolean().Value();
  Boundary boundary;
  try {
    boundary = data.epochs.Start(isolate, track_allocations);
  } catch (...) {
    // The sampler was started for this tracking: it must not outlive a start that failed.
    data.allocations.Stop(isolate);
    throw;
  }
  data.allocations.NoteBoundary(isolate, boundary.last_object_id);
  return BoundaryToJs(info.Env(), boundary);
}

Napi::Value MarkBoundary(const Napi::CallbackInfo& info) {
  AddonData& data = GetAddonData(info.Env());
  v8::Isolate* isolate = v8::Isolate::GetCurrent();
  Boundary boundary = data.epochs.Mark(isolate);
  data.allocations.NoteBoundary(isolate, boundary.last_object_id);
  return BoundaryToJs(info.Env(), boundary);
}

Napi::Value StartAllocationSampling(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsNumber() || !info[1].IsNumber()) {
    throw Napi::TypeError::New(env, "startAllocationSampling takes intervalBytes and stackDepth (numbers)");
  }
  const double interval = info[0].As<Napi::Number>().DoubleValue();
  const double depth = info[1].As<Napi::Number>().DoubleValue();
  if (!(interval >= 1 && interval <= 1e12) || !(depth >= 1 && depth <= 128)) {
    throw Napi::RangeError::New(env, "startAllocationSampling: intervalBytes must be 1 to 1e12, stackDepth 1 to 128");
  }
  return Napi::Boolean::New(env, GetAddonData(env).allocations.Start(v8::Isolate::GetCurrent(), static_cast<uint64_t>(interval),
                                                                    static_cast<int>(depth)));
}

Napi::Value AllocationSites(const Napi::CallbackInfo& info) {
  IdRanges ranges = IdRanges::FromArguments(info, 0);
  uint32_t max_frames = 4;
  if (info.Length() > 3 && info[3].IsNumber()) max_frames = std::clamp(info[3].As<Napi::Number>().Uint32Value(), 1u, 64u);
  return GetAddonData(info.Env()).allocations.Sites(info.Env(), v8::Isolate::GetCurrent(), ranges, max_frames);
}

Napi::Value CountAlive(const Napi::CallbackInfo& info) {
  Survivors survivors = GetAddonData(info.Env()).epochs.CountAlive(
      ObjectIdArgument(info, 0, "afterId"), ObjectIdArgument(info, 1, "upToId"));
  Napi::Object result = Napi::Object::New(info.Env());
  result.Set("objects", static_cast<double>(survivors.objects));
  result.Set("bytes", static_cast<double>(survivors.bytes));
  return result;
}

Napi::Value StopTracking(const Napi::CallbackInfo& info) {
  GetAddonData(info.Env()).epochs.Stop(v8::Isolate::GetCurrent());
  GetAddonData(info.Env()).allocations.Stop(v8::Isolate::GetCurrent());
  return info.Env().Undefined();
}

// The heap object IDs of the given values (0 for a value V8 has not given an ID yet, or one
// that is not a heap object): how memalot names the few objects it holds itself.
Napi::Value ObjectIds(const Napi::CallbackInfo& info) {
  if (info.Length() < 1 || !info[0].IsArray()) {
    throw Napi::TypeError::New(info.Env(), "objectIds takes an array of values");
  }
  Napi::Array values = info[0].As<Napi::Array>();
  Napi::Array ids = Napi::Array::New(info.Env(), values.Length());
  v8::HeapProfiler* profiler = v8::Isolate::GetCurrent()->GetHeapProfiler();
  for (uint32_t i = 0; i < values.Length(); i++) {
    Napi::Value value = values[i];
    // Node-API's napi_value is a v8::Local under another name (node's own js_native_api_v8
    // converts them the same way); the profiler's GetObjectId needs the Local.
    v8::Local<v8::Value> local;
    static_assert(sizeof(napi_value) == sizeof(v8::Local<v8::Value>), "napi_value is a Local");
    napi_value raw = value;
    memcpy(static_cast<void*>(&local), &raw, sizeof(raw));
    ids.Set(i, static_cast<double>(profiler->GetObjectId(local)));
  }
  return ids;
}

Napi::Value IsTracking(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), GetAddonData(info.Env()).epochs.IsTracking());
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  auto* data = new AddonData();
  env.SetInstanceData(data);  // deleted by node-addon-api when the environment goes away
  // A program that ends while allocation sites are captured (`memalot run`, the register hook:
  // nothing stops the monitor) would leave V8's sampling heap profiler running into the
  // isolate's teardown, which crashes Node 24 (a double free). Cleanup hooks run while the
  // isolate is still alive, and this one, added after the instance data's, runs before it.
  v8::Isolate* isolate = v8::Isolate::GetCurrent();
  env.AddCleanupHook([data, isolate]() { data->allocations.Stop(isolate); });
  data->heap_graph_constructor = Napi::Persistent(HeapGraph::Define(env));

  exports.Set("abi", Napi::Number::New(env, NODE_MODULE_VERSION));
  exports.Set("buildInfo", kBuildInfo);
  exports.Set("v8Version", std::to_string(V8_MAJOR_VERSION) + "." + std::to_string(V8_MINOR_VERSION));
  exports.Set("startTracking", Napi::Function::New<Guarded<StartTracking>>(env, "startTracking"));
  exports.Set("markBoundary", Napi::Function::New<Guarded<MarkBoundary>>(env, "markBoundary"));
  exports.Set("countAlive", Napi::Function::New<Guarded<CountAlive>>(env, "countAlive"));
  exports.Set("countObjectTypes", Napi::Function::New<Guarded<CountObjectTypes>>(env, "countObjectTypes"));
  exports.Set("startAllocationSampling",
              Napi::Function::New<Guarded<StartAllocationSampling>>(env, "startAllocationSampling"));
  exports.Set("allocationSites", Napi::Function::New<Guarded<AllocationSites>>(env, "allocationSites"));
  exports.Set("stopTracking", Napi::Function::New<Guarded<StopTracking>>(env, "stopTracking"));
  exports.Set("isTracking", Napi::Function::New<Guarded<IsTracking>>(env, "isTracking"));
  exports.Set("objectIds", Napi::Function::New<Guarded<ObjectIds>>(env, "objectIds"));
  exports.Set("takeSnapshot", Napi::Function::New<Guarded<HeapGraph::Take>>(env, "takeSnapshot"));
  exports.Set("findObjects", Napi::Function::New<Guarded<FindObjects>>(env, "findObjects"));
  exports.Set("functionLocation", Napi::Function::New<Guarded<FunctionLocation>>(env, "functionLocation"));
  exports.Set("writeFileAtomic", Napi::Function::New<Guarded<WriteFileAtomic>>(env, "writeFileAtomic"));
  return exports;
}

}  // namespace

}  // namespace memalot

// Guarded too: a worker can be terminated while it loads the addon.
static Napi::Object InitMemalot(Napi::Env env, Napi::Object exports) {
  napi_value result = memalot::GuardCall(env, [&]() -> napi_value { return memalot::Init(env, exports); });
  return result == nullptr ? exports : Napi::Object(env, result);
}

NODE_API_MODULE(memalot, InitMemalot)

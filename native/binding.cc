// The module's entry point: the narrow surface JavaScript sees.
//
//   startTracking() / markBoundary() -> { lastObjectId, epoch, liveObjects, liveBytes }
//   countAlive(afterId, upToId)      -> { objects, bytes }   (no snapshot needed)
//   stopTracking(), isTracking(), objectIds(values)
//   takeSnapshot()                   -> HeapGraph
//   findObjects(ids), functionLocation(fn)   (see object_lookup.h)
//   abi, buildInfo, v8Version         (to check that the right binary was loaded)
// node_version.h first: it defines NAPI_VERSION, which napi.h would otherwise default.
#include <node_version.h>
#include <napi.h>
#include <v8-isolate.h>
#include <v8-version.h>

#include <cstring>
#include <string>

#include "addon_data.h"
#include "atomic_file.h"
#include "heap_graph.h"
#include "host_guard.h"
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

Napi::Value StartTracking(const Napi::CallbackInfo& info) {
  return BoundaryToJs(info.Env(), GetAddonData(info.Env()).epochs.Start(v8::Isolate::GetCurrent()));
}

Napi::Value MarkBoundary(const Napi::CallbackInfo& info) {
  return BoundaryToJs(info.Env(), GetAddonData(info.Env()).epochs.Mark(v8::Isolate::GetCurrent()));
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
  data->heap_graph_constructor = Napi::Persistent(HeapGraph::Define(env));

  exports.Set("abi", Napi::Number::New(env, NODE_MODULE_VERSION));
  exports.Set("buildInfo", kBuildInfo);
  exports.Set("v8Version", std::to_string(V8_MAJOR_VERSION) + "." + std::to_string(V8_MINOR_VERSION));
  exports.Set("startTracking", Napi::Function::New<Guarded<StartTracking>>(env, "startTracking"));
  exports.Set("markBoundary", Napi::Function::New<Guarded<MarkBoundary>>(env, "markBoundary"));
  exports.Set("countAlive", Napi::Function::New<Guarded<CountAlive>>(env, "countAlive"));
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

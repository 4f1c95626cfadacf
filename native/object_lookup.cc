#include "object_lookup.h"

#include <v8-context.h>
#include <v8-function.h>
#include <v8-isolate.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "heap_object_map.h"
#include "object_id_argument.h"

namespace memalot {

namespace {

static_assert(sizeof(napi_value) == sizeof(v8::Local<v8::Value>), "napi_value is a Local");

// Node-API's napi_value is a v8::Local under another name (node's own js_native_api_v8.h
// converts them the same way); the profiler's API takes and gives Locals.
template <typename T>
v8::Local<T> ToLocal(napi_value value) {
  v8::Local<T> local;
  memcpy(static_cast<void*>(&local), &value, sizeof(value));
  return local;
}

template <typename T>
napi_value ToNapi(v8::Local<T> local) {
  napi_value value;
  memcpy(static_cast<void*>(&value), &local, sizeof(value));
  return value;
}

using v8::internal::Address;

// QueryObjects offers every JavaScript object of the heap to Filter (half a million on a 50 MB
// heap), and an object's ID costs a look-up in V8's table of a million addresses, which misses
// the cache: about a fifth of the walk. The objects wanted are few, and when the snapshot has
// told their hidden classes (maps), an object whose map is none of those is passed over after
// one read of its map word, with V8's own inline accessors from v8-internal.h (what
// Value::IsString uses). Each map's ID is looked up once.
class IdPredicate : public v8::QueryObjectPredicate {
 public:
  IdPredicate(v8::HeapProfiler* profiler, const std::unordered_set<v8::SnapshotObjectId>& wanted,
              const std::unordered_set<v8::SnapshotObjectId>* wanted_maps)
      : profiler_(profiler), wanted_(wanted), wanted_maps_(wanted_maps) {}
  // No JavaScript may run here: GetObjectId is a hash look-up.
  bool Filter(v8::Local<v8::Object> object) override {
    if (wanted_maps_ != nullptr) {
      if (!MapWanted(MapAddressOf(object))) return false;
    }
    return wanted_.count(profiler_->GetObjectId(object)) != 0;
  }

 private:
  bool MapWanted(Address map) {
    auto known = map_verdicts_.find(map);
    if (known != map_verdicts_.end()) return known->second;
    // A handle to the map for GetObjectId, which only reads it: a slot holding its address.
    Address slot = map;
    v8::Value* value = v8::internal::ValueHelper::SlotAsValue<v8::Value>(&slot);
    v8::Local<v8::Value> local;
    memcpy(static_cast<void*>(&local), static_cast<const void*>(&value), sizeof(value));
    const bool wanted = wanted_maps_->count(profiler_->GetObjectId(local)) != 0;
    map_verdicts_.emplace(map, wanted);
    return wanted;
  }

  v8::HeapProfiler* profiler_;
  const std::unordered_set<v8::SnapshotObjectId>& wanted_;
  const std::unordered_set<v8::SnapshotObjectId>* wanted_maps_;
  std::unordered_map<Address, bool> map_verdicts_;
};

std::vector<v8::Global<v8::Object>> Query(v8::Isolate* isolate, const std::unordered_set<v8::SnapshotObjectId>& wanted,
                                          const std::unordered_set<v8::SnapshotObjectId>* wanted_maps) {
  v8::HeapProfiler* profiler = isolate->GetHeapProfiler();
  IdPredicate predicate(profiler, wanted, wanted_maps);
  std::vector<v8::Global<v8::Object>> found;
  profiler->QueryObjects(isolate->GetCurrentContext(), &predicate, &found);
  return found;
}

}  // namespace

std::unordered_map<v8::SnapshotObjectId, v8::Global<v8::Object>> LookUpObjects(
    v8::Isolate* isolate, const std::vector<v8::SnapshotObjectId>& ids, const std::vector<v8::SnapshotObjectId>& map_ids) {
  std::unordered_map<v8::SnapshotObjectId, v8::Global<v8::Object>> by_id;
  if (ids.empty()) return by_id;
  std::unordered_set<v8::SnapshotObjectId> wanted(ids.begin(), ids.end());
  v8::HeapProfiler* profiler = isolate->GetHeapProfiler();
  v8::HandleScope scope(isolate);
  // The maps only when each object's is known.
  const bool by_map = map_ids.size() == ids.size() &&
                      std::find(map_ids.begin(), map_ids.end(), v8::SnapshotObjectId{0}) == map_ids.end();
  std::unordered_set<v8::SnapshotObjectId> wanted_maps(map_ids.begin(), map_ids.end());
  for (auto& object : Query(isolate, wanted, by_map ? &wanted_maps : nullptr)) {
    by_id.emplace(profiler->GetObjectId(object.Get(isolate)), std::move(object));
  }
  if (by_map && by_id.size() < wanted.size()) {
    // An object not found may be one whose map is no longer the one the snapshot saw (V8
    // changes maps only as code runs, and none has; but a missed object would be reported
    // dead): those are looked for again, every object's ID checked.
    std::unordered_set<v8::SnapshotObjectId> missing;
    for (v8::SnapshotObjectId id : wanted) {
      if (by_id.count(id) == 0) missing.insert(id);
    }
    for (auto& object : Query(isolate, missing, nullptr)) {
      by_id.emplace(profiler->GetObjectId(object.Get(isolate)), std::move(object));
    }
  }
  return by_id;
}

Napi::Array ObjectsArray(Napi::Env env, const std::vector<v8::SnapshotObjectId>& ids,
                         std::unordered_map<v8::SnapshotObjectId, v8::Global<v8::Object>>& found) {
  v8::Isolate* isolate = v8::Isolate::GetCurrent();
  Napi::Array result = Napi::Array::New(env, ids.size());
  for (uint32_t i = 0; i < ids.size(); i++) {
    auto hit = found.find(ids[i]);
    if (hit != found.end()) result.Set(i, Napi::Value(env, ToNapi(hit->second.Get(isolate))));
  }
  for (auto& [id, object] : found) object.Reset();
  return result;
}

Napi::Value FindObjects(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::vector<v8::SnapshotObjectId> wanted = ObjectIdList(env, info[0], "findObjects(): objectIds");
  auto found = LookUpObjects(v8::Isolate::GetCurrent(), wanted, {});
  return ObjectsArray(env, wanted, found);
}

Napi::Value FunctionLocation(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsFunction()) return env.Null();
  v8::Isolate* isolate = v8::Isolate::GetCurrent();
  v8::HandleScope scope(isolate);
  v8::Local<v8::Function> function = ToLocal<v8::Function>(info[0]);
  const int line = function->GetScriptLineNumber();
  if (line == v8::Function::kLineOffsetNotFound) return env.Null();
  v8::Local<v8::Value> resource = function->GetScriptOrigin().ResourceName();
  Napi::Object location = Napi::Object::New(env);
  if (!resource.IsEmpty() && resource->IsString()) {
    v8::String::Utf8Value name(isolate, resource);
    location.Set("script", *name != nullptr ? std::string(*name, name.length()) : std::string());
  } else {
    location.Set("script", "");
  }
  location.Set("line", line + 1);
  location.Set("column", function->GetScriptColumnNumber() + 1);
  return location;
}

}  // namespace memalot

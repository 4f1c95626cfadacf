#include "object_lookup.h"

#include <v8-context.h>
#include <v8-function.h>
#include <v8-isolate.h>

#include <cmath>
#include <cstring>
#include <unordered_map>
#include <unordered_set>
#include <vector>

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

class IdPredicate : public v8::QueryObjectPredicate {
 public:
  IdPredicate(v8::HeapProfiler* profiler, const std::unordered_set<v8::SnapshotObjectId>& wanted)
      : profiler_(profiler), wanted_(wanted) {}
  // No JavaScript may run here: GetObjectId is a hash look-up.
  bool Filter(v8::Local<v8::Object> object) override {
    return wanted_.count(profiler_->GetObjectId(object)) != 0;
  }

 private:
  v8::HeapProfiler* profiler_;
  const std::unordered_set<v8::SnapshotObjectId>& wanted_;
};

}  // namespace

Napi::Value FindObjects(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsArray()) throw Napi::TypeError::New(env, "findObjects takes an array of object IDs");
  Napi::Array ids = info[0].As<Napi::Array>();
  std::vector<v8::SnapshotObjectId> wanted_list(ids.Length());
  for (uint32_t i = 0; i < ids.Length(); i++) {
    Napi::Value id = ids[i];
    const double value = id.IsNumber() ? id.As<Napi::Number>().DoubleValue() : -1;
    if (!(value >= 0 && value <= 4294967295.0) || value != std::floor(value)) {
      throw Napi::RangeError::New(env, "findObjects takes object IDs: integers from 0 to 4294967295");
    }
    wanted_list[i] = static_cast<v8::SnapshotObjectId>(value);
  }
  Napi::Array result = Napi::Array::New(env, wanted_list.size());
  if (wanted_list.empty()) return result;
  std::unordered_set<v8::SnapshotObjectId> wanted(wanted_list.begin(), wanted_list.end());

  v8::Isolate* isolate = v8::Isolate::GetCurrent();
  v8::HeapProfiler* profiler = isolate->GetHeapProfiler();
  v8::EscapableHandleScope scope(isolate);
  IdPredicate predicate(profiler, wanted);
  std::vector<v8::Global<v8::Object>> found;
  profiler->QueryObjects(isolate->GetCurrentContext(), &predicate, &found);
  std::unordered_map<v8::SnapshotObjectId, size_t> by_id;
  for (size_t i = 0; i < found.size(); i++) {
    by_id.emplace(profiler->GetObjectId(found[i].Get(isolate)), i);
  }
  for (uint32_t i = 0; i < wanted_list.size(); i++) {
    auto hit = by_id.find(wanted_list[i]);
    if (hit == by_id.end()) continue;
    result.Set(i, Napi::Value(env, ToNapi(found[hit->second].Get(isolate))));
  }
  for (auto& global : found) global.Reset();
  return result;
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

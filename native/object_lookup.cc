#include "object_lookup.h"

#include <v8-context.h>
#include <v8-function.h>
#include <v8-isolate.h>

#include <cmath>
#include <cstring>
#include <unordered_set>

namespace memalot {

namespace {

static_assert(sizeof(napi_value) == sizeof(v8::Local<v8::Value>), "napi_value is a Local");

template <typename T>
v8::Local<T> ToLocal(napi_value value) {
  v8::Local<T> local;
  memcpy(static_cast<void*>(&local), &value, sizeof(value));
  return local;
}

class CapturePredicate : public v8::QueryObjectPredicate {
 public:
  CapturePredicate(v8::HeapProfiler* profiler, const IdRanges& ranges, size_t limit, std::vector<v8::SnapshotObjectId>& ids)
      : profiler_(profiler), ranges_(ranges), limit_(limit), ids_(ids) {}

  // No JavaScript may run here: GetObjectId is a hash look-up, IsFunction a type check.
  bool Filter(v8::Local<v8::Object> object) override {
    const v8::SnapshotObjectId id = profiler_->GetObjectId(object);
    if (in_range_ < limit_ && ranges_.Contains(id)) {
      in_range_++;
    } else if (!object->IsFunction()) {
      return false;
    }
    ids_.push_back(id);  // V8 keeps the accepted objects in the order they were accepted
    return true;
  }

  size_t in_range() const { return in_range_; }

 private:
  v8::HeapProfiler* profiler_;
  const IdRanges& ranges_;
  size_t limit_;
  std::vector<v8::SnapshotObjectId>& ids_;
  size_t in_range_ = 0;
};

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

napi_value ToNapiValue(v8::Local<v8::Value> local) {
  napi_value value;
  memcpy(static_cast<void*>(&value), &local, sizeof(value));
  return value;
}

CapturedObjects::CapturedObjects(v8::Isolate* isolate, const IdRanges& ranges, size_t limit) {
  v8::HeapProfiler* profiler = isolate->GetHeapProfiler();
  v8::HandleScope scope(isolate);
  std::vector<v8::SnapshotObjectId> ids;
  CapturePredicate predicate(profiler, ranges, limit, ids);
  profiler->QueryObjects(isolate->GetCurrentContext(), &predicate, &objects_);
  in_range_ = predicate.in_range();
  // Phantom: reset if the object dies; and a weak edge in a heap snapshot, which memalot's
  // walks ignore, so that holding them changes nothing the report sees.
  for (auto& object : objects_) object.SetWeak();
  by_id_.reserve(objects_.size());
  for (size_t i = 0; i < objects_.size() && i < ids.size(); i++) by_id_.emplace(ids[i], i);
}

CapturedObjects::~CapturedObjects() {
  for (auto& object : objects_) object.Reset();
}

v8::Local<v8::Object> CapturedObjects::Find(v8::Isolate* isolate, v8::SnapshotObjectId id) const {
  auto found = by_id_.find(id);
  if (found == by_id_.end()) return {};
  return objects_[found->second].Get(isolate);
}

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
    result.Set(i, Napi::Value(env, ToNapiValue(found[hit->second].Get(isolate))));
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

#include "object_census.h"

#include <v8-context.h>
#include <v8-function.h>
#include <v8-isolate.h>
#include <v8-profiler.h>
#include <v8-script.h>
#include <v8-version.h>

#include <string>
#include <unordered_map>
#include <vector>

#include "heap_object_map.h"
#include "id_ranges.h"

namespace memalot {

namespace {

using v8::internal::Address;


struct MapCount {
  size_t representative;  // its index among the objects the walk returned
  uint32_t count;
};

// Counts the range's objects; returns (so that QueryObjects keeps a handle to it) only the
// first object of each map. Functions share a few maps between all of them, so they are told
// apart one by one instead: those with a script, and bound ones, are the program's "Function";
// those with neither are V8's own machinery (an async function's resume closure, a promise's
// resolving functions), left out as the snapshot's summary leaves them out.
class CensusPredicate final : public v8::QueryObjectPredicate {
 public:
  CensusPredicate(v8::HeapProfiler* profiler, const IdRanges& ranges) : profiler_(profiler), ranges_(ranges) {}

  bool Filter(v8::Local<v8::Object> object) override {
    if (!ranges_.Contains(profiler_->GetObjectId(object))) return false;
    counted_++;
    if (object->IsFunction()) {
      v8::Local<v8::Function> function = object.As<v8::Function>();
      if (function->ScriptId() != v8::UnboundScript::kNoScriptId || !function->GetBoundFunction()->IsUndefined()) {
        functions_++;
      }
      return false;
    }
    auto [entry, first] = by_map_.try_emplace(MapAddressOf(object), MapCount{returned_, 0});
    entry->second.count++;
    if (!first) return false;
    returned_++;
    return true;
  }

  uint32_t counted() const { return counted_; }
  uint32_t functions() const { return functions_; }
  const std::unordered_map<Address, MapCount>& by_map() const { return by_map_; }

 private:
  v8::HeapProfiler* profiler_;
  const IdRanges& ranges_;
  std::unordered_map<Address, MapCount> by_map_;
  size_t returned_ = 0;
  uint32_t counted_ = 0;
  uint32_t functions_ = 0;
};

std::string Utf8(v8::Isolate* isolate, v8::Local<v8::Value> value) {
  v8::String::Utf8Value text(isolate, value);
  return *text != nullptr ? std::string(*text, text.length()) : std::string();
}

v8::Local<v8::Value> PrototypeOf(v8::Local<v8::Object> object) {
#if V8_MAJOR_VERSION >= 13
  return object->GetPrototypeV2();
#else
  return object->GetPrototype();
#endif
}

// The script of the object's constructor, as the snapshot's summary qualifies a type by it:
// the prototype's own "constructor", when it is a plain data property holding a function of
// the name the object goes by. Proxies, accessors and inherited properties are never read, so
// no JavaScript runs; where there is no such constructor the type goes unqualified.
std::string ConstructorScript(v8::Isolate* isolate, v8::Local<v8::Context> context, v8::Local<v8::Object> object,
                              const std::string& name) {
  v8::Local<v8::Value> prototype = PrototypeOf(object);
  if (prototype.IsEmpty() || !prototype->IsObject() || prototype->IsProxy()) return {};
  v8::Local<v8::Object> holder = prototype.As<v8::Object>();
  v8::Local<v8::String> key = v8::String::NewFromUtf8Literal(isolate, "constructor", v8::NewStringType::kInternalized);
  if (holder->HasRealNamedProperty(context, key).FromMaybe(false) == false) return {};
  if (holder->HasRealNamedCallbackProperty(context, key).FromMaybe(true)) return {};
  v8::Local<v8::Value> constructor;
  if (!holder->GetRealNamedProperty(context, key).ToLocal(&constructor) || !constructor->IsFunction()) return {};
  v8::Local<v8::Function> function = constructor.As<v8::Function>();
  if (Utf8(isolate, function->GetDebugName()) != name) return {};
  v8::Local<v8::Value> resource = function->GetScriptOrigin().ResourceName();
  return !resource.IsEmpty() && resource->IsString() ? Utf8(isolate, resource) : std::string();
}

struct TypeRow {
  std::string name;
  std::string script;
  uint32_t count;
};

}  // namespace

Napi::Value CountObjectTypes(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  IdRanges ranges = IdRanges::FromArguments(info, 0);
  ranges.ExcludeIds(info, 3);
  v8::Isolate* isolate = v8::Isolate::GetCurrent();
  v8::HandleScope scope(isolate);
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  v8::HeapProfiler* profiler = isolate->GetHeapProfiler();
  CensusPredicate predicate(profiler, ranges);
  std::vector<v8::Global<v8::Object>> representatives;
  if (!ranges.empty()) profiler->QueryObjects(context, &predicate, &representatives);

  // Maps of one type (an object that grew a property has a new map) become one row.
  std::vector<TypeRow> rows;
  std::unordered_map<std::string, size_t> row_of;
  for (const auto& [map, entry] : predicate.by_map()) {
    if (entry.representative >= representatives.size()) continue;
    v8::Local<v8::Object> object = representatives[entry.representative].Get(isolate);
    std::string name = Utf8(isolate, object->GetConstructorName());
    if (name.empty()) name = "Object";
    std::string script = ConstructorScript(isolate, context, object, name);
    std::string key = name + '\0' + script;
    auto [found, added] = row_of.try_emplace(std::move(key), rows.size());
    if (added) rows.push_back(TypeRow{std::move(name), std::move(script), 0});
    rows[found->second].count += entry.count;
  }
  for (auto& object : representatives) object.Reset();

  Napi::Array list = Napi::Array::New(env, rows.size() + (predicate.functions() > 0 ? 1 : 0));
  uint32_t index = 0;
  for (const TypeRow& row : rows) {
    Napi::Object item = Napi::Object::New(env);
    item.Set("kind", "object");
    item.Set("name", row.name);
    item.Set("script", row.script);
    item.Set("count", static_cast<double>(row.count));
    list.Set(index++, item);
  }
  if (predicate.functions() > 0) {
    Napi::Object item = Napi::Object::New(env);
    item.Set("kind", "function");
    item.Set("name", "Function");
    item.Set("script", "");
    item.Set("count", static_cast<double>(predicate.functions()));
    list.Set(index++, item);
  }
  Napi::Object result = Napi::Object::New(env);
  result.Set("rows", list);
  result.Set("objects", static_cast<double>(predicate.counted()));
  return result;
}

}  // namespace memalot

// Finding live objects by their heap object IDs, for the parts of a report that need the
// object itself (its string form, a function's source location).
//
// V8's FindObjectById walks the whole heap on every call; QueryObjects walks it once and
// offers every JavaScript object to a predicate. So one walk captures all a report can need:
// the objects of the period being reported (the leaked objects are among them) and every
// function (a referrer graph names functions with their source location). They are held by
// weak handles, taken before the snapshot, until the report is done. Strings and numbers are not JavaScript objects
// and are not found this way (their contents come from the snapshot).
//
// QueryObjects collects garbage first and clears V8's feedback vectors, so code runs a little
// slower for a while afterwards, until V8 has re-optimised it.
#pragma once

#include <napi.h>
#include <v8-persistent-handle.h>
#include <v8-profiler.h>

#include <cstddef>
#include <unordered_map>
#include <vector>

#include "id_ranges.h"

namespace memalot {

class CapturedObjects {
 public:
  // At most `limit` objects of `ranges`, and every function.
  CapturedObjects(v8::Isolate* isolate, const IdRanges& ranges, size_t limit);
  ~CapturedObjects();

  size_t in_range() const { return in_range_; }
  bool Contains(v8::SnapshotObjectId id) const { return by_id_.count(id) != 0; }
  // The object, or an empty handle.
  v8::Local<v8::Object> Find(v8::Isolate* isolate, v8::SnapshotObjectId id) const;

 private:
  std::vector<v8::Global<v8::Object>> objects_;
  std::unordered_map<v8::SnapshotObjectId, size_t> by_id_;
  size_t in_range_ = 0;
};

// findObjects(ids) -> an array as long as ids: each the live object, or undefined (one
// QueryObjects walk; reports use CapturedObjects instead, which runs beside the analysis).
Napi::Value FindObjects(const Napi::CallbackInfo& info);

// functionLocation(fn) -> { script, line, column } (1-based) or null when the function has no
// script position (a built-in or bound function).
Napi::Value FunctionLocation(const Napi::CallbackInfo& info);

// Node-API's napi_value is a v8::Local under another name (node's own js_native_api_v8.h
// converts them the same way); the profiler's API takes and gives Locals.
napi_value ToNapiValue(v8::Local<v8::Value> local);

}  // namespace memalot

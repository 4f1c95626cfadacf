// Reading a heap object ID (V8's SnapshotObjectId, a uint32) from a JavaScript argument.
#pragma once

#include <napi.h>
#include <v8-profiler.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

namespace memalot {

inline v8::SnapshotObjectId ObjectIdArgument(const Napi::CallbackInfo& info, size_t index,
                                             const char* name) {
  if (info.Length() <= index || !info[index].IsNumber()) {
    throw Napi::TypeError::New(info.Env(), std::string(name) + " must be an object ID (a number)");
  }
  double value = info[index].As<Napi::Number>().DoubleValue();
  if (!(value >= 0 && value <= 4294967295.0) ||
      value != static_cast<double>(static_cast<uint32_t>(value))) {
    throw Napi::RangeError::New(info.Env(),
                                std::string(name) + " must be an integer from 0 to 4294967295");
  }
  return static_cast<v8::SnapshotObjectId>(value);
}

// An array of object IDs, every one read and checked before any work starts. `what` names the
// argument in errors, as "complete(): objectIds".
inline std::vector<v8::SnapshotObjectId> ObjectIdList(Napi::Env env, Napi::Value value, const char* what) {
  if (!value.IsArray()) throw Napi::TypeError::New(env, std::string(what) + " must be an array of object IDs");
  Napi::Array ids = value.As<Napi::Array>();
  std::vector<v8::SnapshotObjectId> list(ids.Length());
  for (uint32_t i = 0; i < ids.Length(); i++) {
    Napi::Value id = ids[i];
    if (!id.IsNumber()) {
      throw Napi::TypeError::New(env, std::string(what) + " must hold object IDs, which are numbers (item " +
                                          std::to_string(i) + " is not)");
    }
    const double number = id.As<Napi::Number>().DoubleValue();
    if (!(number >= 0 && number <= 4294967295.0) || number != std::floor(number)) {
      throw Napi::RangeError::New(env, std::string(what) + " must hold object IDs, integers from 0 to 4294967295 (item " +
                                           std::to_string(i) + " is not)");
    }
    list[i] = static_cast<v8::SnapshotObjectId>(number);
  }
  return list;
}

}  // namespace memalot

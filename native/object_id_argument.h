// Reading a heap object ID (V8's SnapshotObjectId, a uint32) from a JavaScript argument.
#pragma once

#include <napi.h>
#include <v8-profiler.h>

#include <cstdint>
#include <string>

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

}  // namespace memalot

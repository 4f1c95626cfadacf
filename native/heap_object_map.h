// The hidden class (map) of a JavaScript object, read straight from its first word.
//
// A heap walk such as QueryObjects offers objects one at a time with no JavaScript allowed;
// grouping them by map costs one load, where asking for the map through the API would cost a
// handle and a call. This is what v8-internal.h's own inline accessors (Value::IsString) do.
#pragma once

#include <v8-internal.h>
#include <v8-local-handle.h>
#include <v8-object.h>

namespace memalot {

inline v8::internal::Address MapAddressOf(v8::Local<v8::Object> object) {
  const v8::internal::Address address = v8::internal::ValueHelper::ValueAsAddress(*object);
  return v8::internal::Internals::ReadTaggedPointerField(address, v8::internal::Internals::kHeapObjectMapOffset);
}

}  // namespace memalot

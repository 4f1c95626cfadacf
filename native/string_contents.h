// The contents of a string node of a heap snapshot, as the program sees the string.
//
// A snapshot names a flat string by its characters (the first 1024 of them: V8's
// --heap-snapshot-string-limit), but a concatenated one ('a' + b, built lazily as a tree of
// parts) only "(concatenated string)" and a sliced one (a view into a longer string, as
// slice() and substring() may give) "(sliced string)". A concatenated string's text is read
// from its parts ("first" and "second" edges, left to right, a DAG when a part is reused); a
// sliced string's offset is not in the snapshot, so it, and a string with a part that may
// have been cut at the snapshot's limit, is read from the live string instead (one walk of
// the heap, by FindObjectById: done only for those).
#pragma once

#include <napi.h>
#include <v8-profiler.h>

#include <cstdint>
#include <optional>

namespace memalot {

struct StringContents {
  // At most max_length + 1 characters from the start (one more than shown, so that a cut is
  // known to be needed); the whole string when it is that short.
  Napi::String prefix;
  // The whole string's length in UTF-16 code units.
  double length = 0;
};

// The contents of `node`, a string node of a live snapshot; nullopt when they cannot be known
// (the live string has gone). Runs no JavaScript.
std::optional<StringContents> ReadStringContents(Napi::Env env, v8::Isolate* isolate, const v8::HeapGraphNode* node,
                                                 uint32_t max_length);

}  // namespace memalot

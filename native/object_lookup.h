// Finding live objects by their heap object IDs, for the parts of a report that need the
// object itself (its string form, a function's source location).
//
// V8's FindObjectById walks the whole heap on every call; QueryObjects walks it once and
// offers every JavaScript object to a predicate, which here checks the object's ID against
// the set wanted: one walk finds all the objects of a report. Strings and numbers are not
// JavaScript objects and are not found this way (their contents come from the snapshot).
//
// QueryObjects collects garbage first and clears V8's feedback vectors, so code runs a little
// slower for a while afterwards, until V8 has re-optimised it; and it takes about twice as long
// while a heap snapshot is alive (measured on Node 20 with a 50 MB heap), so a report frees
// its snapshot before it looks objects up.
#pragma once

#include <napi.h>
#include <v8-profiler.h>

namespace memalot {

// findObjects(ids) -> an array as long as ids: each the live object, or undefined.
Napi::Value FindObjects(const Napi::CallbackInfo& info);

// functionLocation(fn) -> { script, line, column } (1-based) or null when the function has no
// script position (a built-in or bound function).
Napi::Value FunctionLocation(const Napi::CallbackInfo& info);

}  // namespace memalot

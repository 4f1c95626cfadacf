// Finding live objects by their heap object IDs, for the parts of a report that need the
// object itself (its string form, a function's source location).
//
// V8's FindObjectById walks the whole heap on every call; QueryObjects walks it once and
// offers every JavaScript object to a predicate, which here checks the object's ID against
// the set wanted: one walk finds all the objects of a report. Strings and numbers are not
// JavaScript objects and are not found this way (their contents come from the snapshot).
//
// QueryObjects collects garbage first and clears V8's feedback vectors, so code runs a little
// slower for a while afterwards, until V8 has re-optimised it. On the isolate's own thread it
// takes about twice as long while a heap snapshot is alive (measured on Node 20 with a 50 MB
// heap: malloc is slow in an arena the snapshot fragmented), so a report runs it on a helper
// thread (isolate_handoff.h) while it frees the snapshot.
#pragma once

#include <napi.h>
#include <v8-profiler.h>

#include <unordered_map>
#include <vector>

namespace memalot {

// The live JavaScript objects with these IDs, by ID (strings and numbers are never found), in
// one QueryObjects. Needs the isolate held and a context entered; runs no JavaScript.
// `map_ids`, when it gives each object's hidden class (map) ID from a snapshot, lets the walk
// pass over objects of other maps cheaply; an object then not found is looked for again in a
// second walk that checks every object.
std::unordered_map<v8::SnapshotObjectId, v8::Global<v8::Object>> LookUpObjects(
    v8::Isolate* isolate, const std::vector<v8::SnapshotObjectId>& ids, const std::vector<v8::SnapshotObjectId>& map_ids);

// The object of each ID as a JavaScript value (undefined where not found), in an array as long
// as `ids`; releases the handles of `found`.
Napi::Array ObjectsArray(Napi::Env env, const std::vector<v8::SnapshotObjectId>& ids,
                         std::unordered_map<v8::SnapshotObjectId, v8::Global<v8::Object>>& found);

// findObjects(ids) -> an array as long as ids: each the live object, or undefined.
Napi::Value FindObjects(const Napi::CallbackInfo& info);

// functionLocation(fn) -> { script, line, column } (1-based) or null when the function has no
// script position (a built-in or bound function).
Napi::Value FunctionLocation(const Napi::CallbackInfo& info);

}  // namespace memalot

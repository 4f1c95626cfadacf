// Two cores for a report: V8 work on a helper thread that holds the isolate, while this thread
// does work that needs no V8 at all.
//
// A report has two long steps that V8 must run on the isolate (naming a snapshot's types, and
// QueryObjects, which walks the whole heap) and two that only read memory memalot or the
// snapshot owns (indexing the graph; dominators, and freeing the snapshot). V8's own way to
// move an isolate between threads is v8::Locker and v8::Unlocker: Node.js's main thread and
// its workers hold their isolate's Locker, so this thread can let go of it (Unlocker) while a
// helper takes it (Locker), and take it back once the helper is done. The program's
// JavaScript cannot run meanwhile: this thread is still inside memalot's native call.
//
// It also keeps QueryObjects fast while a snapshot is alive: the walk allocates millions of
// small blocks, and in the helper they come from the helper's own malloc arena instead of the
// main one, which a snapshot leaves fragmented (there, the walk took twice as long).
#pragma once

#include <v8-isolate.h>

#include <functional>

namespace memalot {

// Runs `with_isolate` on a helper thread that holds and has entered the isolate, in the
// isolate's current context and a HandleScope of its own (no Local may leave it), and
// `without_isolate` on this thread meanwhile; returns when both are done, rethrowing the first
// exception either threw. `without_isolate` must not touch V8's heap or handles (reading a
// snapshot's nodes and edges is fine, as is deleting a snapshot).
//
// Where the isolate is not held through a Locker (an embedder that never made one), or no
// thread can be started, both run on this thread: `without_isolate` first. Each is told
// whether the other runs alongside it, so that work shared between them is never waited for
// in vain.
void RunAlongside(v8::Isolate* isolate, const std::function<void(bool alongside)>& with_isolate,
                  const std::function<void(bool alongside)>& without_isolate);

}  // namespace memalot

#include "isolate_handoff.h"

#include <v8-context.h>
#include <v8-locker.h>
#include <v8-persistent-handle.h>

#include <exception>
#include <system_error>
#include <thread>

namespace memalot {

void RunAlongside(v8::Isolate* isolate, const std::function<void(bool alongside)>& with_isolate,
                  const std::function<void(bool alongside)>& without_isolate) {
  if (!v8::Locker::IsLocked(isolate)) {
    without_isolate(false);
    with_isolate(false);
    return;
  }
  v8::Global<v8::Context> context(isolate, isolate->GetCurrentContext());
  std::exception_ptr helper_error;
  std::exception_ptr own_error;
  bool started = false;
  {
    v8::Unlocker unlocker(isolate);
    std::thread helper;
    try {
      helper = std::thread([&] {
        try {
          v8::Locker locker(isolate);
          v8::Isolate::Scope isolate_scope(isolate);
          v8::HandleScope handles(isolate);
          v8::Local<v8::Context> local = context.Get(isolate);
          v8::Context::Scope context_scope(local);
          with_isolate(true);
        } catch (...) {
          helper_error = std::current_exception();
        }
        // V8 keeps data for each thread that has entered the isolate until the isolate goes:
        // without this, every report would leave its helpers' behind.
        isolate->DiscardThreadSpecificMetadata();
      });
      started = true;
    } catch (const std::system_error&) {
      // No thread to be had: the isolate's work is done below, once it is ours again.
    }
    try {
      without_isolate(started);
    } catch (...) {
      own_error = std::current_exception();
    }
    if (helper.joinable()) helper.join();
  }
  context.Reset();
  if (!started && own_error == nullptr) with_isolate(false);
  if (own_error != nullptr) std::rethrow_exception(own_error);
  if (helper_error != nullptr) std::rethrow_exception(helper_error);
}

}  // namespace memalot

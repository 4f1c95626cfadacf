// Every entry point from JavaScript runs through Guarded: no C++ exception leaves the addon.
//
// node-addon-api turns a C++ exception into a JavaScript one, but when the thread is being
// terminated (worker.terminate(), process.exit() while a worker takes a snapshot) the hand-over
// itself fails, node-addon-api throws again from its catch block, and std::terminate aborts the
// whole process (SIGABRT). A call that can no longer reach JavaScript must give up quietly: the
// thread is going away and nobody is left to tell.
#ifndef MEMALOT_HOST_GUARD_H_
#define MEMALOT_HOST_GUARD_H_

#include <napi.h>
#include <v8-isolate.h>

#include <exception>

namespace memalot {

namespace guard_detail {

// True when JavaScript cannot be reached any more, or an exception is already on its way.
inline bool CannotThrow(napi_env env) {
  v8::Isolate* isolate = v8::Isolate::GetCurrent();
  if (isolate == nullptr || isolate->IsExecutionTerminating()) return true;
  bool pending = false;
  return napi_is_exception_pending(env, &pending) != napi_ok || pending;
}

// Hands an error to JavaScript when it can be; otherwise drops it. Never throws.
inline void ThrowQuietly(napi_env env, const char* message, napi_value error) noexcept {
  try {
    if (CannotThrow(env)) return;
    if (error == nullptr) {
      napi_value text = nullptr;
      if (napi_create_string_utf8(env, message, NAPI_AUTO_LENGTH, &text) != napi_ok) return;
      if (napi_create_error(env, nullptr, text, &error) != napi_ok) return;
    }
    napi_throw(env, error);  // a failure here means the thread is ending: nothing more to do
  } catch (...) {
  }
}

}  // namespace guard_detail

// Runs body(); whatever it throws becomes a JavaScript exception, or nothing at all when the
// thread can no longer run JavaScript. Returns an empty value after a failure (Node-API's
// "an exception is pending").
template <typename Body>
napi_value GuardCall(napi_env env, Body&& body) noexcept {
  try {
    try {
      return body();
    } catch (const Napi::Error& error) {
      // The error's own value when it has one: its message is a JavaScript property, which
      // may not be readable any more.
      if (!error.IsEmpty()) {
        guard_detail::ThrowQuietly(env, "", error.Value());
      } else {
        guard_detail::ThrowQuietly(env, "memalot: a native error", nullptr);
      }
    } catch (const std::exception& error) {
      guard_detail::ThrowQuietly(env, error.what(), nullptr);
    } catch (...) {
      guard_detail::ThrowQuietly(env, "memalot: a native error", nullptr);
    }
  } catch (...) {
    // Reading the error itself failed (its message is a JavaScript property).
  }
  return nullptr;
}

// A free function, guarded: Napi::Function::New<Guarded<Fn>>(env, name).
template <Napi::Value (*Fn)(const Napi::CallbackInfo&)>
Napi::Value Guarded(const Napi::CallbackInfo& info) {
  napi_env env = info.Env();
  return Napi::Value(env, GuardCall(env, [&]() -> napi_value { return Fn(info); }));
}

}  // namespace memalot

#endif  // MEMALOT_HOST_GUARD_H_

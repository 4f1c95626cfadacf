// Writing a report file whole or not at all, in one native call.
//
// The JavaScript form (create the temporary file, write, fsync, rename: lib/storage/
// atomic-write.ts) runs JavaScript between its steps, and worker.terminate() stops a worker at
// any such point: a worker terminated between the write and the rename left its temporary file
// behind for as long as the process lived (its pid alive, so no later report removed it). Here
// the steps run with no JavaScript between them: a termination waits for the call to return,
// by which time the file has been renamed into place, or removed.
#pragma once

#include <napi.h>

namespace memalot {

// writeFileAtomic(temporaryPath, path, text): creates temporaryPath (O_EXCL | O_NOFOLLOW, mode
// 0600 whatever the umask), writes text as UTF-8, fsyncs, renames it to path; on any failure
// removes temporaryPath and throws an Error with the system's message and `code` (e.g.
// "EEXIST", "ENOSPC").
Napi::Value WriteFileAtomic(const Napi::CallbackInfo& info);

}  // namespace memalot

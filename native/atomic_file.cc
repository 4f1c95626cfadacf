#include "atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

namespace memalot {

namespace {

constexpr mode_t kPrivateFileMode = 0600;

const char* ErrnoCode(int error) {
  switch (error) {
    case EEXIST: return "EEXIST";
    case ENOENT: return "ENOENT";
    case EACCES: return "EACCES";
    case EPERM: return "EPERM";
    case ELOOP: return "ELOOP";
    case ENOSPC: return "ENOSPC";
    case EDQUOT: return "EDQUOT";
    case EROFS: return "EROFS";
    case EISDIR: return "EISDIR";
    case ENOTDIR: return "ENOTDIR";
    case EIO: return "EIO";
    default: return "EIO";
  }
}

// Node's own form: "ENOSPC: no space left on device, write '/path'".
[[noreturn]] void ThrowErrno(Napi::Env env, int error, const char* step, const std::string& path) {
  Napi::Error failure = Napi::Error::New(env, std::string(ErrnoCode(error)) + ": " + std::strerror(error) + ", " + step + " '" + path + "'");
  failure.Set("code", ErrnoCode(error));
  failure.Set("errno", Napi::Number::New(env, -error));
  failure.Set("syscall", step);
  failure.Set("path", path);
  throw failure;
}

bool WriteAll(int fd, const std::string& text) {
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t written = write(fd, text.data() + done, text.size() - done);
    if (written < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    done += static_cast<size_t>(written);
  }
  return true;
}

}  // namespace

Napi::Value WriteFileAtomic(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 3 || !info[0].IsString() || !info[1].IsString() || !info[2].IsString()) {
    throw Napi::TypeError::New(env, "writeFileAtomic takes (temporaryPath, path, text), three strings");
  }
  const std::string temporary = info[0].As<Napi::String>().Utf8Value();
  const std::string path = info[1].As<Napi::String>().Utf8Value();
  const std::string text = info[2].As<Napi::String>().Utf8Value();
  const int fd = open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, kPrivateFileMode);
  if (fd < 0) ThrowErrno(env, errno, "open", temporary);
  const char* failed = nullptr;
  if (fchmod(fd, kPrivateFileMode) != 0) {
    failed = "fchmod";
  } else if (!WriteAll(fd, text)) {
    failed = "write";
  } else if (fsync(fd) != 0) {
    failed = "fsync";
  }
  int error = errno;
  if (close(fd) != 0 && failed == nullptr) {
    failed = "close";
    error = errno;
  }
  if (failed == nullptr && rename(temporary.c_str(), path.c_str()) != 0) {
    failed = "rename";
    error = errno;
  }
  if (failed != nullptr) {
    unlink(temporary.c_str());
    ThrowErrno(env, error, failed, failed == std::string("rename") ? path : temporary);
  }
  return env.Undefined();
}

}  // namespace memalot

// A set of heap object IDs given as ranges (after, upTo], the form epochs take: one range
// for a period or a call, minus the "holes" in which memalot itself was reporting.
#pragma once

#include <napi.h>
#include <v8-profiler.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "object_id_argument.h"

namespace memalot {

class IdRanges {
 public:
  // Reads (afterId, upToId[, holes]) from info[first...]: holes is an array of
  // [afterId, upToId, afterId, upToId, ...] ranges to leave out.
  static IdRanges FromArguments(const Napi::CallbackInfo& info, size_t first) {
    IdRanges ranges;
    v8::SnapshotObjectId after = ObjectIdArgument(info, first, "afterId");
    v8::SnapshotObjectId up_to = ObjectIdArgument(info, first + 1, "upToId");
    std::vector<std::pair<v8::SnapshotObjectId, v8::SnapshotObjectId>> holes;
    if (info.Length() > first + 2 && !info[first + 2].IsUndefined()) {
      if (!info[first + 2].IsArray()) {
        throw Napi::TypeError::New(info.Env(), "holes must be an array of [afterId, upToId, ...] pairs");
      }
      Napi::Array flat = info[first + 2].As<Napi::Array>();
      if (flat.Length() % 2 != 0) {
        throw Napi::TypeError::New(info.Env(), "holes must hold an even number of IDs");
      }
      for (uint32_t i = 0; i < flat.Length(); i += 2) {
        Napi::Value lo = flat[i], hi = flat[i + 1];
        if (!lo.IsNumber() || !hi.IsNumber()) {
          throw Napi::TypeError::New(info.Env(), "holes must hold object IDs (numbers)");
        }
        holes.emplace_back(lo.As<Napi::Number>().Uint32Value(), hi.As<Napi::Number>().Uint32Value());
      }
    }
    std::sort(holes.begin(), holes.end());
    v8::SnapshotObjectId cursor = after;
    for (const auto& [hole_after, hole_up_to] : holes) {
      if (hole_up_to <= cursor || hole_after >= up_to) continue;
      if (hole_after > cursor) ranges.included_.emplace_back(cursor, hole_after);
      cursor = std::max(cursor, hole_up_to);
    }
    if (cursor < up_to) ranges.included_.emplace_back(cursor, up_to);
    return ranges;
  }

  // Reads an optional array of single IDs to leave out (objects memalot itself holds).
  void ExcludeIds(const Napi::CallbackInfo& info, size_t index) {
    if (info.Length() <= index || info[index].IsUndefined()) return;
    if (!info[index].IsArray()) {
      throw Napi::TypeError::New(info.Env(), "excludedIds must be an array of object IDs");
    }
    Napi::Array ids = info[index].As<Napi::Array>();
    for (uint32_t i = 0; i < ids.Length(); i++) {
      Napi::Value id = ids[i];
      if (!id.IsNumber()) throw Napi::TypeError::New(info.Env(), "excludedIds must hold object IDs (numbers)");
      excluded_.push_back(id.As<Napi::Number>().Uint32Value());
    }
    std::sort(excluded_.begin(), excluded_.end());
  }

  bool Contains(v8::SnapshotObjectId id) const {
    if (!excluded_.empty() && std::binary_search(excluded_.begin(), excluded_.end(), id)) return false;
    // The first range whose upper end is at least id.
    auto it = std::lower_bound(included_.begin(), included_.end(), id,
                               [](const auto& range, v8::SnapshotObjectId value) { return range.second < value; });
    return it != included_.end() && id > it->first;
  }

  bool IsExcluded(v8::SnapshotObjectId id) const {
    return !excluded_.empty() && std::binary_search(excluded_.begin(), excluded_.end(), id);
  }

  bool empty() const { return included_.empty(); }

  // The ranges (after, upTo] left once the holes are taken out, in order.
  const std::vector<std::pair<v8::SnapshotObjectId, v8::SnapshotObjectId>>& included() const { return included_; }

 private:
  std::vector<std::pair<v8::SnapshotObjectId, v8::SnapshotObjectId>> included_;  // (after, upTo]
  std::vector<v8::SnapshotObjectId> excluded_;
};

}  // namespace memalot

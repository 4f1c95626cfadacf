#include "allocation_sites.h"

#include <v8-isolate.h>

#include <algorithm>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace memalot {

namespace {

uint64_t HighestSampleId(v8::AllocationProfile& profile) {
  uint64_t highest = 0;
  for (const v8::AllocationProfile::Sample& sample : profile.GetSamples()) highest = std::max(highest, sample.sample_id);
  return highest;
}

std::string Utf8(v8::Isolate* isolate, v8::Local<v8::String> text) {
  if (text.IsEmpty()) return {};
  v8::String::Utf8Value utf8(isolate, text);
  return *utf8 == nullptr ? std::string() : std::string(*utf8, utf8.length());
}

}  // namespace

bool AllocationSampler::Start(v8::Isolate* isolate, uint64_t interval_bytes, int stack_depth) {
  if (sampling_) return true;
  // Default flags: only samples of objects still alive are kept, which is all a leak needs.
  if (!isolate->GetHeapProfiler()->StartSamplingHeapProfiler(interval_bytes, stack_depth)) return false;
  marks_.clear();
  sampling_ = true;
  return true;
}

void AllocationSampler::NoteBoundary(v8::Isolate* isolate, v8::SnapshotObjectId last_object_id) {
  if (!sampling_) return;
  v8::HandleScope scope(isolate);
  std::unique_ptr<v8::AllocationProfile> profile(isolate->GetHeapProfiler()->GetAllocationProfile());
  if (profile == nullptr) return;
  marks_[last_object_id] = HighestSampleId(*profile);
}

uint64_t AllocationSampler::MarkOf(v8::SnapshotObjectId boundary) const {
  // A boundary from before sampling began has no mark: every sample is after it.
  auto it = marks_.upper_bound(boundary);
  return it == marks_.begin() ? 0 : std::prev(it)->second;
}

Napi::Array AllocationSampler::Sites(Napi::Env env, v8::Isolate* isolate, const IdRanges& ranges,
                                     uint32_t max_frames) const {
  Napi::Array sites = Napi::Array::New(env);
  if (!sampling_) return sites;
  std::vector<std::pair<uint64_t, uint64_t>> sample_ranges;  // (after, upTo]
  for (const auto& [after, up_to] : ranges.included()) sample_ranges.emplace_back(MarkOf(after), MarkOf(up_to));
  v8::HandleScope scope(isolate);
  std::unique_ptr<v8::AllocationProfile> profile(isolate->GetHeapProfiler()->GetAllocationProfile());
  if (profile == nullptr) return sites;
  // Samples of the ranges, by node and size.
  struct Tally {
    uint64_t scaled = 0;   // V8's count: the objects the samples stand for
    uint64_t samples = 0;  // how many samples
  };
  std::map<std::pair<uint32_t, size_t>, Tally> counts;
  for (const v8::AllocationProfile::Sample& sample : profile->GetSamples()) {
    for (const auto& [after, up_to] : sample_ranges) {
      if (sample.sample_id > after && sample.sample_id <= up_to) {
        Tally& tally = counts[{sample.node_id, sample.size}];
        tally.scaled += sample.count;
        tally.samples++;
        break;
      }
    }
  }
  if (counts.empty()) return sites;
  // Each node's parent, to walk a stack outwards from where the allocation happened.
  std::unordered_map<uint32_t, std::pair<const v8::AllocationProfile::Node*, const v8::AllocationProfile::Node*>> nodes;
  std::vector<const v8::AllocationProfile::Node*> pending{profile->GetRootNode()};
  nodes[profile->GetRootNode()->node_id] = {profile->GetRootNode(), nullptr};
  while (!pending.empty()) {
    const v8::AllocationProfile::Node* node = pending.back();
    pending.pop_back();
    for (const v8::AllocationProfile::Node* child : node->children) {
      nodes[child->node_id] = {child, node};
      pending.push_back(child);
    }
  }
  const v8::AllocationProfile::Node* root = profile->GetRootNode();
  uint32_t index = 0;
  for (const auto& [key, count] : counts) {
    Napi::Array frames = Napi::Array::New(env);
    uint32_t depth = 0;
    auto found = nodes.find(key.first);
    const v8::AllocationProfile::Node* node = found == nodes.end() ? nullptr : found->second.first;
    while (node != nullptr && node != root && depth < max_frames) {
      Napi::Object frame = Napi::Object::New(env);
      frame.Set("functionName", Utf8(isolate, node->name));
      frame.Set("script", Utf8(isolate, node->script_name));
      frame.Set("line", node->line_number);
      frame.Set("column", node->column_number);
      frames.Set(depth++, frame);
      node = nodes[node->node_id].second;
    }
    Napi::Object site = Napi::Object::New(env);
    site.Set("frames", frames);
    site.Set("size", static_cast<double>(key.second));
    site.Set("samples", static_cast<double>(count.scaled));
    site.Set("sampleCount", static_cast<double>(count.samples));
    sites.Set(index++, site);
  }
  return sites;
}

void AllocationSampler::Stop(v8::Isolate* isolate) {
  if (!sampling_) return;
  isolate->GetHeapProfiler()->StopSamplingHeapProfiler();
  marks_.clear();
  sampling_ = false;
}

}  // namespace memalot

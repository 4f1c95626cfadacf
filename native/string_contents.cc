#include "string_contents.h"

#include <v8-isolate.h>
#include <v8-primitive.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <unordered_map>
#include <vector>

namespace memalot {

namespace {

static_assert(sizeof(napi_value) == sizeof(v8::Local<v8::Value>), "napi_value is a Local");

// The first `count` UTF-16 units of `text`, through Node-API (String::Write's signature
// differs between the V8 versions of the Node.js releases supported).
std::u16string Utf16Prefix(napi_env env, v8::Local<v8::String> text, size_t count) {
  napi_value value;
  std::memcpy(static_cast<void*>(&value), &text, sizeof(value));
  count = std::min<size_t>(count, static_cast<size_t>(text->Length()));
  std::u16string prefix(count + 1, u'\0');
  size_t copied = 0;
  if (napi_get_value_string_utf16(env, value, prefix.data(), prefix.size(), &copied) != napi_ok) copied = 0;
  prefix.resize(copied);
  return prefix;
}

// A flat part whose name is this long may have been cut by the snapshot.
constexpr int kSnapshotNameLimit = 1024;
// Distinct parts walked before giving up on the snapshot and reading the live string.
constexpr size_t kMaxParts = 1'000'000;

const v8::HeapGraphNode* Part(const v8::HeapGraphNode* node, const char* edge_name) {
  for (int i = 0; i < node->GetChildrenCount(); i++) {
    const v8::HeapGraphEdge* edge = node->GetChild(i);
    if (edge->GetType() != v8::HeapGraphEdge::kInternal) continue;
    v8::Local<v8::Value> name = edge->GetName();
    if (!name->IsString()) continue;
    v8::String::Utf8Value text(v8::Isolate::GetCurrent(), name);
    if (*text != nullptr && std::strcmp(*text, edge_name) == 0) return edge->GetToNode();
  }
  return nullptr;
}

// The parts of a concatenated string in order, as the snapshot has them.
class SnapshotReader {
 public:
  SnapshotReader(napi_env env, uint32_t max_length) : env_(env), wanted_(max_length + 1.0) {}

  // False when the snapshot cannot tell (a sliced part, a part maybe cut, too many parts).
  bool Read(const v8::HeapGraphNode* root) {
    if (!Length(root)) return false;
    total_ = lengths_[root];
    Collect(root);
    return true;
  }

  double total() const { return total_; }
  const std::u16string& prefix() const { return prefix_; }

 private:
  // Every part's length, memoised (a reused part is walked once), without recursion: a
  // string built by a loop of `s += x` is a tree as deep as the loop ran.
  bool Length(const v8::HeapGraphNode* root) {
    std::vector<const v8::HeapGraphNode*> stack{root};
    while (!stack.empty()) {
      const v8::HeapGraphNode* node = stack.back();
      if (lengths_.count(node) != 0) {
        stack.pop_back();
        continue;
      }
      if (lengths_.size() >= kMaxParts) return false;
      const v8::HeapGraphNode::Type type = node->GetType();
      if (type == v8::HeapGraphNode::kString) {
        v8::Local<v8::String> name = node->GetName();
        if (name->Length() >= kSnapshotNameLimit) return false;
        lengths_[node] = name->Length();
        stack.pop_back();
        continue;
      }
      if (type != v8::HeapGraphNode::kConsString) return false;
      const v8::HeapGraphNode* first = Part(node, "first");
      const v8::HeapGraphNode* second = Part(node, "second");
      if (first == nullptr || second == nullptr) return false;
      auto a = lengths_.find(first);
      auto b = lengths_.find(second);
      if (a != lengths_.end() && b != lengths_.end()) {
        lengths_[node] = a->second + b->second;
        stack.pop_back();
        continue;
      }
      if (a == lengths_.end()) stack.push_back(first);
      if (b == lengths_.end()) stack.push_back(second);
    }
    return true;
  }

  // The first `wanted_` characters, left to right.
  void Collect(const v8::HeapGraphNode* root) {
    std::vector<const v8::HeapGraphNode*> stack{root};
    while (!stack.empty() && prefix_.size() < wanted_) {
      const v8::HeapGraphNode* node = stack.back();
      stack.pop_back();
      if (node->GetType() == v8::HeapGraphNode::kString) {
        prefix_.append(Utf16Prefix(env_, node->GetName(), static_cast<size_t>(wanted_) - prefix_.size()));
        continue;
      }
      stack.push_back(Part(node, "second"));
      stack.push_back(Part(node, "first"));
    }
  }

  napi_env env_;
  const double wanted_;
  std::unordered_map<const v8::HeapGraphNode*, double> lengths_;
  std::u16string prefix_;
  double total_ = 0;
};

}  // namespace

std::optional<StringContents> ReadStringContents(Napi::Env env, v8::Isolate* isolate, const v8::HeapGraphNode* node,
                                                 uint32_t max_length) {
  SnapshotReader reader(env, max_length);
  if (reader.Read(node)) {
    return StringContents{Napi::String::New(env, reader.prefix()), reader.total()};
  }
  v8::HandleScope scope(isolate);
  v8::Local<v8::Value> live = isolate->GetHeapProfiler()->FindObjectById(node->GetId());
  if (live.IsEmpty() || !live->IsString()) return std::nullopt;
  v8::Local<v8::String> text = live.As<v8::String>();
  const int length = text->Length();
  const int wanted = static_cast<int>(std::min<double>(length, max_length + 1.0));
  return StringContents{Napi::String::New(env, Utf16Prefix(env, text, wanted)), static_cast<double>(length)};
}

}  // namespace memalot

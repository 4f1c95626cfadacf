#include "heap_graph.h"

#include <v8-isolate.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <unordered_map>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <vector>

#include "addon_data.h"
#include "dominators.h"
#include "graph_index.h"
#include "id_ranges.h"
#include "type_classifier.h"

namespace memalot {

namespace {

bool IsPrimitive(const v8::HeapGraphNode* node) {
  switch (node->GetType()) {
    case v8::HeapGraphNode::kString:
    case v8::HeapGraphNode::kConsString:
    case v8::HeapGraphNode::kSlicedString:
    case v8::HeapGraphNode::kHeapNumber:
    case v8::HeapGraphNode::kBigInt:
    case v8::HeapGraphNode::kSymbol:
      return true;
    default:
      return false;
  }
}

// Nodes that hold the program's data: objects (contexts of closures included), closures,
// arrays' and Maps' backing stores, regexps. Not code, hidden classes, V8's hidden
// bookkeeping, the roots, or other strings.
bool HoldsData(const v8::HeapGraphNode* node) {
  switch (node->GetType()) {
    case v8::HeapGraphNode::kObject:
    case v8::HeapGraphNode::kClosure:
    case v8::HeapGraphNode::kArray:
    case v8::HeapGraphNode::kRegExp:
      return true;
    default:
      return false;
  }
}

struct CandidateUse {
  uint32_t type;
  bool primitive;
  bool held = false;
};

// Objects may also be held from outside the JS heap: by handles (an addon's reference, a
// native module) or by embedder objects. Strings and numbers held that way are V8's own.
bool HoldsObjects(const v8::HeapGraphNode* holder) {
  v8::HeapGraphNode::Type type = holder->GetType();
  return HoldsData(holder) || type == v8::HeapGraphNode::kSynthetic || type == v8::HeapGraphNode::kNative;
}

// A candidate is the program's only if the program can still reach it once the stack unwinds,
// and something that holds the program's data refers to it. The others are V8's, or on their
// way out: the pieces of a concatenated or sliced string (V8 builds `a + b` and padEnd() as
// trees of string nodes, of which the program holds one), the literals and names that
// compiling a function interns for its code, the boilerplate objects V8 keeps in allocation
// sites for object literals, and what only the stack holds when memalot looks (such as the
// record a compiler keeps for a `using` declaration). Code compiled lazily during an epoch
// would otherwise look like a leak.
void DiscountUnheldCandidates(GraphIndex& graph,
                              std::unordered_map<const v8::HeapGraphNode*, CandidateUse>& candidates,
                              std::vector<uint64_t>& counts, std::vector<uint64_t>& sizes) {
  const std::vector<bool>& reachable = graph.ReachableWithoutStack();
  for (uint32_t i = 0; i < graph.node_count(); i++) {
    const v8::HeapGraphNode* node = graph.node(i);
    if (!reachable[i]) continue;
    if (!HoldsObjects(node)) continue;
    const bool holds_data = HoldsData(node);
    for (uint32_t e = graph.first_edge(i); e < graph.first_edge(i + 1); e++) {
      if (graph.edge_type(e) == v8::HeapGraphEdge::kWeak) continue;
      auto found = candidates.find(graph.node(graph.edge_to(e)));
      if (found == candidates.end()) continue;
      if (holds_data || !found->second.primitive) found->second.held = true;
    }
  }
  for (const auto& [node, use] : candidates) {
    if (!use.held) {
      counts[use.type]--;
      sizes[use.type] -= node->GetShallowSize();
    }
  }
}

}  // namespace

Napi::Function HeapGraph::Define(Napi::Env env) {
  return DefineClass(env, "HeapGraph",
                     {
                         InstanceMethod<&HeapGraph::SummarizeRange>("summarizeRange"),
                         InstanceMethod<&HeapGraph::RetainedSizes>("retainedSizes"),
                         InstanceMethod<&HeapGraph::Dispose>("dispose"),
                         InstanceAccessor<&HeapGraph::NodeCount>("nodeCount"),
                     });
}

Napi::Value HeapGraph::Take(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  v8::Isolate* isolate = v8::Isolate::GetCurrent();
  v8::HeapProfiler::HeapSnapshotOptions options;
  // Numeric values would add a node per number field; names are all the report needs.
  options.numerics_mode = v8::HeapProfiler::NumericsMode::kHideNumericValues;
  const v8::HeapSnapshot* snapshot = isolate->GetHeapProfiler()->TakeHeapSnapshot(options);
  if (snapshot == nullptr) {
    throw Napi::Error::New(env, "V8 could not take a heap snapshot");
  }
  auto handle = Napi::External<v8::HeapSnapshot>::New(env, const_cast<v8::HeapSnapshot*>(snapshot));
  return GetAddonData(env).heap_graph_constructor.New({handle});
}

HeapGraph::HeapGraph(const Napi::CallbackInfo& info) : Napi::ObjectWrap<HeapGraph>(info) {
  if (info.Length() != 1 || !info[0].IsExternal()) {
    throw Napi::TypeError::New(info.Env(), "HeapGraph is made by takeSnapshot(), not by new");
  }
  snapshot_ = info[0].As<Napi::External<v8::HeapSnapshot>>().Data();
}

HeapGraph::~HeapGraph() { Release(); }

GraphIndex& HeapGraph::Index(v8::Isolate* isolate) {
  if (!index_) index_ = std::make_unique<GraphIndex>(isolate, snapshot_);
  return *index_;
}

const DominatorTree& HeapGraph::Dominators(v8::Isolate* isolate) {
  if (!dominators_) {
    GraphIndex& index = Index(isolate);
    dominators_ = std::make_unique<DominatorTree>(index, index.IndexOf(snapshot_->GetRoot()));
  }
  return *dominators_;
}

void HeapGraph::Release() {
  dominators_.reset();
  index_.reset();
  if (snapshot_ != nullptr) {
    const_cast<v8::HeapSnapshot*>(snapshot_)->Delete();
    snapshot_ = nullptr;
#if defined(__GLIBC__)
    // A snapshot takes 500-600 bytes of malloc'd memory per heap object (15x a heap of small
    // objects), in many small blocks that glibc keeps after they are freed: without this, the
    // first report would leave the process hundreds of MB larger for good.
    malloc_trim(0);
#endif
  }
}

const v8::HeapSnapshot* HeapGraph::Snapshot(Napi::Env env) const {
  if (snapshot_ == nullptr) throw Napi::Error::New(env, "this heap snapshot has been disposed");
  return snapshot_;
}

Napi::Value HeapGraph::NodeCount(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), Snapshot(info.Env())->GetNodesCount());
}

Napi::Value HeapGraph::Dispose(const Napi::CallbackInfo& info) {
  Release();
  return info.Env().Undefined();
}

Napi::Value HeapGraph::SummarizeRange(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const v8::HeapSnapshot* snapshot = Snapshot(env);
  IdRanges ranges = IdRanges::FromArguments(info, 0);
  ranges.ExcludeIds(info, 3);
  v8::Isolate* isolate = v8::Isolate::GetCurrent();

  TypeClassifier classifier(isolate);
  std::vector<uint64_t> counts;
  std::vector<uint64_t> sizes;
  // In-range candidates, to find those that are not the program's (below).
  std::unordered_map<const v8::HeapGraphNode*, CandidateUse> candidates;
  const int node_count = snapshot->GetNodesCount();
  constexpr int kBatch = 4096;  // handles made by GetName() are freed once per batch
  for (int start = 0; start < node_count; start += kBatch) {
    v8::HandleScope scope(isolate);
    const int end = start + kBatch < node_count ? start + kBatch : node_count;
    for (int i = start; i < end; i++) {
      const v8::HeapGraphNode* node = snapshot->GetNode(i);
      if (!ranges.Contains(node->GetId())) continue;
      uint32_t type = classifier.Classify(node);
      if (type >= counts.size()) {
        counts.resize(type + 1, 0);
        sizes.resize(type + 1, 0);
      }
      counts[type]++;
      sizes[type] += node->GetShallowSize();
      if (classifier.types()[type].kind != TypeKind::kInternal) {
        candidates.emplace(node, CandidateUse{type, IsPrimitive(node)});
      }
    }
  }
  if (!candidates.empty()) DiscountUnheldCandidates(Index(isolate), candidates, counts, sizes);

  const std::vector<TypeInfo>& types = classifier.types();
  Napi::Array rows = Napi::Array::New(env);
  uint32_t row = 0;
  for (size_t type = 0; type < counts.size(); type++) {
    if (counts[type] == 0) continue;
    Napi::Object entry = Napi::Object::New(env);
    entry.Set("kind", TypeKindName(types[type].kind));
    entry.Set("name", types[type].name);
    entry.Set("script", types[type].script);
    entry.Set("count", static_cast<double>(counts[type]));
    entry.Set("shallowSize", static_cast<double>(sizes[type]));
    rows.Set(row++, entry);
  }
  return rows;
}

Napi::Value HeapGraph::RetainedSizes(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const v8::HeapSnapshot* snapshot = Snapshot(env);
  if (info.Length() < 1 || !info[0].IsArray()) {
    throw Napi::TypeError::New(env, "retainedSizes takes an array of object IDs");
  }
  Napi::Array ids = info[0].As<Napi::Array>();
  // Read and check every ID before the (possibly long) first build of the tree.
  std::vector<v8::SnapshotObjectId> wanted(ids.Length());
  for (uint32_t i = 0; i < ids.Length(); i++) {
    Napi::Value id = ids[i];
    if (!id.IsNumber()) throw Napi::TypeError::New(env, "retainedSizes takes object IDs (numbers)");
    const double value = id.As<Napi::Number>().DoubleValue();
    if (!(value >= 0 && value <= 4294967295.0) || value != std::floor(value)) {
      throw Napi::RangeError::New(env, "object IDs are integers from 0 to 4294967295 (got " +
                                           std::to_string(value) + ")");
    }
    wanted[i] = static_cast<v8::SnapshotObjectId>(value);
  }
  v8::Isolate* isolate = v8::Isolate::GetCurrent();
  const DominatorTree& dominators = Dominators(isolate);
  const GraphIndex& index = Index(isolate);
  Napi::Array sizes = Napi::Array::New(env, wanted.size());
  for (uint32_t i = 0; i < wanted.size(); i++) {
    // V8 answers from a map of its own, built on the first call and freed with the snapshot.
    const v8::HeapGraphNode* node = snapshot->GetNodeById(wanted[i]);
    const uint64_t size = node == nullptr ? 0 : dominators.retained_size(index.IndexOf(node));
    sizes.Set(i, static_cast<double>(size));
  }
  return sizes;
}

}  // namespace memalot

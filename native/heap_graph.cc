#include "heap_graph.h"

#include <v8-isolate.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <functional>
#include <latch>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <unordered_map>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <vector>

#include "addon_data.h"
#include "dominators.h"
#include "frame_holds.h"
#include "graph_index.h"
#include "id_ranges.h"
#include "isolate_handoff.h"
#include "leak_groups.h"
#include "node_bookkeeping.h"
#include "object_id_argument.h"
#include "object_lookup.h"
#include "retainer_labels.h"
#include "retainers.h"
#include "string_contents.h"
#include "type_classifier.h"

namespace memalot {

namespace {

// Sizes of a type's objects named per row (objectSizes): a class's objects mostly share one.
constexpr uint32_t kObjectSizesPerRow = 4;

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

// Counts a latch down once: when told to, or else when it goes out of scope.
class Arrival {
 public:
  explicit Arrival(std::latch& latch) : latch_(latch) {}
  Arrival(const Arrival&) = delete;
  Arrival& operator=(const Arrival&) = delete;
  ~Arrival() { Arrive(); }
  void Arrive() {
    if (!arrived_) {
      arrived_ = true;
      latch_.count_down();
    }
  }

 private:
  std::latch& latch_;
  bool arrived_ = false;
};

// An in-range node that may be the program's: what the summary needs of it, read once when it
// is classified, so that later passes need not go back to the snapshot's node.
struct CandidateUse {
  uint32_t index;  // the node's index (as in GraphIndex)
  uint32_t type;
  v8::SnapshotObjectId id;
  size_t size;  // shallow
  bool primitive;
  bool held = false;
};

// What HeldByFrames needs of a summary: the range's nodes, and the excluded nodes to block.
struct FrameHoldsInput {
  std::vector<uint32_t> in_range;
  std::vector<uint32_t> blocked;
};

// Objects may also be held from outside the JS heap: by handles (an addon's reference, a
// native module) or by embedder objects. Strings and numbers held that way are V8's own.
bool HoldsObjects(const v8::HeapGraphNode* holder) {
  v8::HeapGraphNode::Type type = holder->GetType();
  return HoldsData(holder) || type == v8::HeapGraphNode::kSynthetic || type == v8::HeapGraphNode::kNative;
}

// A candidate is the program's only if the program can still reach it (once the stack unwinds,
// or, with `frames` given, as held by the frames of functions still running: see
// frame_holds.h), and something that holds the program's data refers to it. The others are V8's, or on their
// way out: the pieces of a concatenated or sliced string (V8 builds `a + b` and padEnd() as
// trees of string nodes, of which the program holds one), the literals and names that
// compiling a function interns for its code, the boilerplate objects V8 keeps in allocation
// sites for object literals, and what only the stack holds when memalot looks (such as the
// record a compiler keeps for a `using` declaration). Code compiled lazily during an epoch
// would otherwise look like a leak.
void DiscountUnheldCandidates(GraphIndex& graph,
                              std::vector<CandidateUse>& candidates,
                              std::vector<uint64_t>& counts, std::vector<uint64_t>& sizes,
                              const FrameHoldsInput* frames) {
  const std::vector<bool>& reachable = graph.ReachableWithoutStack();
  const std::vector<bool> from_stack =
      frames == nullptr ? std::vector<bool>() : HeldByFrames(graph, frames->in_range, frames->blocked, reachable);
  // By node index rather than by pointer: the loop below looks up every edge of the heap.
  std::vector<CandidateUse*> candidate_at(graph.node_count(), nullptr);
  for (CandidateUse& use : candidates) candidate_at[use.index] = &use;
  for (uint32_t i = 0; i < graph.node_count(); i++) {
    if (!reachable[i] && (from_stack.empty() || !from_stack[i])) continue;
    const v8::HeapGraphNode* node = graph.node(i);
    if (!HoldsObjects(node)) continue;
    const bool holds_data = HoldsData(node);
    for (uint32_t e = graph.first_edge(i); e < graph.first_edge(i + 1); e++) {
      if (graph.edge_type(e) == v8::HeapGraphEdge::kWeak) continue;
      CandidateUse* use = candidate_at[graph.edge_to(e)];
      if (use != nullptr && (holds_data || !use->primitive)) use->held = true;
    }
  }
  for (const CandidateUse& use : candidates) {
    if (!use.held) {
      counts[use.type]--;
      sizes[use.type] -= use.size;
    }
  }
}

// What the objects of each type retain together: the sum of the retained sizes of those
// objects that no other object of the same type dominates (so that a byte is counted once per
// type even when leaked objects hold one another). One walk of the dominator tree, keeping per
// type the number of ancestors of that type on the current path.
std::vector<uint64_t> RetainedByType(const DominatorTree& tree, uint32_t root,
                                     const std::vector<uint32_t>& type_of_node, size_t type_count) {
  constexpr uint32_t kNoType = UINT32_MAX;
  const auto [first_child, children] = tree.BuildChildren(root);
  std::vector<uint64_t> totals(type_count, 0);
  std::vector<uint32_t> active(type_count, 0);
  // Entries: node index; the top bit marks the exit of a node whose type was counted.
  constexpr uint32_t kExit = 0x80000000u;
  std::vector<uint32_t> stack{root};
  while (!stack.empty()) {
    const uint32_t entry = stack.back();
    stack.pop_back();
    if (entry & kExit) {
      active[type_of_node[entry & ~kExit]]--;
      continue;
    }
    const uint32_t type = type_of_node[entry];
    if (type != kNoType) {
      if (active[type] == 0) totals[type] += tree.retained_size(entry);
      active[type]++;
      stack.push_back(entry | kExit);
    }
    for (uint32_t c = first_child[entry]; c < first_child[entry + 1]; c++) stack.push_back(children[c]);
  }
  return totals;
}

// A limit from JavaScript: a non-negative number, or null for none (returned as -1).
double OptionalLimit(Napi::Object options, const char* name, double fallback) {
  Napi::Value value = options.Get(name);
  if (value.IsUndefined()) return fallback;
  if (value.IsNull()) return -1;
  if (!value.IsNumber() || !(value.As<Napi::Number>().DoubleValue() >= 0)) {
    throw Napi::TypeError::New(options.Env(), std::string(name) + " must be a number of 0 or more, or null");
  }
  return value.As<Napi::Number>().DoubleValue();
}

uint32_t OptionalCount(Napi::Object options, const char* name, uint32_t fallback) {
  Napi::Value value = options.Get(name);
  if (value.IsUndefined() || value.IsNull()) return fallback;
  if (!value.IsNumber()) throw Napi::TypeError::New(options.Env(), std::string(name) + " must be a number");
  const double number = value.As<Napi::Number>().DoubleValue();
  if (!(number >= 0)) throw Napi::RangeError::New(options.Env(), std::string(name) + " must be 0 or more");
  return number > 4294967295.0 ? UINT32_MAX : static_cast<uint32_t>(number);
}

}  // namespace

Napi::Function HeapGraph::Define(Napi::Env env) {
  return DefineClass(env, "HeapGraph",
                     {
                         InstanceMethod<&HeapGraph::Guarded<&HeapGraph::SummarizeRange>>("summarizeRange"),
                         InstanceMethod<&HeapGraph::Guarded<&HeapGraph::RetainedSizes>>("retainedSizes"),
                         InstanceMethod<&HeapGraph::Guarded<&HeapGraph::ReferrerGraph>>("referrerGraph"),
                         InstanceMethod<&HeapGraph::Guarded<&HeapGraph::TypeRetainedSizes>>("typeRetainedSizes"),
                         InstanceMethod<&HeapGraph::Guarded<&HeapGraph::Complete>>("complete"),
                         InstanceMethod<&HeapGraph::Guarded<&HeapGraph::Dispose>>("dispose"),
                         InstanceAccessor<&HeapGraph::Guarded<&HeapGraph::NodeCount>>("nodeCount"),
                         InstanceAccessor<&HeapGraph::Guarded<&HeapGraph::NodeNumbering>>("nodeNumbering"),
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

SnapshotAnalysis& HeapGraph::Analysis(v8::Isolate* isolate) {
  if (!analysis_) {
    analysis_ = std::make_unique<SnapshotAnalysis>(snapshot_);
    analysis_->Index().SetStackRoots(GraphIndex::FindStackRoots(isolate, snapshot_));
  }
  return *analysis_;
}

GraphIndex& HeapGraph::Index(v8::Isolate* isolate) { return Analysis(isolate).Index(); }

uint32_t HeapGraph::NodeOfId(v8::Isolate* isolate, v8::SnapshotObjectId id) {
  auto in_range = range_nodes_.find(id);
  if (in_range != range_nodes_.end()) return in_range->second;
  const v8::HeapGraphNode* node = snapshot_->GetNodeById(id);
  return node == nullptr ? UINT32_MAX : Index(isolate).IndexOf(node);
}

const DominatorTree& HeapGraph::Dominators(v8::Isolate* isolate) { return Analysis(isolate).Dominators(); }

RetainerLabeler& HeapGraph::Labeler(v8::Isolate* isolate, LabelOptions options) {
  std::string key = options.cwd + '\n' + options.running_code + '\n' + options.stack_label + '\n' + (options.user_code_only ? "*" : "");
  for (const std::string& prefix : options.module_prefixes) key += '\n' + prefix;
  if (!labeler_ || key != labeler_key_) {
    if (!classifier_) classifier_ = std::make_unique<TypeClassifier>(isolate);
    labeler_ = std::make_unique<RetainerLabeler>(isolate, Analysis(isolate).Paths(), *classifier_, std::move(options));
    labeler_key_ = std::move(key);
  }
  return *labeler_;
}

void HeapGraph::ReleaseHandles() {
  labeler_.reset();
  classifier_.reset();
}

void HeapGraph::Release() {
  ReleaseHandles();
  analysis_.reset();
  // Everything made while the snapshot was alive goes with it: a small block left among the
  // snapshot's freed ones keeps its whole page from going back to the system (40,000 map
  // entries kept 20-80 MB so).
  std::unordered_map<v8::SnapshotObjectId, uint32_t>().swap(range_nodes_);
  std::vector<uint32_t>().swap(type_of_node_);
  std::vector<bool>().swap(in_epoch_);
  std::vector<uint32_t>().swap(row_types_);
  if (snapshot_ != nullptr) {
    const_cast<v8::HeapSnapshot*>(snapshot_)->Delete();
    snapshot_ = nullptr;
#if defined(__GLIBC__)
    // A snapshot takes 500-600 bytes of malloc'd memory per heap object (15x a heap of small
    // objects), in many small blocks that glibc keeps after they are freed: without this, the
    // first report would leave the process hundreds of MB larger for good. (On a thread of its
    // own, the trim was still running when the report had returned: the memory came back, but
    // not by then, and not predictably.)
    malloc_trim(0);
#endif
  }
}

const v8::HeapSnapshot* HeapGraph::Snapshot(Napi::Env env) const {
  if (snapshot_ == nullptr) throw Napi::Error::New(env, "this heap snapshot has been disposed");
  return snapshot_;
}

Napi::Value HeapGraph::NodeNumbering(const Napi::CallbackInfo& info) {
  Snapshot(info.Env());
  return Napi::String::New(info.Env(), Index(v8::Isolate::GetCurrent()).numbering());
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
  uint32_t samples_per_type = 0;
  bool retained_sizes = false;
  bool stack_held = true;
  std::vector<v8::SnapshotObjectId> walked_ids;
  bool node_internals = false;  // count what only Node's own modules hold (node_bookkeeping.h)
  if (info.Length() > 4 && info[4].IsObject()) {
    Napi::Object options = info[4].As<Napi::Object>();
    samples_per_type = OptionalCount(options, "samplesPerType", 0);
    retained_sizes = options.Get("retainedSizes").ToBoolean().Value();
    if (!options.Get("stackHeld").IsUndefined()) stack_held = options.Get("stackHeld").ToBoolean().Value();
    if (!options.Get("walkedIds").IsUndefined()) walked_ids = ObjectIdList(env, options.Get("walkedIds"), "summarizeRange(): walkedIds");
    node_internals = options.Get("nodeInternals").ToBoolean().Value();
  }
  std::sort(walked_ids.begin(), walked_ids.end());
  // The range's nodes, and the excluded nodes that the walk from the stack does not pass
  // through (frame_holds.h).
  FrameHoldsInput frames;
  v8::Isolate* isolate = v8::Isolate::GetCurrent();

  TypeClassifier classifier(isolate);
  std::vector<uint64_t> counts;
  std::vector<uint64_t> sizes;
  // In-range candidates, to find those that are not the program's (below).
  std::vector<CandidateUse> candidates;
  // In-range nodes that are V8's own (a grown array's backing store, a closure's context):
  // they pass a leak group on (leak_groups.h).
  std::vector<uint32_t> epoch_internals;
  const bool index_built = analysis_ != nullptr;
  std::vector<const v8::HeapGraphNode*> stack_roots;
  if (!index_built) stack_roots = GraphIndex::FindStackRoots(isolate, snapshot);
  // Naming types needs the isolate (GetName makes V8 strings); indexing the graph does not. So
  // a helper thread holding the isolate names the range's types while this thread numbers the
  // nodes and counts the edges (isolate_handoff.h). Naming is the shorter: the helper then
  // fills in edges alongside this thread, and, when details will follow, builds what referrer
  // searches need (incoming edges, distances) while this thread finds what is reachable and
  // which candidates are held (other fields of the index).
  const bool paths = !index_built && samples_per_type > 0;
  std::latch numbered(1);  // this thread: nodes numbered, edges counted
  std::latch filled(2);    // each thread: done filling in edges (or given up)
  std::atomic<uint32_t> next_node{0};
  bool numbering_done = false;
  bool discounted = false;
  try {
    RunAlongside(
        isolate,
        [&](bool alongside) {
          // Arrives at `filled` on every way out, so that the other thread never waits in vain.
          Arrival arrival(filled);
          const int node_count = snapshot->GetNodesCount();
          constexpr int kBatch = 4096;  // handles made by GetName() are freed once per batch
          for (int start = 0; start < node_count; start += kBatch) {
            v8::HandleScope scope(isolate);
            const int end = start + kBatch < node_count ? start + kBatch : node_count;
            for (int i = start; i < end; i++) {
              const v8::HeapGraphNode* node = snapshot->GetNode(i);
              const v8::SnapshotObjectId id = node->GetId();
              if (!ranges.Contains(id)) {
                if (ranges.IsExcluded(id)) {
                  // Excluded, walked or not, is memalot's: never one of the range's nodes.
                  if (!std::binary_search(walked_ids.begin(), walked_ids.end(), id)) frames.blocked.push_back(static_cast<uint32_t>(i));
                }
                continue;
              }
              frames.in_range.push_back(static_cast<uint32_t>(i));
              uint32_t type = classifier.Classify(node);
              if (type >= counts.size()) {
                counts.resize(type + 1, 0);
                sizes.resize(type + 1, 0);
              }
              const size_t size = node->GetShallowSize();
              counts[type]++;
              sizes[type] += size;
              if (classifier.types()[type].kind != TypeKind::kInternal) {
                candidates.push_back(CandidateUse{static_cast<uint32_t>(i), type, id, size, IsPrimitive(node)});
              } else {
                epoch_internals.push_back(static_cast<uint32_t>(i));
              }
            }
          }
          if (!alongside || index_built) return;
          numbered.wait();
          if (!numbering_done) return;
          analysis_->Index().FillEdges(next_node);
          arrival.Arrive();
          filled.wait();
          if (paths) analysis_->Paths();
        },
        [&](bool alongside) {
          if (index_built) return;
          Arrival arrival(filled);
          {
            Arrival numbering(numbered);
            analysis_ = std::make_unique<SnapshotAnalysis>(
                snapshot, alongside ? GraphIndex::Edges::kLater : GraphIndex::Edges::kFill);
            numbering_done = true;
          }
          if (!alongside) return;  // the rest below, once the types are named
          analysis_->Index().FillEdges(next_node);
          arrival.Arrive();
          filled.wait();  // and so the helper's naming is done too
          analysis_->Index().SetStackRoots(stack_roots);
          if (!candidates.empty()) {
            DiscountUnheldCandidates(analysis_->Reachable(), candidates, counts, sizes, stack_held ? &frames : nullptr);
            discounted = true;
          }
        });
  } catch (...) {
    // An index whose edges were not all filled in must not be used later.
    if (!index_built) analysis_.reset();
    throw;
  }
  if (!index_built && !discounted) analysis_->Index().SetStackRoots(stack_roots);
  if (!candidates.empty() && !discounted) {
    DiscountUnheldCandidates(Analysis(isolate).Reachable(), candidates, counts, sizes, stack_held ? &frames : nullptr);
  }
  if (!node_internals && !candidates.empty()) {
    std::vector<BookkeepingCandidate> held;
    std::vector<CandidateUse*> uses;
    for (CandidateUse& use : candidates) {
      if (!use.held) continue;
      held.push_back(BookkeepingCandidate{use.index, use.type, use.primitive});
      uses.push_back(&use);
    }
    if (!held.empty()) {
      GraphIndex& paths = analysis_->Index();
      paths.BuildIncoming();  // (the distances of Paths() are for referrer searches only)
      std::vector<bool> in_range(paths.node_count(), false);
      for (const CandidateUse& use : candidates) in_range[use.index] = true;
      for (uint32_t node : epoch_internals) in_range[node] = true;
      RetainerLabeler labeler(isolate, paths, classifier, LabelOptions{});
      const std::vector<bool> bookkeeping = FindNodeBookkeeping(paths, labeler, classifier, held, in_range);
      for (size_t i = 0; i < uses.size(); i++) {
        if (!bookkeeping[i]) continue;
        uses[i]->held = false;
        counts[uses[i]->type]--;
        sizes[uses[i]->type] -= uses[i]->size;
      }
    }
  }

  // The oldest held objects of each type (lowest IDs), for the report's object details.
  std::vector<std::vector<v8::SnapshotObjectId>> samples(counts.size());
  if (samples_per_type > 0) {
    for (const CandidateUse& use : candidates) {
      if (use.held) samples[use.type].push_back(use.id);
    }
    for (auto& ids : samples) {
      if (ids.size() > samples_per_type) {
        std::nth_element(ids.begin(), ids.begin() + samples_per_type, ids.end());
        ids.resize(samples_per_type);
      }
      std::sort(ids.begin(), ids.end());
    }
  }
  // The objects that reports ask about are of this range: found by ID without V8's
  // GetNodeById, which maps every node of the snapshot on its first call. And, for
  // typeRetainedSizes, the type of each held one.
  range_nodes_.clear();
  type_of_node_.clear();
  std::vector<bool>().swap(in_epoch_);
  row_types_.clear();
  type_count_ = counts.size();
  if (!candidates.empty()) {
    GraphIndex& index = Index(isolate);
    range_nodes_.reserve(candidates.size());
    if (retained_sizes) {
      type_of_node_.assign(index.node_count(), UINT32_MAX);
      in_epoch_.assign(index.node_count(), false);
      for (uint32_t node : epoch_internals) in_epoch_[node] = true;
    }
    for (const CandidateUse& use : candidates) {
      range_nodes_.emplace(use.id, use.index);
      if (retained_sizes) in_epoch_[use.index] = true;
      if (retained_sizes && use.held) type_of_node_[use.index] = use.type;
    }
  }

  // The commonest sizes of each type's held objects: allocation samples carry a size and no
  // object ID, so that is how reports tell which type a sample was (allocation_sites.h).
  std::vector<std::map<size_t, uint32_t>> object_sizes(counts.size());
  for (const CandidateUse& use : candidates) {
    if (use.held) object_sizes[use.type][use.size]++;
  }

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
    Napi::Array sample_ids = Napi::Array::New(env, samples.empty() ? 0 : samples[type].size());
    for (uint32_t i = 0; !samples.empty() && i < samples[type].size(); i++) {
      sample_ids.Set(i, static_cast<double>(samples[type][i]));
    }
    entry.Set("sampleIds", sample_ids);
    std::vector<std::pair<uint32_t, size_t>> by_count;
    for (const auto& [size, n] : object_sizes[type]) by_count.emplace_back(n, size);
    std::sort(by_count.begin(), by_count.end(), std::greater<>());
    Napi::Array sizes_shown = Napi::Array::New(env);
    for (uint32_t i = 0; i < by_count.size() && i < kObjectSizesPerRow; i++) sizes_shown.Set(i, static_cast<double>(by_count[i].second));
    entry.Set("objectSizes", sizes_shown);
    row_types_.push_back(static_cast<uint32_t>(type));
    rows.Set(row++, entry);
  }
  return rows;
}

namespace {

Napi::Array NumberArray(Napi::Env env, const std::vector<uint64_t>& values) {
  Napi::Array array = Napi::Array::New(env, values.size());
  for (uint32_t i = 0; i < values.size(); i++) array.Set(i, static_cast<double>(values[i]));
  return array;
}

}  // namespace

std::vector<uint32_t> HeapGraph::NodesOfIds(const GraphIndex& index, const std::vector<v8::SnapshotObjectId>& ids) const {
  std::vector<uint32_t> nodes(ids.size(), UINT32_MAX);
  std::unordered_map<v8::SnapshotObjectId, std::vector<size_t>> rest;
  for (size_t i = 0; i < ids.size(); i++) {
    auto in_range = range_nodes_.find(ids[i]);
    if (in_range != range_nodes_.end()) {
      nodes[i] = in_range->second;
    } else {
      rest[ids[i]].push_back(i);
    }
  }
  // The others (functions and Maps of referrer graphs) in one pass over the nodes: V8's
  // GetNodeById would first map all of them by ID.
  for (uint32_t node = 0; !rest.empty() && node < index.node_count(); node++) {
    auto wanted = rest.find(index.node(node)->GetId());
    if (wanted == rest.end()) continue;
    for (size_t i : wanted->second) nodes[i] = node;
    rest.erase(wanted);
  }
  return nodes;
}

Napi::Value HeapGraph::Complete(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Snapshot(env);  // throws once disposed
  std::vector<v8::SnapshotObjectId> object_ids = ObjectIdList(env, info[0], "complete(): objectIds");
  std::vector<v8::SnapshotObjectId> retained_ids = ObjectIdList(env, info[1], "complete(): retainedSizeIds");
  v8::Isolate* isolate = v8::Isolate::GetCurrent();
  GraphIndex& index = Index(isolate);  // made here if need be: finding the stack roots needs the isolate
  ReleaseHandles();

  // The objects that QueryObjects can find (JavaScript objects: not strings, numbers, or V8's
  // own), each with the ID of its map from the snapshot.
  std::vector<uint32_t> object_nodes = NodesOfIds(index, object_ids);
  std::vector<v8::SnapshotObjectId> lookup_ids;
  std::vector<v8::SnapshotObjectId> map_ids;
  {
    v8::HandleScope scope(isolate);
    v8::Local<v8::String> map = v8::String::NewFromUtf8Literal(isolate, "map", v8::NewStringType::kInternalized);
    for (size_t i = 0; i < object_ids.size(); i++) {
      if (object_nodes[i] == UINT32_MAX) continue;  // not alive when the snapshot was taken
      const v8::HeapGraphNode* node = index.node(object_nodes[i]);
      const v8::HeapGraphNode::Type type = node->GetType();
      if (type != v8::HeapGraphNode::kObject && type != v8::HeapGraphNode::kClosure &&
          type != v8::HeapGraphNode::kRegExp) {
        continue;
      }
      lookup_ids.push_back(object_ids[i]);
      v8::SnapshotObjectId map_id = 0;
      for (uint32_t e = index.first_edge(object_nodes[i]); e < index.first_edge(object_nodes[i] + 1); e++) {
        if (index.edge_type(e) != v8::HeapGraphEdge::kInternal) continue;
        v8::Local<v8::Value> name = index.edge(object_nodes[i], e)->GetName();
        if (name->IsString() && name.As<v8::String>()->StringEquals(map)) {
          map_id = index.node(index.edge_to(e))->GetId();
          break;
        }
      }
      map_ids.push_back(map_id);
    }
  }
  std::vector<uint32_t> retained_nodes = NodesOfIds(index, retained_ids);

  std::unordered_map<v8::SnapshotObjectId, v8::Global<v8::Object>> found;
  std::vector<uint64_t> retained(retained_ids.size(), 0);
  std::vector<uint64_t> by_row;
  std::vector<LeakGroup> groups;
  RunAlongside(
      isolate, [&](bool) { found = LookUpObjects(isolate, lookup_ids, map_ids); },
      [&](bool) {
        const DominatorTree& tree = analysis_->Dominators();
        for (size_t i = 0; i < retained_ids.size(); i++) {
          if (retained_nodes[i] != UINT32_MAX) retained[i] = tree.retained_size(retained_nodes[i]);
        }
        by_row = RowRetainedSizes(tree);
        groups = RowLeakGroups(tree);
        Release();
      });
#if defined(__GLIBC__)
  // The walk's memory, freed in the helper's arena (the snapshot's was given back above).
  malloc_trim(0);
#endif
  Napi::Object result = Napi::Object::New(env);
  result.Set("objects", ObjectsArray(env, object_ids, found));
  result.Set("retainedSizes", NumberArray(env, retained));
  result.Set("typeRetainedSizes", NumberArray(env, by_row));
  Napi::Array leak_groups = Napi::Array::New(env, groups.size());
  for (uint32_t g = 0; g < groups.size(); g++) {
    Napi::Object group = Napi::Object::New(env);
    group.Set("row", groups[g].row);
    group.Set("count", static_cast<double>(groups[g].count));
    group.Set("retainedSize", static_cast<double>(groups[g].retained_size));
    Napi::Array contents = Napi::Array::New(env, groups[g].contents.size());
    uint32_t c = 0;
    for (const auto& [row, count] : groups[g].contents) {
      Napi::Object member = Napi::Object::New(env);
      member.Set("row", row);
      member.Set("count", static_cast<double>(count));
      contents.Set(c++, member);
    }
    group.Set("contents", contents);
    leak_groups.Set(g, group);
  }
  result.Set("leakGroups", leak_groups);
  return result;
}

Napi::Value HeapGraph::RetainedSizes(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Snapshot(env);  // throws once disposed
  // Every ID is read and checked before the (possibly long) first build of the tree.
  std::vector<v8::SnapshotObjectId> wanted = ObjectIdList(env, info[0], "retainedSizes(): objectIds");
  v8::Isolate* isolate = v8::Isolate::GetCurrent();
  const DominatorTree& dominators = Dominators(isolate);
  const std::vector<uint32_t> nodes = NodesOfIds(Index(isolate), wanted);
  std::vector<uint64_t> sizes(wanted.size(), 0);
  for (size_t i = 0; i < wanted.size(); i++) {
    if (nodes[i] != UINT32_MAX) sizes[i] = dominators.retained_size(nodes[i]);
  }
  return NumberArray(env, sizes);
}

std::vector<LeakGroup> HeapGraph::RowLeakGroups(const DominatorTree& tree) const {
  if (type_of_node_.empty()) return {};
  const GraphIndex& index = analysis_->Index();
  std::vector<uint32_t> row_of_type(type_count_, kNotCounted);
  for (uint32_t row = 0; row < row_types_.size(); row++) row_of_type[row_types_[row]] = row;
  std::vector<uint32_t> row_of_node(type_of_node_.size(), kNotCounted);
  for (size_t node = 0; node < type_of_node_.size(); node++) {
    if (type_of_node_[node] != UINT32_MAX) row_of_node[node] = row_of_type[type_of_node_[node]];
  }
  return FindLeakGroups(index, tree, row_of_node, in_epoch_);
}

std::vector<uint64_t> HeapGraph::RowRetainedSizes(const DominatorTree& tree) const {
  if (type_of_node_.empty()) return {};
  const GraphIndex& index = analysis_->Index();
  std::vector<uint64_t> totals = RetainedByType(tree, index.root(), type_of_node_, type_count_);
  std::vector<uint64_t> by_row(row_types_.size());
  for (size_t row = 0; row < row_types_.size(); row++) by_row[row] = totals[row_types_[row]];
  return by_row;
}

Napi::Value HeapGraph::TypeRetainedSizes(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Snapshot(env);
  if (type_of_node_.empty()) return Napi::Array::New(env, row_types_.size());  // not asked for them
  return NumberArray(env, RowRetainedSizes(Dominators(v8::Isolate::GetCurrent())));
}

Napi::Value HeapGraph::ReferrerGraph(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Snapshot(env);  // throws once disposed
  if (info.Length() < 1 || !info[0].IsNumber()) {
    throw Napi::TypeError::New(env, "referrerGraph takes an object ID (a number)");
  }
  const double id = info[0].As<Napi::Number>().DoubleValue();
  Napi::Object options = info.Length() > 1 && info[1].IsObject() ? info[1].As<Napi::Object>() : Napi::Object::New(env);
  SearchLimits limits;
  limits.max_depth = static_cast<int64_t>(OptionalLimit(options, "maxDepth", 50));
  limits.timeout_seconds = OptionalLimit(options, "timeoutSeconds", 300);
  limits.referrer_limit = static_cast<int64_t>(OptionalLimit(options, "referrerLimit", 100));
  limits.max_objects = OptionalCount(options, "maxObjects", 200);
  LabelOptions labels;
  Napi::Value prefixes = options.Get("modulePrefixes");
  if (prefixes.IsArray()) {
    labels.user_code_only = false;
    Napi::Array list = prefixes.As<Napi::Array>();
    for (uint32_t i = 0; i < list.Length(); i++) labels.module_prefixes.push_back(list.Get(i).ToString().Utf8Value());
  }
  Napi::Value cwd = options.Get("cwd");
  if (cwd.IsString()) labels.cwd = cwd.As<Napi::String>().Utf8Value();
  Napi::Value running = options.Get("runningCode");
  if (running.IsString()) labels.running_code = running.As<Napi::String>().Utf8Value();
  Napi::Value stack_label = options.Get("stackLabel");
  if (stack_label.IsString()) labels.stack_label = stack_label.As<Napi::String>().Utf8Value();

  if (!(id >= 0 && id <= 4294967295.0)) return env.Null();
  v8::Isolate* isolate = v8::Isolate::GetCurrent();
  v8::HandleScope scope(isolate);
  RetainerLabeler& labeler = Labeler(isolate, std::move(labels));
  GraphIndex& index = Index(isolate);
  const uint32_t target_index = NodeOfId(isolate, static_cast<v8::SnapshotObjectId>(id));
  if (target_index == UINT32_MAX) return env.Null();
  const v8::HeapGraphNode* target = index.node(target_index);
  const TypeKind kind = classifier_->types()[classifier_->Classify(target)].kind;
  const std::string target_name = labeler.ObjectName(target_index);
  RetainerSearch search(index, labeler, limits);
  memalot::ReferrerGraph graph = search.Search(target_index, target_name);

  Napi::Object result = Napi::Object::New(env);
  Napi::Array nodes = Napi::Array::New(env, graph.nodes.size());
  for (uint32_t i = 0; i < graph.nodes.size(); i++) {
    const ReferrerGraphNode& node = graph.nodes[i];
    Napi::Object entry = Napi::Object::New(env);
    entry.Set("id", node.id);
    entry.Set("name", node.name);
    entry.Set("objectId", node.object_id < 0 ? env.Null() : Napi::Number::New(env, static_cast<double>(node.object_id)));
    Napi::Array referents = Napi::Array::New(env, node.referent_ids.size());
    for (uint32_t r = 0; r < node.referent_ids.size(); r++) referents.Set(r, node.referent_ids[r]);
    entry.Set("referentIds", referents);
    if (node.closure) entry.Set("closure", true);
    nodes.Set(i, entry);
  }
  auto strings = [&env](const std::vector<std::string>& list) {
    Napi::Array array = Napi::Array::New(env, list.size());
    for (uint32_t i = 0; i < list.size(); i++) array.Set(i, list[i]);
    return array;
  };
  result.Set("nodes", nodes);
  result.Set("targetIds", strings(graph.target_ids));
  result.Set("rootIds", strings(graph.root_ids));
  result.Set("targetKind", TypeKindName(kind));
  if (kind == TypeKind::kString) {
    double max_length = OptionalLimit(options, "stringMaxLength", 100000);
    if (max_length < 0) max_length = 4294967294.0;  // null: no cut
    std::optional<StringContents> contents =
        ReadStringContents(env, isolate, target, static_cast<uint32_t>(std::min(max_length, 4294967294.0)));
    if (contents.has_value()) {
      result.Set("stringValue", contents->prefix);
      result.Set("stringLength", contents->length);
    }
  }
  return result;
}

}  // namespace memalot

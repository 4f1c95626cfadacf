// An index over a heap snapshot's graph, built once per snapshot and only when needed: nodes
// numbered 0..n-1 and their outgoing edges in one flat array (V8's API gives pointers, and
// outgoing edges only). Walks that visit the whole graph (reachability now; retainers and
// dominators later) run over these arrays instead of calling into V8 per edge.
#pragma once

#include <v8-isolate.h>
#include <v8-profiler.h>

#include <atomic>
#include <cstdint>
#include <cstring>
#include <unordered_map>
#include <utility>
#include <vector>

namespace memalot {

// Built from the snapshot's nodes and edges alone (plain reads of V8's snapshot structures,
// no V8 heap access). The one thing that needs V8 strings, finding the "(Stack roots)" nodes by
// name, is done apart (FindStackRoots) and passed in.
class GraphIndex {
 public:
  // Needs no V8 isolate: it may be built on a thread that does not hold it. With kLater, the
  // nodes are numbered and the edges counted, and the edges must then be filled in with
  // FillEdges, by any number of threads at once, before anything else is used.
  enum class Edges { kFill, kLater };
  explicit GraphIndex(const v8::HeapSnapshot* snapshot, Edges edges = Edges::kFill);
  // Fills in the edges of chunks of nodes taken from `next_node` (shared by the threads that
  // fill: each takes the next chunk when done with one) until none is left.
  void FillEdges(std::atomic<uint32_t>& next_node);

  // The snapshot's "(Stack roots)" nodes: needs the isolate (node names are V8 strings).
  static std::vector<const v8::HeapGraphNode*> FindStackRoots(v8::Isolate* isolate, const v8::HeapSnapshot* snapshot);
  // Before ReachableWithoutStack: the nodes found by FindStackRoots.
  void SetStackRoots(const std::vector<const v8::HeapGraphNode*>& stack_roots);
  const std::vector<uint32_t>& stack_roots() const { return stack_roots_; }

  uint32_t node_count() const { return static_cast<uint32_t>(nodes_.size()); }
  const v8::HeapGraphNode* node(uint32_t index) const { return nodes_[index]; }
  // Index of a node of this snapshot.
  uint32_t IndexOf(const v8::HeapGraphNode* node) const;
  // How IndexOf finds it: "entry-numbers", "runs" or "hash" (see below).
  const char* numbering() const;

  // Outgoing edges of node i: targets edge_to()[e] for e in [first_edge(i), first_edge(i + 1)).
  uint32_t first_edge(uint32_t index) const { return first_edge_[index]; }
  uint32_t edge_to(uint32_t edge) const { return edge_to_[edge]; }
  v8::HeapGraphEdge::Type edge_type(uint32_t edge) const {
    return static_cast<v8::HeapGraphEdge::Type>(edge_type_[edge]);
  }

  // Nodes that the program can reach from the GC roots without going through the stack or
  // a weak reference: what would stay alive once the current call stack unwinds.
  const std::vector<bool>& ReachableWithoutStack();

  // The edge itself (for its name), from the index of the node it leaves and its index in
  // the edge arrays.
  const v8::HeapGraphEdge* edge(uint32_t from, uint32_t edge) const {
    return nodes_[from]->GetChild(static_cast<int>(edge - first_edge_[from]));
  }
  uint32_t root() const { return root_; }


  // Incoming edges, built on first use: node i is referred to by the edges in_edge()[k] for k
  // in [first_in(i), first_in(i + 1)), which leave the nodes in_from()[k].
  void BuildIncoming();
  uint32_t first_in(uint32_t index) const { return first_in_[index]; }
  uint32_t in_from(uint32_t k) const { return in_from_[k]; }
  uint32_t in_edge(uint32_t k) const { return in_edge_[k]; }

  // The fewest strong edges from the root to each node (UINT32_MAX when none): the node's
  // distance, as DevTools calls it. A holder at a smaller distance leads to a root sooner.
  const std::vector<uint32_t>& Distances();

 private:
  // V8 numbers a snapshot's entries itself: the first 32 bits of its HeapEntry hold the node
  // type in 4 bits and the entry's index in the other 28 (src/profiler/heap-snapshot-generator.h,
  // V8 11 to 14). That is not API, so it is used only when every node of the snapshot agrees
  // (index and type, checked as the nodes are listed); then a node's index is one read of
  // memory the edge loop touches anyway, instead of a look-up in the tables below, and the
  // index builds in half the time. Otherwise the runs below are used.
  static uint32_t EntryWord(const v8::HeapGraphNode* node) {
    uint32_t word;
    std::memcpy(&word, static_cast<const void*>(node), sizeof(word));
    return word;
  }
  bool entry_numbers_ = false;

  // V8 keeps a snapshot's nodes in runs of equally spaced entries (a deque's blocks): a
  // node's index is found from the run that holds its address, by binary search over the runs,
  // which is much faster than hashing a million pointers. Should the layout ever differ, a
  // check after building falls back to a hash map.
  struct Run {
    uintptr_t start;
    uintptr_t end;  // one past the last entry
    uint32_t first_index;
  };
  bool BuildRuns();

  std::vector<const v8::HeapGraphNode*> nodes_;
  std::vector<Run> runs_;  // sorted by address
  // address >> kPageBits -> the first run there, in an open-addressing table of two flat
  // arrays: a std::unordered_map of 200,000 entries costs a cache miss more per look-up, and
  // millions of look-ups are most of the index's cost.
  static constexpr int kPageBits = 9;
  static constexpr uintptr_t kNoPage = UINTPTR_MAX;
  std::vector<uintptr_t> page_keys_;  // kNoPage where empty
  std::vector<uint32_t> page_runs_;
  void AddPage(uintptr_t page, uint32_t run);
  uint32_t RunOfPage(uintptr_t page) const;  // UINT32_MAX when none
  void FillEdges(uint32_t begin, uint32_t end);
  uintptr_t stride_ = 0;
  std::unordered_map<const v8::HeapGraphNode*, uint32_t> fallback_index_;
  std::vector<uint32_t> first_edge_;  // node i's edges are [first_edge_[i], first_edge_[i + 1])
  std::vector<uint32_t> edge_to_;
  std::vector<uint8_t> edge_type_;
  uint32_t root_ = 0;
  std::vector<uint32_t> stack_roots_;  // the "(Stack roots)" synthetic nodes
  std::vector<bool> reachable_;
  bool reachable_done_ = false;
  std::vector<uint32_t> first_in_;
  std::vector<uint32_t> in_from_;
  std::vector<uint32_t> in_edge_;
  std::vector<uint32_t> distances_;
};

}  // namespace memalot

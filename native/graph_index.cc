#include "graph_index.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <cstdint>
#include <stdexcept>

namespace memalot {

namespace {
// For tests only: MEMALOT_TEST_NODE_INDEX=runs or =hash makes the index use that way of
// numbering nodes, so that each is checked against the others on real snapshots.
enum class IndexWay { kAny, kRuns, kHash };
IndexWay ForcedIndexWay() {
  const char* forced = std::getenv("MEMALOT_TEST_NODE_INDEX");
  if (forced == nullptr) return IndexWay::kAny;
  if (std::strcmp(forced, "runs") == 0) return IndexWay::kRuns;
  if (std::strcmp(forced, "hash") == 0) return IndexWay::kHash;
  return IndexWay::kAny;
}
}  // namespace

GraphIndex::GraphIndex(const v8::HeapSnapshot* snapshot, Edges edges) {
  const int count = snapshot->GetNodesCount();
  const IndexWay forced = ForcedIndexWay();
  nodes_.reserve(count);
  // Edges are counted as the nodes are listed, and written in place later: four million
  // push_backs into growing arrays cost more.
  first_edge_.resize(static_cast<size_t>(count) + 1);
  uint32_t total = 0;
  entry_numbers_ = forced == IndexWay::kAny;
  for (int i = 0; i < count; i++) {
    const v8::HeapGraphNode* node = snapshot->GetNode(i);
    nodes_.push_back(node);
    first_edge_[i] = total;
    total += static_cast<uint32_t>(node->GetChildrenCount());
    const uint32_t word = EntryWord(node);
    if ((word >> 4) != static_cast<uint32_t>(i) || (word & 0xF) != static_cast<uint32_t>(node->GetType())) {
      entry_numbers_ = false;
    }
  }
  first_edge_[count] = total;
  if (!entry_numbers_ && (forced == IndexWay::kHash || !BuildRuns())) {
    fallback_index_.reserve(count);
    for (int i = 0; i < count; i++) fallback_index_.emplace(nodes_[i], static_cast<uint32_t>(i));
  }
  edge_to_.resize(total);
  edge_type_.resize(total);
  if (edges == Edges::kFill) FillEdges(0, node_count());
  root_ = IndexOf(snapshot->GetRoot());
}

void GraphIndex::FillEdges(std::atomic<uint32_t>& next_node) {
  // Chunks small enough that neither thread waits long for the other at the end.
  constexpr uint32_t kChunk = 16384;
  const uint32_t count = node_count();
  for (;;) {
    const uint32_t begin = next_node.fetch_add(kChunk, std::memory_order_relaxed);
    if (begin >= count) return;
    FillEdges(begin, count - begin < kChunk ? count : begin + kChunk);
  }
}

void GraphIndex::FillEdges(uint32_t begin, uint32_t end) {
  for (uint32_t i = begin; i < end; i++) {
    const v8::HeapGraphNode* node = nodes_[i];
    uint32_t at = first_edge_[i];
    for (int e = 0, n = node->GetChildrenCount(); e < n; e++, at++) {
      const v8::HeapGraphEdge* edge = node->GetChild(e);
      edge_to_[at] = IndexOf(edge->GetToNode());
      edge_type_[at] = static_cast<uint8_t>(edge->GetType());
    }
  }
}

void GraphIndex::SetStackRoots(const std::vector<const v8::HeapGraphNode*>& stack_roots) {
  stack_roots_.clear();
  for (const v8::HeapGraphNode* stack : stack_roots) stack_roots_.push_back(IndexOf(stack));
}

std::vector<const v8::HeapGraphNode*> GraphIndex::FindStackRoots(v8::Isolate* isolate, const v8::HeapSnapshot* snapshot) {
  // The roots are the root's children and theirs ("(GC roots)", then "(Stack roots)" and the
  // like): synthetic nodes at the top of the graph, so only those are looked at.
  std::vector<const v8::HeapGraphNode*> found;
  v8::HandleScope scope(isolate);
  v8::Local<v8::String> stack_roots =
      v8::String::NewFromUtf8Literal(isolate, "(Stack roots)", v8::NewStringType::kInternalized);
  std::vector<const v8::HeapGraphNode*> level{snapshot->GetRoot()};
  for (int depth = 0; depth < 2; depth++) {
    std::vector<const v8::HeapGraphNode*> next;
    for (const v8::HeapGraphNode* node : level) {
      for (int e = 0, edges = node->GetChildrenCount(); e < edges; e++) {
        const v8::HeapGraphNode* child = node->GetChild(e)->GetToNode();
        if (child->GetType() != v8::HeapGraphNode::kSynthetic) continue;
        if (child->GetName()->StringEquals(stack_roots)) {
          if (std::find(found.begin(), found.end(), child) == found.end()) found.push_back(child);
        } else {
          next.push_back(child);
        }
      }
    }
    level.swap(next);
  }
  return found;
}

bool GraphIndex::BuildRuns() {
  if (nodes_.size() < 2) return false;
  // The spacing of entries: the smallest positive gap between consecutive nodes.
  uintptr_t stride = UINTPTR_MAX;
  for (size_t i = 1; i < nodes_.size() && i < 4096; i++) {
    uintptr_t a = reinterpret_cast<uintptr_t>(nodes_[i - 1]), b = reinterpret_cast<uintptr_t>(nodes_[i]);
    if (b > a && b - a < stride) stride = b - a;
  }
  if (stride == UINTPTR_MAX) return false;
  stride_ = stride;
  for (size_t i = 0; i < nodes_.size(); i++) {
    uintptr_t address = reinterpret_cast<uintptr_t>(nodes_[i]);
    if (!runs_.empty() && runs_.back().end == address &&
        runs_.back().first_index + (address - runs_.back().start) / stride == i) {
      runs_.back().end += stride;
    } else {
      runs_.push_back(Run{address, address + stride, static_cast<uint32_t>(i)});
    }
  }
  std::sort(runs_.begin(), runs_.end(), [](const Run& a, const Run& b) { return a.start < b.start; });
  for (size_t r = 1; r < runs_.size(); r++) {
    if (runs_[r].start < runs_[r - 1].end) {  // overlapping runs: not the layout assumed
      runs_.clear();
      return false;
    }
  }
  // A deque's blocks are small (512 bytes in libstdc++: 12 nodes), so a heap of a million
  // objects makes 100,000 runs, and a binary search over them for each of millions of edges
  // is most of the index's cost. Each 512-byte page of addresses maps to the first run that
  // reaches into it; a node is in that run or one of the next few.
  size_t capacity = 16;
  while (capacity < runs_.size() * 4) capacity *= 2;  // a run reaches into 1 or 2 pages: at most half full
  page_keys_.assign(capacity, kNoPage);
  page_runs_.assign(capacity, 0);
  for (uint32_t r = 0; r < runs_.size(); r++) {
    for (uintptr_t page = runs_[r].start >> kPageBits; page <= (runs_[r].end - 1) >> kPageBits; page++) {
      AddPage(page, r);
    }
  }
  for (size_t i = 0; i < nodes_.size(); i++) {
    if (IndexOf(nodes_[i]) != i) {
      runs_.clear();
      return false;
    }
  }
  return true;
}

namespace {
// Fibonacci hashing: consecutive pages land far apart.
size_t PageSlot(uintptr_t page, int bits) { return static_cast<size_t>((page * 0x9E3779B97F4A7C15ull) >> (64 - bits)); }
int Bits(size_t capacity) { return __builtin_ctzll(capacity); }
}  // namespace

void GraphIndex::AddPage(uintptr_t page, uint32_t run) {
  const size_t mask = page_keys_.size() - 1;
  for (size_t slot = PageSlot(page, Bits(page_keys_.size()));; slot = (slot + 1) & mask) {
    if (page_keys_[slot] == page) return;  // the first run reaching into the page stays
    if (page_keys_[slot] == kNoPage) {
      page_keys_[slot] = page;
      page_runs_[slot] = run;
      return;
    }
  }
}

uint32_t GraphIndex::RunOfPage(uintptr_t page) const {
  if (page_keys_.empty()) return UINT32_MAX;
  const size_t mask = page_keys_.size() - 1;
  for (size_t slot = PageSlot(page, Bits(page_keys_.size()));; slot = (slot + 1) & mask) {
    if (page_keys_[slot] == page) return page_runs_[slot];
    if (page_keys_[slot] == kNoPage) return UINT32_MAX;
  }
}

const char* GraphIndex::numbering() const {
  return entry_numbers_ ? "entry-numbers" : runs_.empty() ? "hash" : "runs";
}

uint32_t GraphIndex::IndexOf(const v8::HeapGraphNode* node) const {
  if (entry_numbers_) return EntryWord(node) >> 4;
  if (runs_.empty()) return fallback_index_.at(node);
  uintptr_t address = reinterpret_cast<uintptr_t>(node);
  const uint32_t first = RunOfPage(address >> kPageBits);
  if (first != UINT32_MAX) {
    for (uint32_t r = first; r < runs_.size() && runs_[r].start <= address; r++) {
      const Run& run = runs_[r];
      if (address < run.end && (address - run.start) % stride_ == 0) {
        return run.first_index + static_cast<uint32_t>((address - run.start) / stride_);
      }
    }
  }
  throw std::out_of_range("a node that is not in this snapshot");
}

const std::vector<bool>& GraphIndex::ReachableWithoutStack() {
  if (reachable_done_) return reachable_;
  reachable_.assign(nodes_.size(), false);
  // The stack roots count as visited, so that nothing is reached through them.
  std::vector<bool> blocked(nodes_.size(), false);
  for (uint32_t stack : stack_roots_) blocked[stack] = true;
  std::vector<uint32_t> queue{root_};
  reachable_[root_] = true;
  while (!queue.empty()) {
    uint32_t from = queue.back();
    queue.pop_back();
    for (uint32_t e = first_edge_[from]; e < first_edge_[from + 1]; e++) {
      if (edge_type_[e] == v8::HeapGraphEdge::kWeak) continue;
      uint32_t to = edge_to_[e];
      if (reachable_[to] || blocked[to]) continue;
      reachable_[to] = true;
      queue.push_back(to);
    }
  }
  reachable_done_ = true;
  return reachable_;
}

void GraphIndex::BuildIncoming() {
  if (!first_in_.empty()) return;
  const uint32_t n = node_count();
  first_in_.assign(n + 1, 0);
  for (uint32_t to : edge_to_) first_in_[to + 1]++;
  for (uint32_t i = 0; i < n; i++) first_in_[i + 1] += first_in_[i];
  in_from_.resize(edge_to_.size());
  in_edge_.resize(edge_to_.size());
  std::vector<uint32_t> fill(first_in_.begin(), first_in_.end() - 1);
  for (uint32_t from = 0; from < n; from++) {
    for (uint32_t e = first_edge_[from]; e < first_edge_[from + 1]; e++) {
      uint32_t slot = fill[edge_to_[e]]++;
      in_from_[slot] = from;
      in_edge_[slot] = e;
    }
  }
}

const std::vector<uint32_t>& GraphIndex::Distances() {
  if (!distances_.empty()) return distances_;
  distances_.assign(nodes_.size(), UINT32_MAX);
  std::vector<uint32_t> frontier{root_}, next;
  distances_[root_] = 0;
  for (uint32_t distance = 1; !frontier.empty(); distance++) {
    next.clear();
    for (uint32_t from : frontier) {
      for (uint32_t e = first_edge_[from]; e < first_edge_[from + 1]; e++) {
        if (edge_type_[e] == v8::HeapGraphEdge::kWeak) continue;
        uint32_t to = edge_to_[e];
        if (distances_[to] != UINT32_MAX) continue;
        distances_[to] = distance;
        next.push_back(to);
      }
    }
    frontier.swap(next);
  }
  return distances_;
}

}  // namespace memalot

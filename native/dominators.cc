// Lengauer-Tarjan ("A fast algorithm for finding dominators in a flowgraph", 1979), the
// simple variant: path compression without balancing, O(m log n) for n nodes and m edges.
// It was chosen over the iterative Cooper-Harvey-Kennedy algorithm because its running time
// does not depend on the shape of the graph: CHK sweeps the whole graph until nothing changes,
// and each sweep intersects dominator chains by walking up them, which is quadratic in the
// worst case; heaps have such chains (a linked list of a million entries is one chain of a
// million dominators). Lengauer-Tarjan makes one DFS and one backward pass.
//
// Every step is iterative: the DFS, and path compression, which the paper writes recursively,
// could otherwise recurse as deep as the longest path in the heap (a linked list of a million
// entries) and overflow the native stack.
//
// The algorithm runs on the nodes the root can reach, renumbered 0..N-1 in DFS preorder (the
// root is 0), so that a dominator always has a smaller number than the nodes it dominates and
// every array below is indexed by that number; the result is mapped back to node indices.
#include "dominators.h"

#include <v8-profiler.h>

#include <cstdint>
#include <vector>

namespace memalot {

namespace {

constexpr uint32_t kNone = DominatorTree::kNone;

bool Keeps(const GraphIndex& graph, uint32_t edge) {
  return graph.edge_type(edge) != v8::HeapGraphEdge::kWeak;
}

// The nodes the root reaches, in DFS preorder, and the DFS tree (which Lengauer-Tarjan needs:
// a BFS tree or any other spanning tree would not do).
struct Preorder {
  std::vector<uint32_t> vertex;  // preorder number -> node index
  std::vector<uint32_t> parent;  // preorder number -> parent's preorder number (kNone for the root)
};

Preorder Search(const GraphIndex& graph, uint32_t root, std::vector<uint32_t>& number) {
  Preorder order;
  number.assign(graph.node_count(), kNone);
  struct Frame {
    uint32_t node;
    uint32_t next_edge;
  };
  std::vector<Frame> stack;
  number[root] = 0;
  order.vertex.push_back(root);
  order.parent.push_back(kNone);
  stack.push_back(Frame{root, graph.first_edge(root)});
  while (!stack.empty()) {
    Frame& top = stack.back();
    if (top.next_edge == graph.first_edge(top.node + 1)) {
      stack.pop_back();
      continue;
    }
    const uint32_t edge = top.next_edge++;
    if (!Keeps(graph, edge)) continue;
    const uint32_t to = graph.edge_to(edge);
    if (number[to] != kNone) continue;
    number[to] = static_cast<uint32_t>(order.vertex.size());
    order.parent.push_back(number[top.node]);
    order.vertex.push_back(to);
    stack.push_back(Frame{to, graph.first_edge(to)});  // `top` is not used past this point
  }
  return order;
}

// Predecessors (V8 gives outgoing edges only) of the reachable nodes, in preorder numbers, as
// one flat array: the predecessors of w are preds[first[w]] .. preds[first[w + 1] - 1]. Kept
// here rather than in the GraphIndex: only this build needs them, only for strong edges between
// reachable nodes, and they are freed as soon as the tree is built.
struct Predecessors {
  std::vector<uint32_t> first;
  std::vector<uint32_t> preds;
};

Predecessors Reverse(const GraphIndex& graph, const std::vector<uint32_t>& vertex,
                     const std::vector<uint32_t>& number) {
  const uint32_t count = static_cast<uint32_t>(vertex.size());
  Predecessors result;
  result.first.assign(count + 1, 0);
  // Edges from a reachable node that are not weak lead to reachable nodes: every target has a number.
  for (uint32_t v = 0; v < count; v++) {
    const uint32_t node = vertex[v];
    for (uint32_t e = graph.first_edge(node); e < graph.first_edge(node + 1); e++) {
      if (Keeps(graph, e)) result.first[number[graph.edge_to(e)]]++;
    }
  }
  // first[w] becomes the end of w's slice; filling each slice backwards moves it to its start.
  uint32_t total = 0;
  for (uint32_t w = 0; w < count; w++) result.first[w] = total += result.first[w];
  result.first[count] = total;
  result.preds.resize(total);
  for (uint32_t v = 0; v < count; v++) {
    const uint32_t node = vertex[v];
    for (uint32_t e = graph.first_edge(node); e < graph.first_edge(node + 1); e++) {
      if (Keeps(graph, e)) result.preds[--result.first[number[graph.edge_to(e)]]] = v;
    }
  }
  return result;
}

// The forest of Lengauer-Tarjan's EVAL and LINK, over preorder numbers.
class Forest {
 public:
  Forest(uint32_t count, const std::vector<uint32_t>& semi)
      : semi_(semi), ancestor_(count, kNone), label_(count) {
    for (uint32_t v = 0; v < count; v++) label_[v] = v;
  }

  void Link(uint32_t parent, uint32_t child) { ancestor_[child] = parent; }

  // The node of smallest semidominator on the forest path above v (v's root excluded).
  uint32_t Eval(uint32_t v) {
    if (ancestor_[v] == kNone) return v;
    Compress(v);
    return label_[v];
  }

 private:
  // The paper's recursive COMPRESS, unrolled: collect the path from v up to (not including)
  // the first node whose ancestor is a root of the forest, then fold it from the top down, so
  // that each node sees its ancestor's already-compressed label.
  void Compress(uint32_t v) {
    path_.clear();
    for (uint32_t x = v; ancestor_[ancestor_[x]] != kNone; x = ancestor_[x]) path_.push_back(x);
    while (!path_.empty()) {
      const uint32_t x = path_.back();
      path_.pop_back();
      const uint32_t a = ancestor_[x];
      if (semi_[label_[a]] < semi_[label_[x]]) label_[x] = label_[a];
      ancestor_[x] = ancestor_[a];
    }
  }

  const std::vector<uint32_t>& semi_;
  std::vector<uint32_t> ancestor_;
  std::vector<uint32_t> label_;
  std::vector<uint32_t> path_;
};

// Immediate dominators of the numbered nodes, by preorder number (the root's is itself).
std::vector<uint32_t> ImmediateDominators(const std::vector<uint32_t>& parent, const Predecessors& reverse) {
  const uint32_t count = static_cast<uint32_t>(parent.size());
  std::vector<uint32_t> semi(count);
  for (uint32_t v = 0; v < count; v++) semi[v] = v;
  std::vector<uint32_t> dom(count, 0);
  // Buckets as linked lists: a node waits in one bucket at a time (that of its semidominator).
  std::vector<uint32_t> bucket_head(count, kNone);
  std::vector<uint32_t> bucket_next(count, kNone);
  Forest forest(count, semi);
  for (uint32_t w = count - 1; w >= 1; w--) {
    // The semidominator: the smallest-numbered node with a path to w through higher numbers.
    for (uint32_t p = reverse.first[w]; p < reverse.first[w + 1]; p++) {
      const uint32_t u = forest.Eval(reverse.preds[p]);
      if (semi[u] < semi[w]) semi[w] = semi[u];
    }
    bucket_next[w] = bucket_head[semi[w]];
    bucket_head[semi[w]] = w;
    const uint32_t p = parent[w];
    forest.Link(p, w);
    // Every node whose semidominator is p: its immediate dominator is p, or (implicitly) that
    // of u, which the last pass resolves.
    for (uint32_t v = bucket_head[p]; v != kNone; v = bucket_next[v]) {
      const uint32_t u = forest.Eval(v);
      dom[v] = semi[u] < semi[v] ? u : p;
    }
    bucket_head[p] = kNone;
  }
  // Increasing preorder: dom[dom[w]] is final by the time w is reached.
  for (uint32_t w = 1; w < count; w++) {
    if (dom[w] != semi[w]) dom[w] = dom[dom[w]];
  }
  dom[0] = 0;
  return dom;
}

}  // namespace

DominatorTree::DominatorTree(const GraphIndex& graph, uint32_t root)
    : idom_(graph.node_count(), kNone), retained_(graph.node_count(), 0) {
  // Each stage's scratch arrays go as soon as it is done, to keep the peak low.
  Preorder order;
  Predecessors reverse;
  {
    std::vector<uint32_t> number;  // node index -> preorder number
    order = Search(graph, root, number);
    reverse = Reverse(graph, order.vertex, number);
  }
  std::vector<uint32_t> dom = ImmediateDominators(order.parent, reverse);
  reverse = Predecessors();
  order.parent = std::vector<uint32_t>();

  const std::vector<uint32_t>& vertex = order.vertex;
  const uint32_t count = static_cast<uint32_t>(vertex.size());
  for (uint32_t v = 0; v < count; v++) {
    idom_[vertex[v]] = vertex[dom[v]];
    retained_[vertex[v]] = graph.node(vertex[v])->GetShallowSize();
  }
  // Backwards in preorder: a node's dominated nodes all have higher numbers, so each node's
  // total is complete before it is added to its dominator's.
  for (uint32_t v = count - 1; v >= 1; v--) retained_[vertex[dom[v]]] += retained_[vertex[v]];
}

DominatorTree::Children DominatorTree::BuildChildren(uint32_t root) const {
  const uint32_t n = static_cast<uint32_t>(idom_.size());
  Children out;
  out.first.assign(n + 1, 0);
  for (uint32_t i = 0; i < n; i++) {
    if (i != root && idom_[i] != kNone) out.first[idom_[i] + 1]++;
  }
  for (uint32_t i = 0; i < n; i++) out.first[i + 1] += out.first[i];
  out.children.resize(out.first[n]);
  std::vector<uint32_t> fill(out.first.begin(), out.first.end() - 1);
  for (uint32_t i = 0; i < n; i++) {
    if (i != root && idom_[i] != kNone) out.children[fill[idom_[i]]++] = i;
  }
  return out;
}

}  // namespace memalot

// What holds a heap object, said the way a JavaScript developer sees it in the code.
//
// A heap snapshot names edges the way V8 stores objects: a Map's entries are internal slots of
// a hash table, a closure's variables are slots of a Context, a module's exported bindings are
// Cells in a table of the module record, an EventEmitter's listeners are elements of an array
// under a property of its `_events` object. The labeller walks back from an object through
// such internal nodes (hidden classes, backing stores, hash tables, contexts, cells) to the
// object the program can see, and names the whole way in one label:
//
//   Session.user (property)            Array index=3
//   Map value for key "sess-42"        Set member           WeakMap value for key Token
//   handle.ctx (closure variable)      sessionCache (module variable in src/cache.js)
//   globalThis.registry (global)       EventEmitter 'shutdown' listener
//   Timeout callback (timer)           Promise reaction (then/catch/finally handler)
//
// Edges that V8 keeps twice (an array's element both from the array and from its backing
// store) are named once, from the object the program sees. Weak edges hold nothing and are
// skipped.
#pragma once

#include <v8-isolate.h>
#include <v8-profiler.h>

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "graph_index.h"
#include "type_classifier.h"

namespace memalot {

// One way a node is held: by `holder`, through what `label` says.
struct Referrer {
  static constexpr uint32_t kNoHolder = UINT32_MAX;
  // The node index of the object that holds it; kNoHolder when the label itself ends the
  // path (a module variable, a global, a GC root).
  uint32_t holder = kNoHolder;
  std::string label;
  // The heap object ID shown with the label: the holder's, or for a module variable or a
  // root, the context's or root's.
  v8::SnapshotObjectId label_object_id = 0;
  // Through V8's bookkeeping (compiled code, feedback, internal slots) rather than something
  // written in the program: shown after the others.
  bool internal = false;
  // The path ends here: at something that is always alive.
  bool root = false;
};

struct LabelOptions {
  // Scripts whose top-level variables are named as module variables (and end the path):
  // prefixes of the script's path, or of a package name under node_modules. Empty with
  // `user_code_only`: every script that is neither under node_modules nor Node's own.
  std::vector<std::string> module_prefixes;
  bool user_code_only = true;
  // Paths under this directory are shown relative to it.
  std::string cwd;
  // The program's function whose frame holds what the stack holds, as the report names it
  // ("main (running, at jobs.js:12)"), which closure variables of a running function end at;
  // and the label of a path that ends at the stack ("a local of main (...)"). Empty: unknown.
  std::string running_code;
  std::string stack_label;
};

class RetainerLabeler {
 public:
  RetainerLabeler(v8::Isolate* isolate, GraphIndex& graph, TypeClassifier& classifier,
                  LabelOptions options);

  // Every way node `index` is held, but for weak references.
  void ReferrersOf(uint32_t index, std::vector<Referrer>& out);
  // The name of an object in a referrer graph: "Session (object)", "Function handle
  // (closure)", "globalThis (global object)".
  std::string ObjectName(uint32_t index);
  bool IsClosure(uint32_t index) const;

 private:
  using NodeType = v8::HeapGraphNode::Type;

  NodeType TypeOf(uint32_t index) const { return graph_.node(index)->GetType(); }
  const std::string& Name(uint32_t index);
  // An edge's name: a property or variable name, or an index written in decimal.
  std::string EdgeName(uint32_t from, uint32_t edge);
  // An edge's index, for the numbered ones (elements, and slots of internal arrays); -1 else.
  int64_t EdgeIndex(uint32_t from, uint32_t edge);

  bool IsSystem(uint32_t index);
  bool IsContext(uint32_t index);
  bool IsGlobalObject(uint32_t index);
  // What the program can see and name: its objects, functions, regexps, and the embedder's.
  bool IsVisible(uint32_t index);

  // The node that `from` refers to through an edge of this type and name, or UINT32_MAX.
  uint32_t Child(uint32_t from, v8::HeapGraphEdge::Type type, const char* name);
  // The first node that refers to `to` through an edge of this type and name, or UINT32_MAX.
  uint32_t Parent(uint32_t to, v8::HeapGraphEdge::Type type, const char* name);

  bool IsHiddenClassEdge(uint32_t from, uint32_t edge);

  // The cases, one per way V8 stores a reference.
  void FromVisible(uint32_t holder, uint32_t edge, std::vector<Referrer>& out);
  void FromContext(uint32_t context, uint32_t edge, std::vector<Referrer>& out);
  void FromInternal(uint32_t node, uint32_t edge, std::vector<Referrer>& out);
  // The number of buckets of a Map's hash table, or -1 when its size does not tell.
  int64_t MapBuckets(uint32_t table);
  void FromCollectionTable(uint32_t table, uint32_t collection, uint32_t edge, std::vector<Referrer>& out);
  void FromModuleCell(uint32_t cell, std::vector<Referrer>& out);
  void FromRoot(uint32_t root, std::vector<Referrer>& out);
  bool IsPromiseReaction(uint32_t index);
  // The head of the list of a pending promise's reactions that `reaction` is in.
  uint32_t FirstReaction(uint32_t reaction);
  // Walks back from an internal node to the visible objects that own it.
  void ThroughInternals(uint32_t start, std::vector<Referrer>& out);

  // When `object` is an EventEmitter's `_events` (held by property `_events`), the emitter.
  uint32_t EmitterOf(uint32_t object);
  // Labels for a referrer of `target` held by property `name` of `holder`, or element `index`
  // of an array `holder`, when the holder is part of an EventEmitter's listener bookkeeping.
  bool AsListener(uint32_t holder, const std::string& event, std::vector<Referrer>& out);

  // Contexts: the function that declared the context's variables, the script a context's
  // code comes from, and whether its variables are module variables to name as such.
  std::string DeclaringFunction(uint32_t context);
  // The SharedFunctionInfo of the function whose code creates a scope, or UINT32_MAX.
  uint32_t SharedFunctionOf(uint32_t scope_info);
  // The name of a block-scoped variable held through a hidden edge of its context: one name,
  // or the names it may be when that cannot be told; none when no name is known.
  std::vector<std::string> BlockVariables(uint32_t context, uint32_t edge);
  std::string ScriptOfContext(uint32_t context);
  bool IsModuleContext(uint32_t context);
  bool IsModuleOfInterest(const std::string& script) const;
  std::string ShortScript(const std::string& script) const;
  std::string TargetDescription(uint32_t index);

  // The node in slot `slot` of an internal array, looked for back from its edge `edge`, which
  // is at a later slot; kNone when that slot holds no object.
  uint32_t SlotBefore(uint32_t table, uint32_t edge, int64_t slot);

  v8::Isolate* isolate_;
  GraphIndex& graph_;
  TypeClassifier& classifier_;
  LabelOptions options_;
  std::unordered_map<uint32_t, std::string> names_;
  std::unordered_map<uint32_t, int8_t> global_;  // 1: a global object, 0: not
};

}  // namespace memalot

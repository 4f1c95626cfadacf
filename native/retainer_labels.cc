#include "retainer_labels.h"

#include <cstdlib>
#include <string_view>
#include <unordered_set>

namespace memalot {

namespace {

using Edge = v8::HeapGraphEdge;

constexpr std::string_view kSystemPrefix = "system / ";
constexpr uint32_t kNone = UINT32_MAX;
// How far back through V8's internal nodes the labeller looks for the object that owns one.
constexpr int kInternalDepth = 4;
constexpr size_t kInternalVisits = 64;

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && text.compare(0, prefix.size(), prefix) == 0;
}

// A string key as the program would write it, quoted and cut.
std::string Quoted(const std::string& text) {
  constexpr size_t kMax = 40;
  std::string out = "\"";
  for (size_t i = 0; i < text.size() && i < kMax; i++) {
    char c = text[i];
    if (c == '"' || c == '\\') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  if (text.size() > kMax) out += "…";
  return out + "\"";
}

}  // namespace

RetainerLabeler::RetainerLabeler(v8::Isolate* isolate, GraphIndex& graph, TypeClassifier& classifier,
                                 LabelOptions options)
    : isolate_(isolate), graph_(graph), classifier_(classifier), options_(std::move(options)) {
  graph_.BuildIncoming();
}

const std::string& RetainerLabeler::Name(uint32_t index) {
  auto found = names_.find(index);
  if (found != names_.end()) return found->second;
  return names_.emplace(index, classifier_.NameOf(graph_.node(index))).first->second;
}

std::string RetainerLabeler::EdgeName(uint32_t from, uint32_t edge) {
  v8::Local<v8::Value> name = graph_.edge(from, edge)->GetName();
  if (name->IsNumber()) return std::to_string(static_cast<int64_t>(name.As<v8::Number>()->Value()));
  v8::String::Utf8Value text(isolate_, name);
  return *text != nullptr ? std::string(*text, text.length()) : std::string();
}

int64_t RetainerLabeler::EdgeIndex(uint32_t from, uint32_t edge) {
  v8::Local<v8::Value> name = graph_.edge(from, edge)->GetName();
  if (name->IsNumber()) return static_cast<int64_t>(name.As<v8::Number>()->Value());
  // Internal slots of arrays are numbered with names such as "6".
  v8::String::Utf8Value text(isolate_, name);
  if (*text == nullptr || text.length() == 0 || text.length() > 10) return -1;
  for (int i = 0; i < text.length(); i++) {
    if ((*text)[i] < '0' || (*text)[i] > '9') return -1;
  }
  return std::strtoll(*text, nullptr, 10);
}

bool RetainerLabeler::IsSystem(uint32_t index) { return StartsWith(Name(index), kSystemPrefix); }

bool RetainerLabeler::IsContext(uint32_t index) {
  return TypeOf(index) == NodeType::kObject && StartsWith(Name(index), "system / Context");
}

bool RetainerLabeler::IsGlobalObject(uint32_t index) {
  auto cached = global_.find(index);
  if (cached != global_.end()) return cached->second == 1;
  // Node names its global object "global" (V8 13 and later: "global (global*)", and the
  // proxy in front of it "global (global)"); a native context refers to it by name.
  bool global = false;
  if (TypeOf(index) == NodeType::kObject) {
    const std::string& name = Name(index);
    global = name == "global" || StartsWith(name, "global (") || name == "Window" || StartsWith(name, "Window (");
  }
  global_.emplace(index, global ? 1 : 0);
  return global;
}

bool RetainerLabeler::IsVisible(uint32_t index) {
  switch (TypeOf(index)) {
    case NodeType::kObject:
      return !IsSystem(index);
    case NodeType::kClosure:
    case NodeType::kRegExp:
    case NodeType::kNative:
      return true;
    default:
      return false;
  }
}

bool RetainerLabeler::IsClosure(uint32_t index) const { return TypeOf(index) == NodeType::kClosure; }

uint32_t RetainerLabeler::Child(uint32_t from, Edge::Type type, const char* name) {
  for (uint32_t e = graph_.first_edge(from); e < graph_.first_edge(from + 1); e++) {
    if (graph_.edge_type(e) == type && EdgeName(from, e) == name) return graph_.edge_to(e);
  }
  return kNone;
}

uint32_t RetainerLabeler::Parent(uint32_t to, Edge::Type type, const char* name) {
  for (uint32_t k = graph_.first_in(to); k < graph_.first_in(to + 1); k++) {
    const uint32_t e = graph_.in_edge(k);
    if (graph_.edge_type(e) == type && EdgeName(graph_.in_from(k), e) == name) return graph_.in_from(k);
  }
  return kNone;
}

std::string RetainerLabeler::ObjectName(uint32_t index) {
  const std::string& name = Name(index);
  switch (TypeOf(index)) {
    case NodeType::kClosure:
      return "Function " + (name.empty() ? std::string("(anonymous)") : name) + " (closure)";
    case NodeType::kRegExp:
      return "RegExp " + name + " (object)";
    case NodeType::kNative:
      return name + " (native)";
    case NodeType::kSynthetic:
      return name + " (root)";
    case NodeType::kObject:
      if (IsGlobalObject(index)) return "globalThis (global object)";
      return (name.empty() ? std::string("Object") : name) + " (object)";
    case NodeType::kString:
    case NodeType::kConsString:
    case NodeType::kSlicedString:
      return "string (primitive)";
    default:
      return name + " (internal)";
  }
}

std::string RetainerLabeler::TargetDescription(uint32_t index) {
  switch (TypeOf(index)) {
    case NodeType::kString:
    case NodeType::kConsString:
    case NodeType::kSlicedString:
      return Quoted(Name(index));
    case NodeType::kHeapNumber:
      return "a number";
    case NodeType::kObject:
      if (!IsSystem(index)) return (Name(index).empty() ? std::string("Object") : Name(index)) +
                                   " (id=" + std::to_string(graph_.node(index)->GetId()) + ")";
      [[fallthrough]];
    default:
      return ObjectName(index);
  }
}

void RetainerLabeler::ReferrersOf(uint32_t index, std::vector<Referrer>& out) {
  for (uint32_t k = graph_.first_in(index); k < graph_.first_in(index + 1); k++) {
    const uint32_t from = graph_.in_from(k);
    const uint32_t edge = graph_.in_edge(k);
    const Edge::Type type = graph_.edge_type(edge);
    // Weak references keep nothing alive; shortcuts repeat a path that exists anyway.
    if (type == Edge::kWeak || type == Edge::kShortcut) continue;
    if (TypeOf(from) == NodeType::kSynthetic) {
      FromRoot(from, out);
    } else if (IsContext(from) && type == Edge::kContextVariable) {
      FromContext(from, edge, out);
    } else if (IsVisible(from)) {
      FromVisible(from, edge, index, out);
    } else {
      FromInternal(from, edge, index, out);
    }
  }
}

void RetainerLabeler::FromRoot(uint32_t root, std::vector<Referrer>& out) {
  const std::string& name = Name(root);
  Referrer referrer;
  referrer.root = true;
  referrer.label_object_id = graph_.node(root)->GetId();
  if (name == "(Stack roots)") {
    referrer.label = "a running function's variable or temporary (stack)";
  } else if (name == "(Global handles)") {
    referrer.label = "a global handle (held by native code)";
  } else if (name == "(Handle scope)") {
    referrer.label = "a handle scope (native code running now)";
  } else {
    referrer.label = name.empty() ? std::string("(GC roots)") : name;
  }
  out.push_back(std::move(referrer));
}

void RetainerLabeler::FromVisible(uint32_t holder, uint32_t edge, uint32_t target, std::vector<Referrer>& out) {
  const Edge::Type type = graph_.edge_type(edge);
  const std::string edge_name = EdgeName(holder, edge);
  const std::string& holder_name = Name(holder);
  Referrer referrer;
  referrer.holder = holder;
  referrer.label_object_id = graph_.node(holder)->GetId();
  if (type == Edge::kProperty) {
    if (IsGlobalObject(holder)) {
      referrer.label = "globalThis." + edge_name + " (global)";
      referrer.holder = Referrer::kNoHolder;
      referrer.root = true;
    } else if (AsListener(holder, edge_name, out)) {
      return;
    } else if (edge_name == "_onTimeout" && holder_name == "Timeout") {
      referrer.label = "Timeout callback (timer)";
    } else if (edge_name == "_onImmediate" && holder_name == "Immediate") {
      referrer.label = "Immediate callback (setImmediate)";
    } else if (edge_name == "__proto__") {
      referrer.label = (holder_name.empty() ? std::string("Object") : holder_name) + ".__proto__ (prototype)";
      referrer.internal = true;
    } else {
      referrer.label = (holder_name.empty() ? std::string("Object") : holder_name) + "." + edge_name + " (property)";
    }
  } else if (type == Edge::kElement) {
    // A listener array: element of an array held by property <event> of an `_events` object.
    if (holder_name == "Array") {
      for (uint32_t k = graph_.first_in(holder); k < graph_.first_in(holder + 1); k++) {
        const uint32_t owner = graph_.in_from(k);
        const uint32_t owner_edge = graph_.in_edge(k);
        if (graph_.edge_type(owner_edge) == Edge::kProperty && IsVisible(owner) &&
            EmitterOf(owner) != kNone && AsListener(owner, EdgeName(owner, owner_edge), out)) {
          return;
        }
      }
    }
    referrer.label = (holder_name.empty() ? std::string("Object") : holder_name) + " index=" + edge_name;
  } else if (type == Edge::kInternal || type == Edge::kHidden) {
    if (edge_name == "table") return;  // a collection's own table is never a target
    if (edge_name == "elements" || edge_name == "properties") return;  // named by the direct edges
    const std::string_view part_of_key = "part of key (";
    const size_t weak_entry = edge_name.find(part_of_key);
    if (weak_entry != std::string::npos) {
      // V8 names the key's hold on a WeakMap value "N / part of key (Key @1) -> value (...)".
      const size_t start = weak_entry + part_of_key.size();
      const size_t at = edge_name.find(" @", start);
      referrer.label = "WeakMap value for key " + edge_name.substr(start, at == std::string::npos ? 0 : at - start) +
                       " (held by its key)";
    } else if (holder_name == "Promise" && edge_name == "reactions_or_result") {
      referrer.label = "Promise result";
    } else if (StartsWith(edge_name, "bound_")) {
      referrer.label = "bound function (" + edge_name.substr(6) + ")";
    } else {
      referrer.label = ObjectName(holder) + " (internal " + edge_name + ")";
      referrer.internal = true;
    }
  } else {
    referrer.label = ObjectName(holder) + " (" + edge_name + ")";
    referrer.internal = true;
  }
  out.push_back(std::move(referrer));
  (void)target;
}

uint32_t RetainerLabeler::EmitterOf(uint32_t object) {
  // EventEmitter keeps its listeners in `this._events`, a prototype-less object keyed by event.
  return Parent(object, Edge::kProperty, "_events");
}

bool RetainerLabeler::AsListener(uint32_t holder, const std::string& event, std::vector<Referrer>& out) {
  const uint32_t emitter = EmitterOf(holder);
  if (emitter == kNone || !IsVisible(emitter)) return false;
  Referrer referrer;
  referrer.holder = emitter;
  referrer.label_object_id = graph_.node(emitter)->GetId();
  const std::string& emitter_name = Name(emitter);
  referrer.label = (emitter_name.empty() ? std::string("EventEmitter") : emitter_name) + " '" + event + "' listener";
  out.push_back(std::move(referrer));
  return true;
}

std::string RetainerLabeler::DeclaringFunction(uint32_t context) {
  // A ScopeInfo lists the context's variable names, then the function's own name: the first
  // name it holds that is not one of the variables is the function that declared them.
  const uint32_t scope_info = Child(context, Edge::kInternal, "scope_info");
  if (scope_info == kNone) return {};
  std::unordered_set<std::string> variables;
  for (uint32_t e = graph_.first_edge(context); e < graph_.first_edge(context + 1); e++) {
    if (graph_.edge_type(e) == Edge::kContextVariable) variables.insert(EdgeName(context, e));
  }
  for (uint32_t e = graph_.first_edge(scope_info); e < graph_.first_edge(scope_info + 1); e++) {
    const uint32_t to = graph_.edge_to(e);
    if (TypeOf(to) != NodeType::kString) continue;
    const std::string& name = Name(to);
    if (!name.empty() && variables.count(name) == 0) return name;
  }
  return {};
}

std::string RetainerLabeler::ScriptOfContext(uint32_t context) {
  // The functions created in a scope share its context: any of them names the script.
  for (int depth = 0; depth < 4 && context != kNone; depth++) {
    for (uint32_t k = graph_.first_in(context); k < graph_.first_in(context + 1); k++) {
      const uint32_t from = graph_.in_from(k);
      if (TypeOf(from) != NodeType::kClosure) continue;
      const std::string& script = classifier_.ScriptOf(graph_.node(from));
      if (!script.empty()) return script;
    }
    // No closure of its own: an inner scope's closure still names the same script.
    uint32_t inner = kNone;
    for (uint32_t k = graph_.first_in(context); k < graph_.first_in(context + 1) && inner == kNone; k++) {
      const uint32_t from = graph_.in_from(k);
      if (IsContext(from) && EdgeName(from, graph_.in_edge(k)) == "previous") inner = from;
    }
    context = inner;
  }
  return {};
}

bool RetainerLabeler::IsModuleContext(uint32_t context) {
  // A module's (or a CommonJS module function's) top-level scope is the one right inside the
  // native context; an ES module's context also points to its module record.
  const uint32_t previous = Child(context, Edge::kInternal, "previous");
  if (previous == kNone) return false;
  const std::string& name = Name(previous);
  return StartsWith(name, "system / NativeContext") || StartsWith(name, "system / ScriptContext");
}

bool RetainerLabeler::IsModuleOfInterest(const std::string& script) const {
  if (script.empty()) return false;
  std::string path = StartsWith(script, "file://") ? script.substr(7) : script;
  if (options_.user_code_only) {
    return !StartsWith(path, "node:") && path.find("/node_modules/") == std::string::npos &&
           path.find("internal/") != 0;
  }
  const std::string_view modules = "/node_modules/";
  const size_t in_modules = path.rfind(modules);
  const std::string package = in_modules == std::string::npos ? std::string() : path.substr(in_modules + modules.size());
  for (const std::string& prefix : options_.module_prefixes) {
    if (StartsWith(path, prefix) || StartsWith(script, prefix) || (!package.empty() && StartsWith(package, prefix))) {
      return true;
    }
  }
  return false;
}

std::string RetainerLabeler::ShortScript(const std::string& script) const {
  std::string path = StartsWith(script, "file://") ? script.substr(7) : script;
  if (!options_.cwd.empty() && StartsWith(path, options_.cwd + "/")) return path.substr(options_.cwd.size() + 1);
  return path;
}

void RetainerLabeler::FromContext(uint32_t context, uint32_t edge, std::vector<Referrer>& out) {
  const std::string variable = EdgeName(context, edge);
  if (IsModuleContext(context)) {
    const std::string script = ScriptOfContext(context);
    if (IsModuleOfInterest(script)) {
      Referrer referrer;
      referrer.label = variable + " (module variable in " + ShortScript(script) + ")";
      referrer.label_object_id = graph_.node(context)->GetId();
      referrer.root = true;
      out.push_back(std::move(referrer));
      return;
    }
  }
  const std::string function = DeclaringFunction(context);
  const std::string label = (function.empty() ? std::string() : function + ".") + variable + " (closure variable)";
  // The holders: the functions (and generators, async functions) created in this scope or in
  // a scope inside it, which is what keeps the context alive.
  const size_t before = out.size();
  std::vector<uint32_t> contexts{context};
  std::unordered_set<uint32_t> seen{context};
  for (size_t i = 0; i < contexts.size() && i < 16; i++) {
    const uint32_t current = contexts[i];
    for (uint32_t k = graph_.first_in(current); k < graph_.first_in(current + 1); k++) {
      const uint32_t from = graph_.in_from(k);
      const uint32_t in_edge = graph_.in_edge(k);
      const Edge::Type type = graph_.edge_type(in_edge);
      if (type == Edge::kWeak || type == Edge::kShortcut) continue;
      if (IsContext(from)) {
        if (EdgeName(from, in_edge) == "previous" && seen.insert(from).second) contexts.push_back(from);
      } else if (IsVisible(from)) {
        Referrer referrer;
        referrer.holder = from;
        referrer.label = label;
        referrer.label_object_id = graph_.node(from)->GetId();
        out.push_back(std::move(referrer));
      } else if (TypeOf(from) == NodeType::kSynthetic) {
        Referrer referrer;
        referrer.label = label + " of a running function";
        referrer.label_object_id = graph_.node(context)->GetId();
        referrer.root = true;
        out.push_back(std::move(referrer));
      }
    }
  }
  if (out.size() == before) {
    // Held only by V8's internals (a suspended generator's frame, compiled code).
    ThroughInternals(context, out);
  }
}

void RetainerLabeler::FromCollectionTable(uint32_t table, uint32_t collection, uint32_t edge, uint32_t target,
                                          std::vector<Referrer>& out) {
  const std::string& kind = Name(collection);
  Referrer referrer;
  referrer.holder = collection;
  referrer.label_object_id = graph_.node(collection)->GetId();
  const std::string edge_name = EdgeName(table, edge);
  const size_t weak_entry = edge_name.find("part of key (");
  if (weak_entry != std::string::npos) {
    const size_t start = weak_entry + 13;
    const size_t at = edge_name.find(" @", start);
    referrer.label = kind + " value for key " + edge_name.substr(start, at == std::string::npos ? 0 : at - start);
    out.push_back(std::move(referrer));
    return;
  }
  if (kind == "Set" || kind == "WeakSet") {
    referrer.label = kind + " member";
    out.push_back(std::move(referrer));
    return;
  }
  // An OrderedHashMap holds 3 header slots and a power-of-two number of buckets (numbers,
  // which have no edges), then entries of key, value and chain (a number). So keys and values
  // sit in two residues modulo 3, fixed by the bucket count: whichever residue the table's
  // edges leave empty is the chain's, and tells which slot is a key.
  const int64_t slot = EdgeIndex(table, edge);
  bool seen[3] = {false, false, false};
  for (uint32_t e = graph_.first_edge(table); e < graph_.first_edge(table + 1); e++) {
    const int64_t index = EdgeIndex(table, e);
    if (index >= 3) seen[index % 3] = true;
  }
  // Keys in residue 1 (values in 2), or keys in 2 (values in 0).
  int key_residue = seen[0] && !seen[1] ? 2 : (seen[1] && !seen[0] ? 1 : (seen[2] ? 1 : -1));
  if (slot < 0 || key_residue < 0 || (seen[0] && seen[1])) {
    referrer.label = kind + " entry";
  } else if (slot % 3 == key_residue) {
    referrer.label = kind + " key";
  } else {
    // The key sits in the slot before the value; none when it is a small integer.
    std::string key = "<a small integer>";
    for (uint32_t e = graph_.first_edge(table); e < graph_.first_edge(table + 1); e++) {
      if (EdgeIndex(table, e) == slot - 1) key = TargetDescription(graph_.edge_to(e));
    }
    referrer.label = kind + " value for key " + key;
  }
  out.push_back(std::move(referrer));
  (void)target;
}

void RetainerLabeler::FromModuleCell(uint32_t cell, std::vector<Referrer>& out) {
  // An ES module's exported binding lives in a Cell, in the module's table of exports: a hash
  // table of name, cell pairs.
  for (uint32_t k = graph_.first_in(cell); k < graph_.first_in(cell + 1); k++) {
    const uint32_t table = graph_.in_from(k);
    const int64_t slot = EdgeIndex(table, graph_.in_edge(k));
    if (TypeOf(table) != NodeType::kArray || slot < 1) continue;
    uint32_t module = kNone;
    for (uint32_t m = graph_.first_in(table); m < graph_.first_in(table + 1); m++) {
      if (Name(graph_.in_from(m)) == "system / SourceTextModule") module = graph_.in_from(m);
    }
    if (module == kNone) continue;
    std::string name;
    for (uint32_t e = graph_.first_edge(table); e < graph_.first_edge(table + 1); e++) {
      if (EdgeIndex(table, e) == slot - 1 && TypeOf(graph_.edge_to(e)) == NodeType::kString) name = Name(graph_.edge_to(e));
    }
    // The module's own context points back to the module record.
    std::string script;
    const uint32_t context = Parent(module, Edge::kInternal, "extension");
    if (context != kNone) script = ScriptOfContext(context);
    Referrer referrer;
    referrer.label = (name.empty() ? std::string("an export") : name) + " (module variable" +
                     (script.empty() ? std::string() : " in " + ShortScript(script)) + ")";
    referrer.label_object_id = graph_.node(cell)->GetId();
    referrer.root = script.empty() || IsModuleOfInterest(script);
    if (!referrer.root) {
      // Not one of the modules of interest: go on to what holds the module.
      ThroughInternals(cell, out);
      return;
    }
    out.push_back(std::move(referrer));
    return;
  }
  ThroughInternals(cell, out);
}

void RetainerLabeler::FromInternal(uint32_t node, uint32_t edge, uint32_t target, std::vector<Referrer>& out) {
  const std::string& name = Name(node);
  if (name == "system / Cell") {
    FromModuleCell(node, out);
    return;
  }
  if (name == "system / PropertyCell") return;  // a global's property: named from the global
  if (TypeOf(node) == NodeType::kArray) {
    for (uint32_t k = graph_.first_in(node); k < graph_.first_in(node + 1); k++) {
      const uint32_t owner = graph_.in_from(k);
      const std::string owner_edge = EdgeName(owner, graph_.in_edge(k));
      if (!IsVisible(owner)) continue;
      // Backing stores of elements and properties: the owner's own edges name the reference.
      if (owner_edge == "elements" || owner_edge == "properties") return;
      if (owner_edge == "table") {
        FromCollectionTable(node, owner, edge, target, out);
        return;
      }
    }
  }
  ThroughInternals(node, out);
}

void RetainerLabeler::ThroughInternals(uint32_t start, std::vector<Referrer>& out) {
  // Breadth first through V8's own nodes to the visible objects (or roots) that own them.
  struct Visit {
    uint32_t node;
    int depth;
    bool reaction;  // passed through a promise reaction
  };
  std::vector<Visit> queue{{start, 0, Name(start) == "system / PromiseReaction"}};
  std::unordered_set<uint32_t> seen{start};
  std::unordered_set<uint32_t> holders;
  for (size_t i = 0; i < queue.size() && seen.size() < kInternalVisits; i++) {
    const Visit visit = queue[i];
    for (uint32_t k = graph_.first_in(visit.node); k < graph_.first_in(visit.node + 1); k++) {
      const uint32_t from = graph_.in_from(k);
      const uint32_t edge = graph_.in_edge(k);
      const Edge::Type type = graph_.edge_type(edge);
      if (type == Edge::kWeak || type == Edge::kShortcut) continue;
      if (!seen.insert(from).second) continue;
      if (TypeOf(from) == NodeType::kSynthetic) {
        FromRoot(from, out);
        out.back().label += " via V8 internals";
        out.back().internal = true;
        continue;
      }
      if (IsVisible(from)) {
        if (!holders.insert(from).second) continue;
        Referrer referrer;
        referrer.holder = from;
        referrer.label_object_id = graph_.node(from)->GetId();
        if (visit.reaction && Name(from) == "Promise") {
          referrer.label = "Promise reaction (then/catch/finally handler)";
        } else {
          referrer.label = ObjectName(from) + " (internal " + EdgeName(from, edge) + ")";
          referrer.internal = true;
        }
        out.push_back(std::move(referrer));
        continue;
      }
      if (visit.depth + 1 < kInternalDepth) {
        queue.push_back({from, visit.depth + 1, visit.reaction || Name(from) == "system / PromiseReaction"});
      }
    }
  }
}

}  // namespace memalot

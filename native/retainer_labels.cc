#include "retainer_labels.h"

#include <algorithm>
#include <cstddef>
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
// The longest list of a promise's reactions walked to its head.
constexpr size_t kReactionListMax = 10'000'000;

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
      return "<a number>";
    case NodeType::kObject:
      if (!IsSystem(index)) return (Name(index).empty() ? std::string("Object") : Name(index)) +
                                   " (id=" + std::to_string(graph_.node(index)->GetId()) + ")";
      [[fallthrough]];
    default:
      return ObjectName(index);
  }
}

bool RetainerLabeler::IsHiddenClassEdge(uint32_t from, uint32_t edge) {
  // A hidden class (V8's Map of an object's shape) is shared by every object of that shape,
  // and holds the shape's prototype and constructor. Walking back through it would name as
  // holders all the objects of the shape, which keep nothing alive in a way the program
  // could change: an object's own "map" edge, and whatever a hidden class holds, are left out.
  // Likewise an object's __proto__: the prototype is held by its constructor's `prototype`,
  // and naming every instance as a holder of it would bury that one path.
  if (TypeOf(from) == NodeType::kObjectShape) return true;
  const std::string name = EdgeName(from, edge);
  return name == "map" || (name == "__proto__" && graph_.edge_type(edge) == Edge::kProperty);
}

void RetainerLabeler::ReferrersOf(uint32_t index, std::vector<Referrer>& out) {
  for (uint32_t k = graph_.first_in(index); k < graph_.first_in(index + 1); k++) {
    const uint32_t from = graph_.in_from(k);
    const uint32_t edge = graph_.in_edge(k);
    const Edge::Type type = graph_.edge_type(edge);
    // Weak references keep nothing alive; shortcuts repeat a path that exists anyway.
    if (type == Edge::kWeak || type == Edge::kShortcut) continue;
    if (IsHiddenClassEdge(from, edge)) continue;
    if (TypeOf(from) == NodeType::kSynthetic) {
      FromRoot(from, out);
    } else if (IsContext(from) && (type == Edge::kContextVariable || type == Edge::kHidden)) {
      FromContext(from, edge, out);
    } else if (IsVisible(from)) {
      FromVisible(from, edge, out);
    } else {
      FromInternal(from, edge, out);
    }
  }
}

void RetainerLabeler::FromRoot(uint32_t root, std::vector<Referrer>& out) {
  const std::string& name = Name(root);
  Referrer referrer;
  referrer.root = true;
  referrer.label_object_id = graph_.node(root)->GetId();
  if (name == "(Stack roots)") {
    referrer.label = options_.stack_label.empty() ? std::string("a running function's variable or temporary (stack)")
                                                  : options_.stack_label;
  } else if (name == "(Global handles)") {
    referrer.label = "a global handle (held by native code)";
  } else if (name == "(Handle scope)") {
    referrer.label = "a handle scope (native code running now)";
  } else {
    referrer.label = name.empty() ? std::string("(GC roots)") : name;
  }
  out.push_back(std::move(referrer));
}

void RetainerLabeler::FromVisible(uint32_t holder, uint32_t edge, std::vector<Referrer>& out) {
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
    } else if (edge_name == "context" && TypeOf(holder) == NodeType::kClosure &&
               classifier_.ScriptOf(graph_.node(holder)).empty()) {
      // V8's own functions that resume an async function after an await, or settle a promise.
      referrer.label = "await or promise continuation (V8 internal function's scope)";
      referrer.internal = true;
    } else {
      referrer.label = ObjectName(holder) + " (internal " + edge_name + ")";
      referrer.internal = true;
    }
  } else {
    referrer.label = ObjectName(holder) + " (" + edge_name + ")";
    referrer.internal = true;
  }
  out.push_back(std::move(referrer));
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
  // Not from the names in the ScopeInfo: those list the scope's variables, but only the ones
  // that hold heap objects have edges, so a name there may as well be a variable holding a
  // number as the function's own.
  const uint32_t scope_info = Child(context, Edge::kInternal, "scope_info");
  const uint32_t shared = scope_info == kNone ? kNone : SharedFunctionOf(scope_info);
  if (shared == kNone) return {};
  // An anonymous function's is tagged "(shared function info)".
  const std::string& name = Name(shared);
  return StartsWith(name, "(") ? std::string() : name;
}

uint32_t RetainerLabeler::SharedFunctionOf(uint32_t scope_info) {
  // A function's own scope: its SharedFunctionInfo (a code node named after the function)
  // refers to the scope's ScopeInfo. A block's scope (a loop body's, a catch clause's): the
  // function whose bytecode creates the block's context has the ScopeInfo in its constant
  // pool. (Not the ScopeInfo of the scope around the block: that is the nearest scope with a
  // context of its own, which may be a function around the function.) Several owners (an
  // empty scope shared by many functions) tell nothing.
  uint32_t owner = kNone;
  auto found = [&owner](uint32_t shared) {
    if (owner != kNone && owner != shared) return false;
    owner = shared;
    return true;
  };
  for (uint32_t k = graph_.first_in(scope_info); k < graph_.first_in(scope_info + 1); k++) {
    const uint32_t from = graph_.in_from(k);
    const uint32_t edge = graph_.in_edge(k);
    if (graph_.edge_type(edge) == Edge::kWeak || TypeOf(from) != NodeType::kCode) continue;
    if (EdgeName(from, edge) == "name_or_scope_info") {
      if (!found(from)) return kNone;
      continue;
    }
    if (Name(from) != "(constant pool)") continue;
    for (uint32_t b = graph_.first_in(from); b < graph_.first_in(from + 1); b++) {
      const uint32_t bytecode = graph_.in_from(b);
      if (Name(bytecode) != "system / BytecodeArray") continue;
      for (uint32_t f = graph_.first_in(bytecode); f < graph_.first_in(bytecode + 1); f++) {
        const uint32_t shared = graph_.in_from(f);
        const std::string edge_name = EdgeName(shared, graph_.in_edge(f));
        // "function_data"; "trusted_function_data" from V8 12.
        const bool function_data = edge_name.size() >= 13 && edge_name.compare(edge_name.size() - 13, 13, "function_data") == 0;
        if (TypeOf(shared) == NodeType::kCode && function_data && !found(shared)) return kNone;
      }
    }
  }
  return owner;
}

std::vector<std::string> RetainerLabeler::BlockVariables(uint32_t context, uint32_t edge) {
  // V8 names the variables of function, module and script contexts only. A block's (a loop
  // body's, a catch clause's) are hidden edges numbered in slot order, counting only the slots
  // that hold heap objects; their names are in the block's ScopeInfo, in slot order too. When
  // every slot holds a heap object (the numbers reach the last name), number i is name i;
  // otherwise variables holding small integers came before, and it is one of several names.
  const uint32_t scope_info = Child(context, Edge::kInternal, "scope_info");
  if (scope_info == kNone) return {};
  std::vector<std::string> names;
  for (uint32_t e = graph_.first_edge(scope_info); e < graph_.first_edge(scope_info + 1); e++) {
    const uint32_t to = graph_.edge_to(e);
    if (graph_.edge_type(e) != Edge::kWeak && TypeOf(to) == NodeType::kString) names.push_back(Name(to));
  }
  int64_t last = -1;
  for (uint32_t e = graph_.first_edge(context); e < graph_.first_edge(context + 1); e++) {
    if (graph_.edge_type(e) == Edge::kHidden) last = std::max(last, EdgeIndex(context, e));
  }
  const int64_t index = EdgeIndex(context, edge);
  if (index < 0 || index > last || last >= static_cast<int64_t>(names.size())) return {};
  const size_t small_integers = names.size() - static_cast<size_t>(last + 1);
  const auto first = names.begin() + index;
  return std::vector<std::string>(first, first + static_cast<std::ptrdiff_t>(small_integers + 1));
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
  const bool block = graph_.edge_type(edge) == Edge::kHidden;
  const std::vector<std::string> variables = block ? BlockVariables(context, edge)
                                                   : std::vector<std::string>{EdgeName(context, edge)};
  if (variables.empty()) {
    // A slot of V8's own in a block context, or a name not found: what holds the context.
    ThroughInternals(context, out);
    return;
  }
  const std::string& variable = variables.front();
  if (!block && IsModuleContext(context)) {
    const std::string script = ScriptOfContext(context);
    // A module lives as long as the program: its variables end the path. Those of the modules
    // of interest (the user's own code by default) are named module variables; others, such
    // as Node's own timer lists, say whose they are, and the path stops there too, rather than
    // climb through every function of that module.
    if (!script.empty()) {
      Referrer referrer;
      referrer.label = variable + (IsModuleOfInterest(script) ? " (module variable in " : " (variable of ") +
                       ShortScript(script) + ")";
      referrer.label_object_id = graph_.node(context)->GetId();
      referrer.root = true;
      out.push_back(std::move(referrer));
      return;
    }
  }
  const std::string function = DeclaringFunction(context);
  std::string label;
  for (const std::string& name : variables) {
    label += (label.empty() ? "" : " or ") + (function.empty() ? std::string() : function + ".") + name;
  }
  label += " (closure variable)";
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
        referrer.label = label + (options_.running_code.empty() ? std::string(" of a running function")
                                                                : " of " + options_.running_code);
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

uint32_t RetainerLabeler::SlotBefore(uint32_t table, uint32_t edge, int64_t slot) {
  // V8 lists an array's slots in order, so the slot wanted, if it holds an object at all, is
  // among the edges just before the one known: a look back, not a read of all the table's
  // edges (20,000 for a Map of 10,000 entries).
  for (uint32_t e = edge; e > graph_.first_edge(table);) {
    e--;
    const int64_t index = EdgeIndex(table, e);
    if (index == slot) return graph_.edge_to(e);
    if (index >= 0 && index < slot) break;  // passed it: a slot without an object (a number)
  }
  return kNone;
}

int64_t RetainerLabeler::MapBuckets(uint32_t table) {
  // Only the table's size tells how many buckets it has (their count is a number in a header
  // slot, which has no edge): a FixedArray of a map, a length and 3 + 7B slots (3 header slots,
  // B buckets, 2B entries of 3), whatever the size of a slot (8 bytes, or 4 with pointer
  // compression; the two never fit the same size).
  const size_t size = graph_.node(table)->GetShallowSize();
  for (const size_t slot_size : {size_t{8}, size_t{4}}) {
    if (size % slot_size != 0 || size / slot_size < 5) continue;
    const size_t slots = size / slot_size - 2;
    if ((slots - 3) % 7 != 0) continue;
    const size_t buckets = (slots - 3) / 7;
    if (buckets > 0 && (buckets & (buckets - 1)) == 0) return static_cast<int64_t>(buckets);
  }
  return -1;
}

void RetainerLabeler::FromCollectionTable(uint32_t table, uint32_t collection, uint32_t edge,
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
  // which have no edges), then entries of key, value and chain (a number): a slot is a key
  // when it is a multiple of 3 past the buckets.
  const int64_t slot = EdgeIndex(table, edge);
  const int64_t buckets = MapBuckets(table);
  const int64_t key_residue = buckets < 0 ? -1 : (3 + buckets) % 3;
  if (slot < 0 || key_residue < 0) {
    referrer.label = kind + " entry";
  } else if (slot % 3 == key_residue) {
    referrer.label = kind + " key";
  } else {
    // The key sits in the slot before the value; none when it is a small integer.
    std::string key = "<a small integer>";
    const uint32_t key_node = SlotBefore(table, edge, slot - 1);
    if (key_node != kNone) key = TargetDescription(key_node);
    referrer.label = kind + " value for key " + key;
  }
  out.push_back(std::move(referrer));
}

void RetainerLabeler::FromModuleCell(uint32_t cell, std::vector<Referrer>& out) {
  // An ES module's exported binding lives in a Cell, in the module's table of exports: a hash
  // table of name, cell pairs. The module also lists its exported cells in an array of their
  // own, with no names: the name comes from whichever of the module's arrays has one before the
  // cell (which of them a snapshot lists first varies from run to run).
  uint32_t module = kNone;
  std::string name;
  for (uint32_t k = graph_.first_in(cell); k < graph_.first_in(cell + 1) && name.empty(); k++) {
    const uint32_t table = graph_.in_from(k);
    const int64_t slot = EdgeIndex(table, graph_.in_edge(k));
    if (TypeOf(table) != NodeType::kArray || slot < 1) continue;
    uint32_t owner = kNone;
    for (uint32_t m = graph_.first_in(table); m < graph_.first_in(table + 1); m++) {
      if (Name(graph_.in_from(m)) == "system / SourceTextModule") owner = graph_.in_from(m);
    }
    if (owner == kNone) continue;
    module = owner;
    const uint32_t key_node = SlotBefore(table, graph_.in_edge(k), slot - 1);
    if (key_node != kNone && TypeOf(key_node) == NodeType::kString) name = Name(key_node);
  }
  if (module == kNone) {
    ThroughInternals(cell, out);
    return;
  }
  // The module's own context points back to the module record.
  std::string script;
  const uint32_t context = Parent(module, Edge::kInternal, "extension");
  if (context != kNone) script = ScriptOfContext(context);
  // As for a module's other variables (see FromContext): the path ends here, and only the
  // modules of interest have module variables.
  Referrer referrer;
  if (name.empty()) name = "an export";
  if (script.empty()) {
    referrer.label = name + " (module variable)";
  } else {
    referrer.label = name + (IsModuleOfInterest(script) ? " (module variable in " : " (variable of ") +
                     ShortScript(script) + ")";
  }
  referrer.label_object_id = graph_.node(cell)->GetId();
  referrer.root = true;
  out.push_back(std::move(referrer));
}

void RetainerLabeler::FromInternal(uint32_t node, uint32_t edge, std::vector<Referrer>& out) {
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
        FromCollectionTable(node, owner, edge, out);
        return;
      }
    }
  }
  ThroughInternals(node, out);
}

bool RetainerLabeler::IsPromiseReaction(uint32_t index) { return Name(index) == "system / PromiseReaction"; }

uint32_t RetainerLabeler::FirstReaction(uint32_t reaction) {
  // A pending promise's reactions are a list, the newest first: the promise refers to the
  // first, each reaction to the next. A handler added long ago is far down the list, too far
  // for the search by depth through internal nodes; the promise is found from the list's head.
  uint32_t current = reaction;
  for (size_t steps = 0; steps < kReactionListMax; steps++) {
    uint32_t previous = kNone;
    for (uint32_t k = graph_.first_in(current); k < graph_.first_in(current + 1) && previous == kNone; k++) {
      const uint32_t from = graph_.in_from(k);
      if (graph_.edge_type(graph_.in_edge(k)) != Edge::kWeak && from != reaction && IsPromiseReaction(from)) {
        previous = from;
      }
    }
    if (previous == kNone) return current;
    current = previous;
  }
  return current;
}

void RetainerLabeler::ThroughInternals(uint32_t start, std::vector<Referrer>& out) {
  // Breadth first through V8's own nodes to the visible objects (or roots) that own them.
  struct Visit {
    uint32_t node;
    int depth;
    bool reaction;  // passed through a promise reaction
  };
  const bool reaction = IsPromiseReaction(start);
  std::vector<Visit> queue{{reaction ? FirstReaction(start) : start, 0, reaction}};
  std::unordered_set<uint32_t> seen{start, queue.front().node};
  std::unordered_set<uint32_t> holders;
  for (size_t i = 0; i < queue.size() && seen.size() < kInternalVisits; i++) {
    const Visit visit = queue[i];
    for (uint32_t k = graph_.first_in(visit.node); k < graph_.first_in(visit.node + 1); k++) {
      const uint32_t from = graph_.in_from(k);
      const uint32_t edge = graph_.in_edge(k);
      const Edge::Type type = graph_.edge_type(edge);
      if (type == Edge::kWeak || type == Edge::kShortcut) continue;
      if (IsHiddenClassEdge(from, edge)) continue;
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
        const std::string via = EdgeName(from, edge);
        if (visit.reaction && Name(from) == "Promise") {
          referrer.label = "Promise reaction (then/catch/finally handler)";
        } else if (via == "parameters_and_registers") {
          // A suspended generator or async function keeps its locals in a register file.
          const uint32_t function = Child(from, Edge::kInternal, "function");
          const std::string name = function == kNone ? std::string() : Name(function);
          referrer.label = (name.empty() ? std::string("a") : name + ":") +
                           " local variable (of a suspended async function or generator)";
        } else {
          referrer.label = ObjectName(from) + " (internal " + EdgeName(from, edge) + ")";
          referrer.internal = true;
        }
        out.push_back(std::move(referrer));
        continue;
      }
      if (visit.depth + 1 < kInternalDepth) {
        const bool to_reaction = IsPromiseReaction(from);
        const uint32_t next = to_reaction ? FirstReaction(from) : from;
        if (next == from || seen.insert(next).second) queue.push_back({next, visit.depth + 1, visit.reaction || to_reaction});
      }
    }
  }
}

}  // namespace memalot

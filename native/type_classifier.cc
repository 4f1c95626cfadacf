#include "type_classifier.h"

#include <v8-isolate.h>

#include <string_view>

namespace memalot {

namespace {

v8::Global<v8::String> Internalized(v8::Isolate* isolate, const char* text) {
  return v8::Global<v8::String>(
      isolate, v8::String::NewFromUtf8(isolate, text, v8::NewStringType::kInternalized)
                   .ToLocalChecked());
}

constexpr std::string_view kSystemPrefix = "system / ";

}  // namespace

const char* TypeKindName(TypeKind kind) {
  switch (kind) {
    case TypeKind::kObject: return "object";
    case TypeKind::kFunction: return "function";
    case TypeKind::kString: return "string";
    case TypeKind::kNumber: return "number";
    case TypeKind::kBigInt: return "bigint";
    case TypeKind::kSymbol: return "symbol";
    case TypeKind::kRegExp: return "regexp";
    case TypeKind::kInternal: return "internal";
  }
  return "internal";
}

TypeClassifier::TypeClassifier(v8::Isolate* isolate)
    : isolate_(isolate),
      map_(Internalized(isolate, "map")),
      back_pointer_(Internalized(isolate, "back_pointer")),
      constructor_(Internalized(isolate, "constructor")),
      shared_(Internalized(isolate, "shared")),
      script_(Internalized(isolate, "script")),
      script_or_debug_info_(Internalized(isolate, "script_or_debug_info")) {
  using Node = v8::HeapGraphNode;
  for (uint32_t& fixed : fixed_) fixed = Intern(TypeKind::kInternal, "(other)", "");
  fixed_[Node::kHidden] = Intern(TypeKind::kInternal, "(hidden)", "");
  fixed_[Node::kArray] = Intern(TypeKind::kInternal, "(internal array)", "");
  fixed_[Node::kCode] = Intern(TypeKind::kInternal, "(code)", "");
  fixed_[Node::kNative] = Intern(TypeKind::kInternal, "(native)", "");
  fixed_[Node::kSynthetic] = Intern(TypeKind::kInternal, "(synthetic)", "");
  fixed_[Node::kObjectShape] = Intern(TypeKind::kInternal, "(object shape)", "");
  fixed_[Node::kClosure] = Intern(TypeKind::kFunction, "Function", "");
  builtin_closure_ = Intern(TypeKind::kInternal, "(builtin closure)", "");
  fixed_[Node::kRegExp] = Intern(TypeKind::kRegExp, "RegExp", "");
  fixed_[Node::kHeapNumber] = Intern(TypeKind::kNumber, "number", "");
  fixed_[Node::kBigInt] = Intern(TypeKind::kBigInt, "bigint", "");
  fixed_[Node::kSymbol] = Intern(TypeKind::kSymbol, "symbol", "");
  // Flat, concatenated and sliced strings are all strings to the program.
  uint32_t string_type = Intern(TypeKind::kString, "string", "");
  fixed_[Node::kString] = string_type;
  fixed_[Node::kConsString] = string_type;
  fixed_[Node::kSlicedString] = string_type;
}

uint32_t TypeClassifier::Intern(TypeKind kind, const std::string& name,
                                const std::string& script) {
  std::string key;
  key.reserve(name.size() + script.size() + 3);
  key.push_back(static_cast<char>('0' + static_cast<int>(kind)));
  key.append(name).push_back('\0');
  key.append(script);
  auto [it, inserted] = type_index_.try_emplace(std::move(key), types_.size());
  if (inserted) types_.push_back(TypeInfo{kind, name, script});
  return it->second;
}

uint32_t TypeClassifier::Classify(const v8::HeapGraphNode* node) {
  v8::HeapGraphNode::Type type = node->GetType();
  if (type == v8::HeapGraphNode::kObject) return ClassifyObject(node);
  if (type == v8::HeapGraphNode::kClosure) return ClassifyClosure(node);
  size_t index = static_cast<size_t>(type);
  return index < sizeof(fixed_) / sizeof(fixed_[0]) ? fixed_[index] : fixed_[0];
}

uint32_t TypeClassifier::ClassifyObject(const v8::HeapGraphNode* node) {
  const v8::HeapGraphNode* map = FindMap(node);
  if (map != nullptr) {
    auto cached = by_map_.find(map);
    if (cached != by_map_.end()) return cached->second;
  }
  std::string name = NameOf(node);
  uint32_t type;
  if (name.compare(0, kSystemPrefix.size(), kSystemPrefix) == 0) {
    // Contexts, native contexts and the like: V8's bookkeeping shown as objects.
    type = Intern(TypeKind::kInternal, name, "");
  } else {
    const v8::HeapGraphNode* constructor = map != nullptr ? FindConstructor(map) : nullptr;
    type = Intern(TypeKind::kObject, name.empty() ? "Object" : name,
                  constructor != nullptr ? ScriptOf(constructor) : std::string());
  }
  if (map != nullptr) by_map_.emplace(map, type);
  return type;
}

uint32_t TypeClassifier::ClassifyClosure(const v8::HeapGraphNode* closure) {
  // A closure with no script is one that V8 made for its own machinery: the functions that
  // resume an awaiting async function, the resolve-element functions of Promise.all, a
  // promise's resolving functions. Counting them would put "Function" in every report about
  // async code. Bound functions have no script either, but are the program's.
  if (!ScriptOf(closure).empty()) return fixed_[v8::HeapGraphNode::kClosure];
  if (InternalChild(closure, shared_.Get(isolate_)) == nullptr) return fixed_[v8::HeapGraphNode::kClosure];
  return builtin_closure_;
}

const v8::HeapGraphNode* TypeClassifier::InternalChild(const v8::HeapGraphNode* node,
                                                       v8::Local<v8::String> name, int type) {
  // Edges are searched from the end: the generic "map" edge follows the type-specific ones,
  // so for objects the search stops after one or two edges.
  for (int i = node->GetChildrenCount() - 1; i >= 0; i--) {
    const v8::HeapGraphEdge* edge = node->GetChild(i);
    if (edge->GetType() != v8::HeapGraphEdge::kInternal) continue;
    const v8::HeapGraphNode* target = edge->GetToNode();
    if (type >= 0 && target->GetType() != type) continue;
    v8::Local<v8::Value> edge_name = edge->GetName();
    if (edge_name->IsString() && edge_name.As<v8::String>()->StringEquals(name)) return target;
  }
  return nullptr;
}

const v8::HeapGraphNode* TypeClassifier::FindMap(const v8::HeapGraphNode* object) {
  return InternalChild(object, map_.Get(isolate_), v8::HeapGraphNode::kObjectShape);
}

const v8::HeapGraphNode* TypeClassifier::FindConstructor(const v8::HeapGraphNode* map) {
  // Maps made by adding properties point back to the map they came from; the root map of
  // the chain holds the constructor. The bound guards against a malformed graph.
  v8::Local<v8::String> constructor = constructor_.Get(isolate_);
  v8::Local<v8::String> back_pointer = back_pointer_.Get(isolate_);
  for (int depth = 0; map != nullptr && depth < 1024; depth++) {
    const v8::HeapGraphNode* found =
        InternalChild(map, constructor, v8::HeapGraphNode::kClosure);
    if (found != nullptr) return found;
    map = InternalChild(map, back_pointer, v8::HeapGraphNode::kObjectShape);
  }
  return nullptr;
}

const std::string& TypeClassifier::ScriptOf(const v8::HeapGraphNode* closure) {
  auto cached = script_by_closure_.find(closure);
  if (cached != script_by_closure_.end()) return cached->second;
  std::string script_name;
  const v8::HeapGraphNode* shared = InternalChild(closure, shared_.Get(isolate_));
  if (shared != nullptr) {
    // V8 11-12 name the edge "script_or_debug_info", V8 13 and later "script".
    const v8::HeapGraphNode* script =
        InternalChild(shared, script_.Get(isolate_), v8::HeapGraphNode::kCode);
    if (script == nullptr) {
      script = InternalChild(shared, script_or_debug_info_.Get(isolate_), v8::HeapGraphNode::kCode);
    }
    if (script != nullptr) script_name = NameOf(script);
    // A debug info or an oddball stands there when there is no script to name.
    if (script_name.compare(0, kSystemPrefix.size(), kSystemPrefix) == 0) script_name.clear();
  }
  return script_by_closure_.emplace(closure, std::move(script_name)).first->second;
}

std::string TypeClassifier::NameOf(const v8::HeapGraphNode* node) {
  v8::String::Utf8Value name(isolate_, node->GetName());
  return *name != nullptr ? std::string(*name, name.length()) : std::string();
}

}  // namespace memalot

// What a JavaScript developer would call the type of a heap snapshot node.
//
// An object's node is named after its constructor; which module defined that constructor is
// found by following the object's hidden class (map) back to the constructor function, then to
// its SharedFunctionInfo and its Script, whose name is the module's file or URL. Everything V8
// keeps for itself (code, hidden classes, feedback, backing stores, contexts, roots) is put in
// an "internal" kind so that the façade can leave it out.
//
// Names come from the snapshot through GetName(), which makes a V8 string per call, so the
// results are cached per hidden class and per constructor: objects of one class share them.
#pragma once

#include <v8-profiler.h>

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace memalot {

enum class TypeKind : uint8_t {
  kObject,    // a JS object; name is its constructor's name
  kFunction,  // a closure
  kString,
  kNumber,    // a heap number
  kBigInt,
  kSymbol,
  kRegExp,
  kInternal,  // V8's own: name says which kind (code, hidden class, system object, ...)
};

const char* TypeKindName(TypeKind kind);

struct TypeInfo {
  TypeKind kind;
  std::string name;
  std::string script;  // the constructor's script name (file path or URL); empty when none
};

class TypeClassifier {
 public:
  explicit TypeClassifier(v8::Isolate* isolate);

  // Index into types() of the node's type; equal types share one index.
  uint32_t Classify(const v8::HeapGraphNode* node);

  const std::vector<TypeInfo>& types() const { return types_; }

  // The name of the script (file path or URL) that defined a closure; empty for V8's own.
  const std::string& ScriptOf(const v8::HeapGraphNode* closure);
  // A node's name, as UTF-8.
  std::string NameOf(const v8::HeapGraphNode* node);

 private:
  uint32_t Intern(TypeKind kind, const std::string& name, const std::string& script);
  uint32_t ClassifyObject(const v8::HeapGraphNode* node);
  uint32_t ClassifyClosure(const v8::HeapGraphNode* closure);
  const v8::HeapGraphNode* FindMap(const v8::HeapGraphNode* object);
  const v8::HeapGraphNode* FindConstructor(const v8::HeapGraphNode* map);
  const v8::HeapGraphNode* InternalChild(const v8::HeapGraphNode* node, v8::Local<v8::String> name,
                                         int type = -1);

  v8::Isolate* isolate_;
  v8::Global<v8::String> map_, back_pointer_, constructor_, shared_, script_,
      script_or_debug_info_;
  std::vector<TypeInfo> types_;
  std::unordered_map<std::string, uint32_t> type_index_;       // key: kind, name, script
  std::unordered_map<const v8::HeapGraphNode*, uint32_t> by_map_;  // hidden class -> type
  std::unordered_map<const v8::HeapGraphNode*, std::string> script_by_closure_;
  uint32_t fixed_[16];  // one type per node type that needs no name
  uint32_t builtin_closure_;
};

}  // namespace memalot

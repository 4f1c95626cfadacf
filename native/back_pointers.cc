#include "back_pointers.h"

#include <array>

namespace memalot {

bool IsBackPointerName(std::string_view name) {
  static constexpr std::array<std::string_view, 14> kNames = {
      "prev",   "_prev",      "__prev",          "previous", "_previous", "prevSibling",   "previousSibling",
      "parent", "_parent",    "parentNode",      "parentElement", "back", "_back", "_idlePrev",
  };
  for (std::string_view candidate : kNames) {
    if (name == candidate) return true;
  }
  return false;
}

bool IsBackPointerLabel(const std::string& label) {
  constexpr std::string_view kProperty = " (property)";
  if (label.size() <= kProperty.size() || label.compare(label.size() - kProperty.size(), kProperty.size(), kProperty) != 0) {
    return false;
  }
  const std::string_view path(label.data(), label.size() - kProperty.size());
  const size_t dot = path.rfind('.');
  return dot != std::string_view::npos && IsBackPointerName(path.substr(dot + 1));
}

}  // namespace memalot

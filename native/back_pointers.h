// Edges that point backwards: a doubly linked list's `prev`, a tree's `parent`, Node's timer
// lists' `_idlePrev`. Every object such an edge holds is also held forwards (from the list's
// head, the tree's root), and a path that climbs the back-pointers reads as the wrong story:
// from a timer, back through every timer armed after it, to the list, instead of from the list
// to it. memlab's trace finder puts such edges off for the same reason. A referrer search that
// has a forward way out of an object follows that one and leaves the back-pointers unshown.
#pragma once

#include <string>
#include <string_view>

namespace memalot {

// A property name that, by convention, points back to what holds the object.
bool IsBackPointerName(std::string_view name);

// Whether a referrer's label ("Timeout._idlePrev (property)") names such a property.
bool IsBackPointerLabel(const std::string& label);

}  // namespace memalot

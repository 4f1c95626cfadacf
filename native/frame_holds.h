// What the frames of functions still running hold: a batch driver's local list, a CommonJS
// module body's top-level variables (its wrapper function's context), the caller of a
// monitored function. Such objects outlive the call that made them as surely as a module
// variable's do, so they are survivors, although only the stack reaches them.
//
// The heap snapshot lists everything the stack holds under one "(Stack roots)" node, with no
// word of which frame holds what, memalot's own frames included. So an object of the range
// (the call's, or the period's, objects) counts as held by a frame when the frames reach it
// through something older than the range, or outside it: a local list or object, a scope
// (context) of a closure or module. What a frame holds directly (a register) or only through
// the range's own objects is what code that ran during the call is working on: the frames
// of that code, such as the helpers that dispose of a `using` declaration's resources, are
// the call's own, and what they hold dies with them. memalot's own objects are outside the
// range (made before a call's first boundary, in a hole, or after the last one), and the
// values a monitored call hands back are `blocked`: not counted and not walked through, since
// what they refer to is on its way to the caller, which may drop it.
#pragma once

#include <cstdint>
#include <vector>

#include "graph_index.h"

namespace memalot {

// `in_range`: the nodes of the range (node indices). The result marks the nodes that frames
// hold as above: those reached from the stack roots through nodes outside the range (never a
// blocked node, never a weak reference), the range's nodes that such a node refers to, and
// everything those reach in turn. The stack roots themselves are not marked. Nodes marked in
// `reachable` (what the program reaches once the stack unwinds) are not walked: all they
// reach is reachable that way too, and the walk stays within what only the stack holds.
std::vector<bool> HeldByFrames(const GraphIndex& graph, const std::vector<uint32_t>& in_range,
                               const std::vector<uint32_t>& blocked, const std::vector<bool>& reachable);

}  // namespace memalot

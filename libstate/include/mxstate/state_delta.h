// Room states given as changes to a shared base state, the way a server
// keeps its state groups. Resolving state sets given this way
// (ResolveState over GraphStateDeltas, state_res.h) reads the changes and
// the auth chains it walks, not the whole states: for a small fork in a
// room of a million state events, the merge of whole states was most of
// the cost (docs/benchmarks.md).
#ifndef MXSTATE_STATE_DELTA_H_
#define MXSTATE_STATE_DELTA_H_

#include <cstddef>
#include <memory>
#include <utility>
#include <vector>

#include "mxstate/event_graph.h"
#include "mxstate/status.h"

namespace mxstate {

// A state as changes to `base`.
struct GraphStateDelta {
  std::shared_ptr<const GraphState> base;  // nullptr stands for the empty state
  // Sorted by key, one entry per key: the key's event in this state, or
  // kNoEvent where this state lacks a key the base has.
  std::vector<std::pair<KeyIndex, EventIndex>> changes;
  // Optional: the auth chain of the *whole* state (ComputeStateReach below).
  std::shared_ptr<const StateReach> reach;
};

// What StateReach::entry_count holds for a delta's reach while it is
// current (a cheap guard, like a GraphState's entry count).
inline size_t StateReachGuard(const GraphStateDelta& delta) {
  return (delta.base != nullptr ? delta.base->entries.size() : 0) + delta.changes.size();
}

// `state` as changes to `base` (which may be nullptr, the empty state).
GraphStateDelta DeltaOf(std::shared_ptr<const GraphState> base, const GraphState& state);

// The whole state: the base with the changes applied.
GraphState Materialize(const GraphStateDelta& delta);

// Sets delta->reach for the whole state (resets it when the graph has no
// usable index). When the base carries a current StateReach and every
// event the changes drop from the base has its auth events inside the
// auth chain of the events they add (a new membership citing the old
// one, a new power levels event citing the old one), it is the base's
// widened by the added events': a few look-ups per change and a copy of
// the base's per-chain array. Otherwise one pass over the whole state, as
// for a GraphState.
void ComputeStateReach(const EventGraph& graph, GraphStateDelta* delta);

// Checks what resolution relies on and cannot take on trust from callers
// who build deltas by hand: the changes are sorted by key with one entry
// per key, and each names an event of the graph at that key (or kNoEvent).
// Error: state_res.invalid_delta. Cost: the changes only (the base is
// taken to come from AddState).
Result<void> ValidateDelta(const EventGraph& graph, const GraphStateDelta& delta);

}  // namespace mxstate

#endif  // MXSTATE_STATE_DELTA_H_

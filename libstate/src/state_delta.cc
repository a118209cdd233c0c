// States as changes to a shared base: building, applying and checking them.
#include "mxstate/state_delta.h"

#include <string>

namespace mxstate {
namespace {

using Entries = std::vector<std::pair<KeyIndex, EventIndex>>;

const Entries& EntriesOf(const std::shared_ptr<const GraphState>& base) {
  static const Entries kEmpty;
  return base != nullptr ? base->entries : kEmpty;
}

}  // namespace

GraphStateDelta DeltaOf(std::shared_ptr<const GraphState> base, const GraphState& state) {
  GraphStateDelta delta;
  const Entries& from = EntriesOf(base);
  const Entries& to = state.entries;
  size_t i = 0, j = 0;
  while (i < from.size() || j < to.size()) {
    if (j == to.size() || (i < from.size() && from[i].first < to[j].first)) {
      delta.changes.emplace_back(from[i++].first, kNoEvent);  // removed
    } else if (i == from.size() || to[j].first < from[i].first) {
      delta.changes.push_back(to[j++]);  // added
    } else {
      if (from[i].second != to[j].second) delta.changes.push_back(to[j]);  // replaced
      ++i;
      ++j;
    }
  }
  delta.base = std::move(base);
  return delta;
}

GraphState Materialize(const GraphStateDelta& delta) {
  GraphState out;
  const Entries& from = EntriesOf(delta.base);
  const Entries& changes = delta.changes;
  out.entries.reserve(from.size() + changes.size());
  size_t i = 0, j = 0;
  while (i < from.size() || j < changes.size()) {
    if (j == changes.size() || (i < from.size() && from[i].first < changes[j].first)) {
      out.entries.push_back(from[i++]);
      continue;
    }
    if (i < from.size() && from[i].first == changes[j].first) ++i;  // replaced or removed
    if (changes[j].second != kNoEvent) out.entries.push_back(changes[j]);
    ++j;
  }
  return out;
}

void ComputeStateReach(const EventGraph& graph, GraphStateDelta* delta) {
  GraphState whole = Materialize(*delta);
  ComputeStateReach(graph, &whole);
  if (whole.reach == nullptr) {
    delta->reach = nullptr;
    return;
  }
  // The guard counts the delta's own entries (what a caller could change).
  auto reach = std::make_shared<StateReach>(*whole.reach);
  reach->entry_count = EntriesOf(delta->base).size() + delta->changes.size();
  delta->reach = std::move(reach);
}

Result<void> ValidateDelta(const EventGraph& graph, const GraphStateDelta& delta) {
  const Entries& changes = delta.changes;
  for (size_t i = 0; i < changes.size(); ++i) {
    const auto [key, e] = changes[i];
    const std::string where = "change " + std::to_string(i);
    if (key >= graph.key_count()) {
      return Fail("state_res.invalid_delta", "state resolution input",
                  where + " names a key the graph does not have");
    }
    if (i > 0 && changes[i - 1].first >= key) {
      return Fail("state_res.invalid_delta", "state resolution input",
                  where + " is not after the previous one in key order (one entry per key)");
    }
    if (e == kNoEvent) continue;
    if (e >= graph.size() || graph.event(e).json == nullptr) {
      return Fail("state_res.invalid_delta", "state resolution input",
                  where + " names an event the graph does not hold");
    }
    if (graph.event(e).key != key) {
      return Fail(
          "state_res.invalid_delta", "state resolution input",
          where + " maps a key to event " + std::string(graph.event(e).id) + " of another key");
    }
  }
  return {};
}

}  // namespace mxstate

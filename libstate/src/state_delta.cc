// States as changes to a shared base: building, applying and checking them.
#include "mxstate/state_delta.h"

#include <algorithm>
#include <string>

#include "mxstate/reach_index.h"

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

namespace {

// The whole state's StateReach from its base's, when the changes allow:
// nullptr when they do not. Let A be the events the changes add and R the
// base's events they drop. The whole state's auth chain is the union of
// the base's and A's when every r in R has its own auth chain inside A's:
// whatever the base reached through r, A reaches; r itself, if the base
// reached it, was reached from a kept event (or lies inside A's chain
// too). Testing "r's auth events are in A's chain" (or r itself is) is a
// few look-ups per change; the union is a per-chain maximum. A membership
// change usually qualifies (the new event cites the old one); a topic set
// by another user does not (the old sender's membership stays cited only
// by the dropped event), and then the caller computes it whole.
std::shared_ptr<StateReach> ReachFromBase(const EventGraph& graph, const GraphStateDelta& delta) {
  const ReachIndex* index = graph.reach_index();
  const std::shared_ptr<const GraphState>& base = delta.base;
  if (index == nullptr || base == nullptr || base->reach == nullptr ||
      base->reach->index_generation != graph.index_generation() ||
      base->reach->entry_count != base->entries.size()) {
    return nullptr;
  }
  std::vector<EventIndex> added, dropped;
  for (auto [key, e] : delta.changes) {
    auto it = std::lower_bound(base->entries.begin(), base->entries.end(), key,
                               [](const auto& entry, KeyIndex k) { return entry.first < k; });
    const EventIndex before = it != base->entries.end() && it->first == key ? it->second : kNoEvent;
    if (before == e) continue;  // not a change
    if (e != kNoEvent) added.push_back(e);
    if (before != kNoEvent) dropped.push_back(before);
  }
  std::vector<uint32_t> added_best;
  index->MaxReach(added, &added_best);
  auto in_added_chain = [&](EventIndex x) {
    const uint32_t c = index->chain(x);
    return c < added_best.size() && index->seq(x) <= added_best[c];
  };
  for (EventIndex r : dropped) {
    if (in_added_chain(r)) continue;
    for (EventIndex a : graph.auth_events(r)) {
      if (!in_added_chain(a)) return nullptr;
    }
  }
  auto reach = std::make_shared<StateReach>();
  reach->index_generation = graph.index_generation();
  reach->entry_count = StateReachGuard(delta);
  reach->best = base->reach->best;
  if (reach->best.size() < added_best.size()) reach->best.resize(added_best.size(), 0);
  for (size_t c = 0; c < added_best.size(); ++c) {
    reach->best[c] = std::max(reach->best[c], added_best[c]);
  }
  return reach;
}

}  // namespace

void ComputeStateReach(const EventGraph& graph, GraphStateDelta* delta) {
  if (auto reach = ReachFromBase(graph, *delta); reach != nullptr) {
    delta->reach = std::move(reach);
    return;
  }
  GraphState whole = Materialize(*delta);
  ComputeStateReach(graph, &whole);
  if (whole.reach == nullptr) {
    delta->reach = nullptr;
    return;
  }
  auto reach = std::make_shared<StateReach>(*whole.reach);
  reach->entry_count = StateReachGuard(*delta);
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

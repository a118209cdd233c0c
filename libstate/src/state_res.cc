// State resolution entry points: input validation, the algorithm chosen by
// the room-version table, and auth chains.
#include "mxstate/state_res.h"

#include <algorithm>

#include "state_res_internal.h"

namespace mxstate {
namespace internal {

StateEntry IterativeAuthState::Get(std::string_view type, std::string_view state_key) const {
  uint32_t key = graph_.FindKey(type, state_key);
  if (key == kNone) return {};
  if (partial_ != nullptr && key < partial_->size() && (*partial_)[key] != kNone) {
    const EventNode& n = graph_.node((*partial_)[key]);
    return StateEntry{n.json, n.id};
  }
  // "If a (type, state_key) key that is required for checking the
  // authorisation rules is not present in the state, then the appropriate
  // state event from the event's auth_events is used if the auth event is
  // not rejected."
  for (uint32_t a : graph_.node(event_).auth) {
    const EventNode& n = graph_.node(a);
    if (n.json != nullptr && n.key == key && !n.rejected) return StateEntry{n.json, n.id};
  }
  return {};
}

bool CheckAndRecord(const EventGraph& graph, uint32_t event, const AuthState& state,
                    const char* phase, Resolution* out, bool explain) {
  const EventNode& n = graph.node(event);
  AuthDecision d = AuthorizeAgainstState(*n.json, state, graph.rules());
  if (explain) {
    out->checks.push_back(AuthCheckRecord{std::string(n.id), phase, d.allowed, d.rule,
                                          d.allowed ? std::string() : d.error.code});
  }
  return d.allowed;
}

StateMap ToStateMap(const EventGraph& graph, const KeyedState& state) {
  StateMap out;
  for (uint32_t k = 0; k < state.size(); ++k) {
    if (state[k] != kNone) out.emplace(graph.key(k), std::string(graph.node(state[k]).id));
  }
  return out;
}

}  // namespace internal

using internal::EventGraph;
using internal::KeyedState;
using internal::kNone;

Result<Resolution> ResolveState(std::span<const StateMap> state_sets, const EventSource& events,
                                const RoomVersionRules& rules, const StateResOptions& options) {
  EventGraph graph(events, rules, options.max_events);
  // Intern and check every state set entry.
  std::vector<std::vector<std::pair<uint32_t, uint32_t>>> entries(state_sets.size());
  std::vector<uint32_t> roots;
  for (size_t i = 0; i < state_sets.size(); ++i) {
    for (const auto& [key, id] : state_sets[i]) {
      auto node = graph.Intern(id);
      if (!node) return tl::unexpected(node.error());
      const internal::EventNode& n = graph.node(*node);
      if (n.json == nullptr) {
        return Fail("state_res.unknown_event", "state resolution input",
                    "state set " + std::to_string(i + 1) + " names " + id +
                        ", which is not among the events");
      }
      if (!n.has_state_key) {
        return Fail("state_res.not_state_event", "state resolution input",
                    "state set " + std::to_string(i + 1) + " names " + id +
                        ", which has no state_key");
      }
      const StateKey& actual = graph.key(n.key);
      if (!(actual == key)) {
        return Fail("state_res.key_mismatch", "state resolution input",
                    "state set " + std::to_string(i + 1) + " maps (" + key.type + ", \"" +
                        key.state_key + "\") to " + id + ", whose key is (" + actual.type +
                        ", \"" + actual.state_key + "\")");
      }
      entries[i].emplace_back(n.key, *node);
      roots.push_back(*node);
    }
  }
  if (auto r = graph.LoadClosure(roots); !r) return tl::unexpected(r.error());
  for (uint32_t i = 0; i < graph.size(); ++i) {
    if (graph.node(i).json == nullptr) {
      graph.warnings().push_back(Error{"state_res.missing_auth_event", "state resolution input",
                                       "auth event " + std::string(graph.node(i).id) +
                                           " is cited but not among the events; its auth chain "
                                           "is cut there"});
    }
  }
  // Keys are interned now (loading may add keys of auth events).
  std::vector<KeyedState> sets(state_sets.size());
  size_t key_count = 0;
  for (size_t i = 0; i < graph.size(); ++i) {
    if (graph.node(static_cast<uint32_t>(i)).key != kNone) {
      key_count = std::max<size_t>(key_count, graph.node(static_cast<uint32_t>(i)).key + 1);
    }
  }
  for (size_t i = 0; i < sets.size(); ++i) {
    sets[i].assign(key_count, kNone);
    for (auto [key, node] : entries[i]) sets[i][key] = node;
  }
  Result<Resolution> result;
  switch (rules.state_res) {
    case StateResAlgorithm::kV1:
      result = internal::ResolveV1(graph, sets, options);
      break;
    case StateResAlgorithm::kV2:
      result = internal::ResolveV2(graph, sets, /*v2_1=*/false, options);
      break;
    case StateResAlgorithm::kV2_1:
      result = internal::ResolveV2(graph, sets, /*v2_1=*/true, options);
      break;
  }
  if (result) {
    for (Error& w : graph.warnings()) result->warnings.push_back(std::move(w));
  }
  return result;
}

Result<AuthChainResult> AuthChain(std::string_view event_id, const EventSource& events,
                                  const RoomVersionRules& rules, const StateResOptions& options) {
  EventGraph graph(events, rules, options.max_events);
  auto start = graph.Intern(event_id);
  if (!start) return tl::unexpected(start.error());
  if (graph.node(*start).json == nullptr) {
    return Fail("state_res.unknown_event", "auth chain input",
                std::string(event_id) + " is not among the events");
  }
  if (auto r = graph.LoadClosure({*start}); !r) return tl::unexpected(r.error());
  // Breadth first from the event's auth events; the event itself is not
  // part of its auth chain (rooms/fragments/v2-state-res.md).
  std::vector<uint8_t> seen(graph.size(), 0);
  seen[*start] = 1;
  std::vector<uint32_t> frontier = {*start};
  AuthChainResult out;
  while (!frontier.empty()) {
    std::vector<uint32_t> next;
    for (uint32_t n : frontier) {
      for (uint32_t a : graph.node(n).auth) {
        if (seen[a]) continue;
        seen[a] = 1;
        next.push_back(a);
      }
    }
    std::sort(next.begin(), next.end(), [&](uint32_t x, uint32_t y) {
      return graph.node(x).id < graph.node(y).id;
    });
    for (uint32_t n : next) {
      if (graph.node(n).json == nullptr) {
        out.missing.emplace_back(graph.node(n).id);
      } else {
        out.chain.emplace_back(graph.node(n).id);
      }
    }
    frontier = std::move(next);
  }
  return out;
}

}  // namespace mxstate

// State resolution v2 (rooms/fragments/v2-state-res.md) and v2.1
// (rooms/v12 "State resolution", MSC4297): the conflicted subgraph joins the
// full conflicted set, and the first iterative auth checks start from an
// empty state.
#include <algorithm>
#include <queue>

#include "state_res_internal.h"

namespace mxstate::internal {
namespace {

// The state formed by an event's own auth events, for "the sender's power
// level ... when looking at their respective auth_events".
class OwnAuthEventsState : public AuthState {
 public:
  OwnAuthEventsState(const EventGraph& graph, uint32_t event) : graph_(graph), event_(event) {}
  StateEntry Get(std::string_view type, std::string_view state_key) const override {
    uint32_t key = graph_.FindKey(type, state_key);
    if (key == kNone) return {};
    for (uint32_t a : graph_.node(event_).auth) {
      const EventNode& n = graph_.node(a);
      if (n.json != nullptr && n.key == key) return StateEntry{n.json, n.id};
    }
    return {};
  }

 private:
  const EventGraph& graph_;
  uint32_t event_;
};

bool IsPowerEvent(const EventGraph& graph, const EventNode& n) {
  // "a state event with type m.room.power_levels or m.room.join_rules, or a
  // state event with type m.room.member where the membership is leave or
  // ban and the sender does not match the state_key".
  if (n.json == nullptr || !n.has_state_key) return false;
  if (n.type == "m.room.power_levels" || n.type == "m.room.join_rules") return true;
  if (n.type == "m.room.member" && (n.membership == "leave" || n.membership == "ban")) {
    return n.sender != graph.key(n.key).state_key;
  }
  return false;
}

// Iterative auth checks: applies each allowed event of `order` to `state`.
void IterativeAuthChecks(const EventGraph& graph, const std::vector<uint32_t>& order,
                         KeyedState* state, const char* phase, Resolution* out, bool explain) {
  for (uint32_t e : order) {
    const EventNode& n = graph.node(e);
    if (n.json == nullptr || n.key == kNone) continue;
    IterativeAuthState auth_state(graph, state, e);
    if (CheckAndRecord(graph, e, auth_state, phase, out, explain)) (*state)[n.key] = e;
  }
}

}  // namespace

Result<Resolution> ResolveV2(EventGraph& graph, const std::vector<KeyedState>& sets, bool v2_1,
                             const StateResOptions& options) {
  Resolution out;
  const size_t key_count = sets.empty() ? 0 : sets[0].size();
  const size_t k = sets.size();
  const uint32_t n_nodes = static_cast<uint32_t>(graph.size());

  // Unconflicted state map and conflicted state set.
  KeyedState unconflicted(key_count, kNone);
  std::vector<uint32_t> conflicted;
  std::vector<uint8_t> is_conflicted(n_nodes, 0);
  for (uint32_t key = 0; key < key_count; ++key) {
    uint32_t first = k ? sets[0][key] : kNone;
    bool same = first != kNone;
    bool any = false;
    for (const KeyedState& s : sets) {
      if (s[key] != kNone) any = true;
      if (s[key] != first) same = false;
    }
    if (!any) continue;
    if (same) {
      unconflicted[key] = first;
      if (options.explain) out.unconflicted_keys.push_back(graph.key(key));
      continue;
    }
    if (options.explain) out.conflicted_keys.push_back(graph.key(key));
    for (const KeyedState& s : sets) {
      uint32_t e = s[key];
      if (e != kNone && !is_conflicted[e]) {
        is_conflicted[e] = 1;
        conflicted.push_back(e);
      }
    }
  }
  if (conflicted.empty()) {
    out.state = ToStateMap(graph, unconflicted);
    return out;
  }

  // Auth difference. C_i = U ∪ D_i, where U is the auth closure of the
  // unconflicted events (the same in every C_i) and D_i that of S_i's
  // conflicted events; so the difference is the events outside U reached
  // by some but not all D_i.
  std::vector<uint32_t> unconflicted_events;
  for (uint32_t e : unconflicted) {
    if (e != kNone) unconflicted_events.push_back(e);
  }
  std::vector<uint8_t> in_u;
  if (auto r = graph.MarkClosure(unconflicted_events, /*include_roots=*/false, &in_u, 1); !r) {
    return tl::unexpected(r.error());
  }
  std::vector<uint32_t> reached_by(n_nodes, 0);
  std::vector<uint32_t> stamp(n_nodes, UINT32_MAX);
  std::vector<uint32_t> touched;
  for (uint32_t i = 0; i < k; ++i) {
    std::vector<uint32_t> stack;
    for (uint32_t key = 0; key < key_count; ++key) {
      uint32_t e = sets[i][key];
      if (e != kNone && is_conflicted[e]) stack.push_back(e);
    }
    // Walk the auth events (the roots themselves are not in their chains).
    std::vector<uint32_t> work;
    for (uint32_t e : stack) {
      for (uint32_t a : graph.node(e).auth) work.push_back(a);
    }
    while (!work.empty()) {
      uint32_t x = work.back();
      work.pop_back();
      if (in_u[x] || stamp[x] == i) continue;
      stamp[x] = i;
      if (reached_by[x]++ == 0) touched.push_back(x);
      for (uint32_t a : graph.node(x).auth) work.push_back(a);
    }
  }
  std::vector<uint8_t> in_fcs(is_conflicted);
  std::vector<uint32_t> fcs = conflicted;
  for (uint32_t x : touched) {
    if (reached_by[x] < k && graph.node(x).json != nullptr) {
      if (options.explain) out.auth_difference.emplace_back(graph.node(x).id);
      if (!in_fcs[x]) {
        in_fcs[x] = 1;
        fcs.push_back(x);
      }
    }
  }

  // v2.1: the conflicted state subgraph, the events on auth paths between
  // conflicted events: below some conflicted event and above another.
  if (v2_1) {
    std::vector<uint8_t> below;
    if (auto r = graph.MarkClosure(conflicted, /*include_roots=*/true, &below, 1); !r) {
      return tl::unexpected(r.error());
    }
    // Reverse edges inside `below`, then walk up from the conflicted events.
    std::vector<std::vector<uint32_t>> up(n_nodes);
    for (uint32_t x = 0; x < n_nodes; ++x) {
      if (!below[x]) continue;
      for (uint32_t a : graph.node(x).auth) {
        if (below[a]) up[a].push_back(x);
      }
    }
    std::vector<uint8_t> above(n_nodes, 0);
    std::vector<uint32_t> work(conflicted.begin(), conflicted.end());
    for (uint32_t c : conflicted) above[c] = 1;
    while (!work.empty()) {
      uint32_t x = work.back();
      work.pop_back();
      for (uint32_t p : up[x]) {
        if (!above[p]) {
          above[p] = 1;
          work.push_back(p);
        }
      }
    }
    for (uint32_t x = 0; x < n_nodes; ++x) {
      if (below[x] && above[x] && !is_conflicted[x] && graph.node(x).json != nullptr) {
        if (options.explain) out.conflicted_subgraph.emplace_back(graph.node(x).id);
        if (!in_fcs[x]) {
          in_fcs[x] = 1;
          fcs.push_back(x);
        }
      }
    }
  }

  // Step 1: power events of the full conflicted set and their auth chains
  // within it.
  std::vector<uint32_t> power_roots;
  for (uint32_t x : fcs) {
    if (IsPowerEvent(graph, graph.node(x))) power_roots.push_back(x);
  }
  std::vector<uint8_t> power_closure;
  if (auto r = graph.MarkClosure(power_roots, /*include_roots=*/true, &power_closure, 1); !r) {
    return tl::unexpected(r.error());
  }
  std::vector<uint8_t> in_x(n_nodes, 0);
  std::vector<uint32_t> x_events;
  for (uint32_t x : fcs) {
    if (power_closure[x] && graph.node(x).json != nullptr) {
      in_x[x] = 1;
      x_events.push_back(x);
    }
  }
  // Reverse topological power ordering: Kahn over the auth edges among X,
  // taking the smallest by (greater sender power, smaller
  // origin_server_ts, smaller event_id).
  std::vector<int64_t> power(n_nodes, 0);
  for (uint32_t x : x_events) {
    OwnAuthEventsState own(graph, x);
    power[x] = UserPowerLevel(graph.node(x).sender, own, graph.rules());
  }
  auto later = [&](uint32_t a, uint32_t b) {  // priority_queue: top is smallest
    if (power[a] != power[b]) return power[a] < power[b];
    const EventNode& na = graph.node(a);
    const EventNode& nb = graph.node(b);
    if (na.origin_server_ts != nb.origin_server_ts) return na.origin_server_ts > nb.origin_server_ts;
    return na.id > nb.id;
  };
  std::vector<uint32_t> pending(n_nodes, 0);
  std::vector<std::vector<uint32_t>> dependants(n_nodes);
  for (uint32_t x : x_events) {
    for (uint32_t a : graph.node(x).auth) {
      if (in_x[a]) {
        ++pending[x];
        dependants[a].push_back(x);
      }
    }
  }
  std::priority_queue<uint32_t, std::vector<uint32_t>, decltype(later)> ready(later);
  for (uint32_t x : x_events) {
    if (pending[x] == 0) ready.push(x);
  }
  std::vector<uint32_t> power_order;
  power_order.reserve(x_events.size());
  while (!ready.empty()) {
    uint32_t x = ready.top();
    ready.pop();
    power_order.push_back(x);
    for (uint32_t d : dependants[x]) {
      if (--pending[d] == 0) ready.push(d);
    }
  }
  if (power_order.size() != x_events.size()) {
    return Fail("state_res.cycle", "rooms: auth events form a DAG",
                std::to_string(x_events.size() - power_order.size()) +
                    " power events lie on a cycle of auth_events");
  }
  if (options.explain) {
    for (uint32_t x : power_order) {
      out.power_order.push_back(PowerOrderEntry{std::string(graph.node(x).id), power[x],
                                                graph.node(x).origin_server_ts});
    }
  }

  // Step 2: iterative auth checks from the unconflicted state (v2) or from
  // an empty state (v2.1).
  KeyedState partial = v2_1 ? KeyedState(key_count, kNone) : unconflicted;
  IterativeAuthChecks(graph, power_order, &partial, "power events", &out, options.explain);

  // Step 3: mainline ordering of the rest, based on the partial state's
  // power levels event.
  std::vector<int64_t> mainline_index(n_nodes, -1);
  uint32_t pl_key = graph.FindKey("m.room.power_levels", "");
  if (pl_key != kNone && pl_key < partial.size() && partial[pl_key] != kNone) {
    std::vector<uint8_t> on_mainline(n_nodes, 0);
    int64_t i = 0;
    for (uint32_t p = partial[pl_key]; p != kNone && !on_mainline[p];
         p = graph.node(p).power_levels_auth) {
      on_mainline[p] = 1;
      mainline_index[p] = i++;
      if (options.explain) out.mainline.emplace_back(graph.node(p).id);
    }
  }
  // Mainline position of the first mainline event at or below a power
  // levels event, memoised; -1 for the spec's infinity.
  constexpr int64_t kUnknown = -2;
  std::vector<int64_t> position_from(n_nodes, kUnknown);
  auto position_of = [&](uint32_t e) -> int64_t {
    std::vector<uint32_t> path;
    uint32_t p = graph.node(e).power_levels_auth;  // e itself is not counted
    int64_t found = -1;
    while (p != kNone) {
      if (position_from[p] != kUnknown) {
        found = position_from[p];
        break;
      }
      if (mainline_index[p] >= 0) {
        found = mainline_index[p];
        break;
      }
      position_from[p] = -1;  // provisional: also stops a cycle
      path.push_back(p);
      p = graph.node(p).power_levels_auth;
    }
    for (uint32_t q : path) position_from[q] = found;
    return found;
  };
  std::vector<uint32_t> rest;
  std::vector<int64_t> position(n_nodes, -1);
  for (uint32_t x : fcs) {
    if (in_x[x] || graph.node(x).json == nullptr) continue;
    rest.push_back(x);
    position[x] = position_of(x);
  }
  std::sort(rest.begin(), rest.end(), [&](uint32_t a, uint32_t b) {
    // Greater position first, with infinity (-1) before everything.
    int64_t pa = position[a] < 0 ? INT64_MAX : position[a];
    int64_t pb = position[b] < 0 ? INT64_MAX : position[b];
    if (pa != pb) return pa > pb;
    const EventNode& na = graph.node(a);
    const EventNode& nb = graph.node(b);
    if (na.origin_server_ts != nb.origin_server_ts) return na.origin_server_ts < nb.origin_server_ts;
    return na.id < nb.id;
  });
  if (options.explain) {
    for (uint32_t x : rest) {
      out.mainline_order.push_back(MainlineOrderEntry{std::string(graph.node(x).id), position[x],
                                                      graph.node(x).origin_server_ts});
    }
  }

  // Step 4: iterative auth checks on the rest.
  IterativeAuthChecks(graph, rest, &partial, "mainline", &out, options.explain);

  // Step 5: the unconflicted state map wins.
  for (uint32_t key = 0; key < key_count; ++key) {
    if (unconflicted[key] != kNone) partial[key] = unconflicted[key];
  }
  out.state = ToStateMap(graph, partial);
  return out;
}

}  // namespace mxstate::internal

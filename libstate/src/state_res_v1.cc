// State resolution for room version 1 (rooms/v1.md "State resolution").
#include <openssl/sha.h>

#include <algorithm>
#include <array>

#include "state_res_internal.h"

namespace mxstate::internal {
namespace {

using Sha1 = std::array<uint8_t, 20>;

Sha1 Sha1Of(std::string_view s) {
  Sha1 digest;
  SHA1(reinterpret_cast<const unsigned char*>(s.data()), s.size(), digest.data());
  return digest;
}

// The state R during v1 resolution, for the auth rules: R alone (rooms/v1
// checks candidates "for a room in state R").
class V1State : public AuthState {
 public:
  V1State(const EventGraph& graph, const KeyedState& r) : graph_(graph), r_(r) {}
  StateEntry Get(std::string_view type, std::string_view state_key) const override {
    KeyIndex key = graph_.FindKey(type, state_key);
    if (key == kNoKey || key >= r_.size() || r_[key] == kNoEvent) return {};
    const GraphEvent& n = graph_.event(r_[key]);
    return EntryOf(n);
  }

 private:
  const EventGraph& graph_;
  const KeyedState& r_;
};

}  // namespace

Result<GraphResolution> ResolveV1(const EventGraph& graph, std::span<const GraphState> graph_sets,
                                  const StateResOptions& options) {
  GraphResolution resolved;
  Resolution& out = resolved.details;
  // v1 is for room version 1 only, not a large-room path: dense states.
  const size_t key_count = graph.key_count();
  std::vector<KeyedState> sets(graph_sets.size(), KeyedState(key_count, kNoEvent));
  for (size_t i = 0; i < graph_sets.size(); ++i) {
    for (auto [key, e] : graph_sets[i].entries) sets[i][key] = e;
  }
  // "A conflict occurs between states where those states have different
  // event_ids for the same (event_type, state_key)": a key missing from a
  // state is no conflict.
  KeyedState r(key_count, kNoEvent);
  std::vector<std::vector<uint32_t>> candidates(key_count);
  for (uint32_t key = 0; key < key_count; ++key) {
    for (const KeyedState& s : sets) {
      uint32_t e = s[key];
      if (e == kNoEvent) continue;
      auto& c = candidates[key];
      if (std::find(c.begin(), c.end(), e) == c.end()) c.push_back(e);
    }
    if (candidates[key].size() == 1) {
      r[key] = candidates[key][0];  // "the union ... excluding any conflicting events"
      if (options.explain) out.unconflicted_keys.push_back(graph.key(key));
    } else if (candidates[key].size() > 1 && options.explain) {
      out.conflicted_keys.push_back(graph.key(key));
    }
  }
  std::vector<Sha1> sha1(graph.size());
  auto sha = [&](uint32_t e) -> const Sha1& {
    if (sha1[e] == Sha1{}) sha1[e] = Sha1Of(graph.event(e).id);
    return sha1[e];
  };
  auto allowed_in_r = [&](uint32_t e, const char* phase) {
    V1State state(graph, r);
    return CheckAndRecord(graph, e, FieldsOf(graph.event(e)), state, phase, &out, options.explain);
  };
  // PL, then join rules, then each member key: candidates by ascending
  // depth, then descending sha1(event_id); the first goes in unchecked, each
  // next one replaces it while it passes auth in R; stop at the first that
  // does not.
  auto resolve_auth_key = [&](uint32_t key, const char* phase) {
    std::vector<uint32_t> list = candidates[key];
    std::sort(list.begin(), list.end(), [&](uint32_t a, uint32_t b) {
      if (graph.depth(a) != graph.depth(b)) return graph.depth(a) < graph.depth(b);
      return sha(a) > sha(b);
    });
    r[key] = list[0];
    for (size_t i = 1; i < list.size(); ++i) {
      if (!allowed_in_r(list[i], phase)) break;
      r[key] = list[i];
    }
  };
  // The spec names no order among keys of one type; R changes as keys are
  // resolved, so walk them in (type, state_key) order: the result must not
  // depend on the order of the inputs.
  std::vector<uint32_t> keys_in_order(key_count);
  for (uint32_t key = 0; key < key_count; ++key) keys_in_order[key] = key;
  std::sort(keys_in_order.begin(), keys_in_order.end(),
            [&](uint32_t a, uint32_t b) { return graph.key(a) < graph.key(b); });
  std::vector<uint8_t> done(key_count, 0);
  for (uint32_t key : keys_in_order) {
    if (candidates[key].size() > 1 && graph.key(key).type == "m.room.power_levels") {
      resolve_auth_key(key, "v1 power_levels");
      done[key] = 1;
    }
  }
  for (uint32_t key : keys_in_order) {
    if (candidates[key].size() > 1 && graph.key(key).type == "m.room.join_rules") {
      resolve_auth_key(key, "v1 join_rules");
      done[key] = 1;
    }
  }
  for (uint32_t key : keys_in_order) {
    if (candidates[key].size() > 1 && graph.key(key).type == "m.room.member") {
      resolve_auth_key(key, "v1 member");
      done[key] = 1;
    }
  }
  // Other conflicts: "the event with the highest depth and lowest
  // sha1(event_id) that passes authentication in R". When none passes the
  // spec names no event, so the key stays out of R (Synapse would take the
  // last candidate instead; docs/conformance.md).
  for (uint32_t key : keys_in_order) {
    if (candidates[key].size() <= 1 || done[key]) continue;
    std::vector<uint32_t> list = candidates[key];
    std::sort(list.begin(), list.end(), [&](uint32_t a, uint32_t b) {
      if (graph.depth(a) != graph.depth(b)) return graph.depth(a) > graph.depth(b);
      return sha(a) < sha(b);
    });
    for (uint32_t e : list) {
      if (allowed_in_r(e, "v1 other")) {
        r[key] = e;
        break;
      }
    }
  }
  for (KeyIndex key = 0; key < key_count; ++key) {
    if (r[key] != kNoEvent) resolved.state.entries.emplace_back(key, r[key]);
  }
  return resolved;
}

}  // namespace mxstate::internal

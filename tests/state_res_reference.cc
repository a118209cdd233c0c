// Slow reference state resolution; see state_res_reference.h. Every step
// quotes the spec sentence it implements.
#include "state_res_reference.h"

#include <openssl/sha.h>

#include <algorithm>
#include <cstdio>
#include <limits>
#include <utility>

#include "mxstate/auth.h"

namespace mxstate::reference {
namespace {

std::string StringField(const Json& e, std::string_view name) {
  const std::string* s = e.FindString(name);
  return s ? *s : std::string();
}

bool IsStateEvent(const Json& e) {
  return e.FindString("type") != nullptr && e.FindString("state_key") != nullptr;
}

StateKey KeyOf(const Json& e) { return StateKey{StringField(e, "type"), StringField(e, "state_key")}; }

int64_t IntField(const Json& e, std::string_view name) {
  const Json* v = e.Find(name);
  if (v == nullptr) return 0;
  if (v->is_integer()) return v->as_integer();
  if (v->kind() == Json::Kind::kNumber) return static_cast<int64_t>(v->as_number().value);
  return 0;
}

// The v12 create event named by room_id ("$" + room_id without "!").
std::string ImpliedCreateId(const Json& e) {
  const std::string* room = e.FindString("room_id");
  if (room == nullptr || room->empty()) return {};
  return "$" + room->substr(1);
}

// The auth parents of an event: its auth_events, plus in v12 the implied
// create event (rooms/v12: "the create event counts as an auth event of
// every other event"). Only events the source knows.
std::vector<std::string> AuthParents(const std::string& id, const EventSource& src,
                                     const RoomVersionRules& rules) {
  std::vector<std::string> out;
  const Json* e = src.Find(id);
  if (e == nullptr) return out;
  for (std::string& a : ListedAuthEventIds(*e)) {
    if (src.Find(a) != nullptr) out.push_back(std::move(a));
  }
  if (rules.auth.create_event_implied) {
    std::string c = ImpliedCreateId(*e);
    if (!c.empty() && c != id && src.Find(c) != nullptr &&
        std::find(out.begin(), out.end(), c) == out.end()) {
      out.push_back(c);
    }
  }
  return out;
}

// An AuthState for the iterative auth checks: "If a (event_type,
// state_key) key that is required for checking the authorisation rules is
// not present in the state, then the appropriate state event from the
// event's auth_events is used if the auth event is not rejected." In v12,
// last, the create event named by room_id.
class IterativeState : public AuthState {
 public:
  IterativeState(const StateMap& partial, const Json& event, const EventSource& src,
                 const RoomVersionRules& rules, bool skip_rejected = true)
      : partial_(partial), src_(src), auth_ids_(ListedAuthEventIds(event)),
        skip_rejected_(skip_rejected) {
    if (rules.auth.create_event_implied) create_id_ = ImpliedCreateId(event);
  }
  StateEntry Get(std::string_view type, std::string_view state_key) const override {
    auto it = partial_.find(StateKey{std::string(type), std::string(state_key)});
    if (it != partial_.end()) {
      if (const Json* e = src_.Find(it->second)) return StateEntry{e, it->second};
    }
    for (const std::string& id : auth_ids_) {
      if (skip_rejected_ && src_.IsRejected(id)) continue;
      const Json* e = src_.Find(id);
      if (e == nullptr || !IsStateEvent(*e)) continue;
      if (*e->FindString("type") == type && *e->FindString("state_key") == state_key) {
        return StateEntry{e, id};
      }
    }
    if (!create_id_.empty() && type == "m.room.create" && state_key.empty() &&
        !(skip_rejected_ && src_.IsRejected(create_id_))) {
      if (const Json* e = src_.Find(create_id_)) return StateEntry{e, create_id_};
    }
    return {};
  }

 private:
  const StateMap& partial_;
  const EventSource& src_;
  std::vector<std::string> auth_ids_;
  std::string create_id_;
  bool skip_rejected_;
};

// A plain state map as an AuthState (v1: "allowed by the authorisation
// rules for a room in state R").
class MapState : public AuthState {
 public:
  MapState(const StateMap& m, const EventSource& src) : m_(m), src_(src) {}
  StateEntry Get(std::string_view type, std::string_view state_key) const override {
    auto it = m_.find(StateKey{std::string(type), std::string(state_key)});
    if (it == m_.end()) return {};
    const Json* e = src_.Find(it->second);
    if (e == nullptr) return {};
    return StateEntry{e, it->second};
  }

 private:
  const StateMap& m_;
  const EventSource& src_;
};

// "Power events": m.room.power_levels, m.room.join_rules, or m.room.member
// with membership leave or ban whose sender is not the state_key.
bool IsPowerEvent(const Json& e) {
  if (!IsStateEvent(e)) return false;
  std::string type = StringField(e, "type");
  if (type == "m.room.power_levels" || type == "m.room.join_rules") return true;
  if (type == "m.room.member") {
    const Json* content = e.Find("content");
    std::string membership = content ? StringField(*content, "membership") : std::string();
    if ((membership == "leave" || membership == "ban") &&
        StringField(e, "sender") != StringField(e, "state_key")) {
      return true;
    }
  }
  return false;
}

// The iterative auth checks algorithm.
StateMap IterativeAuthChecks(StateMap state, const std::vector<std::string>& events,
                             const EventSource& src, const RoomVersionRules& rules) {
  for (const std::string& id : events) {
    const Json* e = src.Find(id);
    if (e == nullptr || !IsStateEvent(*e)) continue;
    IterativeState auth_state(state, *e, src, rules);
    AuthDecision d = AuthorizeAgainstState(*e, auth_state, rules);
    if (d.allowed) state[KeyOf(*e)] = id;
  }
  return state;
}

// The m.room.power_levels event in an event's auth_events, or "".
std::string PowerLevelsAuthEvent(const std::string& id, const EventSource& src) {
  const Json* e = src.Find(id);
  if (e == nullptr) return {};
  for (const std::string& a : ListedAuthEventIds(*e)) {
    const Json* ae = src.Find(a);
    if (ae != nullptr && IsStateEvent(*ae) && StringField(*ae, "type") == "m.room.power_levels") {
      return a;
    }
  }
  return {};
}

// ---------------------------------------------------------------- v2 / v2.1

StateMap ResolveV2(const std::vector<StateMap>& sets, const EventSource& src,
                   const RoomVersionRules& rules, bool v2_1, ReferenceTrace* trace) {
  // Unconflicted state map and conflicted state set.
  std::set<StateKey> all_keys;
  for (const StateMap& s : sets) {
    for (const auto& [k, v] : s) all_keys.insert(k);
  }
  StateMap unconflicted;
  std::set<std::string> conflicted;
  for (const StateKey& k : all_keys) {
    bool in_every = true;
    std::set<std::string> values;
    for (const StateMap& s : sets) {
      auto it = s.find(k);
      if (it == s.end()) {
        in_every = false;
      } else {
        values.insert(it->second);
      }
    }
    if (in_every && values.size() == 1) {
      unconflicted[k] = *values.begin();
    } else {
      conflicted.insert(values.begin(), values.end());
    }
  }
  if (conflicted.empty()) {
    if (trace) trace->unconflicted = unconflicted;
    return unconflicted;
  }

  // Auth difference: Ci = union of the auth chains of Si's events;
  // difference = union(Ci) - intersection(Ci).
  std::vector<std::set<std::string>> chains;
  for (const StateMap& s : sets) {
    std::set<std::string> c;
    for (const auto& [k, id] : s) {
      std::set<std::string> chain = ReferenceAuthChain(id, src, rules);
      c.insert(chain.begin(), chain.end());
    }
    chains.push_back(std::move(c));
  }
  std::set<std::string> union_c, auth_difference;
  for (const auto& c : chains) union_c.insert(c.begin(), c.end());
  for (const std::string& id : union_c) {
    bool in_all = true;
    for (const auto& c : chains) in_all = in_all && c.count(id) > 0;
    if (!in_all) auth_difference.insert(id);
  }

  // v2.1: the conflicted state subgraph: events on auth_events paths from
  // one conflicted event to another (endpoints included).
  std::set<std::string> subgraph;
  if (v2_1) {
    std::set<std::string> below;  // reachable from a conflicted event
    for (const std::string& a : conflicted) {
      std::set<std::string> chain = ReferenceAuthChain(a, src, rules);
      below.insert(chain.begin(), chain.end());
    }
    for (const std::string& x : below) {
      std::set<std::string> chain = ReferenceAuthChain(x, src, rules);
      for (const std::string& b : conflicted) {
        if (chain.count(b)) {
          subgraph.insert(x);
          break;
        }
      }
    }
    // Endpoints: conflicted events on such a path.
    for (const std::string& a : conflicted) {
      std::set<std::string> chain = ReferenceAuthChain(a, src, rules);
      bool reaches = false;
      for (const std::string& b : conflicted) reaches = reaches || (b != a && chain.count(b));
      bool reached = false;
      for (const std::string& b : conflicted) {
        if (b != a && ReferenceAuthChain(b, src, rules).count(a)) reached = true;
      }
      if (reaches || reached) subgraph.insert(a);
    }
  }

  // Full conflicted set.
  std::set<std::string> fcs = conflicted;
  fcs.insert(auth_difference.begin(), auth_difference.end());
  fcs.insert(subgraph.begin(), subgraph.end());
  // Only events we have (the generator never leaves any out).
  for (auto it = fcs.begin(); it != fcs.end();) {
    it = src.Find(*it) == nullptr ? fcs.erase(it) : std::next(it);
  }

  // Step 1: X = power events in the FCS, plus their auth chains within it.
  std::set<std::string> x;
  for (const std::string& id : fcs) {
    if (IsPowerEvent(*src.Find(id))) {
      x.insert(id);
      for (const std::string& a : ReferenceAuthChain(id, src, rules)) {
        if (fcs.count(a)) x.insert(a);
      }
    }
  }
  // Reverse topological power ordering: Kahn over the auth edges among X,
  // always taking the smallest by (greater sender power, smaller ts,
  // smaller event_id). Power is measured against the event's auth_events.
  auto power_of = [&](const std::string& id) {
    const Json& e = *src.Find(id);
    // "when looking at their respective auth_events": all of them; the
    // spec excludes rejected auth events only in the iterative auth checks.
    StateMap empty;
    IterativeState own(empty, e, src, rules, /*skip_rejected=*/false);
    return UserPowerLevel(StringField(e, "sender"), own, rules);
  };
  std::vector<std::string> power_order;
  {
    std::set<std::string> done;
    while (done.size() < x.size()) {
      const std::string* best = nullptr;
      int64_t best_power = 0, best_ts = 0;
      for (const std::string& id : x) {
        if (done.count(id)) continue;
        bool ready = true;
        for (const std::string& p : AuthParents(id, src, rules)) {
          if (x.count(p) && !done.count(p)) ready = false;
        }
        if (!ready) continue;
        int64_t power = power_of(id);
        int64_t ts = IntField(*src.Find(id), "origin_server_ts");
        bool smaller = best == nullptr || power > best_power ||
                       (power == best_power && (ts < best_ts || (ts == best_ts && id < *best)));
        if (smaller) {
          best = &id;
          best_power = power;
          best_ts = ts;
        }
      }
      if (best == nullptr) break;  // a cycle: cannot happen in generated rooms
      done.insert(*best);
      power_order.push_back(*best);
    }
  }

  // Step 2: iterative auth checks from the unconflicted state map (v2.1:
  // from an empty map).
  StateMap partial =
      IterativeAuthChecks(v2_1 ? StateMap{} : unconflicted, power_order, src, rules);

  // Step 3: the rest of the FCS by mainline ordering based on the partial
  // state's power levels.
  std::vector<std::string> mainline;
  {
    auto it = partial.find(StateKey{"m.room.power_levels", ""});
    if (it != partial.end()) {
      std::string p = it->second;
      std::set<std::string> seen;
      while (!p.empty() && !seen.count(p)) {
        seen.insert(p);
        mainline.push_back(p);
        p = PowerLevelsAuthEvent(p, src);
      }
    }
  }
  const int64_t kInfinity = std::numeric_limits<int64_t>::max();
  auto position_of = [&](const std::string& id) -> int64_t {
    std::set<std::string> seen = {id};
    std::string e = PowerLevelsAuthEvent(id, src);
    while (!e.empty() && !seen.count(e)) {
      seen.insert(e);
      for (size_t i = 0; i < mainline.size(); ++i) {
        if (mainline[i] == e) return static_cast<int64_t>(i);
      }
      e = PowerLevelsAuthEvent(e, src);
    }
    return kInfinity;
  };
  std::vector<std::string> rest;
  for (const std::string& id : fcs) {
    if (!x.count(id)) rest.push_back(id);
  }
  // Insertion sort with the spec's relation, written out.
  auto less = [&](const std::string& a, const std::string& b) {
    int64_t pa = position_of(a), pb = position_of(b);
    if (pa != pb) return pa > pb;
    int64_t ta = IntField(*src.Find(a), "origin_server_ts");
    int64_t tb = IntField(*src.Find(b), "origin_server_ts");
    if (ta != tb) return ta < tb;
    return a < b;
  };
  std::vector<std::string> mainline_order;
  for (const std::string& id : rest) {
    auto pos = mainline_order.begin();
    while (pos != mainline_order.end() && !less(id, *pos)) ++pos;
    mainline_order.insert(pos, id);
  }

  // Step 4.
  StateMap resolved = IterativeAuthChecks(partial, mainline_order, src, rules);
  StateMap before_overwrite = resolved;
  // Step 5: unconflicted entries overwrite.
  for (const auto& [k, v] : unconflicted) resolved[k] = v;

  if (trace) {
    trace->unconflicted = unconflicted;
    trace->conflicted = conflicted;
    trace->auth_difference = auth_difference;
    trace->subgraph = subgraph;
    trace->full_conflicted = fcs;
    trace->power_order = power_order;
    trace->partial = partial;
    trace->mainline = mainline;
    trace->mainline_order = mainline_order;
    trace->before_overwrite = before_overwrite;
  }
  return resolved;
}

// ---------------------------------------------------------------- v1

StateMap ResolveV1(const std::vector<StateMap>& sets, const EventSource& src,
                   const RoomVersionRules& rules, ReferenceTrace* trace) {
  // "A conflict occurs between states where those states have different
  // event_ids for the same (event_type, state_key)."
  std::map<StateKey, std::set<std::string>> values;
  for (const StateMap& s : sets) {
    for (const auto& [k, id] : s) values[k].insert(id);
  }
  // "Start by setting R to the union of the states to be resolved,
  // excluding any conflicting events."
  StateMap r;
  std::map<StateKey, std::vector<std::string>> conflicted;
  for (const auto& [k, ids] : values) {
    if (ids.size() == 1) {
      r[k] = *ids.begin();
    } else {
      conflicted[k] = std::vector<std::string>(ids.begin(), ids.end());
    }
  }
  if (trace) {
    trace->unconflicted = r;
    for (const auto& [k, ids] : conflicted) trace->conflicted.insert(ids.begin(), ids.end());
  }
  auto depth = [&](const std::string& id) { return IntField(*src.Find(id), "depth"); };
  auto passes = [&](const std::string& id) {
    MapState state(r, src);
    return AuthorizeAgainstState(*src.Find(id), state, rules).allowed;
  };
  // Power levels, join rules, then each member key: "Sort the list by
  // ascending depth then descending sha1(event_id). Add the first event in
  // the list to R. For each subsequent event in the list, check that the
  // event would be allowed by the authorisation rules for a room in state
  // R. If the event would be allowed, then update R with the event and
  // continue with the next event in the list. If it would not be allowed,
  // stop".
  auto resolve_power_key = [&](const StateKey& k) {
    std::vector<std::string> list = conflicted[k];
    std::sort(list.begin(), list.end(), [&](const std::string& a, const std::string& b) {
      if (depth(a) != depth(b)) return depth(a) < depth(b);
      return Sha1Hex(a) > Sha1Hex(b);
    });
    r[k] = list[0];
    for (size_t i = 1; i < list.size(); ++i) {
      if (!passes(list[i])) break;
      r[k] = list[i];
    }
  };
  StateKey pl{"m.room.power_levels", ""}, jr{"m.room.join_rules", ""};
  if (conflicted.count(pl)) resolve_power_key(pl);
  if (conflicted.count(jr)) resolve_power_key(jr);
  for (const auto& [k, ids] : conflicted) {
    if (k.type == "m.room.member") resolve_power_key(k);
  }
  // "for all other conflicts, just pick the event with the highest depth and
  // lowest sha1(event_id) that passes authentication in R and add it to R."
  for (const auto& [k, ids] : conflicted) {
    if (k == pl || k == jr || k.type == "m.room.member") continue;
    std::vector<std::string> list = ids;
    std::sort(list.begin(), list.end(), [&](const std::string& a, const std::string& b) {
      if (depth(a) != depth(b)) return depth(a) > depth(b);
      return Sha1Hex(a) < Sha1Hex(b);
    });
    for (const std::string& id : list) {
      if (passes(id)) {
        r[k] = id;
        break;
      }
    }
  }
  return r;
}

}  // namespace

std::vector<std::string> ListedAuthEventIds(const Json& event) {
  std::vector<std::string> ids;
  const Json* list = event.Find("auth_events");
  if (list == nullptr || !list->is_array()) return ids;
  for (const Json& item : list->as_array()) {
    if (item.is_string()) {
      ids.push_back(item.as_string());
    } else if (item.is_array() && !item.as_array().empty() && item.as_array()[0].is_string()) {
      ids.push_back(item.as_array()[0].as_string());
    }
  }
  return ids;
}

std::set<std::string> ReferenceAuthChain(const std::string& event_id, const EventSource& events,
                                         const RoomVersionRules& rules) {
  std::set<std::string> seen;
  std::vector<std::string> stack = AuthParents(event_id, events, rules);
  while (!stack.empty()) {
    std::string id = std::move(stack.back());
    stack.pop_back();
    if (!seen.insert(id).second) continue;
    for (std::string& p : AuthParents(id, events, rules)) {
      if (!seen.count(p)) stack.push_back(std::move(p));
    }
  }
  seen.erase(event_id);  // only possible through a cycle
  return seen;
}

std::string Sha1Hex(const std::string& s) {
  unsigned char d[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(s.data()), s.size(), d);
  std::string out;
  char buf[3];
  for (unsigned char c : d) {
    std::snprintf(buf, sizeof buf, "%02x", c);
    out += buf;
  }
  return out;
}

StateMap ReferenceResolve(const std::vector<StateMap>& state_sets, const EventSource& events,
                          const RoomVersionRules& rules, ReferenceTrace* trace) {
  // Entries naming unknown events are dropped.
  std::vector<StateMap> sets;
  for (const StateMap& s : state_sets) {
    StateMap known;
    for (const auto& [k, id] : s) {
      if (events.Find(id) != nullptr) known[k] = id;
    }
    sets.push_back(std::move(known));
  }
  switch (rules.state_res) {
    case StateResAlgorithm::kV1:
      return ResolveV1(sets, events, rules, trace);
    case StateResAlgorithm::kV2:
      return ResolveV2(sets, events, rules, /*v2_1=*/false, trace);
    case StateResAlgorithm::kV2_1:
      return ResolveV2(sets, events, rules, /*v2_1=*/true, trace);
  }
  return {};
}

}  // namespace mxstate::reference

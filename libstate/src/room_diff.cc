// Room diff and state-reset detection over two replays (room_diff.h).
#include "mxstate/room_diff.h"

#include <algorithm>
#include <deque>
#include <map>
#include <queue>
#include <set>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

namespace mxstate {
namespace {

// Bound on the events one ancestry question may visit.
constexpr size_t kMaxAncestryVisits = 200'000;

std::vector<std::string> ReferencedIds(const Json& event, std::string_view field) {
  std::vector<std::string> ids;
  const Json* list = event.Find(field);
  if (list == nullptr || !list->is_array()) return ids;
  for (const Json& item : list->as_array()) {
    const Json* id = item.is_array() && !item.as_array().empty() ? &item.as_array()[0] : &item;
    if (id->is_string()) ids.push_back(id->as_string());
  }
  return ids;
}

int64_t IntField(const Json& event, std::string_view field) {
  const Json* v = event.Find(field);
  return v != nullptr && v->is_integer() ? v->as_integer() : 0;
}

bool KeyOf(const Json* event, StateKey* key) {
  if (event == nullptr) return false;
  const std::string* type = event->FindString("type");
  const std::string* state_key = event->FindString("state_key");
  if (type == nullptr || state_key == nullptr) return false;
  *key = StateKey{*type, *state_key};
  return true;
}

// Whether `ancestor` is reached from `descendant` through prev_events and
// auth_events (the event itself excluded). Events with a depth below the
// ancestor's are not expanded (a DAG's depths grow along its edges).
bool IsAncestor(const EventSource& events, const std::string& ancestor,
                const std::string& descendant) {
  if (ancestor == descendant) return false;
  const Json* target = events.Find(ancestor);
  if (target == nullptr) return false;
  const Json* depth = target->Find("depth");
  const bool prune = depth != nullptr && depth->is_integer();
  const int64_t floor = prune ? depth->as_integer() : 0;
  std::unordered_set<std::string> seen{descendant};
  std::deque<std::string> queue{descendant};
  while (!queue.empty() && seen.size() < kMaxAncestryVisits) {
    const Json* e = events.Find(queue.front());
    queue.pop_front();
    if (e == nullptr) continue;
    for (std::string_view field : {"prev_events", "auth_events"}) {
      for (std::string& id : ReferencedIds(*e, field)) {
        if (id == ancestor) return true;
        if (seen.count(id) > 0) continue;
        const Json* next = events.Find(id);
        if (next == nullptr) continue;
        if (prune) {
          const Json* d = next->Find("depth");
          if (d != nullptr && d->is_integer() && d->as_integer() < floor) continue;
        }
        seen.insert(id);
        queue.push_back(std::move(id));
      }
    }
  }
  return false;
}

std::string CheckText(const AuthCheckRecord& c) {
  std::string s = c.allowed ? "passed" : "refused";
  s += " in the " + c.phase + " step";
  if (!c.allowed && !c.code.empty()) s += " (" + c.code + ", " + c.rule + ")";
  else if (!c.rule.empty()) s += " (" + c.rule + ")";
  return s;
}

const AuthCheckRecord* LastCheck(const std::vector<AuthCheckRecord>& checks,
                                 const std::string& id, bool allowed_only) {
  const AuthCheckRecord* found = nullptr;
  for (const AuthCheckRecord& c : checks) {
    if (c.event_id == id && (!allowed_only || c.allowed)) found = &c;
  }
  return found;
}

// How the resolution treated each newer side value, next to the older one.
std::string ResetCause(const Resolution& res, const std::string& resolved,
                       const std::vector<std::string>& newer) {
  std::string cause;
  const AuthCheckRecord* old_check =
      resolved.empty() ? nullptr : LastCheck(res.checks, resolved, true);
  for (const std::string& v : newer) {
    if (!cause.empty()) cause += "; ";
    const AuthCheckRecord* c = LastCheck(res.checks, v, false);
    if (c == nullptr) {
      cause += v + " was not among the events the resolution checked";
    } else if (!c->allowed) {
      cause += v + " was " + CheckText(*c);
    } else {
      cause += v + " " + CheckText(*c);
      if (old_check != nullptr) {
        cause += ", then the older " + resolved + " was applied after it (" + old_check->phase +
                 " step)";
      }
    }
  }
  return cause;
}

}  // namespace

void FindStateResets(const MergeInfo& info, std::vector<StateReset>* out) {
  std::set<StateKey> keys;
  for (const StateMap* s : info.side_states) {
    for (const auto& [key, id] : *s) keys.insert(key);
  }
  std::vector<StateReset> found;
  std::vector<std::vector<std::string>> newer_values;
  for (const StateKey& key : keys) {
    std::vector<std::string> values;
    bool all_present = true, all_same = true;
    for (const StateMap* s : info.side_states) {
      auto it = s->find(key);
      values.push_back(it == s->end() ? "" : it->second);
      if (values.back().empty()) all_present = false;
    }
    auto rit = info.resolved->find(key);
    const std::string resolved = rit == info.resolved->end() ? "" : rit->second;
    for (const std::string& v : values) all_same = all_same && v == resolved;
    if (all_same) continue;
    StateReset reset;
    std::vector<std::string> newer;
    if (resolved.empty()) {
      if (!all_present) continue;
      reset.kind = ResetKind::kDropped;
      for (const std::string& v : values) {
        if (std::find(newer.begin(), newer.end(), v) == newer.end()) newer.push_back(v);
      }
    } else {
      bool held_by_some = std::find(values.begin(), values.end(), resolved) != values.end();
      bool all_newer = all_present && !held_by_some;
      for (const std::string& v : values) {
        if (v.empty() || v == resolved) continue;
        if (IsAncestor(*info.events, resolved, v)) {
          if (std::find(newer.begin(), newer.end(), v) == newer.end()) newer.push_back(v);
        } else {
          all_newer = false;
        }
      }
      if (newer.empty()) continue;
      reset.kind = all_newer ? ResetKind::kRewound : ResetKind::kReverted;
    }
    reset.merge_event = info.event_id;
    reset.key = key;
    reset.category = std::string(ResetCategory(key));
    reset.resolved = resolved;
    reset.sides = info.side_ids;
    reset.side_values = std::move(values);
    found.push_back(std::move(reset));
    newer_values.push_back(std::move(newer));
  }
  if (found.empty()) return;
  // Explain the resolution once for this merge.
  std::vector<StateMap> sets;
  for (const StateMap* s : info.side_states) sets.push_back(*s);
  StateResOptions explain;
  explain.explain = true;
  Result<Resolution> res = ResolveState(sets, *info.events, *info.rules, explain);
  for (size_t i = 0; i < found.size(); ++i) {
    if (res) found[i].cause = ResetCause(*res, found[i].resolved, newer_values[i]);
    out->push_back(std::move(found[i]));
  }
}

namespace {

// The explained resolution of the forward extremities' states.
struct FinalResolution {
  bool present = false;
  std::vector<std::string> sides;
  std::vector<StateMap> states;
  Resolution resolution;
  std::map<std::string, StateKey> keys_of;  // events named by the explanation
};

void CaptureFinal(const MergeInfo& info, FinalResolution* final) {
  final->present = true;
  final->sides = info.side_ids;
  for (const StateMap* s : info.side_states) final->states.push_back(*s);
  StateResOptions explain;
  explain.explain = true;
  Result<Resolution> res = ResolveState(final->states, *info.events, *info.rules, explain);
  if (!res) {
    final->resolution.state = *info.resolved;
    final->resolution.warnings.push_back(res.error());
    return;
  }
  final->resolution = std::move(*res);
  auto note = [&](const std::string& id) {
    StateKey key;
    if (final->keys_of.count(id) == 0 && KeyOf(info.events->Find(id), &key)) {
      final->keys_of.emplace(id, std::move(key));
    }
  };
  for (const AuthCheckRecord& c : final->resolution.checks) note(c.event_id);
  for (const PowerOrderEntry& e : final->resolution.power_order) note(e.event_id);
  for (const MainlineOrderEntry& e : final->resolution.mainline_order) note(e.event_id);
}

struct SideRun {
  RoomReplay replay;
  std::vector<StateReset> resets;
  FinalResolution final;
};

Result<void> RunSide(std::span<const Json> events, const RoomVersionRules& rules,
                     const ReplayOptions& options, bool capture_final, SideRun* side) {
  ReplayOptions own = options;
  own.on_merge = [&](const MergeInfo& info) {
    FindStateResets(info, &side->resets);
    if (capture_final && info.event_id.empty()) CaptureFinal(info, &side->final);
    if (options.on_merge) options.on_merge(info);
  };
  Result<RoomReplay> replay = ReplayRoom(events, rules, own);
  if (!replay) return tl::unexpected(replay.error());
  side->replay = std::move(*replay);
  return {};
}

KeyOrigin ExplainKey(const SideRun& side, const StateKey& key) {
  KeyOrigin o;
  const RoomReplay& r = side.replay;
  auto it = r.current_state.find(key);
  o.value = it == r.current_state.end() ? "" : it->second;
  o.extremities = r.forward_extremities;
  const std::string shown = o.value.empty() ? "no value" : o.value;
  if (!side.final.present) {
    o.step = "single extremity";
    o.candidates.push_back(o.value);
    if (r.forward_extremities.size() == 1) {
      o.summary = "straight from the state after " + r.forward_extremities[0] +
                  " (the only forward extremity): " + shown;
    } else {
      o.summary = "the current state was not resolved (" +
                  std::to_string(r.forward_extremities.size()) +
                  " forward extremities; see the problems): " + shown;
    }
    return o;
  }
  const FinalResolution& f = side.final;
  const Resolution& res = f.resolution;
  o.resolved = true;
  for (const StateMap& s : f.states) {
    auto v = s.find(key);
    o.candidates.push_back(v == s.end() ? "" : v->second);
  }
  o.conflicted = std::find(res.conflicted_keys.begin(), res.conflicted_keys.end(), key) !=
                 res.conflicted_keys.end();
  auto of_key = [&](const std::string& id) {
    auto k = f.keys_of.find(id);
    return k != f.keys_of.end() && k->second == key;
  };
  for (const AuthCheckRecord& c : res.checks) {
    if (of_key(c.event_id)) o.checks.push_back(c);
  }
  for (const PowerOrderEntry& e : res.power_order) {
    if (of_key(e.event_id)) o.power_order.push_back(e);
  }
  for (const MainlineOrderEntry& e : res.mainline_order) {
    if (of_key(e.event_id)) o.mainline_order.push_back(e);
  }
  std::string sets;
  for (size_t i = 0; i < f.sides.size(); ++i) {
    sets += (i ? ", " : "") + f.sides[i] + ": " +
            (o.candidates[i].empty() ? std::string("absent") : o.candidates[i]);
  }
  const std::string from =
      "resolution of the states after " + std::to_string(f.sides.size()) + " forward extremities";
  if (!o.conflicted) {
    o.step = "unconflicted";
    o.summary = "unconflicted in the " + from + " (" + sets + "): " + shown;
    return o;
  }
  std::string summary = "conflicted in the " + from + " (" + sets + "); ";
  if (o.value.empty()) {
    o.step = "no candidate passed";
    summary += "no event of this key passed the resolution's auth checks";
  } else if (const AuthCheckRecord* c = LastCheck(res.checks, o.value, true)) {
    o.step = c->phase;
    summary += "the resolution applied " + o.value + " last, in the " + c->phase + " step (" +
               c->rule + ")";
  } else {
    o.step = "resolution";
    summary += "the resolution chose " + o.value;
  }
  std::vector<std::string> others;
  for (const AuthCheckRecord& c : o.checks) {
    if (c.event_id == o.value) continue;
    std::string t = c.event_id + " " + CheckText(c);
    if (std::find(others.begin(), others.end(), t) == others.end()) others.push_back(t);
  }
  if (!others.empty()) {
    summary += "; other events of this key: ";
    for (size_t i = 0; i < others.size(); ++i) summary += (i ? "; " : "") + others[i];
    if (!o.value.empty()) summary += " (a passing event applied earlier is overwritten)";
  }
  o.summary = std::move(summary);
  return o;
}

// The last verdict of each ID (a losing duplicate is listed before the
// event that holds its ID).
std::unordered_map<std::string, const EventVerdict*> VerdictsById(const RoomReplay& r) {
  std::unordered_map<std::string, const EventVerdict*> m;
  for (const EventVerdict& v : r.verdicts) m[v.event_id] = &v;
  return m;
}

}  // namespace

std::string_view ToString(ResetKind kind) {
  switch (kind) {
    case ResetKind::kRewound: return "rewound";
    case ResetKind::kReverted: return "reverted";
    case ResetKind::kDropped: return "dropped";
  }
  return "?";
}

std::string_view ResetCategory(const StateKey& key) {
  if (key.type == "m.room.member") return "membership";
  if (key.type == "m.room.power_levels" && key.state_key.empty()) return "power levels";
  if (key.type == "m.room.join_rules" && key.state_key.empty()) return "join rules";
  return "other";
}

Result<std::vector<StateReset>> DetectStateResets(std::span<const Json> events,
                                                  const RoomVersionRules& rules,
                                                  const ReplayOptions& options) {
  SideRun side;
  Result<void> run = RunSide(events, rules, options, false, &side);
  if (!run) return tl::unexpected(run.error());
  return std::move(side.resets);
}

Result<RoomDiff> DiffRooms(std::span<const Json> a, std::span<const Json> b,
                           const RoomVersionRules& rules, const ReplayOptions& options) {
  SideRun sa, sb;
  if (Result<void> r = RunSide(a, rules, options, true, &sa); !r) {
    return tl::unexpected(r.error());
  }
  if (Result<void> r = RunSide(b, rules, options, true, &sb); !r) {
    return tl::unexpected(r.error());
  }
  RoomDiff diff;
  auto va = VerdictsById(sa.replay);
  auto vb = VerdictsById(sb.replay);

  // The union of both copies (A's JSON first), in topological order.
  std::unordered_map<std::string, const Json*> json;
  for (const auto& [id, v] : va) json.emplace(id, &a[v->input_index]);
  for (const auto& [id, v] : vb) json.emplace(id, &b[v->input_index]);
  std::vector<std::string> ids;
  ids.reserve(json.size());
  for (const auto& [id, j] : json) ids.push_back(id);
  std::sort(ids.begin(), ids.end());
  std::unordered_map<std::string, uint32_t> index;
  for (uint32_t i = 0; i < ids.size(); ++i) index.emplace(ids[i], i);
  std::vector<std::vector<uint32_t>> parents(ids.size()), children(ids.size());
  for (uint32_t i = 0; i < ids.size(); ++i) {
    for (std::string_view field : {"prev_events", "auth_events"}) {
      for (const std::string& p : ReferencedIds(*json[ids[i]], field)) {
        auto it = index.find(p);
        if (it == index.end() || it->second == i) continue;
        if (std::find(parents[i].begin(), parents[i].end(), it->second) != parents[i].end()) {
          continue;
        }
        parents[i].push_back(it->second);
        children[it->second].push_back(i);
      }
    }
  }
  auto key = [&](uint32_t i) {
    const Json& e = *json[ids[i]];
    return std::tuple(IntField(e, "depth"), IntField(e, "origin_server_ts"),
                      std::string_view(ids[i]));
  };
  auto later = [&](uint32_t x, uint32_t y) { return key(x) > key(y); };
  std::priority_queue<uint32_t, std::vector<uint32_t>, decltype(later)> ready(later);
  std::vector<size_t> pending(ids.size());
  for (uint32_t i = 0; i < ids.size(); ++i) {
    pending[i] = parents[i].size();
    if (pending[i] == 0) ready.push(i);
  }
  std::vector<uint32_t> order;
  std::vector<bool> placed(ids.size(), false);
  while (!ready.empty()) {
    uint32_t i = ready.top();
    ready.pop();
    order.push_back(i);
    placed[i] = true;
    for (uint32_t c : children[i]) {
      if (--pending[c] == 0) ready.push(c);
    }
  }
  for (uint32_t i = 0; i < ids.size(); ++i) {
    if (!placed[i]) order.push_back(i);  // on a cycle: last, by ID
  }

  std::vector<bool> differs(ids.size(), false);
  for (uint32_t i : order) {
    const std::string& id = ids[i];
    auto ia = va.find(id);
    auto ib = vb.find(id);
    if (ib == vb.end()) {
      diff.only_in_a.push_back(id);
      differs[i] = true;
    } else if (ia == va.end()) {
      diff.only_in_b.push_back(id);
      differs[i] = true;
    } else if (ia->second->outcome != ib->second->outcome) {
      diff.judged_differently.push_back(VerdictDifference{id, *ia->second, *ib->second});
      differs[i] = true;
    }
  }
  std::vector<bool> tainted(ids.size(), false);
  for (uint32_t i : order) {
    bool parent_tainted = std::any_of(parents[i].begin(), parents[i].end(),
                                      [&](uint32_t p) { return tainted[p]; });
    if (differs[i] && !parent_tainted) diff.first_divergence.push_back(ids[i]);
    tainted[i] = differs[i] || parent_tainted;
  }

  std::set<StateKey> keys;
  for (const auto& [k, v] : sa.replay.current_state) keys.insert(k);
  for (const auto& [k, v] : sb.replay.current_state) keys.insert(k);
  for (const StateKey& k : keys) {
    auto ia = sa.replay.current_state.find(k);
    auto ib = sb.replay.current_state.find(k);
    std::string xa = ia == sa.replay.current_state.end() ? "" : ia->second;
    std::string xb = ib == sb.replay.current_state.end() ? "" : ib->second;
    if (xa == xb) continue;
    diff.state_differences.push_back(
        KeyDifference{k, xa, xb, ExplainKey(sa, k), ExplainKey(sb, k)});
  }
  diff.replay_a = std::move(sa.replay);
  diff.replay_b = std::move(sb.replay);
  diff.resets_a = std::move(sa.resets);
  diff.resets_b = std::move(sb.resets);
  return diff;
}

}  // namespace mxstate

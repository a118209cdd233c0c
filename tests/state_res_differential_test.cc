// Differential ("torture") test of state resolution (ruma#625): random
// forked rooms from room_generator.h, resolved by mxstate::ResolveState and
// by the slow reference in state_res_reference.h, which must agree exactly.
// Plus properties every resolution must have.
//
// MXSTATE_TORTURE_SEEDS=<n> runs seeds 1..n instead of the default.
// MXSTATE_TORTURE_SEED=<s> runs only seed s (for replaying a failure).
// MXSTATE_TORTURE_MAX_STEPS=<n> makes rooms of up to n random steps (80).
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "mxstate/event_graph.h"
#include "mxstate/room_version.h"
#include "mxstate/state_delta.h"
#include "mxstate/state_res.h"
#include "room_generator.h"
#include "state_res_reference.h"

namespace mxstate::testing {
namespace {

constexpr int kDefaultSeeds = 300;
constexpr int kPicksPerRoom = 3;
const std::vector<std::string> kVersions = {"1", "2", "6", "10", "11", "12"};

std::pair<uint64_t, uint64_t> SeedRange() {
  if (const char* one = std::getenv("MXSTATE_TORTURE_SEED")) {
    uint64_t s = std::strtoull(one, nullptr, 10);
    return {s, s};
  }
  uint64_t n = kDefaultSeeds;
  if (const char* env = std::getenv("MXSTATE_TORTURE_SEEDS")) {
    n = std::max<uint64_t>(1, std::strtoull(env, nullptr, 10));
  }
  return {1, n};
}

// Rooms of 20 to 80 random steps (more with MXSTATE_TORTURE_MAX_STEPS).
GeneratorOptions OptionsFor(uint64_t seed) {
  GeneratorOptions options;
  int max_steps = 80;  // MXSTATE_TORTURE_MAX_STEPS for bigger rooms
  if (const char* env = std::getenv("MXSTATE_TORTURE_MAX_STEPS")) {
    max_steps = std::max(21, std::atoi(env));
  }
  options.steps = 20 + static_cast<int>((seed * 37) % static_cast<uint64_t>(max_steps - 19));
  return options;
}

std::mt19937_64 PickRng(uint64_t seed, const std::string& version) {
  return std::mt19937_64(seed * 1'000'003 + std::hash<std::string>{}(version));
}

std::string SetsText(const std::vector<StateMap>& sets, const std::vector<std::string>& points) {
  std::string out;
  for (size_t i = 0; i < sets.size(); ++i) {
    out += "  S" + std::to_string(i + 1) + " (state after " +
           (i < points.size() ? points[i] : std::string("?")) + "):\n" + StateMapText(sets[i]);
  }
  return out;
}

std::string Diff(const StateMap& fast, const StateMap& ref) {
  std::set<StateKey> keys;
  for (const auto& [k, v] : fast) keys.insert(k);
  for (const auto& [k, v] : ref) keys.insert(k);
  std::string out;
  for (const StateKey& k : keys) {
    auto a = fast.find(k);
    auto b = ref.find(k);
    std::string va = a == fast.end() ? "(absent)" : a->second;
    std::string vb = b == ref.end() ? "(absent)" : b->second;
    if (va != vb) out += "    " + k.type + "|" + k.state_key + ": fast " + va + ", reference " + vb + "\n";
  }
  return out;
}

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const std::string& s : v) out += (out.empty() ? "" : " ") + s;
  return out;
}

template <typename C>
std::vector<std::string> Sorted(const C& c) {
  std::vector<std::string> v(c.begin(), c.end());
  std::sort(v.begin(), v.end());
  return v;
}

// Where the two first part ways, from the fast explanation and the
// reference trace.
std::string StepReport(const Resolution& fast, const reference::ReferenceTrace& ref,
                       const RoomVersionRules& rules) {
  std::ostringstream o;
  if (rules.state_res == StateResAlgorithm::kV1) {
    o << "  (v1) reference R after step 1:\n" << StateMapText(ref.unconflicted);
    o << "  fast checks:";
    for (const AuthCheckRecord& c : fast.checks) {
      o << " " << c.event_id << "[" << c.phase << ":" << (c.allowed ? "ok" : c.code) << "]";
    }
    o << "\n";
    return o.str();
  }
  auto line = [&](const char* name, const std::vector<std::string>& f,
                  const std::vector<std::string>& r) {
    o << "  " << name << (f == r ? " (same): " : " DIFFERS:\n    fast:      ") << Join(f);
    if (f != r) o << "\n    reference: " << Join(r);
    o << "\n";
  };
  line("auth difference", Sorted(fast.auth_difference), Sorted(ref.auth_difference));
  if (rules.state_res == StateResAlgorithm::kV2_1) {
    // Compared without the conflicted events themselves (the endpoints),
    // which are in the full conflicted set either way.
    auto strip = [&](const auto& c) {
      std::vector<std::string> v;
      for (const std::string& id : c) {
        if (!ref.conflicted.count(id)) v.push_back(id);
      }
      std::sort(v.begin(), v.end());
      return v;
    };
    line("conflicted subgraph (minus conflicted events)", strip(fast.conflicted_subgraph),
         strip(ref.subgraph));
  }
  std::vector<std::string> fast_power;
  for (const PowerOrderEntry& e : fast.power_order) fast_power.push_back(e.event_id);
  line("step 1 power order", fast_power, ref.power_order);
  line("step 3 mainline", fast.mainline, ref.mainline);
  std::vector<std::string> fast_main;
  for (const MainlineOrderEntry& e : fast.mainline_order) fast_main.push_back(e.event_id);
  line("step 3 mainline order", fast_main, ref.mainline_order);
  o << "  reference partial state after step 2:\n" << StateMapText(ref.partial);
  o << "  reference state after step 4 (before step 5):\n" << StateMapText(ref.before_overwrite);
  o << "  fast checks:";
  for (const AuthCheckRecord& c : fast.checks) {
    o << " " << c.event_id << "[" << c.phase << ":" << (c.allowed ? "ok" : c.code) << "]";
  }
  o << "\n";
  return o.str();
}

struct Outcome {
  bool agree = true;
  std::string message;
};

// How much of the algorithm the compared resolutions exercised.
struct Coverage {
  int conflicted = 0;          // some key conflicted
  int auth_difference = 0;     // non-empty auth difference
  int subgraph_adds = 0;       // v2.1 subgraph added events beyond conflicted + difference
  int power_sorted = 0;        // >= 2 events in the power ordering
  int mainline_sorted = 0;     // >= 2 events in the mainline ordering
  int refused = 0;             // some iterative auth check refused an event
  int overwritten = 0;         // step 5 changed something
  int new_state = 0;           // result equals none of the input sets
  std::string Text(int total) const {
    char buf[400];
    std::snprintf(buf, sizeof buf,
                  "of %d: %d with conflicts, %d with an auth difference, %d where the v2.1 "
                  "subgraph added events, %d with >=2 power-sorted events, %d with >=2 "
                  "mainline-sorted events, %d with a refused event, %d where step 5 "
                  "overwrote, %d whose result is none of the inputs",
                  total, conflicted, auth_difference, subgraph_adds, power_sorted,
                  mainline_sorted, refused, overwritten, new_state);
    return buf;
  }
};
Coverage g_coverage;

void Count(const std::vector<StateMap>& sets, const StateMap& result,
           const reference::ReferenceTrace& t, const Resolution* fast) {
  if (!t.conflicted.empty()) g_coverage.conflicted++;
  if (!t.auth_difference.empty()) g_coverage.auth_difference++;
  size_t base = 0;
  for (const std::string& s : t.subgraph) {
    if (!t.conflicted.count(s) && !t.auth_difference.count(s)) ++base;
  }
  if (base > 0) g_coverage.subgraph_adds++;
  if (t.power_order.size() >= 2) g_coverage.power_sorted++;
  if (t.mainline_order.size() >= 2) g_coverage.mainline_sorted++;
  if (fast && std::any_of(fast->checks.begin(), fast->checks.end(),
                          [](const AuthCheckRecord& c) { return !c.allowed; })) {
    g_coverage.refused++;
  }
  if (!t.conflicted.empty() && t.before_overwrite != result && !t.before_overwrite.empty()) {
    g_coverage.overwritten++;
  }
  if (std::none_of(sets.begin(), sets.end(), [&](const StateMap& s) { return s == result; })) {
    g_coverage.new_state++;
  }
}

// One workspace for every persistent-graph resolution of the test, across
// rooms, graphs and versions: an entry a resolution forgot to reset would
// change a later result and show as a disagreement.
StateResWorkspace& SharedWorkspace() {
  static StateResWorkspace workspace;
  return workspace;
}

// The persistent-graph path (ResolveState over a caller-owned EventGraph):
// the state sets added to `graph`, which earlier resolutions of the same
// room already filled. With a StateReach on every set the auth difference
// is found from the sets' own auth chains instead of the unconflicted
// events' closure; computed after each AddState, a later AddState may
// rebuild the index and leave the earlier ones stale, which resolution
// must notice. Returns the resolved state or the error.
enum class Reach { kNone, kAfterEachAdd, kAfterAllAdds };
Result<StateMap> GraphResolve(EventGraph& graph, const EventSource& source,
                              const std::vector<StateMap>& sets, Reach reach) {
  std::vector<GraphState> graph_sets;
  for (size_t i = 0; i < sets.size(); ++i) {
    auto s = AddState(sets[i], source, graph, i + 1);
    if (!s) return tl::unexpected(s.error());
    graph_sets.push_back(*std::move(s));
    if (reach == Reach::kAfterEachAdd) ComputeStateReach(graph, &graph_sets.back());
  }
  if (reach == Reach::kAfterAllAdds) {
    for (GraphState& set : graph_sets) ComputeStateReach(graph, &set);
  }
  StateResOptions options;
  options.workspace = &SharedWorkspace();
  // Each way of reading the unconflicted state in v2 (the rooms are small,
  // so kAuto copies it).
  using Base = StateResOptions::UnconflictedBase;
  options.unconflicted_base = reach == Reach::kNone           ? Base::kAuto
                              : reach == Reach::kAfterEachAdd ? Base::kCopy
                                                              : Base::kLookUp;
  auto r = ResolveState(graph_sets, graph, options);
  if (!r) return tl::unexpected(r.error());
  return ToStateMap(graph, r->state);
}

// The delta form (state_delta.h): the same sets as changes to a base.
//  kFirstSet: the first set's own state (its delta is empty);
//  kEmpty: no base (every delta holds its whole state);
//  kWider: every key of every set, with the last set's event, plus
//    nothing else (deltas then remove keys and replace events);
//  kMixed: each set over the state of the set before it (different
//    bases: resolved through the whole states).
// With `reach`, each delta carries a StateReach of its whole state.
enum class DeltaBase { kFirstSet, kEmpty, kWider, kMixed };
Result<StateMap> DeltaResolve(EventGraph& graph, const EventSource& source,
                              const std::vector<StateMap>& sets, DeltaBase base_choice, bool reach,
                              StateResOptions::UnconflictedBase unconflicted_base) {
  std::vector<GraphState> whole;
  for (size_t i = 0; i < sets.size(); ++i) {
    auto s = AddState(sets[i], source, graph, i + 1);
    if (!s) return tl::unexpected(s.error());
    whole.push_back(*std::move(s));
  }
  // With `reach`, bases carry their StateReach too, so that a delta's can
  // be derived from its base's (ComputeStateReach).
  auto as_base = [&](GraphState state) {
    if (reach) ComputeStateReach(graph, &state);
    return std::make_shared<const GraphState>(std::move(state));
  };
  std::shared_ptr<const GraphState> shared;
  if (base_choice == DeltaBase::kFirstSet && !whole.empty()) {
    shared = as_base(whole[0]);
  } else if (base_choice == DeltaBase::kWider) {
    std::map<KeyIndex, EventIndex> wider;
    for (const GraphState& s : whole) {
      for (auto [k, e] : s.entries) wider[k] = e;
    }
    GraphState base;
    base.entries.assign(wider.begin(), wider.end());
    shared = as_base(std::move(base));
  }
  // A StateReach's per-chain maxima without the trailing chains it does
  // not reach (arrays computed at different times differ in length only).
  auto trimmed = [](const std::shared_ptr<const StateReach>& r) {
    std::vector<uint32_t> best = r != nullptr ? r->best : std::vector<uint32_t>{};
    while (!best.empty() && best.back() == 0) best.pop_back();
    return best;
  };
  std::vector<GraphStateDelta> deltas;
  for (size_t i = 0; i < whole.size(); ++i) {
    std::shared_ptr<const GraphState> base = shared;
    if (base_choice == DeltaBase::kMixed && i > 0) {
      base = as_base(whole[i - 1]);
    }
    deltas.push_back(DeltaOf(base, whole[i]));
    if (Materialize(deltas.back()).entries != whole[i].entries) {
      return tl::unexpected(Error{"test", "", "Materialize(DeltaOf(state)) is not the state"});
    }
    if (reach) {
      // Derived from the base's or computed whole: the same maxima.
      ComputeStateReach(graph, &deltas.back());
      GraphState again = whole[i];
      ComputeStateReach(graph, &again);
      if (trimmed(deltas.back().reach) != trimmed(again.reach)) {
        return tl::unexpected(Error{"test", "", "a delta's StateReach is not its state's"});
      }
    }
  }
  StateResOptions options;
  options.workspace = &SharedWorkspace();
  options.unconflicted_base = unconflicted_base;
  options.explain = true;
  auto r = ResolveState(deltas, graph, options);
  if (!r) return tl::unexpected(r.error());
  // The explanation is the whole form's, step by step (with the same
  // kind of auth-difference walk, which sets the order of its list).
  if (reach) {
    for (GraphState& set : whole) ComputeStateReach(graph, &set);
  }
  auto w = ResolveState(whole, graph, options);
  if (!w) return tl::unexpected(w.error());
  const Resolution& a = r->details;
  const Resolution& b = w->details;
  auto ids = [](const auto& entries) {
    std::vector<std::string> out;
    for (const auto& e : entries) out.push_back(e.event_id);
    return out;
  };
  if (a.unconflicted_keys != b.unconflicted_keys || a.conflicted_keys != b.conflicted_keys ||
      a.auth_difference != b.auth_difference || a.conflicted_subgraph != b.conflicted_subgraph ||
      ids(a.power_order) != ids(b.power_order) || a.mainline != b.mainline ||
      ids(a.mainline_order) != ids(b.mainline_order) || ids(a.checks) != ids(b.checks)) {
    return tl::unexpected(Error{"test", "", "the delta form explains another resolution"});
  }
  // The result holds exactly the keys that differ from the base.
  const std::shared_ptr<const GraphState>& base = r->state.base;
  std::map<KeyIndex, EventIndex> in_base;
  if (base != nullptr) in_base.insert(base->entries.begin(), base->entries.end());
  for (auto [k, e] : r->state.changes) {
    auto it = in_base.find(k);
    if ((it == in_base.end() && e == kNoEvent) || (it != in_base.end() && it->second == e)) {
      return tl::unexpected(Error{"test", "", "the result lists a key that did not change"});
    }
  }
  return ToStateMap(graph, Materialize(r->state));
}

// Hides every third event that no state set names (auth events the first
// AddStates find missing: cuts).
class HidingSource : public EventSource {
 public:
  HidingSource(const GeneratedRoom& room, const std::vector<StateMap>& sets) : all_(room) {
    std::set<std::string> named;
    for (const StateMap& set : sets) {
      for (const auto& [key, id] : set) named.insert(id);
    }
    for (size_t i = 0; i < room.order.size(); i += 3) {
      if (!named.count(room.order[i])) hidden_.insert(room.order[i]);
    }
  }
  const Json* Find(std::string_view id) const override {
    return hidden_.count(std::string(id)) ? nullptr : all_.Find(id);
  }
  bool IsRejected(std::string_view id) const override { return all_.IsRejected(id); }

 private:
  GeneratedRoomSource all_;
  std::set<std::string> hidden_;
};

// The sets added while some of their auth events are missing, each given
// its StateReach, then the missing events arrive (the graph rebuilds its
// index): the reaches are stale and resolution must not trust them.
Result<StateMap> StaleReachResolve(const GeneratedRoom& room, const std::vector<StateMap>& sets) {
  HidingSource hiding(room, sets);
  GeneratedRoomSource source(room);
  EventGraph graph(*room.rules);
  std::vector<GraphState> graph_sets;
  for (size_t i = 0; i < sets.size(); ++i) {
    auto s = AddState(sets[i], hiding, graph, i + 1);
    if (!s) return tl::unexpected(s.error());
    graph_sets.push_back(*std::move(s));
  }
  for (GraphState& set : graph_sets) ComputeStateReach(graph, &set);
  for (const std::string& id : room.order) {
    if (!graph.Add(id, source)) return tl::unexpected(Error{"test", "", "Add " + id});
  }
  StateResOptions options;
  options.workspace = &SharedWorkspace();
  auto r = ResolveState(graph_sets, graph, options);
  if (!r) return tl::unexpected(r.error());
  return ToStateMap(graph, r->state);
}

// `graph` (may be null): also resolve through this persistent graph, which
// must give the same state.
Outcome Compare(const GeneratedRoom& room, const std::vector<StateMap>& sets, bool detail,
                bool count = false, EventGraph* graph = nullptr) {
  GeneratedRoomSource source(room);
  StateResOptions options;
  options.explain = detail;
  Result<Resolution> fast = ResolveState(sets, source, *room.rules, options);
  reference::ReferenceTrace trace;
  StateMap ref = reference::ReferenceResolve(sets, source, *room.rules, &trace);
  if (count) Count(sets, ref, trace, fast ? &*fast : nullptr);
  Outcome out;
  if (!fast) {
    out.agree = false;
    out.message = "  fast failed: " + fast.error().ToString() + "\n";
    return out;
  }
  if (graph != nullptr) {
    for (Reach reach : {Reach::kNone, Reach::kAfterEachAdd, Reach::kAfterAllAdds}) {
      const std::string form = reach == Reach::kNone           ? "persistent graph"
                               : reach == Reach::kAfterEachAdd ? "persistent graph, StateReach per add"
                                                               : "persistent graph with StateReach";
      Result<StateMap> g = GraphResolve(*graph, source, sets, reach);
      if (!g) {
        out.agree = false;
        out.message = "  " + form + " failed: " + g.error().ToString() + "\n";
        return out;
      }
      if (*g != ref) {
        out.agree = false;
        out.message = "  " + form + " diff:\n" + Diff(*g, ref);
        return out;
      }
    }
    using Base = StateResOptions::UnconflictedBase;
    int variant = 0;
    for (DeltaBase base :
         {DeltaBase::kFirstSet, DeltaBase::kEmpty, DeltaBase::kWider, DeltaBase::kMixed}) {
      for (bool reach : {false, true}) {
        const Base how = std::array{Base::kAuto, Base::kCopy, Base::kLookUp}[variant++ % 3];
        Result<StateMap> d = DeltaResolve(*graph, source, sets, base, reach, how);
        const std::string form = "delta form (base " + std::to_string(static_cast<int>(base)) +
                                 (reach ? ", with StateReach)" : ")");
        if (!d || *d != ref) {
          out.agree = false;
          out.message = d ? "  " + form + " diff:\n" + Diff(*d, ref)
                          : "  " + form + " failed: " + d.error().ToString() + "\n";
          return out;
        }
      }
    }
    Result<StateMap> stale = StaleReachResolve(room, sets);
    if (!stale || *stale != ref) {
      out.agree = false;
      out.message = stale ? "  stale StateReach diff:\n" + Diff(*stale, ref)
                          : "  stale StateReach failed: " + stale.error().ToString() + "\n";
      return out;
    }
  }
  if (fast->state == ref) return out;
  out.agree = false;
  out.message = "  diff:\n" + Diff(fast->state, ref);
  if (detail) out.message += StepReport(*fast, trace, *room.rules);
  return out;
}

// A graph for the persistent path, filled with some of the room's events
// in a random order first (so indexing is incremental and out of order);
// every third seed without the reachability index (the walking fallback).
EventGraph PersistentGraph(const GeneratedRoom& room, uint64_t seed, std::mt19937_64& rng) {
  EventGraph graph(*room.rules, EventGraphOptions{.reachability_index = seed % 3 != 0});
  GeneratedRoomSource source(room);
  std::vector<std::string> ids = room.order;
  std::shuffle(ids.begin(), ids.end(), rng);
  ids.resize(ids.size() / 2);
  for (const std::string& id : ids) EXPECT_TRUE(graph.Add(id, source).has_value()) << id;
  return graph;
}

// The smallest room (fewest generator steps, fewest state sets) for this
// seed and version that still disagrees.
std::string MinimalRepro(uint64_t seed, const std::string& version, int steps) {
  const RoomVersionRules& rules = *FindRoomVersion(version);
  for (int s = 1; s <= steps; ++s) {
    GeneratorOptions options;
    options.steps = s;
    GeneratedRoom room = GenerateRoom(seed, rules, options);
    std::mt19937_64 rng = PickRng(seed, version);
    for (int pick = 0; pick < kPicksPerRoom; ++pick) {
      std::vector<std::string> points;
      std::vector<StateMap> sets = room.PickStateSets(rng, &points);
      if (Compare(room, sets, false).agree) continue;
      // Fewer state sets, if a pair disagrees too.
      for (size_t i = 0; i < sets.size() && sets.size() > 2; ++i) {
        for (size_t j = i + 1; j < sets.size(); ++j) {
          std::vector<StateMap> pair = {sets[i], sets[j]};
          if (!Compare(room, pair, false).agree) {
            sets = pair;
            points = {points[i], points[j]};
            i = sets.size();
            break;
          }
        }
      }
      std::ostringstream o;
      o << "minimal reproduction: seed " << seed << ", version " << version << ", " << s
        << " generator steps, pick " << pick << "\n"
        << room.DescribeRelevant(sets) << SetsText(sets, points)
        << Compare(room, sets, true).message;
      return o.str();
    }
  }
  return "(no smaller reproduction found)\n";
}

TEST(StateResDifferential, FastAgreesWithReference) {
  auto [first, last] = SeedRange();
  auto start = std::chrono::steady_clock::now();
  int compared = 0, disagreements = 0, minimised = 0;
  for (uint64_t seed = first; seed <= last; ++seed) {
    GeneratorOptions options = OptionsFor(seed);
    for (const std::string& version : kVersions) {
      const RoomVersionRules& rules = *FindRoomVersion(version);
      GeneratedRoom room = GenerateRoom(seed, rules, options);
      std::mt19937_64 rng = PickRng(seed, version);
      // One persistent graph per room, reused by every pick.
      std::mt19937_64 graph_rng(seed);
      EventGraph graph = PersistentGraph(room, seed, graph_rng);
      for (int pick = 0; pick < kPicksPerRoom; ++pick) {
        std::vector<std::string> points;
        std::vector<StateMap> sets = room.PickStateSets(rng, &points);
        Outcome o = Compare(room, sets, true, /*count=*/true, &graph);
        ++compared;
        if (o.agree) continue;
        ++disagreements;
        std::string repro;
        if (minimised++ < 5) repro = MinimalRepro(seed, version, options.steps);
        ADD_FAILURE() << "state resolution disagreement: seed " << seed << ", version "
                      << version << ", pick " << pick << "\n"
                      << SetsText(sets, points) << o.message << repro;
      }
    }
  }
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("[torture] %d resolutions compared (seeds %llu..%llu, %zu versions, %d picks), "
              "%d disagreements, %.2f s\n",
              compared, static_cast<unsigned long long>(first),
              static_cast<unsigned long long>(last), kVersions.size(), kPicksPerRoom,
              disagreements, seconds);
  std::printf("[torture] coverage %s\n", g_coverage.Text(compared).c_str());
}

// A room generated for each version and each of the first `max_seeds`
// seeds of the range, with one pick of its state sets: calls
// fn(seed, version, room, sets, points, rng), where `rng` has made the pick.
template <typename Fn>
void ForEachPickedRoom(uint64_t max_seeds, Fn fn) {
  auto [first, last] = SeedRange();
  last = std::min(last, first + max_seeds - 1);
  for (uint64_t seed = first; seed <= last; ++seed) {
    for (const std::string& version : kVersions) {
      GeneratedRoom room = GenerateRoom(seed, *FindRoomVersion(version), OptionsFor(seed));
      std::mt19937_64 rng = PickRng(seed, version);
      std::vector<std::string> points;
      std::vector<StateMap> sets = room.PickStateSets(rng, &points);
      fn(seed, version, room, sets, points, rng);
    }
  }
}

// Pads a room and its picked state sets with `count` filler state events
// (copies of the creator's join, which cites only the create event, under
// other types and state keys): most go into every set, unconflicted; one
// in ten is left out of one set, so the key is conflicted by absence.
// Their types sort before and after the room's own ("a." and "org."), so
// the sets' long runs of identical entries surround and interleave the
// conflicted keys: the merge compares such runs in blocks of bytes, and
// the small generated states alone never hold a run long enough.
void PadWithFillers(GeneratedRoom* room, std::vector<StateMap>* sets, int count,
                    std::mt19937_64& rng) {
  const Json& join = room->events.at(room->order[1]);  // the creator's join
  for (int i = 0; i < count; ++i) {
    const std::string id = "$filler" + std::to_string(i);
    const std::string type = i % 2 == 0 ? "a.filler" : "org.mxstate.filler";
    Json filler = join;
    filler.Set("type", Json(type));
    filler.Set("state_key", Json(std::to_string(i)));
    filler.Set("content", Json::MakeObject({{"n", Json(static_cast<int64_t>(i))}}));
    filler.Set("event_id", Json(id));
    room->events.emplace(id, std::move(filler));
    room->order.push_back(id);
    const size_t left_out = rng() % 10 == 0 ? rng() % sets->size() : sets->size();
    for (size_t k = 0; k < sets->size(); ++k) {
      if (k != left_out) (*sets)[k][StateKey{type, std::to_string(i)}] = id;
    }
  }
}

// Every form against the reference over states of a few hundred entries,
// where the merge's block comparison decides most keys.
TEST(StateResDifferential, FastAgreesWithReferenceInBigStates) {
  int compared = 0, disagreements = 0;
  ForEachPickedRoom(
      20, [&](uint64_t seed, const std::string& version, GeneratedRoom& room,
              std::vector<StateMap>& sets, const std::vector<std::string>&, std::mt19937_64& rng) {
        PadWithFillers(&room, &sets, 100 + static_cast<int>(seed % 90), rng);
        std::mt19937_64 graph_rng(seed);
        EventGraph graph = PersistentGraph(room, seed, graph_rng);
        Outcome o = Compare(room, sets, false, /*count=*/false, &graph);
        ++compared;
        if (o.agree) return;
        ++disagreements;
        ADD_FAILURE() << "state resolution disagreement over padded states: seed " << seed
                      << ", version " << version << "\n"
                      << o.message;
      });
  std::printf("[torture] %d resolutions of padded states compared, %d disagreements\n", compared,
              disagreements);
}

// The same comparison when some events in the auth chains are known to
// the source as rejected (as a server that rejected them on receipt would
// say): "Rejected auth events are deliberately excluded from use in the
// iterative auth checks".
TEST(StateResDifferential, FastAgreesWithReferenceWithRejectedAuthEvents) {
  int compared = 0, disagreements = 0;
  ForEachPickedRoom(60, [&](uint64_t seed, const std::string& version, GeneratedRoom& room,
                            std::vector<StateMap>& sets, const std::vector<std::string>& points,
                            std::mt19937_64& rng) {
    // Mark 1-3 accepted events that are in some auth chain but in no
    // state set as rejected (never the create event).
    GeneratedRoomSource source(room);
    std::set<std::string> in_sets, candidates;
    for (const StateMap& s : sets) {
      for (const auto& [k, id] : s) in_sets.insert(id);
    }
    for (const std::string& id : in_sets) {
      for (const std::string& a : reference::ReferenceAuthChain(id, source, *room.rules)) {
        if (!in_sets.count(a) && a != room.order[0]) candidates.insert(a);
      }
    }
    if (candidates.empty()) return;
    std::vector<std::string> pool(candidates.begin(), candidates.end());
    std::shuffle(pool.begin(), pool.end(), rng);
    std::string marked;
    for (size_t i = 0; i < pool.size() && i < 1 + rng() % 3; ++i) {
      room.rejected.insert(pool[i]);
      marked += " " + pool[i];
    }
    std::mt19937_64 graph_rng(seed);
    EventGraph graph = PersistentGraph(room, seed, graph_rng);
    Outcome o = Compare(room, sets, true, false, &graph);
    ++compared;
    if (o.agree) return;
    ++disagreements;
    ADD_FAILURE() << "disagreement with rejected auth events:" << marked << ": seed " << seed
                  << ", version " << version << "\n"
                  << room.DescribeRelevant(sets) << SetsText(sets, points) << o.message;
  });
  std::printf("[torture] %d resolutions with rejected auth events compared, %d disagreements\n",
              compared, disagreements);
}

// ---------------------------------------------------------------- properties

using Resolver = std::function<Result<StateMap>(const std::vector<StateMap>&, const GeneratedRoom&)>;

Result<StateMap> FastResolve(const std::vector<StateMap>& sets, const GeneratedRoom& room) {
  GeneratedRoomSource source(room);
  auto r = ResolveState(sets, source, *room.rules);
  if (!r) return tl::unexpected(r.error());
  return r->state;
}

Result<StateMap> RefResolve(const std::vector<StateMap>& sets, const GeneratedRoom& room) {
  GeneratedRoomSource source(room);
  return reference::ReferenceResolve(sets, source, *room.rules);
}

// The same room with every event's auth_events and prev_events shuffled.
GeneratedRoom ShuffleReferences(const GeneratedRoom& room, std::mt19937_64& rng) {
  GeneratedRoom copy = room;
  for (auto& [id, e] : copy.events) {
    for (const char* field : {"auth_events", "prev_events"}) {
      Json* list = e.Find(field);
      if (list && list->is_array()) std::shuffle(list->as_array().begin(), list->as_array().end(), rng);
    }
  }
  return copy;
}

void CheckProperties(const char* name, const Resolver& resolve) {
  auto [first, last] = SeedRange();
  last = std::min(last, first + 14);  // properties on the first 15 seeds
  for (uint64_t seed = first; seed <= last; ++seed) {
    for (const std::string& version : kVersions) {
      const RoomVersionRules& rules = *FindRoomVersion(version);
      GeneratedRoom room = GenerateRoom(seed, rules);
      std::mt19937_64 rng = PickRng(seed, version);
      std::vector<std::string> points;
      std::vector<StateMap> sets = room.PickStateSets(rng, &points);
      std::string where = std::string(name) + ": seed " + std::to_string(seed) + ", version " +
                          version + "\n" + SetsText(sets, points);
      Result<StateMap> base = resolve(sets, room);
      ASSERT_TRUE(base.has_value()) << where << base.error().ToString();

      // Independent of the order of the state sets.
      std::vector<StateMap> reversed(sets.rbegin(), sets.rend());
      std::vector<StateMap> shuffled = sets;
      std::shuffle(shuffled.begin(), shuffled.end(), rng);
      for (const auto* other : {&reversed, &shuffled}) {
        Result<StateMap> r = resolve(*other, room);
        ASSERT_TRUE(r.has_value()) << where;
        EXPECT_EQ(*r, *base) << where << "order of state sets changed the result:\n"
                             << Diff(*r, *base);
      }
      // A repeated state set changes nothing.
      std::vector<StateMap> repeated = sets;
      repeated.push_back(sets[0]);
      Result<StateMap> rep = resolve(repeated, room);
      ASSERT_TRUE(rep.has_value()) << where;
      EXPECT_EQ(*rep, *base) << where << "a repeated state set changed the result:\n"
                             << Diff(*rep, *base);
      // Independent of the order of IDs inside auth_events / prev_events.
      GeneratedRoom shuffled_room = ShuffleReferences(room, rng);
      Result<StateMap> sr = resolve(sets, shuffled_room);
      ASSERT_TRUE(sr.has_value()) << where;
      EXPECT_EQ(*sr, *base) << where << "shuffling auth_events order changed the result:\n"
                            << Diff(*sr, *base);
      // Identical state sets resolve to themselves.
      for (const StateMap& s : sets) {
        Result<StateMap> one = resolve({s}, room);
        Result<StateMap> two = resolve({s, s}, room);
        ASSERT_TRUE(one.has_value() && two.has_value()) << where;
        EXPECT_EQ(*one, s) << where << "one state set:\n" << Diff(*one, s);
        EXPECT_EQ(*two, s) << where << "two identical state sets:\n" << Diff(*two, s);
      }
      // A key with the same value in every set keeps it.
      for (const auto& [k, v] : sets[0]) {
        bool everywhere = std::all_of(sets.begin(), sets.end(), [&](const StateMap& s) {
          auto it = s.find(k);
          return it != s.end() && it->second == v;
        });
        if (!everywhere) continue;
        auto it = base->find(k);
        EXPECT_TRUE(it != base->end() && it->second == v)
            << where << k.type << "|" << k.state_key << " is " << v
            << " in every set but resolved to " << (it == base->end() ? "(absent)" : it->second);
      }
      // v1: a key with a single value among the sets that have it keeps it.
      if (rules.state_res == StateResAlgorithm::kV1) {
        std::map<StateKey, std::set<std::string>> values;
        for (const StateMap& s : sets) {
          for (const auto& [k, v] : s) values[k].insert(v);
        }
        for (const auto& [k, vs] : values) {
          if (vs.size() != 1) continue;
          auto it = base->find(k);
          EXPECT_TRUE(it != base->end() && it->second == *vs.begin())
              << where << "v1: " << k.type << "|" << k.state_key << " is not conflicted ("
              << *vs.begin() << ") but resolved to "
              << (it == base->end() ? "(absent)" : it->second);
        }
      }
    }
  }
}

// The persistent-graph form on a fresh graph (shuffled rooms differ), the
// sets carrying their StateReach.
Result<StateMap> GraphPathResolve(const std::vector<StateMap>& sets, const GeneratedRoom& room) {
  GeneratedRoomSource source(room);
  EventGraph graph(*room.rules);
  return GraphResolve(graph, source, sets, Reach::kAfterAllAdds);
}

TEST(StateResDifferential, FastProperties) { CheckProperties("fast", FastResolve); }
TEST(StateResDifferential, GraphProperties) { CheckProperties("graph", GraphPathResolve); }
TEST(StateResDifferential, ReferenceProperties) { CheckProperties("reference", RefResolve); }

// The generator itself: deterministic per seed, mostly valid events, real
// forks, and rejected events never in any state.
TEST(StateResDifferential, GeneratorSanity) {
  for (const std::string& version : kVersions) {
    const RoomVersionRules& rules = *FindRoomVersion(version);
    GeneratedRoom a = GenerateRoom(7, rules);
    GeneratedRoom b = GenerateRoom(7, rules);
    EXPECT_EQ(a.order, b.order);
    EXPECT_TRUE(a.events == b.events) << version;
    EXPECT_LT(a.rejected.size() * 2, a.order.size()) << "too many rejected events\n" << a.Describe();
    EXPECT_FALSE(a.rejected.empty()) << "no invalid events at all\n" << a.Describe();
    for (const auto& [id, state] : a.state_after) {
      for (const auto& [k, v] : state) EXPECT_EQ(a.rejected.count(v), 0u) << version << " " << id;
    }
    if (rules.room_id_format == RoomIdFormat::kCreateEventHash) {
      EXPECT_EQ(a.room_id, "!" + a.order[0].substr(1));
      EXPECT_EQ(a.events.at(a.order[0]).Find("room_id"), nullptr);
    }
  }
  // Forks: some event has a sibling (two events share a prev event).
  GeneratedRoom r = GenerateRoom(3, *FindRoomVersion("10"));
  std::map<std::string, int> children;
  for (const auto& [id, e] : r.events) {
    for (const Json& p : e.Find("prev_events")->as_array()) children[p.as_string()]++;
  }
  EXPECT_TRUE(std::any_of(children.begin(), children.end(), [](auto& kv) { return kv.second > 1; }));
}

// No state sets at all (a library caller may pass an empty list; the CLI
// asks for two): the unconflicted state map, a union over zero states, is
// empty, and so is the conflicted set, so every algorithm resolves to the
// empty state in both forms (worked from the definitions in
// rooms/fragments/v2-state-res.md and rooms/v1 "State resolution").
TEST(StateResDifferential, NoStateSetsResolveToTheEmptyState) {
  class NoEvents : public EventSource {
   public:
    const Json* Find(std::string_view) const override { return nullptr; }
  } none;
  for (const std::string& version : kVersions) {
    const RoomVersionRules& rules = *FindRoomVersion(version);
    auto from_maps = ResolveState(std::span<const StateMap>(), none, rules);
    ASSERT_TRUE(from_maps) << version << ": " << from_maps.error().message;
    EXPECT_TRUE(from_maps->state.empty()) << version;
    EventGraph graph(rules);
    StateResOptions options;
    options.workspace = &SharedWorkspace();
    auto from_graph = ResolveState(std::span<const GraphState>(), graph, options);
    ASSERT_TRUE(from_graph) << version << ": " << from_graph.error().message;
    EXPECT_TRUE(from_graph->state.entries.empty()) << version;
  }
}

}  // namespace
}  // namespace mxstate::testing

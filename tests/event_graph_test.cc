// The persistent event graph and its reachability index (event_graph.h,
// reach_index.h): every "is X in the auth chain of Y" answer, and the
// per-chain maxima for sets of events, checked against a naive walk on
// random DAGs; events added in random order, some first missing and added
// later; cycles and the bounds.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "mxstate/event_graph.h"
#include "mxstate/room_version.h"

namespace mxstate {
namespace {

std::string Id(size_t i) { return "$e" + std::to_string(i); }

// Events by ID; `hidden` ones are not handed out (cuts).
class MapSource : public EventSource {
 public:
  const Json* Find(std::string_view id) const override {
    if (hidden.count(std::string(id))) return nullptr;
    auto it = events.find(std::string(id));
    return it == events.end() ? nullptr : &it->second;
  }
  std::map<std::string, Json> events;
  std::set<std::string> hidden;
};

// A state event citing `auth`; keys from a small pool so that chains
// follow same-key auth events.
Json Event(size_t i, const std::vector<size_t>& auth, int key) {
  Json e = Json::EmptyObject();
  e.Set("type", "m.room.member");
  e.Set("state_key", "@u" + std::to_string(key) + ":x");
  e.Set("sender", "@u0:x");
  e.Set("room_id", "!r:x");
  e.Set("origin_server_ts", static_cast<int64_t>(i));
  Json::Array list;
  for (size_t a : auth) list.emplace_back(Id(a));
  e.Set("auth_events", Json(std::move(list)));
  return e;
}

struct Dag {
  std::vector<std::vector<size_t>> auth;  // auth[i] ⊂ [0, i)
};

rc::Gen<Dag> GenDag() {
  return rc::gen::mapcat(rc::gen::inRange<size_t>(1, 60), [](size_t n) {
    return rc::gen::map(
        rc::gen::container<std::vector<std::vector<size_t>>>(
            n, rc::gen::container<std::vector<size_t>>(rc::gen::inRange<size_t>(0, 1000))),
        [n](std::vector<std::vector<size_t>> raw) {
          Dag d;
          d.auth.resize(n);
          for (size_t i = 0; i < n; ++i) {
            for (size_t j = 0; j < raw[i].size() && j < 4 && i > 0; ++j) {
              d.auth[i].push_back(raw[i][j] % i);
            }
          }
          return d;
        });
  });
}

// Naive: the auth chain of i (i excluded).
std::set<size_t> Chain(const Dag& d, size_t i) {
  std::set<size_t> seen;
  std::vector<size_t> stack(d.auth[i].begin(), d.auth[i].end());
  while (!stack.empty()) {
    size_t x = stack.back();
    stack.pop_back();
    if (!seen.insert(x).second) continue;
    for (size_t a : d.auth[x]) stack.push_back(a);
  }
  return seen;
}

const RoomVersionRules& V10() { return *FindRoomVersion("10"); }

// Checks every pair, and MaxReach for a few root sets, against the walks.
void CheckAnswers(const EventGraph& graph, const Dag& d) {
  const size_t n = d.auth.size();
  std::vector<std::set<size_t>> chains(n);
  for (size_t i = 0; i < n; ++i) chains[i] = Chain(d, i);
  for (size_t i = 0; i < n; ++i) {
    EventIndex e = graph.Find(Id(i));
    RC_ASSERT(e != kNoEvent);
    for (size_t j = 0; j < n; ++j) {
      EventIndex x = graph.Find(Id(j));
      RC_ASSERT(graph.InAuthChain(e, x) == (chains[i].count(j) > 0));
    }
  }
  const ReachIndex* index = graph.reach_index();
  if (index == nullptr) return;
  for (size_t start = 0; start < n; start += 7) {
    std::vector<EventIndex> roots;
    std::set<size_t> below;
    for (size_t i = start; i < n; i += 3) {
      roots.push_back(graph.Find(Id(i)));
      below.insert(chains[i].begin(), chains[i].end());
    }
    std::vector<uint32_t> best;
    index->MaxReach(roots, &best);
    for (size_t j = 0; j < n; ++j) {
      EventIndex x = graph.Find(Id(j));
      RC_ASSERT((index->seq(x) <= best[index->chain(x)]) == (below.count(j) > 0));
    }
  }
}

RC_GTEST_PROP(EventGraph, ReachabilityMatchesWalkWhenAddedInAnyOrder, ()) {
  const Dag d = *GenDag();
  MapSource source;
  for (size_t i = 0; i < d.auth.size(); ++i) source.events[Id(i)] = Event(i, d.auth[i], *rc::gen::inRange(0, 4));
  std::vector<size_t> order(d.auth.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::vector<size_t> shuffled = *rc::gen::nonEmpty(rc::gen::container<std::vector<size_t>>(
      rc::gen::inRange<size_t>(0, d.auth.size())));
  EventGraph graph(V10());
  for (size_t i : shuffled) RC_ASSERT(graph.Add(Id(i), source).has_value());
  for (size_t i : order) RC_ASSERT(graph.Add(Id(i), source).has_value());
  RC_ASSERT(graph.reach_index() != nullptr);  // no cycle, small labels
  RC_ASSERT(graph.size() == d.auth.size());
  CheckAnswers(graph, d);
}

// The DAG's events, about one in `one_in` of them (never the last) hidden
// at first: cuts.
MapSource SourceWithCuts(const Dag& d, int one_in) {
  MapSource source;
  for (size_t i = 0; i < d.auth.size(); ++i) source.events[Id(i)] = Event(i, d.auth[i], *rc::gen::inRange(0, 4));
  for (size_t i = 0; i + 1 < d.auth.size(); ++i) {
    if (*rc::gen::inRange(0, one_in) == 0) source.hidden.insert(Id(i));
  }
  return source;
}

RC_GTEST_PROP(EventGraph, CutsFilledLaterRebuildTheIndex, ()) {
  const Dag d = *GenDag();
  MapSource source = SourceWithCuts(d, 4);
  EventGraph graph(V10());
  const std::string top = Id(d.auth.size() - 1);
  RC_ASSERT(graph.Add(top, source).has_value());
  source.hidden.clear();
  for (size_t i = d.auth.size(); i-- > 0;) RC_ASSERT(graph.Add(Id(i), source).has_value());
  for (size_t i = 0; i < d.auth.size(); ++i) RC_ASSERT(graph.event(graph.Find(Id(i))).json != nullptr);
  CheckAnswers(graph, d);
}

// A state's StateReach answers "is X in the auth chain of one of the
// state's events" as the naive walk does; once a missing auth event
// arrives and the index is rebuilt, the generation it was computed on is
// gone, so resolution will not trust it.
RC_GTEST_PROP(EventGraph, StateReachMatchesWalkUntilTheIndexChanges, ()) {
  const Dag d = *GenDag();
  MapSource source = SourceWithCuts(d, 5);
  EventGraph graph(V10());
  for (size_t i = 0; i < d.auth.size(); ++i) RC_ASSERT(graph.Add(Id(i), source).has_value());
  // A state: some of the known events, one per key.
  GraphState state;
  std::set<KeyIndex> keys;
  // The union of their auth chains as the graph knows them: a cut is in
  // it, but the graph does not know what lies below a cut.
  std::set<size_t> below;
  auto walk = [&](size_t i) {
    std::vector<size_t> stack(d.auth[i].begin(), d.auth[i].end());
    while (!stack.empty()) {
      size_t x = stack.back();
      stack.pop_back();
      if (!below.insert(x).second || source.hidden.count(Id(x))) continue;
      for (size_t a : d.auth[x]) stack.push_back(a);
    }
  };
  for (size_t i = d.auth.size(); i-- > 0;) {
    const EventIndex e = graph.Find(Id(i));
    if (graph.event(e).json == nullptr || !*rc::gen::arbitrary<bool>()) continue;
    if (!keys.insert(graph.event(e).key).second) continue;
    state.entries.emplace_back(graph.event(e).key, e);
    walk(i);
  }
  std::sort(state.entries.begin(), state.entries.end());
  ComputeStateReach(graph, &state);
  const ReachIndex* index = graph.reach_index();
  RC_ASSERT(index != nullptr);
  RC_ASSERT(state.reach != nullptr);
  RC_ASSERT(state.reach->index_generation == graph.index_generation());
  RC_ASSERT(state.reach->entry_count == state.entries.size());
  for (size_t j = 0; j < d.auth.size(); ++j) {
    const EventIndex x = graph.Find(Id(j));
    const std::vector<uint32_t>& best = state.reach->best;
    const bool reached = index->chain(x) < best.size() && index->seq(x) <= best[index->chain(x)];
    RC_ASSERT(reached == (below.count(j) > 0));
  }
  // Filling the cuts rebuilds the index when one of them was cited.
  const uint64_t before = graph.index_generation();
  const bool had_cut = !source.hidden.empty();
  source.hidden.clear();
  for (size_t i = 0; i < d.auth.size(); ++i) RC_ASSERT(graph.Add(Id(i), source).has_value());
  // (Every hidden event was added, as a cut, so each one is reloaded.)
  if (had_cut) RC_ASSERT(graph.index_generation() != before);
}

// The facts kept per event that resolution's hot loops read instead of the
// Json: power events as rooms/fragments/v2-state-res "Definitions" lists
// them (worked by hand for each case), memberships and keys.
TEST(EventGraph, KeepsPowerEventFlagMembershipAndSenderKey) {
  MapSource source;
  auto add = [&](const std::string& id, const std::string& type, const std::string& key,
                 const std::string& sender, const char* membership) {
    Json e = Json::EmptyObject();
    e.Set("type", type);
    e.Set("state_key", key);
    e.Set("sender", sender);
    Json content = Json::EmptyObject();
    if (membership != nullptr) content.Set("membership", membership);
    e.Set("content", std::move(content));
    e.Set("auth_events", Json::EmptyArray());
    source.events[id] = std::move(e);
  };
  add("$pl", "m.room.power_levels", "", "@a:x", nullptr);
  add("$jr", "m.room.join_rules", "", "@a:x", nullptr);
  add("$kick", "m.room.member", "@b:x", "@a:x", "leave");
  add("$ban", "m.room.member", "@b:x", "@a:x", "ban");
  add("$selfleave", "m.room.member", "@b:x", "@b:x", "leave");
  add("$join", "m.room.member", "@c:x", "@c:x", "join");
  add("$oddmember", "m.room.member", "@c:x", "@c:x", "wander");
  add("$topic", "m.room.topic", "", "@a:x", nullptr);
  add("$plkeyed", "m.room.power_levels", "x", "@a:x", nullptr);
  EventGraph graph(*FindRoomVersion("10"));
  auto flag = [&](const std::string& id) {
    auto e = graph.Add(id, source);
    EXPECT_TRUE(e.has_value());
    return graph.event(*e).power_event;
  };
  EXPECT_TRUE(flag("$pl"));
  EXPECT_TRUE(flag("$jr"));
  EXPECT_TRUE(flag("$kick"));
  EXPECT_TRUE(flag("$ban"));
  EXPECT_FALSE(flag("$selfleave"));
  EXPECT_FALSE(flag("$join"));
  EXPECT_FALSE(flag("$oddmember"));
  EXPECT_FALSE(flag("$topic"));
  // The spec's definition names the type only; any state_key counts.
  EXPECT_TRUE(flag("$plkeyed"));

  const GraphEvent& odd = graph.event(graph.Find("$oddmember"));
  EXPECT_EQ(odd.membership, "wander");
  EXPECT_EQ(odd.state_key, "@c:x");
  ASSERT_NE(odd.sender_key, kNoKey);
  EXPECT_EQ(graph.key(odd.sender_key).type, "m.room.member");
  EXPECT_EQ(graph.key(odd.sender_key).state_key, "@c:x");
  EXPECT_EQ(odd.sender_key, odd.key);
  // A sender with no membership event of its own still has a key.
  const GraphEvent& topic = graph.event(graph.Find("$topic"));
  ASSERT_NE(topic.sender_key, kNoKey);
  EXPECT_EQ(graph.key(topic.sender_key).state_key, "@a:x");
  EXPECT_EQ(graph.FindKey("m.room.member", "@a:x"), topic.sender_key);
  EXPECT_EQ(graph.FindKey("m.room.power_levels", ""), graph.event(graph.Find("$pl")).key);
  EXPECT_EQ(graph.FindKey("m.room.join_rules", ""), graph.event(graph.Find("$jr")).key);
  EXPECT_EQ(graph.FindKey("m.room.create", ""), kNoKey);
}

// The auth checks of a resolution take the event's content from the graph
// (GraphEvent::content) instead of looking it up in the event: it must be
// the event's own member, of whatever kind, and nullptr when the event has
// none or is a cut, until the event arrives.
TEST(EventGraph, KeepsEachEventsContent) {
  MapSource source;
  source.events["$plain"] = Event(0, {}, 0);  // no content member
  Json with = Event(1, {}, 1);
  Json content = Json::EmptyObject();
  content.Set("membership", "join");
  with.Set("content", std::move(content));
  source.events["$with"] = std::move(with);
  Json odd = Event(2, {}, 2);
  odd.Set("content", Json("not an object"));
  source.events["$odd"] = std::move(odd);
  Json late = Event(3, {}, 3);
  late.Set("content", Json::EmptyObject());
  late.Set("auth_events", Json(Json::Array{Json("$later")}));
  source.events["$late"] = std::move(late);
  Json later = Event(4, {}, 3);
  later.Set("content", Json(Json::Array{}));
  source.events["$later"] = std::move(later);
  source.hidden.insert("$later");

  EventGraph graph(V10());
  for (const char* id : {"$plain", "$with", "$odd", "$late"}) {
    ASSERT_TRUE(graph.Add(id, source).has_value()) << id;
  }
  EXPECT_EQ(graph.event(graph.Find("$plain")).content, nullptr);
  EXPECT_EQ(graph.event(graph.Find("$with")).content, source.events["$with"].Find("content"));
  EXPECT_EQ(graph.event(graph.Find("$odd")).content, source.events["$odd"].Find("content"));
  EXPECT_EQ(graph.event(graph.Find("$late")).content, source.events["$late"].Find("content"));
  const EventIndex cut = graph.Find("$later");
  ASSERT_NE(cut, kNoEvent);
  EXPECT_EQ(graph.event(cut).content, nullptr);
  source.hidden.clear();
  ASSERT_TRUE(graph.Add("$later", source).has_value());
  EXPECT_EQ(graph.event(cut).content, source.events["$later"].Find("content"));
}

TEST(EventGraph, CycleTurnsTheIndexOffButAnswersStay) {
  MapSource source;
  source.events[Id(0)] = Event(0, {}, 0);
  source.events[Id(1)] = Event(1, {0, 2}, 1);
  source.events[Id(2)] = Event(2, {1}, 2);
  source.events[Id(3)] = Event(3, {2}, 3);
  EventGraph graph(V10());
  ASSERT_TRUE(graph.Add(Id(3), source).has_value());
  EXPECT_TRUE(graph.has_cycle());
  EXPECT_EQ(graph.reach_index(), nullptr);
  EXPECT_TRUE(graph.InAuthChain(graph.Find(Id(3)), graph.Find(Id(0))));
  EXPECT_TRUE(graph.InAuthChain(graph.Find(Id(1)), graph.Find(Id(1))));  // through the cycle
  EXPECT_FALSE(graph.InAuthChain(graph.Find(Id(0)), graph.Find(Id(3))));
}

TEST(EventGraph, TooManyEventsLeavesTheGraphUnchanged) {
  MapSource source;
  for (size_t i = 0; i < 10; ++i) source.events[Id(i)] = Event(i, i ? std::vector<size_t>{i - 1} : std::vector<size_t>{}, 0);
  EventGraph graph(V10(), EventGraphOptions{.max_events = 5});
  ASSERT_TRUE(graph.Add(Id(3), source).has_value());
  EXPECT_EQ(graph.size(), 4u);
  auto r = graph.Add(Id(9), source);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, "state_res.too_many_events");
  EXPECT_EQ(graph.size(), 4u);
  EXPECT_EQ(graph.Find(Id(9)), kNoEvent);
  EXPECT_EQ(graph.Find(Id(4)), kNoEvent);
  ASSERT_TRUE(graph.Add(Id(4), source).has_value());  // still usable
  EXPECT_TRUE(graph.InAuthChain(graph.Find(Id(4)), graph.Find(Id(0))));
}

// IDs live in blocks that start at 4 KiB and double; an ID longer than a
// quarter of the largest block gets a block of its own. Every ID must keep
// its bytes whatever the order: a huge first ID, IDs that fill several
// growing blocks, another huge ID in between.
TEST(EventGraph, IdsKeepTheirBytesAcrossBlocks) {
  MapSource source;
  std::vector<std::string> ids;
  ids.push_back("$" + std::string(300'000, 'h'));  // own block, first
  for (size_t i = 0; i < 3000; ++i) ids.push_back(Id(i) + std::string(i % 97, 'x'));
  ids.insert(ids.begin() + 1500, "$" + std::string(400'000, 'k'));  // own block, in between
  for (size_t i = 0; i < ids.size(); ++i) {
    Json e = Event(i, {}, static_cast<int>(i % 7));
    source.events[ids[i]] = std::move(e);
  }
  EventGraph graph(V10());
  for (const std::string& id : ids) ASSERT_TRUE(graph.Add(id, source).has_value());
  ASSERT_EQ(graph.size(), ids.size());
  for (const std::string& id : ids) {
    EventIndex e = graph.Find(id);
    ASSERT_NE(e, kNoEvent) << id.substr(0, 20);
    EXPECT_EQ(graph.event(e).id, id);
  }
}

TEST(EventGraph, SameKeyEventsShareAChain) {
  // A membership chain of one user stays one chain whatever else cites it,
  // so labels stay short (reach_index.h).
  MapSource source;
  source.events[Id(0)] = Event(0, {}, 0);
  source.events[Id(1)] = Event(1, {0}, 1);
  source.events[Id(2)] = Event(2, {1}, 2);  // another key cites 1 first
  source.events[Id(3)] = Event(3, {1}, 1);  // same key as 1: extends its chain
  EventGraph graph(V10());
  for (size_t i = 0; i < 4; ++i) ASSERT_TRUE(graph.Add(Id(i), source).has_value());
  const ReachIndex* index = graph.reach_index();
  ASSERT_NE(index, nullptr);
  EXPECT_EQ(index->chain(graph.Find(Id(3))), index->chain(graph.Find(Id(1))));
  EXPECT_NE(index->chain(graph.Find(Id(2))), index->chain(graph.Find(Id(1))));
}

}  // namespace
}  // namespace mxstate

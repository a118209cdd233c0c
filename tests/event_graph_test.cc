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

RC_GTEST_PROP(EventGraph, CutsFilledLaterRebuildTheIndex, ()) {
  const Dag d = *GenDag();
  MapSource source;
  for (size_t i = 0; i < d.auth.size(); ++i) source.events[Id(i)] = Event(i, d.auth[i], *rc::gen::inRange(0, 4));
  for (size_t i = 0; i + 1 < d.auth.size(); ++i) {
    if (*rc::gen::inRange(0, 4) == 0) source.hidden.insert(Id(i));
  }
  EventGraph graph(V10());
  const std::string top = Id(d.auth.size() - 1);
  RC_ASSERT(graph.Add(top, source).has_value());
  source.hidden.clear();
  for (size_t i = d.auth.size(); i-- > 0;) RC_ASSERT(graph.Add(Id(i), source).has_value());
  for (size_t i = 0; i < d.auth.size(); ++i) RC_ASSERT(graph.event(graph.Find(Id(i))).json != nullptr);
  CheckAnswers(graph, d);
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

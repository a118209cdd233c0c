// States as changes to a shared base (state_delta.h): DeltaOf and
// Materialize undo each other, ValidateDelta refuses what resolution
// cannot take on trust, and resolving deltas without conflicts gives the
// unconflicted state as changes. (Resolution with conflicts in the delta
// form is compared with the reference resolver in
// state_res_differential_test.cc.)
#include "mxstate/state_delta.h"

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "mxstate/room_version.h"
#include "mxstate/state_res.h"
#include "test_util.h"

namespace mxstate {
namespace {

using Entries = std::vector<std::pair<KeyIndex, EventIndex>>;

// A sorted state from a map of small keys and events.
GraphState StateOf(const std::map<uint8_t, uint8_t>& m) {
  GraphState s;
  for (auto [k, e] : m) s.entries.emplace_back(k, e);
  return s;
}

RC_GTEST_PROP(StateDelta, MaterializeUndoesDeltaOfWithOnlyRealChanges,
              (const std::map<uint8_t, uint8_t>& base_map, const std::map<uint8_t, uint8_t>& to,
               bool no_base)) {
  auto base = no_base ? nullptr : std::make_shared<const GraphState>(StateOf(base_map));
  const GraphState state = StateOf(to);
  const GraphStateDelta delta = DeltaOf(base, state);
  RC_ASSERT(Materialize(delta).entries == state.entries);
  // Every change is one: a key the base has with another event, a key the
  // base lacks, or a removal of a key the base has.
  std::map<uint8_t, uint8_t> in_base = no_base ? std::map<uint8_t, uint8_t>() : base_map;
  for (size_t i = 0; i < delta.changes.size(); ++i) {
    const auto [k, e] = delta.changes[i];
    if (i > 0) RC_ASSERT(delta.changes[i - 1].first < k);
    auto it = in_base.find(static_cast<uint8_t>(k));
    if (e == kNoEvent) {
      RC_ASSERT(it != in_base.end());
    } else {
      RC_ASSERT(it == in_base.end() || it->second != e);
    }
  }
}

using testing::MapSource;

Json Member(const std::string& user, const std::vector<std::string>& auth) {
  Json e = Json::EmptyObject();
  e.Set("type", "m.room.member");
  e.Set("state_key", user);
  e.Set("sender", user);
  e.Set("room_id", "!r:x");
  e.Set("origin_server_ts", static_cast<int64_t>(1));
  Json content = Json::EmptyObject();
  content.Set("membership", "join");
  e.Set("content", std::move(content));
  Json::Array list;
  for (const std::string& a : auth) list.emplace_back(a);
  e.Set("auth_events", Json(std::move(list)));
  return e;
}

class StateDeltaGraph : public ::testing::Test {
 protected:
  void SetUp() override {
    source_.events["$a1"] = Member("@a:x", {});
    source_.events["$a2"] = Member("@a:x", {"$a1"});
    source_.events["$b1"] = Member("@b:x", {"$cut"});  // $cut is never given
    for (const char* id : {"$a1", "$a2", "$b1"}) ASSERT_TRUE(graph_.Add(id, source_).has_value());
    a1_ = graph_.Find("$a1");
    a2_ = graph_.Find("$a2");
    b1_ = graph_.Find("$b1");
    key_a_ = graph_.event(a1_).key;
    key_b_ = graph_.event(b1_).key;
  }
  std::string CodeOf(const Entries& changes) {
    GraphStateDelta d;
    d.changes = changes;
    auto r = ValidateDelta(graph_, d);
    return r ? "ok" : r.error().code;
  }

  MapSource source_;
  EventGraph graph_{*FindRoomVersion("10")};
  EventIndex a1_ = kNoEvent, a2_ = kNoEvent, b1_ = kNoEvent;
  KeyIndex key_a_ = kNoKey, key_b_ = kNoKey;
};

TEST_F(StateDeltaGraph, ValidateRefusesWhatResolutionCannotTrust) {
  const auto [lo, hi] = std::minmax(key_a_, key_b_);
  const EventIndex at_lo = lo == key_a_ ? a1_ : b1_;
  const EventIndex at_hi = hi == key_a_ ? a1_ : b1_;
  EXPECT_EQ(CodeOf({}), "ok");
  EXPECT_EQ(CodeOf({{lo, at_lo}, {hi, kNoEvent}}), "ok");
  EXPECT_EQ(CodeOf({{hi, at_hi}, {lo, at_lo}}), "state_res.invalid_delta");     // out of order
  EXPECT_EQ(CodeOf({{lo, at_lo}, {lo, kNoEvent}}), "state_res.invalid_delta");  // key twice
  EXPECT_EQ(CodeOf({{static_cast<KeyIndex>(graph_.key_count()), kNoEvent}}),
            "state_res.invalid_delta");  // no such key
  EXPECT_EQ(CodeOf({{key_a_, static_cast<EventIndex>(graph_.size())}}),
            "state_res.invalid_delta");                                           // no such event
  EXPECT_EQ(CodeOf({{key_a_, graph_.Find("$cut")}}), "state_res.invalid_delta");  // a cut
  EXPECT_EQ(CodeOf({{key_a_, b1_}}), "state_res.invalid_delta");  // event of another key
}

TEST_F(StateDeltaGraph, ResolutionRefusesAnInvalidDelta) {
  GraphStateDelta bad;
  bad.changes = {{key_a_, b1_}};
  std::vector<GraphStateDelta> sets = {bad, GraphStateDelta()};
  auto r = ResolveState(sets, graph_);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "state_res.invalid_delta");
}

// Hand-worked from the definitions (rooms/fragments/v2-state-res.md): a key
// is unconflicted when every set holds the same event at it. Base {a: a1,
// b: b1}. Set 1 removes b and moves a to a2; set 2 does the same. Nothing is
// conflicted, so the result is the unconflicted state {a: a2}: as changes,
// a -> a2 and b removed.
TEST_F(StateDeltaGraph, UnconflictedChangesComeBackAsChanges) {
  for (const char* version : {"1", "2", "10", "12"}) {
    EventGraph graph(*FindRoomVersion(version));
    for (const char* id : {"$a1", "$a2", "$b1"}) ASSERT_TRUE(graph.Add(id, source_).has_value());
    const EventIndex a1 = graph.Find("$a1"), a2 = graph.Find("$a2"), b1 = graph.Find("$b1");
    const KeyIndex key_a = graph.event(a1).key, key_b = graph.event(b1).key;
    auto base = std::make_shared<GraphState>();
    base->entries = {{key_a, a1}, {key_b, b1}};
    std::sort(base->entries.begin(), base->entries.end());
    GraphStateDelta one;
    one.base = base;
    one.changes = {{key_a, a2}, {key_b, kNoEvent}};
    std::sort(one.changes.begin(), one.changes.end());
    std::vector<GraphStateDelta> sets = {one, one};
    auto r = ResolveState(sets, graph);
    ASSERT_TRUE(r) << version << ": " << r.error().ToString();
    EXPECT_EQ(r->state.base, base) << version;
    EXPECT_EQ(r->state.changes, one.changes) << version;
    // Both sets unchanged from the base: no changes.
    std::vector<GraphStateDelta> same(2);
    same[0].base = same[1].base = base;
    auto unchanged = ResolveState(same, graph);
    ASSERT_TRUE(unchanged) << version;
    EXPECT_TRUE(unchanged->state.changes.empty()) << version;
  }
}

}  // namespace
}  // namespace mxstate

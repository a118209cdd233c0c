// DiffRooms and DetectStateResets on small hand-built rooms (room version 6,
// test events without hashes: receipt step 1 off, as the room suite does).
//
// Expected values are worked by hand from the rules, as noted at each test;
// none was copied from mxstate's output.
#include "mxstate/room_diff.h"

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <vector>

#include "room_fixtures.h"
#include "test_util.h"

namespace mxstate {
namespace {

using testing::Base;
using testing::Ev;
using testing::J;
using testing::kAlice;
using testing::kBob;
using testing::kCarol;
using testing::Rules;
using testing::TestOptions;

// U7 (matrix-org/synapse#6520): alice bans carol ($ban-carol, ts 20), then
// unbans her ($unban-carol, leave, ts 15 by a skewed clock, prev the ban)
// with auth_events citing carol's join instead of the ban; concurrently bob
// sets a topic (prev the ban, ts 25).
std::vector<Json> U7Fork() {
  std::vector<Json> e = Base();
  e.push_back(Ev("$ban-carol", "m.room.member", kCarol, kAlice, R"({"membership":"ban"})",
                 {"$create", "$join-alice", "$join-carol", "$pl0"}, {"$join-carol"}, 7, 20));
  e.push_back(Ev("$unban-carol", "m.room.member", kCarol, kAlice, R"({"membership":"leave"})",
                 {"$create", "$pl0", "$join-alice", "$join-carol"}, {"$ban-carol"}, 8, 15));
  e.push_back(Ev("$topic-bob", "m.room.topic", "", kBob, R"({"topic":"meanwhile"})",
                 {"$create", "$join-bob", "$pl0"}, {"$ban-carol"}, 8, 25));
  return e;
}

const StateKey kCarolKey{"m.room.member", "@carol:example.org"};

TEST(RoomDiff, IdenticalCopiesAgree) {
  // The same events on both sides, B in reverse input order: the replay
  // order does not depend on input order, so nothing may differ.
  std::vector<Json> a = U7Fork();
  std::vector<Json> b(a.rbegin(), a.rend());
  Result<RoomDiff> d = DiffRooms(a, b, Rules("6"), TestOptions());
  ASSERT_TRUE(d) << d.error().ToString();
  EXPECT_TRUE(d->Agree());
  EXPECT_TRUE(d->only_in_a.empty());
  EXPECT_TRUE(d->only_in_b.empty());
  EXPECT_TRUE(d->judged_differently.empty());
  EXPECT_TRUE(d->state_differences.empty());
  EXPECT_TRUE(d->first_divergence.empty());
}

TEST(RoomDiff, MissingBranchIsReportedAndExplained) {
  // Base, then alice sets a topic ($topic, prev $join-carol) while bob sets
  // a name ($name, prev $join-carol); alice's $merge message cites both.
  // B never received bob's branch: it lacks $name and $merge.
  // By hand: only in A = $name (depth 7) then $merge (depth 8); first
  // divergence = $name (its ancestors are all shared; $merge follows it).
  // Current state: A (single extremity $merge) has topic $topic and name
  // $name; B (single extremity $topic) has topic $topic and no name. So the
  // only differing key is m.room.name "", A $name vs B absent, and both
  // sides' values come straight from the state after their one extremity.
  // The merge resolves {topic $topic} with {name $name}: each key is held by
  // one side only and nothing is older, so no reset.
  std::vector<Json> a = Base();
  a.push_back(Ev("$topic", "m.room.topic", "", kAlice, R"({"topic":"t"})",
                 {"$create", "$join-alice", "$pl0"}, {"$join-carol"}, 7, 10));
  a.push_back(Ev("$name", "m.room.name", "", kBob, R"({"name":"n"})",
                 {"$create", "$join-bob", "$pl0"}, {"$join-carol"}, 7, 11));
  a.push_back(Ev("$merge", "m.room.message", nullptr, kAlice, R"({"body":"m","msgtype":"m.text"})",
                 {"$create", "$join-alice", "$pl0"}, {"$topic", "$name"}, 8, 12));
  std::vector<Json> b(a.begin(), a.begin() + 7);  // Base + $topic

  Result<RoomDiff> d = DiffRooms(a, b, Rules("6"), TestOptions());
  ASSERT_TRUE(d) << d.error().ToString();
  EXPECT_FALSE(d->Agree());
  EXPECT_EQ(d->only_in_a, (std::vector<std::string>{"$name", "$merge"}));
  EXPECT_TRUE(d->only_in_b.empty());
  EXPECT_TRUE(d->judged_differently.empty());
  EXPECT_EQ(d->first_divergence, (std::vector<std::string>{"$name"}));
  ASSERT_EQ(d->state_differences.size(), 1u);
  const KeyDifference& k = d->state_differences[0];
  EXPECT_EQ(k.key, (StateKey{"m.room.name", ""}));
  EXPECT_EQ(k.a, "$name");
  EXPECT_EQ(k.b, "");
  EXPECT_FALSE(k.origin_a.resolved);
  EXPECT_EQ(k.origin_a.step, "single extremity");
  EXPECT_NE(k.origin_a.summary.find("state after $merge"), std::string::npos) << k.origin_a.summary;
  EXPECT_NE(k.origin_b.summary.find("state after $topic"), std::string::npos) << k.origin_b.summary;
  EXPECT_TRUE(d->resets_a.empty());
  EXPECT_TRUE(d->resets_b.empty());
}

TEST(RoomDiff, DifferingKeyFromFinalResolutionIsExplained) {
  // A = U7Fork: two forward extremities, $topic-bob (carol: $ban-carol) and
  // $unban-carol (carol: $unban-carol). B lacks $topic-bob: one extremity,
  // carol $unban-carol. A's resolution, by hand (v2): carol's key is
  // conflicted; both memberships are power events (sender != state_key),
  // no auth edge links them (the unban cites the join, not the ban), same
  // sender power 100, so ts orders them: $unban-carol (15) then $ban-carol
  // (20). Both pass the iterative auth checks (alice 100 >= ban 50), so the
  // ban is applied last: A's carol = $ban-carol, chosen in the power events
  // step. Extremities are listed by ID: $topic-bob, $unban-carol.
  // Also differing: the topic, $topic-bob in A, absent in B.
  std::vector<Json> a = U7Fork();
  std::vector<Json> b(a.begin(), a.end() - 1);
  Result<RoomDiff> d = DiffRooms(a, b, Rules("6"), TestOptions());
  ASSERT_TRUE(d) << d.error().ToString();
  EXPECT_EQ(d->only_in_a, (std::vector<std::string>{"$topic-bob"}));
  EXPECT_EQ(d->first_divergence, (std::vector<std::string>{"$topic-bob"}));
  ASSERT_EQ(d->state_differences.size(), 2u);
  const KeyDifference& carol = d->state_differences[0];  // m.room.member < m.room.topic
  EXPECT_EQ(carol.key, kCarolKey);
  EXPECT_EQ(carol.a, "$ban-carol");
  EXPECT_EQ(carol.b, "$unban-carol");
  EXPECT_TRUE(carol.origin_a.resolved);
  EXPECT_TRUE(carol.origin_a.conflicted);
  EXPECT_EQ(carol.origin_a.extremities,
            (std::vector<std::string>{"$topic-bob", "$unban-carol"}));
  EXPECT_EQ(carol.origin_a.candidates,
            (std::vector<std::string>{"$ban-carol", "$unban-carol"}));
  EXPECT_EQ(carol.origin_a.step, "power events");
  EXPECT_EQ(carol.origin_b.step, "single extremity");
  EXPECT_EQ(d->state_differences[1].key, (StateKey{"m.room.topic", ""}));
  // The final resolution of A is itself the U7 reset: carol's $unban-carol
  // (a descendant of the ban through prev_events) went back to the ban.
  ASSERT_EQ(d->resets_a.size(), 1u);
  EXPECT_EQ(d->resets_a[0].merge_event, "");
  EXPECT_EQ(d->resets_a[0].resolved, "$ban-carol");
  EXPECT_TRUE(d->resets_b.empty());
}

TEST(StateResets, U7UnbanWithoutBanInAuthEventsBringsTheBanBack) {
  // U7 with alice's $merge (prev [$unban-carol, $topic-bob]) and carol's
  // $rejoin-carol (prev $merge, auth citing the unban). By hand: at $merge
  // the sides are $unban-carol (carol -> $unban-carol) and $topic-bob
  // (carol -> $ban-carol); the resolution (as in the test above) applies the
  // ban last, so carol is banned again though the unban side had replaced
  // the ban: one reset, kind reverted, on the membership key. The rejoin is
  // then rejected (banned), so $merge is the only extremity: no final
  // resolution, no other reset.
  std::vector<Json> e = U7Fork();
  e.push_back(Ev("$merge", "m.room.message", nullptr, kAlice,
                 R"({"body":"merge","msgtype":"m.text"})", {"$create", "$join-alice", "$pl0"},
                 {"$unban-carol", "$topic-bob"}, 9, 30));
  e.push_back(Ev("$rejoin-carol", "m.room.member", kCarol, kCarol, R"({"membership":"join"})",
                 {"$create", "$pl0", "$jr0", "$unban-carol"}, {"$merge"}, 10, 31));
  Result<std::vector<StateReset>> r = DetectStateResets(e, Rules("6"), TestOptions());
  ASSERT_TRUE(r) << r.error().ToString();
  ASSERT_EQ(r->size(), 1u);
  const StateReset& reset = (*r)[0];
  EXPECT_EQ(reset.merge_event, "$merge");
  EXPECT_EQ(reset.key, kCarolKey);
  EXPECT_EQ(reset.kind, ResetKind::kReverted);
  EXPECT_EQ(reset.category, "membership");
  EXPECT_EQ(reset.resolved, "$ban-carol");
  EXPECT_EQ(reset.sides, (std::vector<std::string>{"$unban-carol", "$topic-bob"}));
  EXPECT_EQ(reset.side_values, (std::vector<std::string>{"$unban-carol", "$ban-carol"}));
  // The unban passed its check and the ban came after it.
  EXPECT_NE(reset.cause.find("$unban-carol passed"), std::string::npos) << reset.cause;
}

TEST(StateResets, ForkWithoutResetReportsNothing) {
  // A fork where each side changes a different key (topic by alice, name by
  // bob) and a merge: every resolved value is one side's own newest value.
  std::vector<Json> e = Base();
  e.push_back(Ev("$topic", "m.room.topic", "", kAlice, R"({"topic":"t"})",
                 {"$create", "$join-alice", "$pl0"}, {"$join-carol"}, 7, 10));
  e.push_back(Ev("$name", "m.room.name", "", kBob, R"({"name":"n"})",
                 {"$create", "$join-bob", "$pl0"}, {"$join-carol"}, 7, 11));
  e.push_back(Ev("$merge", "m.room.message", nullptr, kAlice, R"({"body":"m","msgtype":"m.text"})",
                 {"$create", "$join-alice", "$pl0"}, {"$topic", "$name"}, 8, 12));
  Result<std::vector<StateReset>> r = DetectStateResets(e, Rules("6"), TestOptions());
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_TRUE(r->empty());
}

TEST(StateResets, Categories) {
  EXPECT_EQ(ResetCategory({"m.room.member", "@a:x"}), "membership");
  EXPECT_EQ(ResetCategory({"m.room.power_levels", ""}), "power levels");
  EXPECT_EQ(ResetCategory({"m.room.join_rules", ""}), "join rules");
  EXPECT_EQ(ResetCategory({"m.room.topic", ""}), "other");
}

}  // namespace
}  // namespace mxstate

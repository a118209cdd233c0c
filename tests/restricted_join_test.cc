// DecideRestrictedJoin details the restricted-join vectors do not compare:
// the condition outcomes, candidate authorisers and the table-driven notes.
// Expected values are worked from the m.room.join_rules schema, the
// client-server API "Restricted rooms" and rooms/v8-v10, as noted.
#include "mxstate/restricted_join.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "room_state_builder.h"

namespace mxstate {
namespace {

using testing::Member;
using testing::Rooms;
using testing::Rules;
using testing::StateEv;

const std::string kRoom = "!r:example.org", kSpace = "!s:example.org";
const std::string kAlice = "@alice:example.org", kBob = "@bob:example.org",
                  kCarol = "@carol:example.org", kUser = "@u:remote.org";

// A room of `version`: alice 100, bob 50, carol 0 (all joined), invite 50,
// join rule `rule` with `allow`.
std::vector<Json> Room(const std::string& version, const std::string& rule,
                       const std::string& allow) {
  return {StateEv(kRoom, "m.room.create", "", kAlice,
                  R"({"creator":")" + kAlice + R"(","room_version":")" + version + R"("})"),
          StateEv(kRoom, "m.room.power_levels", "", kAlice,
                  R"({"invite":50,"users":{")" + kAlice + R"(":100,")" + kBob + R"(":50}})"),
          StateEv(kRoom, "m.room.join_rules", "", kAlice,
                  R"({"join_rule":")" + rule + R"(","allow":)" + allow + "}"),
          Member(kRoom, kAlice, "join"), Member(kRoom, kBob, "join"), Member(kRoom, kCarol, "join")};
}

// Conditions in order: a non-object (malformed), an m.room_membership
// without room_id (malformed: "Required if type is m.room_membership"), an
// unknown type, a room not given, then the space where the user is joined.
TEST(RestrictedJoinTest, EveryConditionOutcome) {
  Rooms rooms;
  const RoomState& room = rooms.Add(Room(
      "9", "restricted",
      R"([1,{"type":"m.room_membership"},{"type":"org.example.x"},)"
      R"({"type":"m.room_membership","room_id":"!gone:example.org"},)"
      R"({"type":"m.room_membership","room_id":")" + kSpace + R"("}])"));
  rooms.Add({StateEv(kSpace, "m.room.create", "", kAlice,
                     R"({"creator":")" + kAlice + R"(","room_version":"9"})"),
             Member(kSpace, kUser, "join")});
  const auto named = rooms.Named();
  const RestrictedJoinDecision d =
      DecideRestrictedJoin(RestrictedJoinQuery{&room, named, kUser, ""}, Rules("9"));
  ASSERT_EQ(d.conditions.size(), 5u);
  EXPECT_EQ(d.conditions[0].outcome, ConditionOutcome::kMalformed);
  EXPECT_EQ(d.conditions[1].outcome, ConditionOutcome::kMalformed);
  EXPECT_EQ(d.conditions[2].outcome, ConditionOutcome::kUnknownType);
  EXPECT_EQ(d.conditions[3].outcome, ConditionOutcome::kRoomNotGiven);
  EXPECT_EQ(d.conditions[4].outcome, ConditionOutcome::kMatched);
  EXPECT_EQ(d.verdict, RestrictedJoinVerdict::kAllowed);
  ASSERT_TRUE(d.matched.has_value());
  EXPECT_EQ(*d.matched, 4u);
  // Joined with power >= invite 50: alice (100) and bob (50), not carol (0).
  EXPECT_EQ(d.candidate_authorisers, (std::vector<std::string>{kAlice, kBob}));
  EXPECT_TRUE(d.notes.empty());  // v9 keeps join_authorised_via_users_server
}

// rooms/v8's redaction algorithm drops join_authorised_via_users_server
// (v9 keeps it); knock_restricted (v10) lets a user who fails the
// conditions knock instead.
TEST(RestrictedJoinTest, TableDrivenNotes) {
  Rooms rooms;
  const RoomState& v8 = rooms.Add(Room("8", "restricted", "[]"));
  const RestrictedJoinDecision d8 =
      DecideRestrictedJoin(RestrictedJoinQuery{&v8, {}, kUser, ""}, Rules("8"));
  EXPECT_EQ(d8.error.code, "restricted_join.no_conditions");
  ASSERT_EQ(d8.notes.size(), 1u);
  EXPECT_NE(d8.notes[0].find("join_authorised_via_users_server"), std::string::npos);

  Rooms rooms10;
  const RoomState& v10 = rooms10.Add(Room("10", "knock_restricted", "[]"));
  const RestrictedJoinDecision d10 =
      DecideRestrictedJoin(RestrictedJoinQuery{&v10, {}, kUser, ""}, Rules("10"));
  ASSERT_EQ(d10.notes.size(), 1u);
  EXPECT_NE(d10.notes[0].find("knock"), std::string::npos);
}

// The authoriser's power comes from the target room: carol (users_default
// 0) is joined but below invite 50, so the join cannot be granted through
// her; the rule is v10's 4.3.5.2 ("...does not have sufficient power level
// to invite, reject").
TEST(RestrictedJoinTest, AuthoriserBelowInviteLevel) {
  Rooms rooms;
  const RoomState& room = rooms.Add(Room(
      "10", "restricted", R"([{"type":"m.room_membership","room_id":")" + kSpace + R"("}])"));
  rooms.Add({StateEv(kSpace, "m.room.create", "", kAlice,
                     R"({"creator":")" + kAlice + R"(","room_version":"10"})"),
             Member(kSpace, kUser, "join")});
  const auto named = rooms.Named();
  const RestrictedJoinDecision d =
      DecideRestrictedJoin(RestrictedJoinQuery{&room, named, kUser, kCarol}, Rules("10"));
  EXPECT_EQ(d.verdict, RestrictedJoinVerdict::kUnableToGrant);
  EXPECT_EQ(d.error.code, "restricted_join.authoriser_power");
  EXPECT_EQ(d.rule, "v10 auth rule 4.3.5.2");
  ASSERT_TRUE(d.authoriser.has_value());
  EXPECT_EQ(d.authoriser->power, 0);
  EXPECT_EQ(d.authoriser->invite_level, 50);
}

}  // namespace
}  // namespace mxstate

// FollowUpgrades on hand-built upgrade chains. Expected values are worked
// from the client-server API "Room upgrades" (server behaviour), the
// m.room.tombstone and m.room.create schemas, rooms/v8 and rooms/v12 auth
// rules and MSC4289, as noted at each test.
#include "mxstate/room_upgrade.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "room_state_builder.h"

namespace mxstate {
namespace {

using testing::Member;
using testing::Rooms;
using testing::StateEv;

const std::string kOld = "!old:example.org", kNew = "!new:example.org";
const std::string kAlice = "@alice:example.org", kBob = "@bob:example.org",
                  kCarol = "@carol:example.org", kDan = "@dan:remote.org";

// The old room (v10): alice created it; alice 100, bob 100, carol 50;
// alice, bob, carol, dan joined; a tombstone by `sender` after $last.
std::vector<Json> OldRoom(const std::string& sender, const std::string& extra_pl = "") {
  std::vector<Json> events = {
      StateEv(kOld, "m.room.create", "", kAlice,
              R"({"creator":")" + kAlice + R"(","room_version":"10"})"),
      StateEv(kOld, "m.room.power_levels", "", kAlice,
              R"({"users":{")" + kAlice + R"(":100,")" + kBob + R"(":100,")" + kCarol +
                  R"(":50})" + extra_pl + "}"),
      Member(kOld, kAlice, "join"), Member(kOld, kBob, "join"), Member(kOld, kCarol, "join"),
      Member(kOld, kDan, "join")};
  Json tomb = StateEv(kOld, "m.room.tombstone", "", sender,
                      R"({"body":"upgraded","replacement_room":")" + kNew + R"("})", 0,
                      "$tombstone");
  tomb.Set("prev_events", Json(Json::Array{Json("$last")}));
  events.push_back(std::move(tomb));
  return events;
}

std::vector<std::string> Codes(const std::vector<Error>& errors) {
  std::vector<std::string> out;
  for (const Error& e : errors) out.push_back(e.code);
  std::sort(out.begin(), out.end());
  return out;
}

// v10 -> v11 done by the book: the new room names the old one and the event
// the tombstone follows. Memberships are not transferred (server behaviour
// 3), so bob and dan, not joined in the new room, are left behind; bob is
// not in the new power levels: 100 -> users_default 0.
TEST(RoomUpgradeTest, LinkByTheBook) {
  Rooms rooms;
  rooms.Add(OldRoom(kAlice));
  rooms.Add({StateEv(kNew, "m.room.create", "", kAlice,
                     R"({"room_version":"11","predecessor":{"room_id":")" + kOld +
                         R"(","event_id":"$last"}})"),
             StateEv(kNew, "m.room.power_levels", "", kAlice,
                     R"({"users":{")" + kAlice + R"(":100,")" + kCarol + R"(":50}})"),
             Member(kNew, kAlice, "join"), Member(kNew, kCarol, "join")});
  const UpgradeChain chain = FollowUpgrades(rooms.Named(), "");
  EXPECT_EQ(chain.rooms, (std::vector<std::string>{kOld, kNew}));
  ASSERT_EQ(chain.links.size(), 1u);
  const UpgradeLink& l = chain.links[0];
  EXPECT_TRUE(l.problems.empty()) << l.problems[0].ToString();
  EXPECT_EQ(l.old_version, "10");
  EXPECT_EQ(l.new_version, "11");
  EXPECT_EQ(l.left_behind, (std::vector<std::string>{kBob, kDan}));
  ASSERT_EQ(l.lost_levels.size(), 1u);
  EXPECT_EQ(l.lost_levels[0].user_id, kBob);
  EXPECT_EQ(l.lost_levels[0].old_level, 100);
  EXPECT_EQ(l.lost_levels[0].new_level, 0);
  EXPECT_EQ(Codes(l.notes),
            (std::vector<std::string>{"upgrades.levels_lost", "upgrades.members_left_behind"}));
}

// The tombstone needs its event's power level: events {m.room.tombstone: 100}
// and carol has 50: v10 auth rule 7 would reject it.
TEST(RoomUpgradeTest, TombstoneSenderWithoutPower) {
  Rooms rooms;
  rooms.Add(OldRoom(kCarol, R"(,"events":{"m.room.tombstone":100})"));
  const UpgradeChain chain = FollowUpgrades(rooms.Named(), kOld);
  ASSERT_EQ(chain.links.size(), 1u);
  ASSERT_EQ(Codes(chain.links[0].problems),
            (std::vector<std::string>{"upgrades.tombstone_sender_power"}));
  EXPECT_EQ(chain.links[0].problems[0].rule.rfind("v10 auth rule 7", 0), 0u)
      << chain.links[0].problems[0].rule;
  // The new room was not given: a note, and the chain ends there.
  EXPECT_EQ(chain.rooms, (std::vector<std::string>{kOld, kNew}));
  EXPECT_FALSE(chain.links[0].new_room_given);
}

// predecessor.room_id must name the old room; a v11 target must carry
// predecessor.event_id (only v12+ may omit it); the room type is copied.
TEST(RoomUpgradeTest, PredecessorAndTypeMismatch) {
  Rooms rooms;
  rooms.Add(OldRoom(kAlice));
  rooms.Add({StateEv(kNew, "m.room.create", "", kAlice,
                     R"({"room_version":"11","type":"m.space","predecessor":{"room_id":"!x:example.org"}})"),
             Member(kNew, kAlice, "join")});
  const UpgradeChain chain = FollowUpgrades(rooms.Named(), kOld);
  ASSERT_EQ(chain.links.size(), 1u);
  EXPECT_EQ(Codes(chain.links[0].problems),
            (std::vector<std::string>{"upgrades.predecessor_mismatch", "upgrades.type_not_copied"}));
  const auto notes = Codes(chain.links[0].notes);
  EXPECT_TRUE(std::count(notes.begin(), notes.end(), "upgrades.predecessor_no_event_id") == 1);
}

// Upgrading to v12 (MSC4289): carol (50) upgrades with dave as an
// additional creator and lists herself in users. alice and bob had the old
// top power 100 and are not creators; carol and dave become creators from
// below 100; a creator in users breaks v12 auth rule 10.4. No event_id is
// needed in v12. bob, not in the new users, drops 100 -> 0; alice keeps 100.
TEST(RoomUpgradeTest, V12CreatorsAgainstOldPowerLevels) {
  Rooms rooms;
  rooms.Add(OldRoom(kAlice));
  rooms.Add({StateEv("", "m.room.create", "", kCarol,
                     R"({"room_version":"12","additional_creators":[")" + kDan +
                         R"("],"predecessor":{"room_id":")" + kOld + R"("}})"),
             StateEv(kNew, "m.room.power_levels", "", kCarol,
                     R"({"users":{")" + kAlice + R"(":100,")" + kCarol + R"(":100}})"),
             Member(kNew, kCarol, "join")});
  const UpgradeChain chain = FollowUpgrades(rooms.Named(), kOld);
  ASSERT_EQ(chain.links.size(), 1u);
  const UpgradeLink& l = chain.links[0];
  EXPECT_EQ(Codes(l.problems), (std::vector<std::string>{"upgrades.v12_creator_in_power_levels"}));
  EXPECT_EQ(l.problems[0].rule, "v12 auth rule 10.4");
  const auto notes = Codes(l.notes);
  EXPECT_EQ(std::count(notes.begin(), notes.end(), "upgrades.v12_top_user_not_creator"), 2);
  EXPECT_EQ(std::count(notes.begin(), notes.end(), "upgrades.v12_creator_escalation"), 2);
  EXPECT_EQ(std::count(notes.begin(), notes.end(), "upgrades.predecessor_no_event_id"), 0);
  ASSERT_EQ(l.lost_levels.size(), 1u);
  EXPECT_EQ(l.lost_levels[0].user_id, kBob);
}

// Versions only move to ones known: an unknown target cannot be checked.
TEST(RoomUpgradeTest, UnknownTargetVersion) {
  Rooms rooms;
  rooms.Add(OldRoom(kAlice));
  rooms.Add({StateEv(kNew, "m.room.create", "", kAlice,
                     R"({"room_version":"org.example.future","predecessor":{"room_id":")" + kOld +
                         R"("}})")});
  const UpgradeChain chain = FollowUpgrades(rooms.Named(), "");
  ASSERT_EQ(chain.links.size(), 1u);
  EXPECT_EQ(Codes(chain.links[0].problems), (std::vector<std::string>{"upgrades.unknown_version"}));
}

}  // namespace
}  // namespace mxstate

// ServersInRoom on hand-built rooms. Features per version are read from
// the rooms/vN pages (v7 knocking, v8 restricted, v10 knock_restricted and
// integer power levels, v11 creator = sender, v12 creators, hashed room IDs
// and state resolution v2.1; v6 strict canonical JSON).
#include "mxstate/room_servers.h"

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

const std::string kRoom = "!r:example.org";

std::vector<Json> KnockRoom(const std::string& pl) {
  return {StateEv(kRoom, "m.room.create", "", "@alice:example.org",
                  R"({"creator":"@alice:example.org","room_version":"7"})"),
          StateEv(kRoom, "m.room.join_rules", "", "@alice:example.org", R"({"join_rule":"knock"})"),
          StateEv(kRoom, "m.room.power_levels", "", "@alice:example.org", pl),
          Member(kRoom, "@alice:example.org", "join"), Member(kRoom, "@bob:example.org", "join"),
          Member(kRoom, "@carol:remote.org", "join"), Member(kRoom, "@dan:third.org", "leave")};
}

TEST(RoomServersTest, JoinedMembersPerServer) {
  Rooms rooms;
  const RoomState& room = rooms.Add(KnockRoom(R"({"users":{"@alice:example.org":100}})"));
  const ServersReport r = ServersInRoom(room, nullptr);
  EXPECT_EQ(r.joined_total, 3u);  // dan left
  ASSERT_EQ(r.servers.size(), 2u);
  EXPECT_EQ(r.servers[0].server, "example.org");
  EXPECT_EQ(r.servers[0].joined, 2u);
  EXPECT_EQ(r.servers[1].server, "remote.org");
  EXPECT_FALSE(r.offline_caveat.empty());
}

// v7 -> v12: nine features, of which the v7 room already has two (strict
// canonical JSON, knocking); the string power level "50" is valid in v7
// (integer strings accepted before v10) but not in v12.
TEST(RoomServersTest, TargetV12FromV7) {
  Rooms rooms;
  const RoomState& room =
      rooms.Add(KnockRoom(R"({"users":{"@alice:example.org":100},"kick":"50"})"));
  const ServersReport r = ServersInRoom(room, &Rules("12"));
  EXPECT_EQ(r.target_features.size(), 9u);
  size_t new_ones = 0;
  for (const VersionFeature& f : r.target_features) new_ones += f.in_current ? 0 : 1;
  EXPECT_EQ(new_ones, 7u);
  ASSERT_EQ(r.blockers.size(), 1u);
  EXPECT_EQ(r.blockers[0].code, "servers.power_levels_not_carriable");
}

// v6 has no knock join rule: the room's join rule cannot be carried.
TEST(RoomServersTest, TargetWithoutTheJoinRule) {
  Rooms rooms;
  const RoomState& room = rooms.Add(KnockRoom(R"({"users":{"@alice:example.org":100}})"));
  const ServersReport r = ServersInRoom(room, &Rules("6"));
  ASSERT_EQ(r.blockers.size(), 1u);
  EXPECT_EQ(r.blockers[0].code, "servers.join_rule_unsupported");
  EXPECT_EQ(r.target_features.size(), 1u);  // strict canonical JSON
}

}  // namespace
}  // namespace mxstate

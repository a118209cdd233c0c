// Room upgrades (client-server API "Room upgrades"; m.room.tombstone and
// m.room.create `predecessor` schemas; rooms/v12 and MSC4289 for creators):
// a chain of rooms followed through the old room's tombstone
// (`replacement_room`) and the new create event's `predecessor`, each link
// checked, and what did not carry over reported. Pure: rooms not given are
// reported, never fetched.
#ifndef MXSTATE_ROOM_UPGRADE_H_
#define MXSTATE_ROOM_UPGRADE_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "mxstate/room_state.h"
#include "mxstate/status.h"

namespace mxstate {

struct LevelChange {
  std::string user_id;
  int64_t old_level = 0;  // kInfinitePower for a v12 creator
  int64_t new_level = 0;
};

struct UpgradeLink {
  std::string old_room;
  std::string new_room;        // the tombstone's replacement_room
  std::string old_version, new_version;
  std::string tombstone_id, tombstone_sender;
  bool new_room_given = false;
  // Broken or doubtful link (code upgrades.*, the rule, the values).
  std::vector<Error> problems;
  // What did not carry over, and the v12 creators report: upgrades.* codes
  // too, informational (members must rejoin by design).
  std::vector<Error> notes;
  std::vector<std::string> left_behind;   // joined in the old room, not in the new
  std::vector<LevelChange> lost_levels;   // lower (or no) power in the new room
};

struct UpgradeChain {
  std::vector<std::string> rooms;  // oldest first
  std::vector<UpgradeLink> links;  // rooms[i] -> rooms[i+1]; the last may point at a room not given
  std::vector<Error> problems;     // chain-level: loops, several chains
};

inline constexpr size_t kMaxUpgradeChain = 1000;
inline constexpr size_t kMaxReportedUsers = 1000;

// Follows the chain through `start` (empty: the given room that no other
// given room's tombstone names and that has a tombstone, else the first).
UpgradeChain FollowUpgrades(std::span<const NamedRoom> rooms, std::string_view start);

// One link, old -> new (new may be nullptr: not given).
UpgradeLink CheckUpgradeLink(const NamedRoom& old_room, const RoomState* new_room);

}  // namespace mxstate

#endif  // MXSTATE_ROOM_UPGRADE_H_

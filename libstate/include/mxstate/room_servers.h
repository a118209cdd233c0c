// Servers in a room, for planning an upgrade: the servers with joined
// members (and how many each), and what a target room version asks of every
// server in the room, read from the room-version table. Which versions each
// server supports cannot be known offline: the room state does not say which
// software a server runs.
#ifndef MXSTATE_ROOM_SERVERS_H_
#define MXSTATE_ROOM_SERVERS_H_

#include <cstddef>
#include <string>
#include <vector>

#include "mxstate/room_state.h"
#include "mxstate/room_version.h"
#include "mxstate/status.h"

namespace mxstate {

struct ServerMembers {
  std::string server;
  size_t joined = 0;
};

// One feature a room version has, from the table.
struct VersionFeature {
  std::string name;         // "restricted join rule"
  std::string since;        // the spec page that introduced it, "rooms/v8"
  bool in_current = false;  // the room's own version has it
};

struct ServersReport {
  std::vector<ServerMembers> servers;  // most members first, then by name
  size_t joined_total = 0;
  std::string target_version;          // empty when no target
  // Every feature of the target version; `in_current` false = new for this room.
  std::vector<VersionFeature> target_features;
  // What in the room's current state the target cannot carry (code servers.*).
  std::vector<Error> blockers;
  std::string offline_caveat;
};

// `target` may be nullptr (no upgrade planned).
ServersReport ServersInRoom(const RoomState& room, const RoomVersionRules* target);

}  // namespace mxstate

#endif  // MXSTATE_ROOM_SERVERS_H_

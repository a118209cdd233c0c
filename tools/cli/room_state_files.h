// Reading room states for the commands that look at several rooms at once
// (restricted-join, spaces, upgrades, servers): one room per file, in any of
// the forms `mxstate room` reads (arrays, JSON Lines, single events,
// federation responses such as /state's {"pdus", "auth_chain"}).
//
// A file whose events carry prev_events and hold some state key more than
// once is a history: the room is replayed (auth rules, state resolution; no
// signature checks) and its current state used, so that the answer does not
// depend on file order (ReadRoomStates says so on stderr). Otherwise the
// file is the room's state, a later event replacing an earlier one.
#ifndef MXSTATE_TOOLS_CLI_ROOM_STATE_FILES_H_
#define MXSTATE_TOOLS_CLI_ROOM_STATE_FILES_H_

#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "mxstate/json.h"
#include "mxstate/room_state.h"
#include "mxstate/status.h"

namespace mxstate::cli {

struct LoadedRoom {
  std::string path;
  std::unique_ptr<std::vector<Json>> events;  // the state events RoomState points into
  RoomState state;
  bool replayed = false;  // the file was a history and was replayed
};

// Reads one room. Errors io.*, json.*, input.*, room_state.*, room.*.
Result<LoadedRoom> ReadRoomState(const std::string& path);

// Reads every file, in order (deque: addresses stay put for NamedRoom).
Result<std::deque<LoadedRoom>> ReadRoomStates(const std::vector<std::string>& paths);

// Several rooms and their NamedRoom views (valid while the set lives;
// moving it keeps them valid, as a deque's elements stay put).
struct RoomSet {
  std::deque<LoadedRoom> rooms;
  std::vector<NamedRoom> named;
};
// ReadRoomStates + NameRooms.
Result<RoomSet> ReadRoomSet(const std::vector<std::string>& paths);

// Prints `error` on stderr (and, with `json`, the error document on
// stdout) and returns `exit_code`: how these commands end on bad input.
int CommandError(const Error& error, bool json, int exit_code);

// NamedRoom views of `rooms`, by their room IDs.
std::vector<NamedRoom> NameRooms(const std::deque<LoadedRoom>& rooms);

}  // namespace mxstate::cli

#endif  // MXSTATE_TOOLS_CLI_ROOM_STATE_FILES_H_

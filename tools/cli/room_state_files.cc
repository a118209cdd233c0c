#include "cli/room_state_files.h"

#include <iostream>
#include <set>

#include "cli/cli_io.h"
#include "cli/room_input.h"
#include "mxstate/event_hashes.h"
#include "mxstate/room_replay.h"

namespace mxstate::cli {
namespace {

// Whether the events are a room's history: some (type, state_key) occurs
// twice and every event carries prev_events, so a replay can order them.
bool IsHistory(const std::vector<Json>& events) {
  std::set<StateKey> seen;
  bool duplicate = false;
  for (const Json& e : events) {
    const Json* prev = e.Find("prev_events");
    if (prev == nullptr || !prev->is_array()) return false;
    const std::string* type = e.FindString("type");
    const std::string* key = e.FindString("state_key");
    if (type && key && !seen.insert(StateKey{*type, *key}).second) duplicate = true;
  }
  return duplicate;
}

// The room's current state after a replay, as the events in it.
Result<std::vector<Json>> ReplayedState(const std::vector<Json>& events) {
  Result<const RoomVersionRules*> rules = RoomVersionOf("", events);
  if (!rules) return Fail(rules.error());
  ReplayOptions options;
  options.check_format = false;  // state files often lack hashes; auth decides
  Result<RoomReplay> replay = ReplayRoom(events, **rules, options);
  if (!replay) return Fail(replay.error());
  std::set<std::string, std::less<>> wanted;
  for (const auto& [key, id] : replay->current_state) wanted.insert(id);
  std::vector<Json> state;
  for (const Json& e : events) {
    if (wanted.count(DeclaredOrComputedEventId(e, **rules)) != 0) state.push_back(e);
  }
  return state;
}

}  // namespace

Result<LoadedRoom> ReadRoomState(const std::string& path) {
  Result<RoomInput> input = ReadRoomFiles({path});
  if (!input) return Fail(input.error());
  LoadedRoom room;
  room.path = path;
  room.replayed = IsHistory(input->events);
  if (room.replayed) {
    Result<std::vector<Json>> state = ReplayedState(input->events);
    if (!state) return Fail(state.error());
    room.events = std::make_unique<std::vector<Json>>(std::move(*state));
  } else {
    room.events = std::make_unique<std::vector<Json>>(std::move(input->events));
  }
  Result<RoomState> state = RoomState::FromEvents(*room.events);
  if (!state) return Fail(state.error());
  room.state = std::move(*state);
  return room;
}

Result<std::deque<LoadedRoom>> ReadRoomStates(const std::vector<std::string>& paths) {
  std::deque<LoadedRoom> rooms;
  for (const std::string& path : paths) {
    Result<LoadedRoom> room = ReadRoomState(path);
    if (!room) {
      Error e = room.error();
      e.message = path + ": " + e.message;
      return Fail(std::move(e));
    }
    if (room->replayed) {
      std::cerr << "mxstate: note: " << path
                << " is a room history: replayed, its current state used\n";
    }
    rooms.push_back(std::move(*room));
  }
  return rooms;
}

Result<RoomSet> ReadRoomSet(const std::vector<std::string>& paths) {
  Result<std::deque<LoadedRoom>> rooms = ReadRoomStates(paths);
  if (!rooms) return Fail(rooms.error());
  RoomSet set;
  set.rooms = std::move(*rooms);
  set.named = NameRooms(set.rooms);
  return set;
}

int CommandError(const Error& error, bool json, int exit_code) {
  if (json) PrintJson(ErrorDocument(error));
  PrintError(error);
  return exit_code;
}

std::vector<NamedRoom> NameRooms(const std::deque<LoadedRoom>& rooms) {
  std::vector<NamedRoom> named;
  for (const LoadedRoom& room : rooms) named.push_back(NamedRoom{room.state.room_id(), &room.state});
  return named;
}

}  // namespace mxstate::cli

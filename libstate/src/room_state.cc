// RoomState: a state map built from state events (see room_state.h).
#include "mxstate/room_state.h"

#include "mxstate/event_hashes.h"

namespace mxstate {

Result<RoomState> RoomState::FromEvents(std::span<const Json> events, std::string room_id) {
  if (events.size() > kMaxStateEvents) {
    return Fail("room_state.too_many_events", "mxstate input bound",
                std::to_string(events.size()) + " state events; at most " +
                    std::to_string(kMaxStateEvents) + " per room are read");
  }
  RoomState state;
  // The version first: event IDs are computed under it.
  const Json* create = nullptr;
  for (const Json& e : events) {
    const std::string* type = e.FindString("type");
    const std::string* key = e.FindString("state_key");
    if (type && key && *type == "m.room.create" && key->empty()) create = &e;
  }
  if (create != nullptr) {
    // m.room.create schema: room_version "Defaults to "1" if the key does not exist".
    const Json* content = create->Find("content");
    const std::string* v = content ? content->FindString("room_version") : nullptr;
    state.version_id_ = v ? *v : "1";
    state.rules_ = FindRoomVersion(state.version_id_);
  }
  std::string seen_room;
  for (const Json& e : events) {
    const std::string* type = e.FindString("type");
    const std::string* key = e.FindString("state_key");
    if (type == nullptr || key == nullptr) continue;  // not a state event
    if (const std::string* rid = e.FindString("room_id")) {
      if (seen_room.empty()) {
        seen_room = *rid;
      } else if (*rid != seen_room) {
        return Fail("room_state.mixed_rooms", "client-server API: room state",
                    "the state holds events of " + seen_room + " and of " + *rid);
      }
    }
    std::string id;
    if (const std::string* declared = e.FindString("event_id")) {
      id = *declared;
    } else if (state.rules_ != nullptr) {
      id = DeclaredOrComputedEventId(e, *state.rules_);
    }
    state.by_key_[StateKey{*type, *key}] = Entry{&e, std::move(id)};
  }
  if (!room_id.empty()) {
    state.room_id_ = std::move(room_id);
  } else if (!seen_room.empty()) {
    state.room_id_ = seen_room;
  } else if (create != nullptr && state.rules_ != nullptr) {
    // rooms/v12 "Room IDs": the room ID is the create event's hash.
    if (Result<std::string> derived = RoomIdFromCreateEvent(*create, *state.rules_)) {
      state.room_id_ = *derived;
    }
  }
  return state;
}

StateEntry RoomState::Get(std::string_view type, std::string_view state_key) const {
  auto it = by_key_.find(StateKey{std::string(type), std::string(state_key)});
  if (it == by_key_.end()) return {};
  return StateEntry{it->second.event, it->second.event_id};
}

std::vector<StateEntry> RoomState::OfType(std::string_view type) const {
  std::vector<StateEntry> out;
  for (auto it = by_key_.lower_bound(StateKey{std::string(type), ""});
       it != by_key_.end() && it->first.type == type; ++it) {
    out.push_back(StateEntry{it->second.event, it->second.event_id});
  }
  return out;
}

std::string_view RoomState::Membership(std::string_view user) const {
  return ContentString(Get("m.room.member", user).event, "membership");
}

std::vector<std::string_view> RoomState::UsersWith(std::string_view membership) const {
  std::vector<std::string_view> users;
  for (auto it = by_key_.lower_bound(StateKey{"m.room.member", ""});
       it != by_key_.end() && it->first.type == "m.room.member"; ++it) {
    if (ContentString(it->second.event, "membership") == membership) {
      users.push_back(it->first.state_key);
    }
  }
  return users;
}

const RoomState* FindRoom(std::span<const NamedRoom> rooms, std::string_view room_id) {
  for (const NamedRoom& room : rooms) {
    if (room.room_id == room_id) return room.state;
  }
  return nullptr;
}

std::string_view ContentString(const Json* event, std::string_view key) {
  const Json* content = event ? event->Find("content") : nullptr;
  const std::string* s = content ? content->FindString(key) : nullptr;
  return s ? std::string_view(*s) : std::string_view();
}

}  // namespace mxstate

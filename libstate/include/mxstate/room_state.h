// A room's state given as its state events: the input of the decisions that
// look at several rooms at once (restricted joins, spaces, upgrades, servers
// in a room), which need the current state of each room, not its history.
//
// Events are taken in order; a later event replaces an earlier one of the
// same (type, state_key), as a state map does ("Room state" in the
// client-server API). Non-state events are ignored. The room version is the
// create event's content.room_version ("1" when absent: m.room.create
// schema), looked up in the table; an unknown version leaves rules() null.
#ifndef MXSTATE_ROOM_STATE_H_
#define MXSTATE_ROOM_STATE_H_

#include <cstddef>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "mxstate/auth.h"
#include "mxstate/json.h"
#include "mxstate/room_version.h"
#include "mxstate/status.h"

namespace mxstate {

class RoomState : public AuthState {
 public:
  // Upper bound on the state events of one room (untrusted input).
  static constexpr size_t kMaxStateEvents = 200'000;

  // Indexes `events` (kept alive by the caller). `room_id` when non-empty
  // names the room; otherwise it is the events' `room_id`, or for a v12
  // create event without one, the ID its hash defines. Errors:
  // room_state.too_many_events, room_state.mixed_rooms (events of two rooms).
  static Result<RoomState> FromEvents(std::span<const Json> events, std::string room_id = "");

  StateEntry Get(std::string_view type, std::string_view state_key) const override;
  // Every current state event of `type`, by state_key order.
  std::vector<StateEntry> OfType(std::string_view type) const;
  // content.membership of `user`'s member event; empty when none.
  std::string_view Membership(std::string_view user) const;
  // Users whose membership is `membership`, sorted.
  std::vector<std::string_view> UsersWith(std::string_view membership) const;

  const std::string& room_id() const { return room_id_; }
  // The create event's content.room_version ("1" when absent; empty when
  // there is no create event).
  const std::string& version_id() const { return version_id_; }
  // The table row of version_id(), or nullptr when unknown or absent.
  const RoomVersionRules* rules() const { return rules_; }
  const Json* create() const { return Get("m.room.create", "").event; }

 private:
  struct Entry {
    const Json* event;
    std::string event_id;
  };
  std::map<StateKey, Entry> by_key_;
  std::string room_id_;
  std::string version_id_;
  const RoomVersionRules* rules_ = nullptr;
};

// A room the caller supplies by ID (the rooms an allow list names, a
// space's children, an upgrade chain).
struct NamedRoom {
  std::string_view room_id;
  const RoomState* state = nullptr;
};
// The state of `room_id` among `rooms`, or nullptr.
const RoomState* FindRoom(std::span<const NamedRoom> rooms, std::string_view room_id);

// content.`key` of `event` as a string, or empty.
std::string_view ContentString(const Json* event, std::string_view key);

}  // namespace mxstate

#endif  // MXSTATE_ROOM_STATE_H_

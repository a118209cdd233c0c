// Hand-built room states for the multi-room tests (spaces, upgrades,
// servers, restricted joins): state events written as short JSON, no
// hashes or signatures. Nothing here computes an expected value.
#ifndef MXSTATE_TESTS_ROOM_STATE_BUILDER_H_
#define MXSTATE_TESTS_ROOM_STATE_BUILDER_H_

#include <deque>
#include <string>
#include <vector>

#include "mxstate/room_state.h"
#include "test_util.h"

namespace mxstate::testing {

// One state event of `room` (room_id omitted when `room` is empty).
inline Json StateEv(const std::string& room, const std::string& type, const std::string& key,
                    const std::string& sender, const std::string& content, int64_t ts = 0,
                    const std::string& id = "") {
  std::string text = "{\"type\":\"" + type + "\",\"state_key\":\"" + key + "\",\"sender\":\"" +
                     sender + "\",\"content\":" + content +
                     ",\"origin_server_ts\":" + std::to_string(ts) + ",\"event_id\":\"" +
                     (id.empty() ? "$" + type + "/" + key + "@" + room : id) + "\"" +
                     (room.empty() ? "" : ",\"room_id\":\"" + room + "\"") + "}";
  return J(text);
}

inline Json Member(const std::string& room, const std::string& user, const std::string& m) {
  return StateEv(room, "m.room.member", user, user, "{\"membership\":\"" + m + "\"}");
}

// A set of rooms whose events and states stay put.
class Rooms {
 public:
  // Adds a room from its events; the room ID is taken from them.
  const RoomState& Add(std::vector<Json> events) {
    events_.push_back(std::move(events));
    auto state = RoomState::FromEvents(events_.back());
    EXPECT_TRUE(state.has_value()) << (state ? "" : state.error().ToString());
    states_.push_back(state ? std::move(*state) : RoomState());
    return states_.back();
  }
  std::vector<NamedRoom> Named() const {
    std::vector<NamedRoom> out;
    for (const RoomState& s : states_) out.push_back(NamedRoom{s.room_id(), &s});
    return out;
  }

 private:
  std::deque<std::vector<Json>> events_;
  std::deque<RoomState> states_;
};

}  // namespace mxstate::testing

#endif  // MXSTATE_TESTS_ROOM_STATE_BUILDER_H_

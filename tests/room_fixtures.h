// Small hand-built rooms for the room replay tests (room version 6, test
// events without hashes: receipt step 1 off, as the room suite does).
// Nothing here computes an expected value.
#ifndef MXSTATE_TESTS_ROOM_FIXTURES_H_
#define MXSTATE_TESTS_ROOM_FIXTURES_H_

#include <initializer_list>
#include <string>
#include <vector>

#include "mxstate/room_replay.h"
#include "test_util.h"

namespace mxstate::testing {

inline std::string List(std::initializer_list<const char*> ids) {
  std::string s = "[";
  for (const char* id : ids) s += std::string(s.size() > 1 ? "," : "") + "\"" + id + "\"";
  return s + "]";
}

// One v6 test event. `state_key` nullptr: not a state event.
inline Json Ev(const char* id, const char* type, const char* state_key, const char* sender,
               const char* content, std::initializer_list<const char*> auth,
               std::initializer_list<const char*> prev, int depth, int ts) {
  std::string text = std::string("{\"event_id\":\"") + id +
                     "\",\"room_id\":\"!room:example.org\",\"type\":\"" + type + "\"," +
                     (state_key ? std::string("\"state_key\":\"") + state_key + "\"," : "") +
                     "\"sender\":\"" + sender + "\",\"content\":" + content +
                     ",\"auth_events\":" + List(auth) + ",\"prev_events\":" + List(prev) +
                     ",\"depth\":" + std::to_string(depth) +
                     ",\"origin_server_ts\":" + std::to_string(ts) + "}";
  return J(text);
}

inline constexpr const char* kAlice = "@alice:example.org";
inline constexpr const char* kBob = "@bob:example.org";
inline constexpr const char* kCarol = "@carol:example.org";

// create, alice joins, power levels (alice 100, bob 50), public join rules,
// bob joins, carol joins: a straight line, every event accepted.
inline std::vector<Json> Base() {
  std::vector<Json> e;
  e.push_back(Ev("$create", "m.room.create", "", kAlice,
                 R"({"creator":"@alice:example.org","room_version":"6"})", {}, {}, 1, 1));
  e.push_back(Ev("$join-alice", "m.room.member", kAlice, kAlice, R"({"membership":"join"})",
                 {"$create"}, {"$create"}, 2, 2));
  e.push_back(Ev("$pl0", "m.room.power_levels", "", kAlice,
                 R"({"users":{"@alice:example.org":100,"@bob:example.org":50}})",
                 {"$create", "$join-alice"}, {"$join-alice"}, 3, 3));
  e.push_back(Ev("$jr0", "m.room.join_rules", "", kAlice, R"({"join_rule":"public"})",
                 {"$create", "$join-alice", "$pl0"}, {"$pl0"}, 4, 4));
  e.push_back(Ev("$join-bob", "m.room.member", kBob, kBob, R"({"membership":"join"})",
                 {"$create", "$jr0", "$pl0"}, {"$jr0"}, 5, 5));
  e.push_back(Ev("$join-carol", "m.room.member", kCarol, kCarol, R"({"membership":"join"})",
                 {"$create", "$jr0", "$pl0"}, {"$join-bob"}, 6, 6));
  return e;
}

inline ReplayOptions TestOptions() {
  ReplayOptions o;
  o.check_format = false;
  return o;
}

}  // namespace mxstate::testing

#endif  // MXSTATE_TESTS_ROOM_FIXTURES_H_

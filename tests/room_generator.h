// A seeded generator of random forked Matrix rooms for the state
// resolution torture test (ruma#625 style).
//
// A room starts with create, the creator's join, power levels and join
// rules, then takes N random steps over a DAG with forks: each new event
// picks 1-3 prev_events among recent events, so branches appear and merge.
// Several users on several servers join, leave, invite, get kicked or
// banned; power levels raise and lower users; join rules flip; topics and
// names change; messages interleave. auth_events come from
// mxstate::AuthEventSelection over the branch's state before the event, so
// most events are valid; random senders make some invalid (a kick by a
// lowered user, a join to an invite-only room, ...), and those are marked
// rejected (AuthorizeWithAuthEvents) and never enter any state.
//
// The state after every event is kept: a state event applied to the state
// before it, where the state before an event with several prev_events is
// the reference resolution of their states after. State sets for a test
// are the states after 2-4 random events.
//
// IDs are readable ("$e17") in every version; v1-2 references are
// [id, {"sha256": "x"}]; in v12 the create event has a hash-looking ID, no
// room_id, and the room ID is "!" + that ID without "$".
#ifndef MXSTATE_TESTS_ROOM_GENERATOR_H_
#define MXSTATE_TESTS_ROOM_GENERATOR_H_

#include <cstdint>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "mxstate/json.h"
#include "mxstate/room_version.h"
#include "mxstate/state_res.h"

namespace mxstate::testing {

struct GeneratorOptions {
  int steps = 40;  // random events after the four set-up events
};

struct GeneratedRoom {
  const RoomVersionRules* rules = nullptr;
  std::string room_id;
  std::vector<std::string> order;           // creation order
  std::map<std::string, Json> events;       // by ID
  std::set<std::string> rejected;           // failed auth against their auth events
  std::map<std::string, StateMap> state_after;

  // The states after 2-4 distinct random events (from the later part of
  // the DAG); their IDs go to *points when given.
  std::vector<StateMap> PickStateSets(std::mt19937_64& rng,
                                      std::vector<std::string>* points = nullptr) const;
  // One line per event, for failure messages.
  std::string Describe() const;
  // Only the events in the auth closure of the given state sets.
  std::string DescribeRelevant(const std::vector<StateMap>& sets) const;
};

class GeneratedRoomSource : public EventSource {
 public:
  explicit GeneratedRoomSource(const GeneratedRoom& room) : room_(room) {}
  const Json* Find(std::string_view event_id) const override {
    auto it = room_.events.find(std::string(event_id));
    return it == room_.events.end() ? nullptr : &it->second;
  }
  bool IsRejected(std::string_view event_id) const override {
    return room_.rejected.count(std::string(event_id)) > 0;
  }

 private:
  const GeneratedRoom& room_;
};

GeneratedRoom GenerateRoom(uint64_t seed, const RoomVersionRules& rules,
                           const GeneratorOptions& options = {});

// A short text form of a state map ("type|key -> id" per line).
std::string StateMapText(const StateMap& m);

}  // namespace mxstate::testing

#endif  // MXSTATE_TESTS_ROOM_GENERATOR_H_

// restricted-join suite runner (spec-vectors/README.md, "restricted-join"):
// the target room's state and the states of the rooms its allow list names,
// the joining user and an optional authorising user. `valid` means a
// resident server would let the join through; the output names the room
// whose condition matched (null when the user needed none: already
// invited or joined, or a public room). Refusals carry their code.
#include "vectors/suite_restricted_join.h"

#include <deque>
#include <vector>

#include "mxstate/canonical_json.h"
#include "mxstate/restricted_join.h"
#include "mxstate/room_state.h"

namespace mxstate::vectors {
namespace {

SuiteRun Problem(std::string message) {
  SuiteRun run;
  run.harness_problem = std::move(message);
  return run;
}

// The room's events, checked against the version's number rules (the file
// was read leniently).
Result<RoomState> LoadState(const Json& events, std::string room_id,
                            const RoomVersionRules& rules) {
  for (const Json& e : events.as_array()) {
    if (Result<void> numbers = CheckNumbers(e, rules.canonical_json); !numbers) {
      return Fail(numbers.error());
    }
  }
  return RoomState::FromEvents(events.as_array(), std::move(room_id));
}

}  // namespace

SuiteRun RunRestrictedJoin(const VectorTest& test, const RoomVersionRules& rules) {
  const Json& room_events = *test.input->Find("room");
  const std::string* user = test.input->FindString("user_id");
  const Json* authoriser = test.input->Find("authoriser");
  const Json* rooms = test.input->Find("rooms");
  if (!room_events.is_array()) return Problem("input.room must be an array of state events");
  if (user == nullptr) return Problem("input.user_id must be a string");
  if (authoriser != nullptr && !authoriser->is_string()) {
    return Problem("input.authoriser must be a string");
  }
  if (rooms != nullptr && !rooms->is_object()) {
    return Problem("input.rooms must map room IDs to arrays of state events");
  }
  SuiteRun run;
  Result<RoomState> room = LoadState(room_events, "", rules);
  if (!room) {
    run.error = room.error();
    return run;
  }
  std::deque<RoomState> others;  // stable addresses for NamedRoom
  std::vector<NamedRoom> named;
  if (rooms != nullptr) {
    for (const auto& [room_id, events] : rooms->as_object()) {
      if (!events.is_array()) return Problem("input.rooms." + room_id + " must be an array");
      Result<RoomState> state = LoadState(events, room_id, rules);
      if (!state) {
        run.error = state.error();
        return run;
      }
      others.push_back(std::move(*state));
      named.push_back(NamedRoom{room_id, &others.back()});
    }
  }
  RestrictedJoinQuery query;
  query.room = &*room;
  query.other_rooms = named;
  query.user_id = *user;
  if (authoriser != nullptr) query.authoriser = authoriser->as_string();
  RestrictedJoinDecision decision = DecideRestrictedJoin(query, rules);
  if (decision.verdict != RestrictedJoinVerdict::kAllowed) {
    run.error = decision.error;
    return run;
  }
  run.valid = true;
  run.output = Json::EmptyObject();
  run.output.Set("matched_room", decision.matched
                                     ? Json(decision.conditions[*decision.matched].room_id)
                                     : Json());
  return run;
}

}  // namespace mxstate::vectors

// Reading a whole room for `mxstate room` and `mxstate state-at`: events
// from several files, each holding a JSON array of events, JSON Lines, one
// event, or a federation API response ({"pdus": [...], "auth_chain": [...]}
// from /state, /backfill and /event; {"state", "auth_chain", "event"} from
// /send_join; {"events": [...]} from /get_missing_events).
#ifndef MXSTATE_TOOLS_CLI_ROOM_INPUT_H_
#define MXSTATE_TOOLS_CLI_ROOM_INPUT_H_

#include <cstddef>
#include <string>
#include <vector>

#include "mxstate/json.h"
#include "mxstate/room_replay.h"
#include "mxstate/room_version.h"
#include "mxstate/status.h"

namespace mxstate::cli {

struct RoomInput {
  std::vector<Json> events;          // merged, identical copies removed
  std::vector<std::string> sources;  // per event: "FILE:LINE" it came from
  size_t duplicates_merged = 0;      // identical copies removed
};

// Reads and merges every file. Errors io.*, json.* (with file and line),
// input.bad_shape (a value that is neither an event nor a known response),
// input.empty.
Result<RoomInput> ReadRoomFiles(const std::vector<std::string>& paths);

// The room version: `flag` when given (UsageError when unknown), else the
// first create event's content.room_version ("1" when it has none). Errors
// input.no_room_version (no create event), room.unknown_version (the create
// event names a version this build does not know).
Result<const RoomVersionRules*> RoomVersionOf(const std::string& flag,
                                              const std::vector<Json>& events);

// {type: {state_key: event_id}}.
Json StateJson(const StateMap& state);
// `  type "state_key" event_id` lines.
std::string StateText(const StateMap& state);
// The verdict as one line: `<event_id> <outcome> [<stage>: <code>: <message>
// (<rule>)]`, or `<event_id> accepted (<rule>)`.
std::string VerdictText(const EventVerdict& verdict);
// {event_id, input_index, outcome, stage, error: {code, rule, message}, rule}.
Json VerdictJson(const EventVerdict& verdict, const RoomInput& input);

}  // namespace mxstate::cli

#endif  // MXSTATE_TOOLS_CLI_ROOM_INPUT_H_

// Reading events for the commands that take whole rooms or states: files
// holding a JSON array of events, one event, or JSON Lines.
#ifndef MXSTATE_TOOLS_CLI_EVENT_FILES_H_
#define MXSTATE_TOOLS_CLI_EVENT_FILES_H_

#include <string>
#include <vector>

#include "mxstate/json.h"
#include "mxstate/room_version.h"
#include "mxstate/status.h"

namespace mxstate::cli {

// Every event in a file: a JSON array of events, one event, or JSON Lines
// (arrays inside JSON Lines are flattened too). Numbers are read leniently
// so that v1-5 events keep their floats; the rules judge values themselves.
Result<std::vector<Json>> ReadEvents(const std::string& path);

// Exactly one event. Error input.not_one_event otherwise.
Result<Json> ReadOneEvent(const std::string& path);

// The room version: `flag` when given, else the create event's
// content.room_version among `events` ("1" when the create event has
// none). Throws UsageError for an unknown version.
Result<const RoomVersionRules*> ChooseRoomVersion(const std::string& flag,
                                                  const std::vector<Json>& events);

}  // namespace mxstate::cli

#endif  // MXSTATE_TOOLS_CLI_EVENT_FILES_H_

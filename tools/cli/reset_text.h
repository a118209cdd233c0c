// State resets (room_diff.h) as text and JSON, shared by `diff`, `resets`
// and `room`.
#ifndef MXSTATE_TOOLS_CLI_RESET_TEXT_H_
#define MXSTATE_TOOLS_CLI_RESET_TEXT_H_

#include <string>

#include "mxstate/json.h"
#include "mxstate/room_diff.h"

namespace mxstate::cli {

// "at <merge>: <type> "<key>" (<category>) <kind> to <event>; sides: ...; <cause>"
std::string ResetText(const StateReset& r);
// {merge_event, type, state_key, kind, category, resolved, sides: [{side, value}], cause}
Json ResetJson(const StateReset& r);

}  // namespace mxstate::cli

#endif  // MXSTATE_TOOLS_CLI_RESET_TEXT_H_

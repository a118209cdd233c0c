// The arrival order for soft failure (`mxstate room --arrival-order`,
// `--arrival-input-order`; also `mxstate dag`): the order in which a server
// received the room's events, needed for receipt step 6 (s2s "Soft
// failure": the current state depends on what had arrived).
#ifndef MXSTATE_TOOLS_CLI_ARRIVAL_ORDER_H_
#define MXSTATE_TOOLS_CLI_ARRIVAL_ORDER_H_

#include <boost/program_options.hpp>
#include <string>
#include <vector>

#include "cli/room_input.h"
#include "mxstate/room_version.h"
#include "mxstate/status.h"

namespace mxstate::cli {

// `path`: a file of event IDs, one per line, first arrival first (blank
// lines and lines starting with '#' are skipped; '-' is stdin). Errors io.*,
// input.bad_arrival_order (a line that is not an event ID).
Result<std::vector<std::string>> ReadArrivalOrder(const std::string& path);

// The events' IDs in input order (files in the order given, then lines):
// for inputs that are already in the order the server received them.
std::vector<std::string> InputArrivalOrder(const RoomInput& input, const RoomVersionRules& rules);

// The two options shared by `room` and `dag`.
struct ArrivalFlags {
  std::string path;          // --arrival-order
  bool input_order = false;  // --arrival-input-order
};
void AddArrivalOptions(boost::program_options::options_description& options, ArrivalFlags* flags);
// Fills options->arrival_order from the flags (UsageError when both are
// given). Errors as ReadArrivalOrder.
Result<void> ApplyArrivalFlags(const ArrivalFlags& flags, const RoomInput& input,
                               const RoomVersionRules& rules, ReplayOptions* options);

}  // namespace mxstate::cli

#endif  // MXSTATE_TOOLS_CLI_ARRIVAL_ORDER_H_

// The paths of state resets in a DAG picture (`mxstate dag`): for each reset
// that DetectStateResets found (room_diff.h), the merge, the event the key
// went back to (old), the side values that were lost (new), the merge's
// sides, and every event on a prev_events path from the old event to the
// merge, so the renderers can highlight how the lost value came and went.
#ifndef MXSTATE_TOOLS_CLI_DAG_RESETS_H_
#define MXSTATE_TOOLS_CLI_DAG_RESETS_H_

#include <cstdint>
#include <span>
#include <vector>

#include "cli/dag_render.h"
#include "mxstate/json.h"
#include "mxstate/room_diff.h"

namespace mxstate::cli {

// Roles of a node, as bits.
enum ResetRole : uint8_t {
  kResetPath = 1,   // on a prev_events path from the old event to the merge
  kResetMerge = 2,  // the merge (or, for the final resolution, a forward extremity resolved)
  kResetOld = 4,    // the event the key was resolved back to
  kResetLost = 8,   // a newer side value the resolution lost
  kResetSide = 16,  // a prev event (side) of the merge
};

struct ResetMarks {
  std::vector<uint8_t> roles;  // per dag node
  Json data;                   // [{merge, key, kind, category, old, lost, sides, cause, path}]
  std::vector<std::string> lines;  // one sentence per reset
  bool OnPath(size_t a, size_t b) const {  // an edge a -> b inside one highlighted path
    return (roles[a] & kResetPath) && (roles[b] & kResetPath);
  }
};

ResetMarks MarkResets(const Dag& dag, std::span<const StateReset> resets);

}  // namespace mxstate::cli

#endif  // MXSTATE_TOOLS_CLI_DAG_RESETS_H_

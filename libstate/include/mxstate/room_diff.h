// Comparing two servers' copies of one room, and finding state resets.
//
// DiffRooms replays both copies (room_replay.h) and reports where the views
// part: events only one side has, events the sides judge differently, and
// the current-state keys whose values differ, each explained from the side's
// own final resolution (state_res.h with the explanation switched on).
//
// DetectStateResets watches every resolution of a replay (ReplayOptions::
// on_merge) for keys that the resolution moved back to an older event, or
// dropped, although the sides had newer values (U7: matrix-org/synapse#6520,
// the unban whose auth_events lacked the ban, so the ban came back).
#ifndef MXSTATE_ROOM_DIFF_H_
#define MXSTATE_ROOM_DIFF_H_

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "mxstate/json.h"
#include "mxstate/room_replay.h"
#include "mxstate/room_version.h"
#include "mxstate/state_res.h"
#include "mxstate/status.h"

namespace mxstate {

// ---- state resets ----------------------------------------------------------

enum class ResetKind {
  // Every side had a value for the key, each newer than (a descendant, through
  // prev_events or auth_events, of) the resolved event.
  kRewound,
  // Some side had replaced the resolved event with a newer one (a descendant
  // of it), and the resolution went back to the older event (U7).
  kReverted,
  // Every side had the key; the resolution dropped it.
  kDropped,
};
std::string_view ToString(ResetKind kind);

// "membership", "power levels", "join rules" or "other".
std::string_view ResetCategory(const StateKey& key);

struct StateReset {
  std::string merge_event;  // the event whose state before was resolved; empty:
                            // the resolution of the forward extremities
  StateKey key;
  ResetKind kind = ResetKind::kReverted;
  std::string category;     // ResetCategory(key)
  std::string resolved;     // the (older) event the resolution chose; empty when dropped
  std::vector<std::string> sides;        // the prev events (extremities) resolved
  std::vector<std::string> side_values;  // per side, its value ("" when absent)
  // How the resolution got there, from its explanation: for each newer side
  // value, refused by an auth check (with the rule) or applied before the
  // older event.
  std::string cause;
};

// The resets of one resolution, appended to `out`: for a replay's
// ReplayOptions::on_merge, so a caller that replays anyway finds them
// without a second replay.
void FindStateResets(const MergeInfo& info, std::vector<StateReset>* out);

// Replays `events` and reports every reset, in replay order (the final
// resolution last). Errors as ReplayRoom's.
Result<std::vector<StateReset>> DetectStateResets(std::span<const Json> events,
                                                  const RoomVersionRules& rules,
                                                  const ReplayOptions& options = {});

// ---- room diff -------------------------------------------------------------

struct VerdictDifference {
  std::string event_id;
  EventVerdict a;
  EventVerdict b;
};

// Where one side's value for a key comes from.
struct KeyOrigin {
  std::string value;                     // the side's current value ("" absent)
  std::vector<std::string> extremities;  // the side's forward extremities
  std::vector<std::string> candidates;   // per extremity, its value ("" absent)
  bool resolved = false;    // the current state is a resolution of 2+ extremities' states
  bool conflicted = false;  // the key was in that resolution's conflicted set
  std::string step;         // "single extremity", "unconflicted", or the check
                            // phase that applied the chosen event ("power events",
                            // "mainline", "v1 ..."); "no candidate passed" when absent
  std::vector<AuthCheckRecord> checks;  // the resolution's checks on events of this key
  std::vector<PowerOrderEntry> power_order;        // entries for events of this key
  std::vector<MainlineOrderEntry> mainline_order;  // entries for events of this key
  std::string summary;      // one sentence
};

struct KeyDifference {
  StateKey key;
  std::string a;  // A's event ("" when absent)
  std::string b;
  KeyOrigin origin_a;
  KeyOrigin origin_b;
};

struct RoomDiff {
  // Events present in one copy only (by ID), in topological order
  // (depth, origin_server_ts, ID over prev and auth edges).
  std::vector<std::string> only_in_a;
  std::vector<std::string> only_in_b;
  // Events both have, with different outcomes, in topological order.
  std::vector<VerdictDifference> judged_differently;
  // Current-state keys whose values differ, in key order.
  std::vector<KeyDifference> state_differences;
  // Where the views part: the differing events (only in one side or judged
  // differently) none of whose ancestors differ, in topological order.
  std::vector<std::string> first_divergence;
  RoomReplay replay_a;
  RoomReplay replay_b;
  std::vector<StateReset> resets_a;
  std::vector<StateReset> resets_b;

  bool Agree() const {
    return only_in_a.empty() && only_in_b.empty() && judged_differently.empty() &&
           state_differences.empty();
  }
};

// Replays both copies and compares them. `options.on_merge`, when set, is
// called for both replays (A first). Errors as ReplayRoom's (either side).
Result<RoomDiff> DiffRooms(std::span<const Json> a, std::span<const Json> b,
                           const RoomVersionRules& rules, const ReplayOptions& options = {});

}  // namespace mxstate

#endif  // MXSTATE_ROOM_DIFF_H_

// A slow reference implementation of state resolution, written straight
// from the spec text (rooms/v1 "State resolution",
// rooms/fragments/v2-state-res.md, rooms/v12 "State resolution"), for the
// differential ("torture") test against mxstate::ResolveState.
//
// Deliberately plain: std::set / std::map of event ID strings, auth chains
// recomputed by an explicit-stack DFS every time they are needed, no
// interning, no memoisation. O(n^2) and worse is fine. It shares with the
// library only the authorization rules (AuthorizeAgainstState,
// UserPowerLevel), which state resolution uses as a black box.
#ifndef MXSTATE_TESTS_STATE_RES_REFERENCE_H_
#define MXSTATE_TESTS_STATE_RES_REFERENCE_H_

#include <set>
#include <string>
#include <vector>

#include "mxstate/room_version.h"
#include "mxstate/state_res.h"

namespace mxstate::reference {

// The intermediate results, so that a disagreement can be located at the
// step of the algorithm where it starts.
struct ReferenceTrace {
  StateMap unconflicted;                  // v2: unconflicted state map; v1: R after step 1
  std::set<std::string> conflicted;       // conflicted state set (v1: events of conflicted keys)
  std::set<std::string> auth_difference;  // v2
  std::set<std::string> subgraph;         // v2.1
  std::set<std::string> full_conflicted;  // v2
  std::vector<std::string> power_order;   // v2 step 1: X sorted
  StateMap partial;                       // v2 step 2 result
  std::vector<std::string> mainline;      // v2 step 3: P0 first
  std::vector<std::string> mainline_order;  // v2 step 3: the rest sorted
  StateMap before_overwrite;              // v2 step 4 result
};

// The resolved state of `state_sets` under the room version's algorithm.
// Events the source does not know are skipped (the generator never makes
// any). `trace` may be null.
StateMap ReferenceResolve(const std::vector<StateMap>& state_sets, const EventSource& events,
                          const RoomVersionRules& rules, ReferenceTrace* trace = nullptr);

// Helpers, exposed for the generator and the tests.
// The IDs in an event's auth_events (v1-2 [id, hashes] pairs or v3+ strings).
std::vector<std::string> ListedAuthEventIds(const Json& event);
// The auth chain of `event_id` (the event itself excluded), plain DFS. In
// v12 the create event named by room_id is an auth event of every other
// event.
std::set<std::string> ReferenceAuthChain(const std::string& event_id, const EventSource& events,
                                         const RoomVersionRules& rules);
// Lowercase hex SHA-1 of the UTF-8 event ID (v1 tie-break).
std::string Sha1Hex(const std::string& s);

}  // namespace mxstate::reference

#endif  // MXSTATE_TESTS_STATE_RES_REFERENCE_H_

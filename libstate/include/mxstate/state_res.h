// State resolution: v1 (room version 1), v2 (versions 2-11) and v2.1
// (version 12, MSC4297), chosen by RoomVersionRules::state_res
// (rooms/v1 "State resolution"; rooms/fragments/v2-state-res.md;
// rooms/v12 "State resolution").
//
// The caller supplies the state sets and an EventSource; the library does no
// I/O. Event IDs are interned as integers (event_graph.h) and event JSON is
// never copied; auth chains are walked iteratively with bounds, and cycles,
// missing events and duplicate keys are reported, not followed.
//
// Three forms: state sets as StateMaps (a temporary EventGraph is built per
// call, so the cost is proportional to the room); as GraphStates over a
// caller-owned EventGraph reused across calls, where a resolution walks
// only the auth chains of the conflicted events and asks the graph's
// reachability index about the rest; or as GraphStateDeltas, changes to
// one shared base state, where it also reads only the changes instead of
// merging whole states (docs/benchmarks.md).
#ifndef MXSTATE_STATE_RES_H_
#define MXSTATE_STATE_RES_H_

#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "mxstate/auth.h"
#include "mxstate/event_graph.h"
#include "mxstate/json.h"
#include "mxstate/room_version.h"
#include "mxstate/state_delta.h"
#include "mxstate/status.h"

namespace mxstate {

// A room state: (type, state_key) -> event ID.
using StateMap = std::map<StateKey, std::string>;

// Scratch memory for the resolutions of one caller that resolves
// repeatedly on one thread (room replay, a server, the benchmarks). The
// arrays as large as the graph are allocated once and reset only where a
// call wrote, instead of being allocated, cleared and faulted in again on
// every call, which cost more than the resolution itself for small forks
// in rooms of a million events (docs/benchmarks.md). A workspace serves
// one resolution at a time, on any graph; results never depend on it.
class StateResWorkspace {
 public:
  StateResWorkspace();
  ~StateResWorkspace();
  StateResWorkspace(const StateResWorkspace&) = delete;
  StateResWorkspace& operator=(const StateResWorkspace&) = delete;

  struct Buffers;  // defined by the library
  Buffers& buffers() { return *buffers_; }

 private:
  std::unique_ptr<Buffers> buffers_;
};

struct StateResOptions {
  // Upper bound on the events one resolution may reach through auth
  // chains; beyond it the resolution fails with state_res.too_many_events.
  // (With a caller-owned graph, the graph's own bound applies.)
  size_t max_events = 5'000'000;
  // Record the explanation (sort keys, mainline, each auth check).
  bool explain = false;
  // Reused scratch (see StateResWorkspace); nullptr: a fresh one per call.
  StateResWorkspace* workspace = nullptr;
  // How v2's iterative auth checks, which start from the unconflicted
  // state, read it: copied into a dense array (and cleared after), or
  // looked up in the sorted unconflicted entries. kAuto looks up when few
  // events are checked against a big state (a small fork in a big room).
  // Results never depend on it; the differential tests run every choice.
  enum class UnconflictedBase { kAuto, kCopy, kLookUp };
  UnconflictedBase unconflicted_base = UnconflictedBase::kAuto;
};

// One event in the reverse topological power ordering, with its sort key.
struct PowerOrderEntry {
  std::string event_id;
  int64_t sender_power = 0;  // kInfinitePower for v12 creators
  int64_t origin_server_ts = 0;
};

// One event in the mainline ordering, with its sort key.
struct MainlineOrderEntry {
  std::string event_id;
  int64_t mainline_position = -1;  // -1 stands for the spec's infinity
  int64_t origin_server_ts = 0;
};

// One iterative auth check (or v1 candidate check).
struct AuthCheckRecord {
  std::string event_id;
  std::string phase;  // "power events", "mainline", "v1 power_levels", ...
  bool allowed = false;
  std::string rule;   // the deciding rule
  std::string code;   // when refused
};

struct Resolution {
  StateMap state;
  // Explanation (filled when StateResOptions::explain).
  std::vector<StateKey> unconflicted_keys;
  std::vector<StateKey> conflicted_keys;
  std::vector<std::string> auth_difference;
  std::vector<std::string> conflicted_subgraph;  // v2.1 only
  std::vector<PowerOrderEntry> power_order;
  std::vector<std::string> mainline;  // P0 first
  std::vector<MainlineOrderEntry> mainline_order;
  std::vector<AuthCheckRecord> checks;
  // How many events the resolution walked (v2: the auth chains of the
  // conflicted events down to the unconflicted state's closure, or to the
  // intersection of the sets' auth chains when they carry a StateReach,
  // plus the walks of v2.1's subgraph; v1: none). Always filled.
  size_t events_walked = 0;
  // Inputs that were refused or could not be used (missing auth events,
  // events that are not state events, ...): reported, never fatal unless
  // the state sets themselves name unknown events.
  std::vector<Error> warnings;
};

// Resolves `state_sets` under the room version's algorithm. Errors:
// state_res.unknown_event (a state set names an event the source lacks),
// state_res.not_state_event, state_res.key_mismatch (a state set maps a key
// to an event of another key), state_res.cycle (auth_events form a cycle),
// state_res.too_many_events.
Result<Resolution> ResolveState(std::span<const StateMap> state_sets, const EventSource& events,
                                const RoomVersionRules& rules, const StateResOptions& options = {});

// The same over a caller-owned graph. `state_sets` must come from this
// graph (AddState); the algorithm is the graph's room version's. The
// resolved state is returned as a GraphState (no strings built);
// `details.state` stays empty, the explanation and warnings are in
// `details`. Warnings name the missing auth events the resolution walked
// over. Errors: state_res.cycle.
struct GraphResolution {
  GraphState state;
  Resolution details;
};
Result<GraphResolution> ResolveState(std::span<const GraphState> state_sets, const EventGraph& graph,
                                     const StateResOptions& options = {});

// The same over states given as changes to a shared base (state_delta.h).
// The resolved state comes back as changes to that base: exactly the keys
// whose resolved event differs from the base's (kNoEvent: the key is not
// in the resolved state), without a StateReach. Under v2 and v2.1, for
// sets that share one base (the same pointer) and each carry a StateReach,
// the cost is that of the changes and the walked auth chains, independent
// of the base's size (without StateReach, add one pass over the base to
// find the unconflicted events' auth closure). v1, and sets over different
// bases, are resolved from the whole states, and the result is expressed
// against the first set's base. With `explain`, `unconflicted_keys` still
// lists every key (a pass over the base).
// Errors: those of the GraphState form, and state_res.invalid_delta
// (ValidateDelta).
struct GraphDeltaResolution {
  GraphStateDelta state;
  Resolution details;
};
Result<GraphDeltaResolution> ResolveState(std::span<const GraphStateDelta> state_sets,
                                          const EventGraph& graph,
                                          const StateResOptions& options = {});

// The auth chain of an event: every event reachable through auth_events,
// the event itself excluded (rooms/fragments/v2-state-res.md), in a
// deterministic order (breadth first, then by ID). In v12 the create event
// named by room_id counts as an auth event of every other event. Missing
// events are reported in `missing`. Errors state_res.unknown_event,
// state_res.cycle, state_res.too_many_events.
struct AuthChainResult {
  std::vector<std::string> chain;
  std::vector<std::string> missing;
};
Result<AuthChainResult> AuthChain(std::string_view event_id, const EventSource& events,
                                  const RoomVersionRules& rules,
                                  const StateResOptions& options = {});

}  // namespace mxstate

#endif  // MXSTATE_STATE_RES_H_

// Room replay: the spec's checks on receipt for every event of a room, in
// an order where each event comes after its prev_events and auth_events
// (server-server API "Checks performed on receipt of a PDU"; rooms/vN
// "State resolution": the state before an event is the resolution of the
// states after its prev_events).
//
// For each event: (1) format, (2) signatures and (3) content hash when keys
// are given, (4) auth against its auth events, (5) auth against the state
// before it. Rejected events stay in the DAG but enter no state. The room's
// current state is the resolution of the states after its forward
// extremities. With an arrival order (ReplayOptions::arrival_order), also
// (6) auth against the current state of the room when the event arrived:
// failing that soft-fails the event (s2s "Soft failure"): it keeps its place
// in the DAG and its state after, but is never a forward extremity, so it
// does not change the current state unless a later event cites it.
#ifndef MXSTATE_ROOM_REPLAY_H_
#define MXSTATE_ROOM_REPLAY_H_

#include <functional>
#include <span>
#include <string>
#include <vector>

#include "mxstate/auth.h"
#include "mxstate/json.h"
#include "mxstate/room_version.h"
#include "mxstate/server_keys.h"
#include "mxstate/state_res.h"
#include "mxstate/status.h"

namespace mxstate {

enum class EventOutcome {
  kAccepted,      // passed every check
  kRedacted,      // content hash mismatch: kept in redacted form (step 3)
  kRejected,      // failed auth against its auth events or the state before it
  kDropped,       // bad format or signature: not part of the room (steps 1-2)
  kNotJudged,     // an auth event is missing, or it lies on a cycle
  kSoftFailed,    // passed steps 1-5 but not auth against the current state at
                  // its arrival (step 6; only with an arrival order)
};
std::string_view ToString(EventOutcome o);

struct EventVerdict {
  std::string event_id;
  size_t input_index = 0;      // position in the input
  EventOutcome outcome = EventOutcome::kAccepted;
  std::string stage;           // "format", "signatures", "auth events", "state before",
                               // "current state" (soft failure), ...
  Error reason;                // when not accepted (code, rule, message)
  std::string rule;            // the deciding auth rule when accepted
};

struct RoomReplay {
  // Judged events in replay (topological) order; events that never entered
  // the DAG (a losing duplicate: first; dropped or on a cycle: last) are
  // listed around them.
  std::vector<EventVerdict> verdicts;
  std::vector<std::string> forward_extremities;
  StateMap current_state;
  std::vector<Error> problems;              // duplicates, missing events, cycles
  bool signatures_checked = false;
  bool soft_failure_checked = false;        // an arrival order was given
};

// One state resolution during a replay: the states after an event's prev
// events (or after the forward extremities) and their resolution. Every
// pointer is valid only during the on_merge call.
struct MergeInfo {
  std::string event_id;               // the merge event; empty: the forward extremities
  std::vector<std::string> side_ids;  // the prev events (extremities) whose states were resolved
  std::vector<const StateMap*> side_states;  // in side_ids' order
  const StateMap* resolved = nullptr;
  const EventSource* events = nullptr;       // the room's events, with rejection
  const RoomVersionRules* rules = nullptr;
};

struct ReplayOptions {
  const KeyRing* keys = nullptr;  // when set, steps 2-3 run
  bool check_format = true;       // step 1 (off for test events without hashes)
  size_t max_events = 1'000'000;  // bound on the room size (room.too_many_events)
  // Threads for the signature and hash checks (0: one per core). The rest
  // of the replay is sequential: each event's state depends on its parents.
  unsigned threads = 0;
  // The order in which the server received the events (event IDs, first
  // arrival first). When non-empty, step 6 (soft failure) is judged: each
  // event is checked against the current state of the room when it arrived,
  // the resolution of the states after the forward extremities at that time.
  // Events are replayed in arrival order, except that an event's prev and
  // auth events are replayed just before it when they arrive later (a server
  // fetches missing events before it accepts one); events the order does not
  // name arrive after all named ones. IDs not in the room are reported
  // (room.arrival_unknown_event).
  std::vector<std::string> arrival_order;
  // Called after each successful resolution of two or more states: the
  // state before an event with several known prev events, and the current
  // state of a room with several forward extremities. Does not change the
  // replay.
  std::function<void(const MergeInfo&)> on_merge;
  // Called after every `progress_every` judged events with (judged, events in
  // the DAG), for a progress indicator. Does not change the replay.
  std::function<void(size_t, size_t)> on_progress;
  size_t progress_every = 1000;
};

// A StateMap seen through the auth rules' interface (auth.h), its events
// looked up in `events`. Both must outlive the view.
class StateMapView : public AuthState {
 public:
  StateMapView(const StateMap& state, const EventSource& events) : state_(state), events_(events) {}
  StateEntry Get(std::string_view type, std::string_view state_key) const override;

 private:
  const StateMap& state_;
  const EventSource& events_;
};

// Replays `events` (in any order; the caller keeps them alive). Errors:
// room.too_many_events, room.empty.
Result<RoomReplay> ReplayRoom(std::span<const Json> events, const RoomVersionRules& rules,
                              const ReplayOptions& options = {});

// The state before and after one event (events rejected or dropped enter no
// state: their state after equals their state before; a soft-failed event's
// state after includes it). Error
// room.unknown_event when the event is not in the room.
struct EventStates {
  StateMap before;
  StateMap after;
  EventVerdict verdict;
};
Result<EventStates> StateAtEvent(std::span<const Json> events, std::string_view event_id,
                                 const RoomVersionRules& rules, const ReplayOptions& options = {});

}  // namespace mxstate

#endif  // MXSTATE_ROOM_REPLAY_H_

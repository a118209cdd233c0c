// Authorization rules for room versions 1-12 (rooms/vN "Authorization
// rules"; server-server API "Checks performed on receipt of a PDU",
// "Definitions"), driven by RoomVersionRules::auth.
//
// Two entry points, matching the two ways the spec applies the rules:
//  - AuthorizeWithAuthEvents: receipt step 4, "passes authorization rules
//    based on the event's auth events": the checks on the auth_events list
//    itself, then the rules against the state those events form.
//  - AuthorizeAgainstState: steps 5-6 and state resolution's iterative auth
//    checks: the rules against a given room state, without the list checks.
//
// Every decision names the rule in the version's own numbering (for example
// "v10 auth rule 4.3.4") and, on rejection, a stable code and the values
// compared. The event-level signature rules (the sender's server, and from
// v8 the server of join_authorised_via_users_server) are VerifyEvent's job;
// the signature inside a third-party invite's `signed` block is checked here,
// since its keys come from the room state.
#ifndef MXSTATE_AUTH_H_
#define MXSTATE_AUTH_H_

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "mxstate/json.h"
#include "mxstate/room_version.h"
#include "mxstate/status.h"

namespace mxstate {

// One state entry: the event and its ID.
struct StateEntry {
  StateEntry() = default;
  StateEntry(const Json* e, std::string_view id,
             std::optional<std::string_view> known_membership = std::nullopt)
      : event(e), event_id(id), membership(known_membership) {}

  const Json* event = nullptr;
  std::string_view event_id;
  // For an m.room.member event: its content.membership ("" when absent or
  // not a string), when the provider already has it. Unset, the rules read
  // it from `event`; set, they trust it (it spares reading a cold event).
  std::optional<std::string_view> membership;
};

// Read access to a room state for the auth rules.
class AuthState {
 public:
  virtual ~AuthState() = default;
  // The state entry at (type, state_key); event == nullptr when absent.
  virtual StateEntry Get(std::string_view type, std::string_view state_key) const = 0;
};

// One entry of an event's auth_events, as the caller resolved it.
struct AuthEvent {
  const Json* event = nullptr;  // the PDU
  std::string event_id;         // its ID (v3+: from the reference hash, or a test ID)
  bool rejected = false;        // the caller found it rejected on receipt
};

struct AuthDecision {
  bool allowed = false;
  // The rule that decided, in the version's numbering, e.g.
  // "v10 auth rule 4.3.4" (set for both outcomes).
  std::string rule;
  // On rejection: code (stable, "auth.*"), rule and message with values.
  Error error;
  // Each rule consulted, in order, with what it found (for --explain).
  std::vector<std::string> trace;
};

// Receipt step 4. `event_id` is the event's own ID. `auth_events` are the
// events its `auth_events` field names, in any order; in v12 the create
// event named by `room_id` must also be among them (it is never listed in
// the field itself, and it is exempt from the list checks).
AuthDecision AuthorizeWithAuthEvents(const Json& event, std::span<const AuthEvent> auth_events,
                                     const RoomVersionRules& rules);

// How much of a decision is spelled out. kFull fills every field.
// kVerdictOnly gives the same `allowed`, `rule` and `error` without the
// trace, for callers that show verdicts (room replay, --explain).
// kAllowedOnly sets `allowed` alone and builds no text at all, for callers
// that act on the verdict only (state resolution's iterative auth checks).
enum class AuthTrace { kFull, kVerdictOnly, kAllowedOnly };

// The state-dependent rules against `state`. In v12 `state` must yield the
// create event at ("m.room.create", "") when the room has one.
AuthDecision AuthorizeAgainstState(const Json& event, const AuthState& state,
                                   const RoomVersionRules& rules,
                                   AuthTrace trace = AuthTrace::kFull);

// A (type, state_key) pair.
struct StateKey {
  std::string type;
  std::string state_key;
  friend bool operator==(const StateKey&, const StateKey&) = default;
  friend auto operator<=>(const StateKey&, const StateKey&) = default;
};

// Auth events selection (server-server API, "Auth events selection"): the
// state keys whose current events `event` must cite, in that order. The
// create event is included before v12 and never from v12.
std::vector<StateKey> AuthEventSelection(const Json& event, const RoomVersionRules& rules);

// A user's power level for the auth rules ("Definitions"), from the state's
// power levels and create event. v12 creators get kInfinitePower.
inline constexpr int64_t kInfinitePower = INT64_MAX;
int64_t UserPowerLevel(std::string_view user_id, const AuthState& state,
                       const RoomVersionRules& rules);

}  // namespace mxstate

#endif  // MXSTATE_AUTH_H_

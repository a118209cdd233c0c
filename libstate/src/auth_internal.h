// Internal entry points between the auth files.
#ifndef MXSTATE_SRC_AUTH_INTERNAL_H_
#define MXSTATE_SRC_AUTH_INTERNAL_H_

#include <cstdint>
#include <optional>
#include <string_view>

#include "mxstate/auth.h"

namespace mxstate::internal {

// The powers of an event's sender and (an m.room.member event) its target,
// when the caller can answer faster than the rules (state resolution, by
// member key: state_res_power_table.h). An answer must be what the rules
// would compute in the state the event is checked against; nullopt lets
// them compute it.
class PowerHints {
 public:
  virtual ~PowerHints() = default;
  virtual std::optional<int64_t> SenderPower() const = 0;
  virtual std::optional<int64_t> TargetPower() const = 0;
};

// The top-level fields of an event that the rules read on every check.
// A caller that already holds them per event (the event graph) passes
// them in, which spares each check its look-ups in the event's top-level
// object: in a big resolution those read a dozen cold cache lines per
// check (docs/benchmarks.md). Of() finds them in the event itself.
struct EventFields {
  const Json* event = nullptr;                // the whole event, for the rarely read fields
  std::string_view type;                      // "" when absent or not a string
  std::string_view sender;                    // likewise
  std::optional<std::string_view> state_key;  // when present and a string
  const Json* content = nullptr;              // when present (of any kind)
  // For an m.room.member event, what the member rules would search the
  // content for, when the caller found it already (the graph did, when it
  // loaded the event): then the rules do not open the content unless it
  // holds join_authorised_via_users_server or third_party_invite.
  struct MemberContent {
    std::optional<std::string_view> membership;  // when content.membership is a string
    bool has_authorised_via = false;
    bool has_third_party_invite = false;
  };
  std::optional<MemberContent> member;
  // For an m.room.member event, whether its sender is its target
  // (state_key), when the caller knows it without comparing the strings
  // (the graph interned both as member keys): a self-join or self-leave is
  // then checked without reading either user ID's bytes.
  std::optional<bool> sender_is_target;
  // For an m.room.member event, whether its target is the room's first
  // creator as the state being checked against names it, when the caller
  // knows it without comparing the strings: the join rule then reads the
  // target's bytes only to compare it with the sender.
  std::optional<bool> target_is_first_creator;
  const PowerHints* powers = nullptr;  // nullptr: the rules compute every power

  static EventFields Of(const Json& event);
};

// The rules from m.federate onwards, against `state`, with as much of the
// decision's text as `detail` asks for.
AuthDecision RunStateRules(const EventFields& event, const AuthState& state,
                           const RoomVersionRules& rules, AuthTrace detail = AuthTrace::kFull);
AuthDecision RunStateRules(const Json& event, const AuthState& state,
                           const RoomVersionRules& rules, AuthTrace detail = AuthTrace::kFull);
// AuthorizeAgainstState for an event whose fields the caller found.
AuthDecision AuthorizeFieldsAgainstState(const EventFields& event, const AuthState& state,
                                         const RoomVersionRules& rules, AuthTrace trace);
int64_t PowerLevelOf(std::string_view user, const AuthState& state, const RoomVersionRules& rules);

}  // namespace mxstate::internal

#endif  // MXSTATE_SRC_AUTH_INTERNAL_H_

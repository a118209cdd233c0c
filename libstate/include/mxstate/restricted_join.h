// Restricted-join decisions: would a resident server let `user` join a
// `restricted` (rooms/v8+) or `knock_restricted` (rooms/v10+) room without
// an invite, and can a given resident user sign for it?
//
// The auth rules only check the result of this decision (that the join
// names a joined authorising user with invite power: rooms/vN auth rule
// "If the join_rule is restricted or knock_restricted"); the allow
// conditions themselves are judged by the server handling the join, against
// other rooms' state (client-server API "Restricted rooms", "Conditions";
// server-server API "Restricted rooms"). This module makes both visible.
#ifndef MXSTATE_RESTRICTED_JOIN_H_
#define MXSTATE_RESTRICTED_JOIN_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "mxstate/room_state.h"
#include "mxstate/room_version.h"
#include "mxstate/status.h"

namespace mxstate {

// What one allow condition said about the user.
enum class ConditionOutcome {
  kMatched,       // m.room_membership: the user is joined to the room
  kNotJoined,     // the room was given; the user's membership there is not join
  kRoomNotGiven,  // the room's state was not supplied: cannot be confirmed
  kUnknownType,   // a condition type this spec version does not define
  kMalformed,     // not an object, or m.room_membership without a room_id string
};
std::string_view ToString(ConditionOutcome o);

struct ConditionCheck {
  size_t index = 0;             // position in content.allow
  std::string type;             // content.allow[i].type (empty when absent)
  std::string room_id;          // content.allow[i].room_id (empty when absent)
  ConditionOutcome outcome = ConditionOutcome::kMalformed;
  std::string membership;       // the user's membership in room_id ("" none)
  std::string reference;        // the spec text this outcome rests on
};

enum class RestrictedJoinVerdict {
  kAllowed,            // a condition matched (or the user needs none) and, when
                       // an authoriser was named, they can sign
  kRefused,            // 403 M_FORBIDDEN: no condition is satisfied, or the join is
                       // impossible (banned, version without the rule, not restricted)
  kUnableToAuthorise,  // 400 M_UNABLE_TO_AUTHORISE_JOIN: no condition matched and
                       // some could not be checked (their rooms were not given)
  kUnableToGrant,      // 400 M_UNABLE_TO_GRANT_JOIN: a condition matched but the
                       // named authoriser cannot sign the join
};
std::string_view ToString(RestrictedJoinVerdict v);

// The authorising user (join_authorised_via_users_server) as the target
// room's auth rules will judge them.
struct AuthoriserCheck {
  std::string user_id;
  std::string membership;      // in the target room
  int64_t power = 0;           // kInfinitePower for a v12 creator
  int64_t invite_level = 0;    // the target room's invite level
  bool can_sign = false;       // joined and power >= invite level
};

struct RestrictedJoinQuery {
  const RoomState* room = nullptr;       // the target room (required)
  std::span<const NamedRoom> other_rooms;  // states of rooms the allow list names
  std::string_view user_id;              // the joining user
  std::string_view authoriser;           // candidate authorising user; may be empty
};

struct RestrictedJoinDecision {
  RestrictedJoinVerdict verdict = RestrictedJoinVerdict::kRefused;
  std::string join_rule;
  std::string room_version;
  // The deciding reference (auth rule in the version's numbering, or the
  // API section), for every verdict.
  std::string rule;
  // When not allowed: code "restricted_join.*" (docs/errors.md), rule, message.
  Error error;
  std::vector<ConditionCheck> conditions;
  std::optional<size_t> matched;          // index into conditions
  bool conditions_needed = true;          // false: already joined or invited
  std::optional<AuthoriserCheck> authoriser;  // when one was named
  // Joined users of the target room with power >= invite (who could sign),
  // sorted; at most kMaxCandidates.
  std::vector<std::string> candidate_authorisers;
  std::vector<std::string> notes;         // table-driven caveats (v8 redaction, knocking)
  // The condition's reference and what was found, step by step.
  std::vector<std::string> trace;
};

inline constexpr size_t kMaxAllowConditions = 1024;  // bound on content.allow read
inline constexpr size_t kMaxCandidates = 100;

// Decides a join of query.user_id into query.room under `rules` (the
// target room's version; callers normally pass query.room->rules()).
// Pure and deterministic; never throws.
RestrictedJoinDecision DecideRestrictedJoin(const RestrictedJoinQuery& query,
                                            const RoomVersionRules& rules);

}  // namespace mxstate

#endif  // MXSTATE_RESTRICTED_JOIN_H_

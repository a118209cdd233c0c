// Internal entry points between the auth files.
#ifndef MXSTATE_SRC_AUTH_INTERNAL_H_
#define MXSTATE_SRC_AUTH_INTERNAL_H_

#include "mxstate/auth.h"

namespace mxstate::internal {

// The rules from m.federate onwards, against `state`. `trace`: fill
// AuthDecision::trace (the --explain text); callers that only read the
// verdict, rule and error (state resolution, room replay) skip building it.
AuthDecision RunStateRules(const Json& event, const AuthState& state,
                           const RoomVersionRules& rules, bool trace = true);
int64_t PowerLevelOf(std::string_view user, const AuthState& state, const RoomVersionRules& rules);

}  // namespace mxstate::internal

#endif  // MXSTATE_SRC_AUTH_INTERNAL_H_

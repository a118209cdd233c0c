// Internal entry points between the auth files.
#ifndef MXSTATE_SRC_AUTH_INTERNAL_H_
#define MXSTATE_SRC_AUTH_INTERNAL_H_

#include "mxstate/auth.h"

namespace mxstate::internal {

// The rules from m.federate onwards, against `state`, with as much of the
// decision's text as `detail` asks for.
AuthDecision RunStateRules(const Json& event, const AuthState& state,
                           const RoomVersionRules& rules, AuthTrace detail = AuthTrace::kFull);
int64_t PowerLevelOf(std::string_view user, const AuthState& state, const RoomVersionRules& rules);

}  // namespace mxstate::internal

#endif  // MXSTATE_SRC_AUTH_INTERNAL_H_

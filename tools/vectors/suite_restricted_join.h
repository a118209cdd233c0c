// The restricted-join suite: input {room, rooms?, user_id, authoriser?};
// valid = the join is allowed, with expected {"matched_room": ID or null}.
#ifndef MXSTATE_TOOLS_VECTORS_SUITE_RESTRICTED_JOIN_H_
#define MXSTATE_TOOLS_VECTORS_SUITE_RESTRICTED_JOIN_H_

#include "mxstate/room_version.h"
#include "vectors/suites.h"

namespace mxstate::vectors {

SuiteRun RunRestrictedJoin(const VectorTest& test, const RoomVersionRules& rules);

}  // namespace mxstate::vectors

#endif  // MXSTATE_TOOLS_VECTORS_SUITE_RESTRICTED_JOIN_H_

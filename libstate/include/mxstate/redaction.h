// Redaction (rooms/vN "Redactions": v1-5, v6-7, v8, v9-10, v11-12 rules,
// chosen through RoomVersionRules::redaction).
#ifndef MXSTATE_REDACTION_H_
#define MXSTATE_REDACTION_H_

#include "mxstate/json.h"
#include "mxstate/room_version.h"

namespace mxstate {

// Returns the redacted copy of `event`: only the version's top-level keys
// stay, and `content` keeps only the keys its type keeps. A non-object input
// is returned unchanged. Idempotent; never adds keys.
Json Redact(const Json& event, const RoomVersionRules& rules);

}  // namespace mxstate

#endif  // MXSTATE_REDACTION_H_

// Internal pieces of the event checks, split so that VerifyEvent can reuse
// the canonical bytes it must build anyway instead of encoding twice.
#ifndef MXSTATE_SRC_EVENT_INTERNAL_H_
#define MXSTATE_SRC_EVENT_INTERNAL_H_

#include <cstddef>
#include <string>

#include "mxstate/json.h"
#include "mxstate/room_version.h"
#include "mxstate/status.h"

namespace mxstate::internal {

// CheckPduFormat without the 65536-byte size check.
Result<void> CheckPduShape(const Json& event, const RoomVersionRules& rules);
// The size check alone, on the canonical size of the whole PDU.
Result<void> CheckPduSize(size_t canonical_size);
// The bytes ContentHash hashes: the canonical event without `unsigned`,
// `signatures` and `hashes`.
std::string ContentHashBytes(const Json& event);

}  // namespace mxstate::internal

#endif  // MXSTATE_SRC_EVENT_INTERNAL_H_

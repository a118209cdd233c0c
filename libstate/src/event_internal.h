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
// Both canonical forms VerifyEvent needs, in one pass: the content-hash
// bytes and the redacted signing bytes (RedactedSigningBytes). Members that
// both forms keep unchanged are encoded once and copied. REQUIRES: `event`
// is an object.
void ContentAndSigningBytes(const Json& event, const RoomVersionRules& rules,
                            std::string* content_bytes, std::string* signing_bytes);

}  // namespace mxstate::internal

#endif  // MXSTATE_SRC_EVENT_INTERNAL_H_

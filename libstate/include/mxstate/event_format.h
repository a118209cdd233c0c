// PDU format checks per room version (server-server API, "Checks performed
// on receipt of a PDU" step 1; PDU schemas pdu_v1..pdu_v12; size limits).
#ifndef MXSTATE_EVENT_FORMAT_H_
#define MXSTATE_EVENT_FORMAT_H_

#include <cstddef>
#include <string_view>

#include "mxstate/json.h"
#include "mxstate/room_version.h"
#include "mxstate/status.h"

namespace mxstate {

inline constexpr size_t kMaxPduBytes = 65536;       // canonical JSON, signatures included
inline constexpr size_t kMaxIdentifierBytes = 255;  // sender, room_id, event_id, type, state_key
inline constexpr size_t kMaxAuthEvents = 10;
inline constexpr size_t kMaxPrevEvents = 20;

// Validates the PDU's shape for `rules`: required fields and their types,
// `event_id` only in v1-2, no `room_id` on a v12 create event, identifier
// lengths, reference list shapes and counts, depth range, numbers allowed by
// the version's canonical JSON, and the 65536-byte canonical size.
// Error codes: event.not_object, event.missing_field, event.bad_type,
// event.unexpected_event_id, event.create_has_room_id, event.id_too_long,
// event.too_large, event.too_many_auth_events, event.too_many_prev_events,
// event.bad_depth, event.bad_reference, event.bad_identifier,
// json.float_forbidden, json.integer_out_of_range.
Result<void> CheckPduFormat(const Json& event, const RoomVersionRules& rules);

// Helpers shared with the auth rules.
// The server name of a user/room/event ID (after the first ':'), or empty.
std::string_view ServerNameOf(std::string_view id);
// Whether `id` is a syntactically acceptable (historical) user ID.
bool IsValidUserId(std::string_view id);

}  // namespace mxstate

#endif  // MXSTATE_EVENT_FORMAT_H_

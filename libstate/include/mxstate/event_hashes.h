// Content hashes, reference hashes, event IDs and v12 room IDs
// (server-server API, "Calculating the content hash for an event" and
// "Calculating the reference hash for an event"; rooms/v1, v3, v4 event IDs;
// rooms/v12 room IDs).
#ifndef MXSTATE_EVENT_HASHES_H_
#define MXSTATE_EVENT_HASHES_H_

#include <string>

#include "mxstate/json.h"
#include "mxstate/room_version.h"
#include "mxstate/sha256.h"
#include "mxstate/status.h"

namespace mxstate {

// SHA-256 of the canonical event without `unsigned`, `signatures` and
// `hashes`.
Sha256Digest ContentHash(const Json& event);
// Unpadded standard base64 of ContentHash.
std::string ContentHashBase64(const Json& event);

// The canonical bytes that are both signed (after redaction) and hashed for
// the reference hash: the redacted event without `signatures` and `unsigned`.
std::string RedactedSigningBytes(const Json& event,
                                 const RoomVersionRules& rules);

// SHA-256 of RedactedSigningBytes.
Sha256Digest ReferenceHash(const Json& event, const RoomVersionRules& rules);

// The event's ID: v1-2 the `event_id` field (error event.missing_field when
// absent), v3 `$`+standard base64 of the reference hash, v4+ URL-safe.
Result<std::string> EventId(const Json& event, const RoomVersionRules& rules);
// The ID an event goes by: its `event_id` field when it has one (v1-2 PDUs,
// and events in test corpora and tools' inputs, which may use readable
// made-up IDs in any version), else the ID computed from its reference hash.
std::string DeclaredOrComputedEventId(const Json& event, const RoomVersionRules& rules);

// Event ID from an already computed reference hash (v3+ only).
std::string EventIdFromReferenceHash(const Sha256Digest& hash,
                                     const RoomVersionRules& rules);

// v12: the room ID a create event defines (`!` + its event ID without `$`).
// Error room_version.no_hashed_room_id for versions with server-chosen IDs.
Result<std::string> RoomIdFromCreateEvent(const Json& create_event,
                                          const RoomVersionRules& rules);

}  // namespace mxstate

#endif  // MXSTATE_EVENT_HASHES_H_

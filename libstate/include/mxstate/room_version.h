// The room-version table: every per-version rule as data.
//
// Code asks the table ("does this version have knocking?"), never the
// version string. A new room version is a new row here plus code only for
// rules that are genuinely new. Rows are in content/rooms/v*.md order.
#ifndef MXSTATE_ROOM_VERSION_H_
#define MXSTATE_ROOM_VERSION_H_

#include <cstdint>
#include <span>
#include <string_view>

#include "mxstate/canonical_json.h"
#include "mxstate/status.h"

namespace mxstate {

enum class EventIdFormat {
  kServerChosen,    // v1-2: `$opaque:domain` carried in the PDU
  kBase64Standard,  // v3: `$` + unpadded standard base64 of reference hash
  kBase64UrlSafe,   // v4+: `$` + unpadded URL-safe base64
};

enum class RoomIdFormat {
  kServerChosen,     // v1-11: `!opaque:domain`
  kCreateEventHash,  // v12: `!` + the create event's ID without `$`
};

enum class StateResAlgorithm { kV1, kV2, kV2_1 };

// What redaction keeps, as switches over the v1 baseline.
struct RedactionRules {
  bool keep_aliases;                 // v1-5: m.room.aliases `aliases`
  bool keep_join_rules_allow;        // v8+: m.room.join_rules `allow`
  bool keep_join_authorised_via;     // v9+: member join_authorised_via_users_server
  bool keep_all_create_content;      // v11+: create keeps all content
  bool keep_power_levels_invite;     // v11+: power levels keep `invite`
  bool keep_redaction_redacts;       // v11+: m.room.redaction keeps content.redacts
  bool keep_third_party_signed;      // v11+: member third_party_invite.signed
  bool keep_origin_membership_prev_state;  // v1-10 top-level keys
};

struct AuthRuleFlags {
  bool special_case_aliases;        // v1-5 auth rule 4 (m.room.aliases)
  bool special_case_redaction;      // v1-2 auth rule 11 (m.room.redaction)
  bool create_requires_creator;     // v1-10 create rule 1.4 (content.creator)
  bool creator_is_sender;           // v11+: "creator" is the create sender
  bool notifications_power_levels;  // v6+: `notifications` in PL change rules
  bool knocking;                    // v7+
  bool restricted_join;             // v8+: join rule `restricted`
  bool knock_restricted;            // v10+
  bool integer_power_levels;        // v10+: PL values must be JSON integers
  bool string_power_levels;         // v1-9: integer strings accepted
  bool float_power_levels;          // v1-5: floats truncated
  bool privileged_creators;         // v12: creators have infinite power
  bool create_event_implied;        // v12: create not in auth_events, room_id names it
  bool create_domain_must_match;    // v1-11: room_id domain == sender domain
};

struct RoomVersionRules {
  std::string_view id;
  bool stable;
  EventIdFormat event_id_format;
  RoomIdFormat room_id_format;
  bool event_id_in_pdu;            // v1-2: PDU carries event_id
  bool event_refs_with_hashes;     // v1-2: auth/prev_events are [id, {sha256}]
  bool event_id_server_signs;      // v1-2: event_id's server must sign
  bool redacts_in_content;         // v11+: m.room.redaction content.redacts
  NumberPolicy canonical_json;     // kLegacyPython v1-5, kStrict v6+
  bool enforce_key_validity;       // v5+: valid_until_ts >= origin_server_ts
  int64_t max_depth;               // largest allowed: v1-5 2^63-1, v6+ 2^53-1
  StateResAlgorithm state_res;
  // v12+: an upgrade's create event may omit predecessor.event_id
  // (client-server API "Room upgrades", server behaviour 2, note).
  bool predecessor_event_id_optional;
  RedactionRules redaction;
  AuthRuleFlags auth;
};

// The row for `id`, or nullptr for an unknown version. Unknown is never
// "allowed": callers turn nullptr into the error below.
const RoomVersionRules* FindRoomVersion(std::string_view id);
// Same, as a Result with error code room_version.unknown.
Result<const RoomVersionRules*> LookupRoomVersion(std::string_view id);
// Every known row, stable versions first in numeric order.
std::span<const RoomVersionRules> AllRoomVersions();

std::string_view ToString(EventIdFormat f);
std::string_view ToString(RoomIdFormat f);
std::string_view ToString(StateResAlgorithm a);
std::string_view ToString(NumberPolicy p);

}  // namespace mxstate

#endif  // MXSTATE_ROOM_VERSION_H_

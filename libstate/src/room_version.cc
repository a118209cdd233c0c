// The room-version table (content/rooms/v1.md ... v12.md). Each row is the
// previous one plus what that version changed, so the differences read like
// the spec's own change lists.
#include <array>
#include <limits>

#include "mxstate/room_version.h"

namespace mxstate {
namespace {

constexpr RoomVersionRules MakeV1() {
  RoomVersionRules r{};
  r.id = "1";
  r.stable = true;
  r.event_id_format = EventIdFormat::kServerChosen;  // rooms/v1 "Event IDs"
  r.room_id_format = RoomIdFormat::kServerChosen;
  r.event_id_in_pdu = true;
  r.event_refs_with_hashes = true;
  r.event_id_server_signs = true;  // s2s "Validating hashes and signatures"
  r.redacts_in_content = false;
  r.canonical_json = NumberPolicy::kLegacyPython;  // v1 canonical JSON: not enforced
  r.enforce_key_validity = false;
  r.max_depth = std::numeric_limits<int64_t>::max();  // pdu_v1: 2^63-1, the limit allowed
  r.state_res = StateResAlgorithm::kV1;
  r.predecessor_event_id_optional = false;
  r.redaction = RedactionRules{
      .keep_aliases = true,
      .keep_join_rules_allow = false,
      .keep_join_authorised_via = false,
      .keep_all_create_content = false,
      .keep_power_levels_invite = false,
      .keep_redaction_redacts = false,
      .keep_third_party_signed = false,
      .keep_origin_membership_prev_state = true,
  };
  r.auth = AuthRuleFlags{
      .special_case_aliases = true,
      .special_case_redaction = true,
      .create_requires_creator = true,
      .creator_is_sender = false,
      .notifications_power_levels = false,
      .knocking = false,
      .restricted_join = false,
      .knock_restricted = false,
      .integer_power_levels = false,
      .string_power_levels = true,
      .float_power_levels = true,
      .privileged_creators = false,
      .create_event_implied = false,
      .create_domain_must_match = true,
  };
  return r;
}

constexpr RoomVersionRules Derive(RoomVersionRules r, std::string_view id) {
  r.id = id;
  return r;
}

constexpr RoomVersionRules MakeV2() {
  auto r = Derive(MakeV1(), "2");
  r.state_res = StateResAlgorithm::kV2;  // rooms/v2: state resolution v2
  return r;
}

constexpr RoomVersionRules MakeV3() {
  auto r = Derive(MakeV2(), "3");
  r.event_id_format = EventIdFormat::kBase64Standard;  // rooms/v3 "Event IDs"
  r.event_id_in_pdu = false;
  r.event_refs_with_hashes = false;  // pdu_v3: auth/prev_events are IDs
  r.event_id_server_signs = false;
  r.auth.special_case_redaction = false;  // rooms/v3: redaction rule removed
  return r;
}

constexpr RoomVersionRules MakeV4() {
  auto r = Derive(MakeV3(), "4");
  r.event_id_format = EventIdFormat::kBase64UrlSafe;  // rooms/v4 "Event IDs"
  return r;
}

constexpr RoomVersionRules MakeV5() {
  auto r = Derive(MakeV4(), "5");
  r.enforce_key_validity = true;  // rooms/v5 "Signing key validity period"
  return r;
}

constexpr RoomVersionRules MakeV6() {
  auto r = Derive(MakeV5(), "6");
  r.canonical_json = NumberPolicy::kStrict;           // rooms/v6 canonical JSON
  r.max_depth = (int64_t{1} << 53) - 1;               // pdu_v6 depth
  r.redaction.keep_aliases = false;                   // rooms/v6 redactions
  r.auth.special_case_aliases = false;                // rooms/v6 auth rules
  r.auth.notifications_power_levels = true;           // v6 auth rule 9.4-9.5
  r.auth.float_power_levels = false;                  // floats impossible in v6+
  return r;
}

constexpr RoomVersionRules MakeV7() {
  auto r = Derive(MakeV6(), "7");
  r.auth.knocking = true;  // rooms/v7: knock membership and join rule
  return r;
}

constexpr RoomVersionRules MakeV8() {
  auto r = Derive(MakeV7(), "8");
  r.auth.restricted_join = true;             // rooms/v8: restricted join rule
  r.redaction.keep_join_rules_allow = true;  // rooms/v8 redactions
  return r;
}

constexpr RoomVersionRules MakeV9() {
  auto r = Derive(MakeV8(), "9");
  r.redaction.keep_join_authorised_via = true;  // rooms/v9 redactions
  return r;
}

constexpr RoomVersionRules MakeV10() {
  auto r = Derive(MakeV9(), "10");
  r.auth.knock_restricted = true;         // rooms/v10 join rule knock_restricted
  r.auth.integer_power_levels = true;     // v10 auth rules 9.1-9.3
  r.auth.string_power_levels = false;
  return r;
}

constexpr RoomVersionRules MakeV11() {
  auto r = Derive(MakeV10(), "11");
  r.redacts_in_content = true;                        // rooms/v11 event format
  r.auth.create_requires_creator = false;             // v11 auth rule 1.4 removed
  r.auth.creator_is_sender = true;                    // v11 auth rule 4.3.1
  r.redaction.keep_all_create_content = true;         // v11 redactions
  r.redaction.keep_power_levels_invite = true;
  r.redaction.keep_redaction_redacts = true;
  r.redaction.keep_third_party_signed = true;
  r.redaction.keep_origin_membership_prev_state = false;
  return r;
}

constexpr RoomVersionRules MakeV12() {
  auto r = Derive(MakeV11(), "12");
  r.room_id_format = RoomIdFormat::kCreateEventHash;  // rooms/v12 room IDs (MSC4291)
  r.state_res = StateResAlgorithm::kV2_1;             // MSC4297
  r.auth.privileged_creators = true;                  // MSC4289
  r.auth.create_event_implied = true;                 // v12 auth rules 2, 3.2
  r.auth.create_domain_must_match = false;            // no domain in v12 room IDs
  r.predecessor_event_id_optional = true;             // room upgrades: MAY omit event_id
  return r;
}

constexpr RoomVersionRules MakeHydra() {
  // Pre-release of v12 (MSC4304): the same rules under an unstable name.
  auto r = Derive(MakeV12(), "org.matrix.hydra.11");
  r.stable = false;
  return r;
}

constexpr std::array<RoomVersionRules, 13> kRoomVersions = {
    MakeV1(), MakeV2(), MakeV3(),  MakeV4(),  MakeV5(),  MakeV6(),   MakeV7(),
    MakeV8(), MakeV9(), MakeV10(), MakeV11(), MakeV12(), MakeHydra(),
};

}  // namespace

const RoomVersionRules* FindRoomVersion(std::string_view id) {
  for (const auto& row : kRoomVersions) {
    if (row.id == id) return &row;
  }
  return nullptr;
}

Result<const RoomVersionRules*> LookupRoomVersion(std::string_view id) {
  if (const RoomVersionRules* rules = FindRoomVersion(id)) return rules;
  return Fail("room_version.unknown", "rooms: room versions",
              "room version '" + std::string(id) + "' is not known to mxstate");
}

std::span<const RoomVersionRules> AllRoomVersions() { return kRoomVersions; }

std::string_view ToString(EventIdFormat f) {
  switch (f) {
    case EventIdFormat::kServerChosen: return "server-chosen";
    case EventIdFormat::kBase64Standard: return "reference-hash-base64";
    case EventIdFormat::kBase64UrlSafe: return "reference-hash-base64url";
  }
  return "?";
}
std::string_view ToString(RoomIdFormat f) {
  switch (f) {
    case RoomIdFormat::kServerChosen: return "server-chosen";
    case RoomIdFormat::kCreateEventHash: return "create-event-hash";
  }
  return "?";
}
std::string_view ToString(StateResAlgorithm a) {
  switch (a) {
    case StateResAlgorithm::kV1: return "v1";
    case StateResAlgorithm::kV2: return "v2";
    case StateResAlgorithm::kV2_1: return "v2.1";
  }
  return "?";
}
std::string_view ToString(NumberPolicy p) {
  switch (p) {
    case NumberPolicy::kAppendix: return "appendix";
    case NumberPolicy::kStrict: return "strict";
    case NumberPolicy::kLegacyPython: return "legacy-python";
  }
  return "?";
}

}  // namespace mxstate

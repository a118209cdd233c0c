// Content hash, reference hash, event IDs and v12 room IDs.
//
// The canonical forms are written straight from the parsed event, skipping
// keys as the algorithms remove them, instead of building redacted copies:
// verifying an event must cost little more than its ed25519 check.
#include "mxstate/event_hashes.h"

#include "mxstate/base64.h"
#include "mxstate/canonical_json.h"
#include "event_internal.h"
#include "redaction_rules.h"

namespace mxstate {
namespace {

void AppendKey(std::string_view key, bool* first, std::string* out) {
  if (!*first) out->push_back(',');
  *first = false;
  AppendCanonicalString(key, out);
  out->push_back(':');
}

// Canonical JSON of the redacted content, written without copying.
void AppendRedactedContent(std::string_view type, const Json& content,
                           const RedactionRules& rules, std::string* out) {
  out->push_back('{');
  bool first = true;
  if (content.is_object()) {
    for (const auto& [key, value] : content.as_object()) {
      switch (internal::RedactionContentKey(type, key, rules)) {
        case internal::ContentKeep::kDrop:
          break;
        case internal::ContentKeep::kKeep:
          AppendKey(key, &first, out);
          AppendCanonicalJson(value, out);
          break;
        case internal::ContentKeep::kKeepSignedOnly:
          if (value.is_object()) {
            AppendKey(key, &first, out);
            out->push_back('{');
            if (const Json* signed_block = value.Find("signed")) {
              out->append("\"signed\":");
              AppendCanonicalJson(*signed_block, out);
            }
            out->push_back('}');
          }
          break;
      }
    }
  }
  out->push_back('}');
}

}  // namespace

namespace internal {

std::string ContentHashBytes(const Json& event) {
  // s2s "Calculating the content hash for an event": remove unsigned,
  // signatures and hashes, then canonical JSON.
  std::string bytes;
  bytes.reserve(1024);
  if (!event.is_object()) {
    AppendCanonicalJson(event, &bytes);
    return bytes;
  }
  bytes.push_back('{');
  bool first = true;
  for (const auto& [key, value] : event.as_object()) {
    if (key == "unsigned" || key == "signatures" || key == "hashes") continue;
    AppendKey(key, &first, &bytes);
    AppendCanonicalJson(value, &bytes);
  }
  bytes.push_back('}');
  return bytes;
}

void ContentAndSigningBytes(const Json& event, const RoomVersionRules& rules,
                            std::string* content_bytes, std::string* signing_bytes) {
  const std::string* type = event.FindString("type");
  std::string_view type_name = type ? std::string_view(*type) : std::string_view();
  content_bytes->clear();
  signing_bytes->clear();
  content_bytes->reserve(1024);
  signing_bytes->reserve(1024);
  content_bytes->push_back('{');
  signing_bytes->push_back('{');
  bool content_first = true, signing_first = true;
  for (const auto& [key, value] : event.as_object()) {
    bool in_content = key != "unsigned" && key != "signatures" && key != "hashes";
    bool in_signing = key != "unsigned" && key != "signatures" &&
                      RedactionKeepsTopLevelKey(key, rules.redaction);
    if (in_content) {
      // The member starts after the separating comma, if any.
      size_t start = content_bytes->size() + (content_first ? 0 : 1);
      AppendKey(key, &content_first, content_bytes);
      AppendCanonicalJson(value, content_bytes);
      if (in_signing && key != "content") {
        if (!signing_first) signing_bytes->push_back(',');
        signing_first = false;
        signing_bytes->append(*content_bytes, start, std::string::npos);
        continue;
      }
    }
    if (!in_signing) continue;
    AppendKey(key, &signing_first, signing_bytes);
    if (key == "content") {
      AppendRedactedContent(type_name, value, rules.redaction, signing_bytes);
    } else {
      AppendCanonicalJson(value, signing_bytes);
    }
  }
  content_bytes->push_back('}');
  signing_bytes->push_back('}');
}

}  // namespace internal

Sha256Digest ContentHash(const Json& event) {
  return Sha256(internal::ContentHashBytes(event));
}

std::string ContentHashBase64(const Json& event) {
  return EncodeBase64(ContentHash(event), Base64Alphabet::kStandard);
}

std::string RedactedSigningBytes(const Json& event, const RoomVersionRules& rules) {
  // s2s "Calculating the reference hash": redact, then remove signatures
  // and unsigned. Appendices "Signing JSON" signs the same bytes.
  std::string bytes;
  bytes.reserve(1024);
  if (!event.is_object()) {
    AppendCanonicalJson(event, &bytes);
    return bytes;
  }
  const std::string* type = event.FindString("type");
  std::string_view type_name = type ? std::string_view(*type) : std::string_view();
  bytes.push_back('{');
  bool first = true;
  for (const auto& [key, value] : event.as_object()) {
    if (key == "signatures" || key == "unsigned") continue;
    if (!internal::RedactionKeepsTopLevelKey(key, rules.redaction)) continue;
    AppendKey(key, &first, &bytes);
    if (key == "content") {
      AppendRedactedContent(type_name, value, rules.redaction, &bytes);
    } else {
      AppendCanonicalJson(value, &bytes);
    }
  }
  bytes.push_back('}');
  return bytes;
}

Sha256Digest ReferenceHash(const Json& event, const RoomVersionRules& rules) {
  return Sha256(RedactedSigningBytes(event, rules));
}

std::string EventIdFromReferenceHash(const Sha256Digest& hash, const RoomVersionRules& rules) {
  // rooms/v3 "Event IDs" (standard alphabet); rooms/v4 onwards URL-safe.
  Base64Alphabet alphabet = rules.event_id_format == EventIdFormat::kBase64Standard
                                ? Base64Alphabet::kStandard
                                : Base64Alphabet::kUrlSafe;
  return "$" + EncodeBase64(hash, alphabet);
}

Result<std::string> EventId(const Json& event, const RoomVersionRules& rules) {
  if (rules.event_id_format == EventIdFormat::kServerChosen) {
    // rooms/v1 "Event IDs": chosen by the origin server, carried in the PDU.
    if (const std::string* id = event.FindString("event_id")) return *id;
    return Fail("event.missing_field", "rooms/v1: event IDs",
                "room version " + std::string(rules.id) +
                    " events carry their ID in `event_id`, which is missing");
  }
  return EventIdFromReferenceHash(ReferenceHash(event, rules), rules);
}

std::string DeclaredOrComputedEventId(const Json& event, const RoomVersionRules& rules) {
  if (const std::string* id = event.FindString("event_id")) return *id;
  if (rules.event_id_format == EventIdFormat::kServerChosen) return std::string();
  return EventIdFromReferenceHash(ReferenceHash(event, rules), rules);
}

Result<std::string> RoomIdFromCreateEvent(const Json& create_event,
                                          const RoomVersionRules& rules) {
  if (rules.room_id_format != RoomIdFormat::kCreateEventHash) {
    return Fail("room_version.no_hashed_room_id", "rooms/v12: room IDs",
                "room version " + std::string(rules.id) +
                    " room IDs are chosen by the server, not derived from the create event");
  }
  // rooms/v12 (MSC4291): `!` + the create event's ID without its `$`.
  std::string event_id = EventIdFromReferenceHash(ReferenceHash(create_event, rules), rules);
  return "!" + event_id.substr(1);
}

}  // namespace mxstate

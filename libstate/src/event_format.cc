// PDU format checks (s2s "Checks performed on receipt of a PDU" step 1;
// data/api/server-server/definitions/pdu_v1..pdu_v12.yaml; client-server
// "Size limits"; appendices "Identifier Grammar").
#include "mxstate/event_format.h"

#include "mxstate/canonical_json.h"
#include "event_internal.h"

namespace mxstate {
namespace {

constexpr const char* kRuleSchema = "s2s: PDU format (pdu_v*.yaml)";
constexpr const char* kRuleSize = "client-server: size limits";

std::string Version(const RoomVersionRules& rules) {
  return "room version " + std::string(rules.id);
}

bool IsServerName(std::string_view name) {
  // appendices "Server Name": hostname [":" port]; hostname is an IPv4
  // literal, "[" IPv6 "]" or a DNS name of [A-Za-z0-9.-].
  if (name.empty()) return false;
  std::string_view host = name;
  std::string_view port;
  if (name.front() == '[') {
    size_t close = name.find(']');
    if (close == std::string_view::npos || close < 2) return false;
    for (char c : name.substr(1, close - 1)) {
      bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') ||
                c == ':' || c == '.';
      if (!ok) return false;
    }
    std::string_view rest = name.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return false;
      port = rest.substr(1);
      if (port.empty()) return false;
    }
    host = {};
  } else {
    size_t colon = name.find(':');
    if (colon != std::string_view::npos) {
      host = name.substr(0, colon);
      port = name.substr(colon + 1);
      if (port.empty()) return false;
    }
    if (host.empty() || host.size() > 255) return false;
    for (char c : host) {
      bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '.' || c == '-';
      if (!ok) return false;
    }
  }
  if (port.size() > 5) return false;
  for (char c : port) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

const char* TypeName(Json::Kind kind) {
  switch (kind) {
    case Json::Kind::kNull: return "null";
    case Json::Kind::kBool: return "boolean";
    case Json::Kind::kInteger: return "integer";
    case Json::Kind::kNumber: return "number";
    case Json::Kind::kString: return "string";
    case Json::Kind::kArray: return "array";
    case Json::Kind::kObject: return "object";
  }
  return "?";
}

// Checks that `event[field]` exists (when required) and has `kind`.
Result<const Json*> Field(const Json& event, std::string_view field, Json::Kind kind,
                          bool required, const RoomVersionRules& rules) {
  const Json* value = event.Find(field);
  if (value == nullptr) {
    if (!required) return nullptr;
    return Fail("event.missing_field", kRuleSchema,
                "required field `" + std::string(field) + "` is missing (" + Version(rules) + ")");
  }
  if (value->kind() != kind) {
    return Fail("event.bad_type", kRuleSchema,
                "field `" + std::string(field) + "` must be " + TypeName(kind) + ", not " +
                    TypeName(value->kind()));
  }
  return value;
}

Result<void> CheckIdentifierLength(std::string_view field, const std::string& value) {
  if (value.size() > kMaxIdentifierBytes) {
    return Fail("event.id_too_long", kRuleSize,
                "`" + std::string(field) + "` is " + std::to_string(value.size()) +
                    " bytes; the limit is 255");
  }
  return {};
}

Result<void> CheckEventReferences(const Json& list, std::string_view field, size_t limit,
                                  const char* too_many_code, const RoomVersionRules& rules) {
  const Json::Array& items = list.as_array();
  if (items.size() > limit) {
    return Fail(too_many_code, kRuleSchema,
                "`" + std::string(field) + "` has " + std::to_string(items.size()) +
                    " entries; at most " + std::to_string(limit) + " are allowed");
  }
  for (const Json& item : items) {
    const Json* id = &item;
    if (rules.event_refs_with_hashes) {
      // pdu_v1: [event_id, {"sha256": hash}] pairs.
      if (!item.is_array() || item.size() != 2 || !item.as_array()[0].is_string() ||
          !item.as_array()[1].is_object()) {
        return Fail("event.bad_type", kRuleSchema,
                    "`" + std::string(field) + "` entries must be [event_id, {\"sha256\": ...}] in " +
                        Version(rules));
      }
      id = &item.as_array()[0];
    } else if (!item.is_string()) {
      return Fail("event.bad_type", kRuleSchema,
                  "`" + std::string(field) + "` entries must be event ID strings in " +
                      Version(rules));
    }
    const std::string& text = id->as_string();
    if (text.empty() || text.front() != '$') {
      return Fail("event.bad_reference", "appendices: event IDs",
                  "`" + std::string(field) + "` entry '" + text + "' is not an event ID");
    }
    if (auto r = CheckIdentifierLength(field, text); !r) return r;
  }
  return {};
}

}  // namespace

std::string_view ServerNameOf(std::string_view id) {
  size_t colon = id.find(':');
  return colon == std::string_view::npos ? std::string_view() : id.substr(colon + 1);
}

bool IsValidUserId(std::string_view id) {
  // appendices "User Identifiers": `@localpart:server_name`; historical
  // localparts may hold any code point but ':' and NUL, "including ... the
  // empty string" (servers "must still accept events using such user IDs").
  if (id.size() < 3 || id.front() != '@') return false;
  size_t colon = id.find(':');
  if (colon == std::string_view::npos) return false;
  for (char c : id.substr(1, colon - 1)) {
    if (c == '\0') return false;
  }
  return IsServerName(id.substr(colon + 1));
}

namespace internal {

Result<void> CheckPduShape(const Json& event, const RoomVersionRules& rules) {
  if (!event.is_object()) {
    return Fail("event.not_object", kRuleSchema, "an event must be a JSON object");
  }
  // Numbers must satisfy the version's canonical JSON (rooms/v6: enforced).
  if (auto r = CheckNumbers(event, rules.canonical_json); !r) return r;

  auto type = Field(event, "type", Json::Kind::kString, true, rules);
  if (!type) return tl::unexpected(type.error());
  bool is_create = (*type)->as_string() == "m.room.create";

  auto sender = Field(event, "sender", Json::Kind::kString, true, rules);
  if (!sender) return tl::unexpected(sender.error());
  if (!IsValidUserId((*sender)->as_string())) {
    return Fail("event.bad_identifier", "appendices: user identifiers",
                "`sender` '" + (*sender)->as_string() + "' is not a user ID");
  }
  for (auto [name, kind] : {std::pair{"origin_server_ts", Json::Kind::kInteger},
                            std::pair{"content", Json::Kind::kObject},
                            std::pair{"depth", Json::Kind::kInteger},
                            std::pair{"hashes", Json::Kind::kObject},
                            std::pair{"signatures", Json::Kind::kObject},
                            std::pair{"auth_events", Json::Kind::kArray},
                            std::pair{"prev_events", Json::Kind::kArray}}) {
    if (auto f = Field(event, name, kind, true, rules); !f) return tl::unexpected(f.error());
  }
  // Optional fields with a type in the PDU schemas. `origin` has none: it
  // left the schemas in spec v1.3, so any value is only an extra key.
  // `redacts` is a string where the PDU has it at top level (pdu_v1 to
  // pdu_v6, room versions 1-10); from v11 it lives in content and a
  // top-level one is an extra key. unsigned.age is typed in pdu_base but
  // not checked: unsigned is not signed and a receiver replaces it.
  for (auto [name, kind] : {std::pair{"state_key", Json::Kind::kString},
                            std::pair{"unsigned", Json::Kind::kObject}}) {
    if (auto f = Field(event, name, kind, false, rules); !f) return tl::unexpected(f.error());
  }
  if (!rules.redacts_in_content) {
    if (auto f = Field(event, "redacts", Json::Kind::kString, false, rules); !f) {
      return tl::unexpected(f.error());
    }
  }

  // event_id: carried only by v1-2 PDUs (rooms/v3: "no event_id").
  if (rules.event_id_in_pdu) {
    auto id = Field(event, "event_id", Json::Kind::kString, true, rules);
    if (!id) return tl::unexpected(id.error());
    const std::string& text = (*id)->as_string();
    if (text.size() < 2 || text.front() != '$' || ServerNameOf(text).empty()) {
      return Fail("event.bad_identifier", "rooms/v1: event IDs",
                  "`event_id` '" + text + "' is not of the form $opaque:domain");
    }
  } else if (event.Contains("event_id")) {
    return Fail("event.unexpected_event_id", "rooms/v3: event IDs",
                Version(rules) + " PDUs must not carry `event_id`; it is computed from the "
                                 "reference hash");
  }

  // room_id: v12 create events have none (rooms/v12 event format, MSC4291).
  const Json* room_id = event.Find("room_id");
  if (rules.room_id_format == RoomIdFormat::kCreateEventHash && is_create) {
    if (room_id != nullptr) {
      return Fail("event.create_has_room_id", "rooms/v12: event format",
                  "a room version 12 create event must not have `room_id`");
    }
  } else {
    auto r = Field(event, "room_id", Json::Kind::kString, true, rules);
    if (!r) return tl::unexpected(r.error());
    const std::string& text = (*r)->as_string();
    if (text.size() < 2 || text.front() != '!') {
      return Fail("event.bad_identifier", "appendices: room IDs",
                  "`room_id` '" + text + "' is not a room ID");
    }
  }

  // hashes: {"sha256": base64} (event_hash.yaml).
  if (!event.Find("hashes")->FindString("sha256")) {
    return Fail("event.missing_field", kRuleSchema, "`hashes.sha256` must be a string");
  }
  for (const auto& [server, keys] : event.Find("signatures")->as_object()) {
    if (!keys.is_object()) {
      return Fail("event.bad_type", kRuleSchema, "`signatures." + server + "` must be an object");
    }
    for (const auto& [key_id, signature] : keys.as_object()) {
      if (!signature.is_string()) {
        return Fail("event.bad_type", kRuleSchema,
                    "`signatures." + server + "." + key_id + "` must be a string");
      }
    }
  }

  int64_t depth = event.Find("depth")->as_integer();
  // pdu_v1 and depth_v6.yaml: "less than" 2^63-1 (v1-5) or 2^53-1 (v6+),
  // but "if the room's depth is already at the limit, the depth must be
  // set to the limit": so the limit itself is allowed, in every version.
  // A negative depth is never the "maximum depth of prev_events plus one".
  if (depth < 0 || depth > rules.max_depth) {
    return Fail("event.bad_depth", kRuleSchema,
                "`depth` " + std::to_string(depth) + " is outside the allowed range");
  }

  if (auto r = CheckEventReferences(*event.Find("auth_events"), "auth_events", kMaxAuthEvents,
                                    "event.too_many_auth_events", rules);
      !r) {
    return r;
  }
  if (auto r = CheckEventReferences(*event.Find("prev_events"), "prev_events", kMaxPrevEvents,
                                    "event.too_many_prev_events", rules);
      !r) {
    return r;
  }

  // 255-byte identifier limits (client-server "Size limits").
  for (std::string_view field : {"sender", "room_id", "event_id", "type", "state_key"}) {
    if (const std::string* value = event.FindString(field)) {
      if (auto r = CheckIdentifierLength(field, *value); !r) return r;
    }
  }

  return {};
}

Result<void> CheckPduSize(size_t size) {
  if (size > kMaxPduBytes) {
    return Fail("event.too_large", kRuleSize,
                "the event is " + std::to_string(size) +
                    " bytes of canonical JSON; the limit is 65536");
  }
  return {};
}

}  // namespace internal

Result<void> CheckPduFormat(const Json& event, const RoomVersionRules& rules) {
  if (auto r = internal::CheckPduShape(event, rules); !r) return r;
  // The whole PDU, signatures included, as canonical JSON.
  return internal::CheckPduSize(CanonicalJsonSize(event));
}

}  // namespace mxstate

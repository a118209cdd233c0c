// Redaction (rooms/fragments/v1-redactions.md, v6-redactions.md, rooms/v8.md,
// v9-redactions.md, v11-redactions.md), driven by RedactionRules.
#include "mxstate/redaction.h"

#include "redaction_rules.h"

namespace mxstate {
namespace internal {

bool RedactionKeepsTopLevelKey(std::string_view key, const RedactionRules& rules) {
  // Keys every version keeps (v1 and v11 lists).
  static constexpr std::string_view kAlways[] = {
      "auth_events", "content", "depth",     "event_id",  "hashes", "origin_server_ts",
      "prev_events", "room_id", "sender",    "signatures", "state_key", "type"};
  for (std::string_view k : kAlways) {
    if (k == key) return true;
  }
  // v1-10 also keep these; v11 drops them (MSC2176, MSC3989).
  if (rules.keep_origin_membership_prev_state) {
    return key == "membership" || key == "origin" || key == "prev_state";
  }
  return false;
}

ContentKeep RedactionContentKey(std::string_view type, std::string_view key,
                                const RedactionRules& rules) {
  auto keep = [](bool b) { return b ? ContentKeep::kKeep : ContentKeep::kDrop; };
  if (type == "m.room.member") {
    if (key == "membership") return ContentKeep::kKeep;
    if (key == "join_authorised_via_users_server") return keep(rules.keep_join_authorised_via);
    if (key == "third_party_invite" && rules.keep_third_party_signed) {
      return ContentKeep::kKeepSignedOnly;
    }
    return ContentKeep::kDrop;
  }
  if (type == "m.room.create") {
    return keep(rules.keep_all_create_content || key == "creator");
  }
  if (type == "m.room.join_rules") {
    return keep(key == "join_rule" || (key == "allow" && rules.keep_join_rules_allow));
  }
  if (type == "m.room.power_levels") {
    return keep(key == "ban" || key == "events" || key == "events_default" ||
                key == "kick" || key == "redact" || key == "state_default" ||
                key == "users" || key == "users_default" ||
                (key == "invite" && rules.keep_power_levels_invite));
  }
  if (type == "m.room.aliases") return keep(rules.keep_aliases && key == "aliases");
  if (type == "m.room.history_visibility") return keep(key == "history_visibility");
  if (type == "m.room.redaction") return keep(rules.keep_redaction_redacts && key == "redacts");
  return ContentKeep::kDrop;
}

}  // namespace internal

namespace {

Json RedactContent(std::string_view type, const Json& content, const RedactionRules& rules) {
  Json out = Json::EmptyObject();
  if (!content.is_object()) return out;
  for (const auto& [key, value] : content.as_object()) {
    switch (internal::RedactionContentKey(type, key, rules)) {
      case internal::ContentKeep::kDrop:
        break;
      case internal::ContentKeep::kKeep:
        out.mutable_object().emplace_back(key, value);  // sorted input stays sorted
        break;
      case internal::ContentKeep::kKeepSignedOnly:
        // v11 redaction: keep only third_party_invite.signed (a non-object
        // third_party_invite has no `signed` and is dropped).
        if (value.is_object()) {
          Json reduced = Json::EmptyObject();
          if (const Json* signed_block = value.Find("signed")) reduced.Set("signed", *signed_block);
          out.mutable_object().emplace_back(key, std::move(reduced));
        }
        break;
    }
  }
  return out;
}

}  // namespace

Json Redact(const Json& event, const RoomVersionRules& rules) {
  if (!event.is_object()) return event;
  const std::string* type = event.FindString("type");
  std::string_view type_name = type ? std::string_view(*type) : std::string_view();
  Json out = Json::EmptyObject();
  Json::Object& members = out.mutable_object();
  for (const auto& [key, value] : event.as_object()) {
    if (!internal::RedactionKeepsTopLevelKey(key, rules.redaction)) continue;
    if (key == "content") {
      members.emplace_back(key, RedactContent(type_name, value, rules.redaction));
    } else {
      members.emplace_back(key, value);
    }
  }
  return out;
}

}  // namespace mxstate

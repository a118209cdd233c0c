// m.room.power_levels values (client-server m.room.power_levels schema;
// rooms/fragments/v1-stringy-power-levels.md, v1-floaty-power-levels.md;
// rooms/v10 auth rules 9.1-9.3).
#include "power_levels.h"

#include <algorithm>
#include <cmath>

#include "mxstate/canonical_json.h"
#include "mxstate/event_format.h"

namespace mxstate::internal {
namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// rooms/v1: "a single base 10 integer ... optionally with any number of
// leading zeroes", "optionally prefixed with a single - or +", "optionally
// with any number of leading or trailing whitespace characters".
std::optional<int64_t> ParseIntegerString(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  bool negative = false;
  if (!s.empty() && (s.front() == '+' || s.front() == '-')) {
    negative = s.front() == '-';
    s.remove_prefix(1);
  }
  if (s.empty()) return std::nullopt;
  int64_t value = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    // The text sets no size limit: beyond int64, saturate (kSaturatedPower).
    if (value > (kSaturatedPower - (c - '0')) / 10) {
      value = kSaturatedPower;
    } else {
      value = value * 10 + (c - '0');
    }
  }
  return negative ? -value : value;
}

// What a readable value is, for error messages.
std::string ExpectedValue(const RoomVersionRules& rules) {
  std::string what = rules.canonical_json == NumberPolicy::kStrict
                         ? "an integer within +-(2^53-1)"
                         : "an integer";
  if (rules.auth.string_power_levels) what += " or an integer string";
  return what;
}

// Checks an object of power levels ("events", "notifications", "users").
bool ValidLevelMap(const Json& object, const RoomVersionRules& rules, bool keys_are_users,
                   std::string* problem) {
  if (!object.is_object()) {
    *problem = "is not an object";
    return false;
  }
  for (const auto& [key, value] : object.as_object()) {
    if (keys_are_users && !IsValidUserId(key)) {
      *problem = "has key '" + key + "', which is not a valid user ID";
      return false;
    }
    if (!ParsePowerLevelValue(value, rules)) {
      *problem = "has a value for '" + key + "' that is not " +
                 ExpectedValue(rules);
      return false;
    }
  }
  return true;
}

}  // namespace

std::optional<int64_t> ParsePowerLevelValue(const Json& value, const RoomVersionRules& rules) {
  if (value.is_integer()) {
    // v6+ canonical JSON: integers lie within +-(2^53-1). An event beyond
    // it fails the format checks; a caller that skipped them must still
    // not see, say, 2^63-1, which the rules read as a v12 creator's
    // infinite power.
    const int64_t v = value.as_integer();
    if (rules.canonical_json == NumberPolicy::kStrict &&
        (v > kMaxCanonicalInteger || v < -kMaxCanonicalInteger)) {
      return std::nullopt;
    }
    return v;
  }
  if (value.is_string() && rules.auth.string_power_levels) {
    return ParseIntegerString(value.as_string());
  }
  if (value.kind() == Json::Kind::kNumber && rules.auth.float_power_levels) {
    // rooms/v1 floaty power levels: apply the exponent, truncate at the
    // decimal point; only values outside a double's range reject the event
    // (the parser refuses those, and Infinity and NaN are not JSON), so a
    // value beyond int64 saturates (kSaturatedPower).
    double d = value.as_number().value;
    if (!std::isfinite(d)) return std::nullopt;
    double truncated = std::trunc(d);
    if (truncated >= 0x1p63) return kSaturatedPower;
    if (truncated <= -0x1p63) return -kSaturatedPower;
    return std::clamp(static_cast<int64_t>(truncated), -kSaturatedPower, kSaturatedPower);
  }
  return std::nullopt;
}

std::optional<int64_t> PowerLevels::Top(std::string_view key) const {
  const Json* value = content_ ? content_->Find(key) : nullptr;
  if (value == nullptr) return std::nullopt;
  return Value(*value);
}

int64_t PowerLevels::Get(std::string_view key) const {
  if (auto v = Top(key)) return *v;
  if (key == "kick" || key == "ban" || key == "redact" || key == "state_default") return 50;
  return 0;
}

const Json* PowerLevels::Map(std::string_view map) const {
  const Json* object = content_ ? content_->Find(map) : nullptr;
  return object != nullptr && object->is_object() ? object : nullptr;
}

std::optional<int64_t> PowerLevels::Entry(std::string_view map, std::string_view key) const {
  const Json* object = Map(map);
  const Json* value = object ? object->Find(key) : nullptr;
  if (value == nullptr) return std::nullopt;
  return Value(*value);
}

Result<void> ValidatePowerLevels(const Json& content, const RoomVersionRules& rules,
                                 const std::string& rule_prefix) {
  const bool v10 = rules.auth.integer_power_levels;
  // v10 rule 9.1 (v12 10.1): the seven properties must be integers. Before
  // v10 the text only checks `users`, but a value that is no integer in
  // any accepted encoding cannot be compared either; refusing it is what
  // Synapse does (int() raises), so it is refused here too.
  for (const char* key : kPowerLevelKeys) {
    const Json* value = content.Find(key);
    if (value != nullptr && !ParsePowerLevelValue(*value, rules)) {
      return Fail("auth.power_levels.bad_value", rule_prefix + ".1",
                  std::string("`") + key + "` is not " +
                      ExpectedValue(rules));
    }
  }
  std::string problem;
  // v10 rule 9.2: `events` and `notifications` objects of integers.
  for (const char* key : {"events", "notifications"}) {
    const Json* value = content.Find(key);
    if (value != nullptr && !ValidLevelMap(*value, rules, false, &problem)) {
      return Fail("auth.power_levels.bad_value", rule_prefix + (v10 ? ".2" : ".1"),
                  std::string("`") + key + "` " + problem);
    }
  }
  // v1 rule 10.1 / v10 rule 9.3: `users` maps valid user IDs to integers.
  // An absent `users` is accepted (no user has an explicit level), as in
  // Synapse and gomatrixserverlib.
  if (const Json* users = content.Find("users")) {
    if (!ValidLevelMap(*users, rules, true, &problem)) {
      return Fail("auth.power_levels.bad_value", rule_prefix + (v10 ? ".3" : ".1"),
                  "`users` " + problem);
    }
  }
  return {};
}

}  // namespace mxstate::internal

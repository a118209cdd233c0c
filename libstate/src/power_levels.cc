// m.room.power_levels values (client-server m.room.power_levels schema;
// rooms/fragments/v1-stringy-power-levels.md, v1-floaty-power-levels.md;
// rooms/v10 auth rules 9.1-9.3).
#include "power_levels.h"

#include <cmath>

#include "mxstate/event_format.h"

namespace mxstate::internal {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

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
    if (value > (INT64_MAX - (c - '0')) / 10) return std::nullopt;  // beyond int64
    value = value * 10 + (c - '0');
  }
  return negative ? -value : value;
}

}  // namespace

int64_t PowerLevels::Get(std::string_view key) const {
  if (auto it = top.find(key); it != top.end()) return it->second;
  // Defaults: "Definitions" (invite 0, kick/ban/redact 50) and the
  // m.room.power_levels schema (state_default 50, events_default and
  // users_default 0), which hold with or without a power levels event.
  if (key == "kick" || key == "ban" || key == "redact" || key == "state_default") return 50;
  return 0;
}

std::optional<int64_t> ParsePowerLevelValue(const Json& value, const RoomVersionRules& rules) {
  if (value.is_integer()) return value.as_integer();
  if (value.is_string() && rules.auth.string_power_levels) {
    return ParseIntegerString(value.as_string());
  }
  if (value.kind() == Json::Kind::kNumber && rules.auth.float_power_levels) {
    // rooms/v1 floaty power levels: apply the exponent, truncate at the
    // decimal point; values outside a double's range reject the event.
    double d = value.as_number().value;
    if (!std::isfinite(d)) return std::nullopt;
    double truncated = std::trunc(d);
    if (truncated >= 9.2e18 || truncated <= -9.2e18) return std::nullopt;
    return static_cast<int64_t>(truncated);
  }
  return std::nullopt;
}

namespace {

// Parses an object of power levels ("events", "notifications", "users").
bool ParseLevelMap(const Json& object, const RoomVersionRules& rules, bool keys_are_users,
                   std::map<std::string, int64_t, std::less<>>* out, std::string* problem) {
  if (!object.is_object()) {
    *problem = "is not an object";
    return false;
  }
  for (const auto& [key, value] : object.as_object()) {
    if (keys_are_users && !IsValidUserId(key)) {
      *problem = "has key '" + key + "', which is not a valid user ID";
      return false;
    }
    auto level = ParsePowerLevelValue(value, rules);
    if (!level) {
      *problem = "has a value for '" + key + "' that is not " +
                 (rules.auth.string_power_levels ? "an integer or an integer string"
                                                 : "an integer");
      return false;
    }
    (*out)[key] = *level;
  }
  return true;
}

}  // namespace

Result<PowerLevels> ParsePowerLevels(const Json& content, const RoomVersionRules& rules,
                                     const std::string& rule_prefix) {
  PowerLevels levels;
  // v10 rule 9.1 (v12 10.1): the seven properties must be integers. Before
  // v10 the text only checks `users`, but a value that is no integer in
  // any accepted encoding cannot be compared either; refusing it is what
  // Synapse does (int() raises), so it is refused here too.
  for (const char* key : kPowerLevelKeys) {
    const Json* value = content.Find(key);
    if (value == nullptr) continue;
    auto level = ParsePowerLevelValue(*value, rules);
    if (!level) {
      return Fail("auth.power_levels.bad_value",
                  rule_prefix + (rules.auth.integer_power_levels ? ".1" : ".1"),
                  std::string("`") + key + "` is not " +
                      (rules.auth.string_power_levels ? "an integer or an integer string"
                                                      : "an integer"));
    }
    levels.top[key] = *level;
  }
  std::string problem;
  // v10 rule 9.2: `events` and `notifications` objects of integers.
  for (auto [key, target] : {std::pair{"events", &levels.events},
                             std::pair{"notifications", &levels.notifications}}) {
    const Json* value = content.Find(key);
    if (value == nullptr) continue;
    if (!ParseLevelMap(*value, rules, false, target, &problem)) {
      return Fail("auth.power_levels.bad_value",
                  rule_prefix + (rules.auth.integer_power_levels ? ".2" : ".1"),
                  std::string("`") + key + "` " + problem);
    }
  }
  // v1 rule 10.1 / v10 rule 9.3: `users` maps valid user IDs to integers.
  // An absent `users` is accepted (no user has an explicit level), as in
  // Synapse and gomatrixserverlib.
  if (const Json* users = content.Find("users")) {
    if (!ParseLevelMap(*users, rules, true, &levels.users, &problem)) {
      return Fail("auth.power_levels.bad_value",
                  rule_prefix + (rules.auth.integer_power_levels ? ".3" : ".1"),
                  "`users` " + problem);
    }
  }
  return levels;
}

PowerLevels ReadPowerLevels(const Json* content, const RoomVersionRules& rules) {
  PowerLevels levels;
  if (content == nullptr || !content->is_object()) return levels;
  for (const char* key : kPowerLevelKeys) {
    if (const Json* value = content->Find(key)) {
      if (auto level = ParsePowerLevelValue(*value, rules)) levels.top[key] = *level;
    }
  }
  for (auto [key, target] : {std::pair{"events", &levels.events},
                             std::pair{"notifications", &levels.notifications},
                             std::pair{"users", &levels.users}}) {
    const Json* object = content->Find(key);
    if (object == nullptr || !object->is_object()) continue;
    for (const auto& [k, v] : object->as_object()) {
      if (auto level = ParsePowerLevelValue(v, rules)) (*target)[k] = *level;
    }
  }
  return levels;
}

}  // namespace mxstate::internal

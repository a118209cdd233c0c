// Internal: reading m.room.power_levels content under a room version's
// value rules (integers; v1-9 integer strings; v1-5 floats, truncated).
//
// PowerLevels is a view over the event's content: values are parsed when
// asked for, so checking an event against the state allocates nothing.
#ifndef MXSTATE_SRC_POWER_LEVELS_H_
#define MXSTATE_SRC_POWER_LEVELS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "mxstate/json.h"
#include "mxstate/room_version.h"
#include "mxstate/status.h"

namespace mxstate::internal {

// The seven top-level integer properties, in the spec's order.
inline constexpr const char* kPowerLevelKeys[] = {
    "users_default", "events_default", "state_default", "ban", "redact", "kick", "invite"};

// Where values beyond int64 saturate (v1-9 integer strings, v1-5 floats
// and big literals, whose texts set no bound but a double's range). One
// below INT64_MAX, which stands for a v12 creator's infinite power; two
// such values compare equal, which only matters beyond +-9.2e18.
inline constexpr int64_t kSaturatedPower = INT64_MAX - 1;

// One power-level value under `rules`: a JSON integer; from v1-9 also a
// string holding an integer (rooms/v1 "accept values as strings"); from
// v1-5 also a float, truncated (rooms/v1 "accept values as floats").
std::optional<int64_t> ParsePowerLevelValue(const Json& value, const RoomVersionRules& rules);

class PowerLevels {
 public:
  // No power levels event: every value is its default.
  explicit PowerLevels(const RoomVersionRules& rules) : rules_(&rules) {}
  PowerLevels(const Json* content, const RoomVersionRules& rules)
      : content_(content != nullptr && content->is_object() ? content : nullptr), rules_(&rules) {}

  // A top-level property with its default ("Definitions": invite 0,
  // kick/ban/redact 50; schema: state_default 50, events_default and
  // users_default 0, with or without a power levels event).
  int64_t Get(std::string_view key) const;
  // A top-level property only when present and readable.
  std::optional<int64_t> Top(std::string_view key) const;
  // An entry of `users`, `events` or `notifications` when present and readable.
  std::optional<int64_t> Entry(std::string_view map, std::string_view key) const;
  // The `users`, `events` or `notifications` object, or nullptr.
  const Json* Map(std::string_view map) const;
  std::optional<int64_t> Value(const Json& v) const { return ParsePowerLevelValue(v, *rules_); }

 private:
  const Json* content_ = nullptr;
  const RoomVersionRules* rules_;
};

// Validates content for a new m.room.power_levels event: the type rules of
// the version (v10+ rules 9.1-9.3, earlier rule 10.1 plus every value being
// readable). Error auth.power_levels.bad_value, with `rule` naming the
// version's rule (`rule_prefix` is e.g. "v10 auth rule 9").
Result<void> ValidatePowerLevels(const Json& content, const RoomVersionRules& rules,
                                 const std::string& rule_prefix);

}  // namespace mxstate::internal

#endif  // MXSTATE_SRC_POWER_LEVELS_H_

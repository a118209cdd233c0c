// Internal: reading m.room.power_levels content under a room version's
// value rules (integers; v1-9 integer strings; v1-5 floats, truncated).
#ifndef MXSTATE_SRC_POWER_LEVELS_H_
#define MXSTATE_SRC_POWER_LEVELS_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "mxstate/json.h"
#include "mxstate/room_version.h"
#include "mxstate/status.h"

namespace mxstate::internal {

// The seven top-level integer properties, in the spec's order.
inline constexpr const char* kPowerLevelKeys[] = {
    "users_default", "events_default", "state_default", "ban", "redact", "kick", "invite"};

// Parsed content. Absent properties are absent here too; defaults are
// applied by the accessors ("Definitions"; m.room.power_levels schema).
struct PowerLevels {
  std::map<std::string, int64_t, std::less<>> top;   // the seven keys above
  std::map<std::string, int64_t, std::less<>> events;
  std::map<std::string, int64_t, std::less<>> notifications;
  std::map<std::string, int64_t, std::less<>> users;

  int64_t Get(std::string_view key) const;  // with the schema default
};

// One power-level value under `rules`: a JSON integer; from v1-9 also a
// string holding an integer (rooms/v1 "accept values as strings"); from
// v1-5 also a float, truncated (rooms/v1 "accept values as floats").
std::optional<int64_t> ParsePowerLevelValue(const Json& value, const RoomVersionRules& rules);

// Parses and validates content for a new m.room.power_levels event: the
// type rules of the version (v10+ rules 9.1-9.3, earlier rule 10.1 plus
// every value being readable). Error auth.power_levels.bad_value, with
// `rule` naming the version's rule.
Result<PowerLevels> ParsePowerLevels(const Json& content, const RoomVersionRules& rules,
                                     const std::string& rule_prefix);

// Reads content already in the state, skipping unreadable values (they
// cannot be there if the event passed the rules above).
PowerLevels ReadPowerLevels(const Json* content, const RoomVersionRules& rules);

}  // namespace mxstate::internal

#endif  // MXSTATE_SRC_POWER_LEVELS_H_

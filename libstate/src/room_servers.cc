// ServersInRoom (room_servers.h). Features are read from the table's flags,
// never from version names, so a new row brings its features along.
#include "mxstate/room_servers.h"

#include <algorithm>
#include <map>

#include "mxstate/event_format.h"
#include "power_levels.h"

namespace mxstate {
namespace {

struct FeatureRow {
  const char* name;
  const char* since;
  bool (*has)(const RoomVersionRules&);
};

// The features an upgrade can newly require of every server in the room.
constexpr FeatureRow kFeatures[] = {
    {"strict canonical JSON (integers only)", "rooms/v6",
     [](const RoomVersionRules& r) { return r.canonical_json == NumberPolicy::kStrict; }},
    {"knock membership and join rule", "rooms/v7",
     [](const RoomVersionRules& r) { return r.auth.knocking; }},
    {"restricted join rule (join_authorised_via_users_server)", "rooms/v8",
     [](const RoomVersionRules& r) { return r.auth.restricted_join; }},
    {"knock_restricted join rule", "rooms/v10",
     [](const RoomVersionRules& r) { return r.auth.knock_restricted; }},
    {"power levels as JSON integers only", "rooms/v10",
     [](const RoomVersionRules& r) { return r.auth.integer_power_levels; }},
    {"creator is the create event's sender; content.redacts", "rooms/v11",
     [](const RoomVersionRules& r) { return r.auth.creator_is_sender; }},
    {"room creators with infinite power, additional_creators", "rooms/v12",
     [](const RoomVersionRules& r) { return r.auth.privileged_creators; }},
    {"room IDs from the create event's hash", "rooms/v12",
     [](const RoomVersionRules& r) { return r.room_id_format == RoomIdFormat::kCreateEventHash; }},
    {"state resolution v2.1", "rooms/v12",
     [](const RoomVersionRules& r) { return r.state_res == StateResAlgorithm::kV2_1; }},
};

void CheckCarriable(const RoomState& room, const RoomVersionRules& target, ServersReport* r) {
  const std::string_view jr = ContentString(room.Get("m.room.join_rules", "").event, "join_rule");
  const bool supported = jr.empty() || jr == "public" || jr == "invite" || jr == "private" ||
                         (jr == "knock" && target.auth.knocking) ||
                         (jr == "restricted" && target.auth.restricted_join) ||
                         (jr == "knock_restricted" && target.auth.knock_restricted);
  if (!supported) {
    r->blockers.push_back(Error{"servers.join_rule_unsupported", "rooms feature matrix",
                                "the room's join rule '" + std::string(jr) +
                                    "' does not exist in room version " +
                                    std::string(target.id)});
  }
  // A power levels event carried over must pass the target's value rules.
  const Json* pl = room.Get("m.room.power_levels", "").event;
  const Json* content = pl ? pl->Find("content") : nullptr;
  if (content != nullptr &&
      !internal::ValidatePowerLevels(*content, target, "v" + std::string(target.id) + " auth rule")) {
    r->blockers.push_back(Error{"servers.power_levels_not_carriable",
                                "rooms/v" + std::string(target.id) + " authorization rules",
                                "the current power levels are not valid in room version " +
                                    std::string(target.id) +
                                    " (for example string or float values): rewrite them when "
                                    "upgrading"});
  }
}

}  // namespace

ServersReport ServersInRoom(const RoomState& room, const RoomVersionRules* target) {
  ServersReport r;
  std::map<std::string, size_t> counts;
  for (std::string_view user : room.UsersWith("join")) {
    ++counts[std::string(ServerNameOf(user))];
    ++r.joined_total;
  }
  for (const auto& [server, n] : counts) r.servers.push_back(ServerMembers{server, n});
  std::stable_sort(r.servers.begin(), r.servers.end(),
                   [](const ServerMembers& a, const ServerMembers& b) { return a.joined > b.joined; });
  r.offline_caveat =
      "which room versions each server supports cannot be known offline: the room state does "
      "not record a server's software or version (ask each server, e.g. "
      "GET /_matrix/federation/v1/version)";
  if (target == nullptr) return r;
  r.target_version = std::string(target->id);
  const RoomVersionRules* current = room.rules();
  for (const FeatureRow& f : kFeatures) {
    if (!f.has(*target)) continue;
    r.target_features.push_back(
        VersionFeature{f.name, f.since, current != nullptr && f.has(*current)});
  }
  CheckCarriable(room, *target, &r);
  return r;
}

}  // namespace mxstate

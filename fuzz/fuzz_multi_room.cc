// Fuzzes the decisions across rooms: input is {"rooms": [[state events],
// ...], "user": "@...", "authoriser": "@...", "target": "10"}. Room states
// from untrusted events (any shapes, loops of spaces and upgrades, duplicate
// room IDs) must give decisions, never a crash or a hang; every refusal
// carries a code, and the hierarchy and chains stay within their bounds.
#include <cstdint>
#include <cstdlib>
#include <deque>
#include <string_view>
#include <vector>

#include "mxstate/canonical_json.h"
#include "mxstate/restricted_join.h"
#include "mxstate/room_servers.h"
#include "mxstate/room_upgrade.h"
#include "mxstate/spaces.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mxstate;
  if (size > 200000) return 0;
  auto doc = ParseJson(std::string_view(reinterpret_cast<const char*>(data), size),
                       ParseOptions{NumberPolicy::kLegacyPython});
  if (!doc || !doc->is_object()) return 0;
  const Json* rooms = doc->Find("rooms");
  if (rooms == nullptr || !rooms->is_array()) return 0;
  std::deque<RoomState> states;
  std::vector<NamedRoom> named;
  for (const Json& room : rooms->as_array()) {
    if (!room.is_array()) continue;
    auto state = RoomState::FromEvents(room.as_array());
    if (!state) {
      if (state.error().code.empty()) abort();
      continue;
    }
    states.push_back(std::move(*state));
  }
  for (const RoomState& s : states) named.push_back(NamedRoom{s.room_id(), &s});
  const std::string* user_field = doc->FindString("user");
  const std::string* authoriser_field = doc->FindString("authoriser");
  const std::string user = user_field ? *user_field : "@u:x";
  const std::string authoriser = authoriser_field ? *authoriser_field : "";
  const std::string* target = doc->FindString("target");
  for (const RoomState& s : states) {
    const RoomVersionRules* rules = s.rules() ? s.rules() : FindRoomVersion("10");
    RestrictedJoinQuery q{&s, named, user, authoriser};
    RestrictedJoinDecision d = DecideRestrictedJoin(q, *rules);
    if (d.verdict != RestrictedJoinVerdict::kAllowed && d.error.code.empty()) abort();
    if (d.matched && *d.matched >= d.conditions.size()) abort();
    ServersReport servers = ServersInRoom(s, target ? FindRoomVersion(*target) : nullptr);
    if (servers.joined_total < servers.servers.size()) abort();
  }
  SpaceReport spaces = AnalyseSpaces(named, {}, user);
  if (spaces.hierarchy.size() > kMaxHierarchyNodes) abort();
  for (const HierarchyNode& n : spaces.hierarchy) {
    if (n.depth >= kMaxHierarchyDepth) abort();
  }
  UpgradeChain chain = FollowUpgrades(named, "");
  if (chain.links.size() > kMaxUpgradeChain) abort();
  return 0;
}

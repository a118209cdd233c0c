// FollowUpgrades / CheckUpgradeLink (room_upgrade.h). The checks, and where
// the spec states them:
//  - the tombstone: content.replacement_room and body required, state_key ""
//    (m.room.tombstone schema); its sender had the power to send it (server
//    behaviour 1; the old room's auth rule on the required power level),
//    judged against the old room's current power levels;
//  - the new create event: predecessor.room_id names the old room, and
//    predecessor.event_id is present unless the new version lets it be
//    omitted (table: predecessor_event_id_optional; m.room.create schema),
//    its `type` copied from the old room (server behaviour 2);
//  - versions: both known to the table (an unknown one cannot be checked);
//  - members are not transferred (server behaviour 3): who must rejoin;
//  - power levels: users whose level in the new room is lower;
//  - v12 creators (rooms/v12, MSC4289): creators are not carried over
//    automatically, an admin who upgrades becomes a creator, and creators
//    may not appear in the new power levels' users.
#include "mxstate/room_upgrade.h"

#include <algorithm>
#include <set>

#include "auth_rule_numbers.h"
#include "power_levels.h"

namespace mxstate {
namespace {

constexpr const char* kUpgrades = "client-server API: room upgrades, server behaviour";
constexpr const char* kCreateSchema = "m.room.create schema: predecessor";

const Json* ContentOf(const Json* event) { return event ? event->Find("content") : nullptr; }

std::string LevelText(int64_t level) {
  return level == kInfinitePower ? "infinite (creator)" : std::to_string(level);
}

// Creators under the room's own rules: v12 sender + additional_creators;
// earlier versions, the one creator (content.creator before v11, else sender).
std::vector<std::string> CreatorsOf(const RoomState& room) {
  std::vector<std::string> out;
  const Json* create = room.create();
  const RoomVersionRules* rules = room.rules();
  if (create == nullptr || rules == nullptr) return out;
  if (!rules->auth.creator_is_sender) {
    if (auto c = ContentString(create, "creator"); !c.empty()) out.emplace_back(c);
    return out;
  }
  if (const std::string* s = create->FindString("sender")) out.push_back(*s);
  if (!rules->auth.privileged_creators) return out;
  const Json* extra = ContentOf(create) ? ContentOf(create)->Find("additional_creators") : nullptr;
  if (extra && extra->is_array()) {
    for (const Json& u : extra->as_array()) {
      if (u.is_string() && std::find(out.begin(), out.end(), u.as_string()) == out.end()) {
        out.push_back(u.as_string());
      }
    }
  }
  return out;
}

bool PrevEventsContain(const Json& event, std::string_view id) {
  const Json* prev = event.Find("prev_events");
  if (prev == nullptr || !prev->is_array()) return false;
  for (const Json& p : prev->as_array()) {
    // v1-2: [id, {hashes}]; v3+: id.
    const Json* s = p.is_array() && !p.as_array().empty() ? &p.as_array()[0] : &p;
    if (s->is_string() && s->as_string() == id) return true;
  }
  return false;
}

class LinkChecker {
 public:
  LinkChecker(const NamedRoom& old_room, const RoomState* new_room, UpgradeLink* link)
      : old_(*old_room.state), new_(new_room), l_(*link) {}

  void Run();

 private:
  void Problem(std::string code, std::string rule, std::string message) {
    l_.problems.push_back(Error{std::move(code), std::move(rule), std::move(message)});
  }
  void Note(std::string code, std::string rule, std::string message) {
    l_.notes.push_back(Error{std::move(code), std::move(rule), std::move(message)});
  }
  void CheckTombstone(const Json& tombstone);
  void CheckPredecessor(const Json& tombstone);
  void CompareMembers();
  void CompareLevels();
  void CheckCreators();

  const RoomState& old_;
  const RoomState* new_;
  UpgradeLink& l_;
};

void LinkChecker::Run() {
  l_.old_version = old_.version_id();
  const StateEntry tomb = old_.Get("m.room.tombstone", "");
  if (tomb.event == nullptr) return;  // the end of the chain
  l_.tombstone_id = std::string(tomb.event_id);
  if (const std::string* s = tomb.event->FindString("sender")) l_.tombstone_sender = *s;
  l_.new_room = std::string(ContentString(tomb.event, "replacement_room"));
  CheckTombstone(*tomb.event);
  l_.new_room_given = new_ != nullptr;
  if (new_ == nullptr) {
    if (!l_.new_room.empty()) {
      Note("upgrades.room_not_given", kUpgrades,
           "the replacement room " + l_.new_room + " was not given: the link is checked from "
           "the old side only");
    }
    return;
  }
  l_.new_version = new_->version_id();
  if (old_.rules() == nullptr || new_->rules() == nullptr) {
    Problem("upgrades.unknown_version", "rooms: room versions",
            "room version '" + (old_.rules() == nullptr ? l_.old_version : l_.new_version) +
                "' is not known to mxstate: the link cannot be checked");
    return;
  }
  CheckPredecessor(*tomb.event);
  CompareMembers();
  CompareLevels();
  if (new_->rules()->auth.privileged_creators) CheckCreators();
}

void LinkChecker::CheckTombstone(const Json& tombstone) {
  const Json* content = ContentOf(&tombstone);
  const Json* body = content ? content->Find("body") : nullptr;
  if (l_.new_room.empty()) {
    Problem("upgrades.bad_tombstone", "m.room.tombstone schema",
            "the tombstone in " + old_.room_id() + " has no replacement_room string");
  } else if (body == nullptr || !body->is_string()) {
    Note("upgrades.tombstone_no_body", "m.room.tombstone schema",
         "the tombstone in " + old_.room_id() + " has no body string (required by the schema)");
  }
  const RoomVersionRules* rules = old_.rules();
  if (rules == nullptr) return;
  const internal::AuthRuleNumbers n(*rules);
  const Json* pl = old_.Get("m.room.power_levels", "").event;
  const internal::PowerLevels levels(ContentOf(pl), *rules);
  const int64_t needed =
      levels.Entry("events", "m.room.tombstone").value_or(levels.Get("state_default"));
  const int64_t power = UserPowerLevel(l_.tombstone_sender, old_, *rules);
  if (power < needed) {
    Problem("upgrades.tombstone_sender_power", n.Rule(n.required_power) + "; " + kUpgrades + " 1",
            "tombstone sender " + l_.tombstone_sender + " has power " + LevelText(power) +
                " < " + std::to_string(needed) + " required for m.room.tombstone (judged "
                "against the old room's current power levels)");
  }
}

void LinkChecker::CheckPredecessor(const Json& tombstone) {
  const Json* create = new_->create();
  const Json* pred = ContentOf(create) ? ContentOf(create)->Find("predecessor") : nullptr;
  if (pred == nullptr || !pred->is_object()) {
    Problem("upgrades.no_predecessor", std::string(kUpgrades) + " 2",
            "the create event of " + new_->room_id() + " has no predecessor object");
    return;
  }
  const std::string* room = pred->FindString("room_id");
  if (room == nullptr || *room != old_.room_id()) {
    Problem("upgrades.predecessor_mismatch", kCreateSchema,
            "predecessor.room_id of " + new_->room_id() + " is " +
                (room ? *room : std::string("missing")) + ", not " + old_.room_id());
  }
  const std::string* event = pred->FindString("event_id");
  if (event == nullptr) {
    if (!new_->rules()->predecessor_event_id_optional) {
      Note("upgrades.predecessor_no_event_id", kCreateSchema,
           "predecessor.event_id is absent; it may be omitted only when upgrading to room "
           "version 12 or later (target " + l_.new_version + ")");
    }
  } else if (*event != l_.tombstone_id && !PrevEventsContain(tombstone, *event)) {
    Note("upgrades.predecessor_event_unconfirmed", kCreateSchema,
         "predecessor.event_id " + *event + " is neither the tombstone nor an event it "
         "follows; only the old room's history can confirm it is that room's last event");
  }
  const std::string_view old_type = ContentString(old_.create(), "type");
  const std::string_view new_type = ContentString(create, "type");
  if (old_type != new_type) {
    Problem("upgrades.type_not_copied", std::string(kUpgrades) + " 2",
            "room type '" + std::string(old_type) + "' in " + old_.room_id() + " but '" +
                std::string(new_type) + "' in " + new_->room_id());
  }
}

void LinkChecker::CompareMembers() {
  for (std::string_view user : old_.UsersWith("join")) {
    if (new_->Membership(user) == "join") continue;
    if (l_.left_behind.size() < kMaxReportedUsers) l_.left_behind.emplace_back(user);
  }
  if (!l_.left_behind.empty()) {
    Note("upgrades.members_left_behind", std::string(kUpgrades) + " 3",
         std::to_string(l_.left_behind.size()) + " joined member(s) of " + old_.room_id() +
             " are not joined to " + new_->room_id() +
             " (memberships are not transferred: they must join the new room)");
  }
}

void LinkChecker::CompareLevels() {
  std::set<std::string> users;
  const Json* old_pl = old_.Get("m.room.power_levels", "").event;
  if (const Json* map = internal::PowerLevels(ContentOf(old_pl), *old_.rules()).Map("users")) {
    for (const auto& [user, value] : map->as_object()) users.insert(user);
  }
  for (const std::string& c : CreatorsOf(old_)) users.insert(c);
  for (const std::string& user : users) {
    const int64_t before = UserPowerLevel(user, old_, *old_.rules());
    const int64_t after = UserPowerLevel(user, *new_, *new_->rules());
    if (after < before && l_.lost_levels.size() < kMaxReportedUsers) {
      l_.lost_levels.push_back(LevelChange{user, before, after});
    }
  }
  if (!l_.lost_levels.empty()) {
    Note("upgrades.levels_lost", std::string(kUpgrades) + " 3",
         std::to_string(l_.lost_levels.size()) + " user(s) have less power in " +
             new_->room_id() + " than in " + old_.room_id());
  }
}

void LinkChecker::CheckCreators() {
  const std::vector<std::string> creators = CreatorsOf(*new_);
  auto is_creator = [&](std::string_view u) {
    return std::find(creators.begin(), creators.end(), u) != creators.end();
  };
  // The old room's top power: its highest level among users and creators.
  int64_t top = 0;
  std::vector<std::string> top_users;
  const Json* old_pl = old_.Get("m.room.power_levels", "").event;
  std::set<std::string> users;
  if (const Json* map = internal::PowerLevels(ContentOf(old_pl), *old_.rules()).Map("users")) {
    for (const auto& [user, value] : map->as_object()) users.insert(user);
  }
  for (const std::string& c : CreatorsOf(old_)) users.insert(c);
  for (const std::string& u : users) {
    const int64_t level = UserPowerLevel(u, old_, *old_.rules());
    if (level > top) top_users.clear(), top = level;
    if (level == top) top_users.push_back(u);
  }
  for (const std::string& u : top_users) {
    if (top > 0 && !is_creator(u)) {
      Note("upgrades.v12_top_user_not_creator", "rooms/v12: room creators (MSC4289 room upgrades)",
           u + " had the old room's highest power (" + LevelText(top) +
               ") but is not a creator of " + new_->room_id() + " (sender and "
               "additional_creators), so a creator there outranks them");
    }
  }
  for (const std::string& c : creators) {
    const int64_t before = UserPowerLevel(c, old_, *old_.rules());
    if (before < top) {
      Note("upgrades.v12_creator_escalation", "MSC4289 security considerations",
           c + " is a creator of " + new_->room_id() + " with infinite power but had " +
               LevelText(before) + " < " + LevelText(top) + " in the old room");
    }
  }
  // rooms/v12 auth rules: creators may not be listed in users.
  const Json* new_pl = new_->Get("m.room.power_levels", "").event;
  if (const Json* map = internal::PowerLevels(ContentOf(new_pl), *new_->rules()).Map("users")) {
    for (const auto& [user, value] : map->as_object()) {
      if (is_creator(user)) {
        const internal::AuthRuleNumbers n(*new_->rules());
        Problem("upgrades.v12_creator_in_power_levels",
                n.Rule(n.power_levels, n.pl_creators_in_users),
                "creator " + user + " is listed in the new room's power levels users; "
                "that power levels event is rejected");
      }
    }
  }
  // Creators of a v12 old room are not carried over automatically.
  if (old_.rules()->auth.privileged_creators) {
    for (const std::string& c : CreatorsOf(old_)) {
      if (!is_creator(c)) {
        Note("upgrades.creator_not_carried", "client-server API: room upgrades (additional creators)",
             c + " was a creator of " + old_.room_id() + " but is not one of " + new_->room_id() +
                 " (additional creators are not transferred automatically)");
      }
    }
  }
}

}  // namespace

UpgradeLink CheckUpgradeLink(const NamedRoom& old_room, const RoomState* new_room) {
  UpgradeLink link;
  link.old_room = std::string(old_room.room_id);
  LinkChecker(old_room, new_room, &link).Run();
  return link;
}

UpgradeChain FollowUpgrades(std::span<const NamedRoom> rooms, std::string_view start) {
  UpgradeChain chain;
  std::string current(start);
  if (current.empty()) {
    std::set<std::string> replaced;
    for (const NamedRoom& r : rooms) {
      auto next = ContentString(r.state->Get("m.room.tombstone", "").event, "replacement_room");
      if (!next.empty()) replaced.emplace(next);
    }
    for (const NamedRoom& r : rooms) {
      if (replaced.count(std::string(r.room_id)) == 0 &&
          r.state->Get("m.room.tombstone", "").event != nullptr) {
        current = std::string(r.room_id);
        break;
      }
    }
    if (current.empty() && !rooms.empty()) current = std::string(rooms.front().room_id);
  }
  // Back through predecessors to the oldest given room.
  std::set<std::string> seen{current};
  for (size_t i = 0; i < kMaxUpgradeChain; ++i) {
    const RoomState* r = FindRoom(rooms, current);
    const Json* create = r ? r->create() : nullptr;
    const Json* pred = ContentOf(create) ? ContentOf(create)->Find("predecessor") : nullptr;
    const std::string* prev = pred ? pred->FindString("room_id") : nullptr;
    if (prev == nullptr || FindRoom(rooms, *prev) == nullptr || !seen.insert(*prev).second) break;
    current = *prev;
  }
  // Forward through tombstones.
  seen.clear();
  for (size_t i = 0; i < kMaxUpgradeChain; ++i) {
    chain.rooms.push_back(current);
    const RoomState* r = FindRoom(rooms, current);
    if (r == nullptr || !seen.insert(current).second) break;
    if (r->Get("m.room.tombstone", "").event == nullptr) break;
    const RoomState* next = FindRoom(
        rooms, ContentString(r->Get("m.room.tombstone", "").event, "replacement_room"));
    UpgradeLink link = CheckUpgradeLink(NamedRoom{current, r}, next);
    const std::string next_id = link.new_room;
    chain.links.push_back(std::move(link));
    if (next_id.empty()) break;
    if (seen.count(next_id) != 0) {
      chain.problems.push_back(Error{"upgrades.loop", "client-server API: room upgrades",
                                     "the chain returns to " + next_id});
      break;
    }
    current = next_id;
  }
  return chain;
}

}  // namespace mxstate

// mxstate upgrades: follow a chain of upgraded rooms (tombstone's
// replacement_room, the new create event's predecessor) and check each link
// (client-server API "Room upgrades"; rooms/v12 creators).
#include <iostream>
#include <string>
#include <vector>

#include "cli/cli_io.h"
#include "cli/command.h"
#include "cli/room_state_files.h"
#include "mxstate/room_upgrade.h"
#include "vectors/text_util.h"

namespace mxstate::cli {
namespace po = boost::program_options;
namespace {

std::string Level(int64_t level) {
  return level == kInfinitePower ? "infinite" : std::to_string(level);
}

Json ChainJson(const UpgradeChain& chain) {
  Json doc = Json::EmptyObject();
  Json::Array rooms, links, problems;
  for (const auto& r : chain.rooms) rooms.emplace_back(r);
  for (const UpgradeLink& l : chain.links) {
    Json j = Json::EmptyObject();
    j.Set("old_room", l.old_room);
    j.Set("new_room", l.new_room);
    j.Set("old_version", l.old_version);
    j.Set("new_version", l.new_version);
    j.Set("tombstone", l.tombstone_id);
    j.Set("tombstone_sender", l.tombstone_sender);
    j.Set("new_room_given", l.new_room_given);
    Json::Array p, n, left, lost;
    for (const Error& e : l.problems) p.push_back(ErrorJson(e));
    for (const Error& e : l.notes) n.push_back(ErrorJson(e));
    for (const auto& u : l.left_behind) left.emplace_back(u);
    for (const LevelChange& c : l.lost_levels) {
      Json x = Json::EmptyObject();
      x.Set("user_id", c.user_id);
      x.Set("old_level", Level(c.old_level));
      x.Set("new_level", Level(c.new_level));
      lost.push_back(std::move(x));
    }
    j.Set("problems", Json(std::move(p)));
    j.Set("notes", Json(std::move(n)));
    j.Set("left_behind", Json(std::move(left)));
    j.Set("lost_levels", Json(std::move(lost)));
    links.push_back(std::move(j));
  }
  for (const Error& e : chain.problems) problems.push_back(ErrorJson(e));
  doc.Set("rooms", Json(std::move(rooms)));
  doc.Set("links", Json(std::move(links)));
  doc.Set("problems", Json(std::move(problems)));
  return doc;
}

std::string ChainText(const UpgradeChain& chain) {
  std::string out = "chain:";
  for (const auto& r : chain.rooms) out += " " + r;
  out += "\n";
  for (const UpgradeLink& l : chain.links) {
    out += l.old_room + " (v" + l.old_version + ") -> " +
           (l.new_room.empty() ? std::string("?") : l.new_room) +
           (l.new_room_given ? " (v" + l.new_version + ")" : " [state not given]") +
           ": tombstone " + l.tombstone_id + " by " + l.tombstone_sender + "\n";
    for (const Error& e : l.problems) out += "  problem: " + e.ToString() + "\n";
    for (const Error& e : l.notes) out += "  note: " + e.ToString() + "\n";
    if (!l.left_behind.empty()) {
      out += "  not joined in the new room:";
      for (const auto& u : l.left_behind) out += " " + u;
      out += "\n";
    }
    for (const LevelChange& c : l.lost_levels) {
      out += "  power " + c.user_id + ": " + Level(c.old_level) + " -> " + Level(c.new_level) + "\n";
    }
  }
  for (const Error& e : chain.problems) out += "problem: " + e.ToString() + "\n";
  return out;
}

}  // namespace

int RunUpgrades(const Args& args) {
  po::options_description options("Options");
  std::vector<std::string> files;
  std::string start;
  bool json = false;
  options.add_options()
      ("rooms", po::value(&files)->multitoken(), "room state files, one room per file")
      ("start", po::value(&start), "a room of the chain (default: the oldest tombstoned room)")
      ("json", po::bool_switch(&json), "print one JSON document");
  po::positional_options_description positional;
  positional.add("rooms", -1);
  po::variables_map vm;
  if (!ParseCommandLine(
          args, options, positional,
          {"mxstate upgrades ROOM-FILE... [--start ROOM] [--json]",
           "Follows the upgrade chain through the given rooms: each old room's\n"
           "m.room.tombstone (replacement_room) and the new room's create event\n"
           "(predecessor). Checks each link: the tombstone's sender had the power to\n"
           "send it, the predecessor names the old room (and an event the tombstone\n"
           "follows), both versions are known, the room type was copied; reports the\n"
           "joined members not joined in the new room, users whose power dropped, and\n"
           "for version 12 targets how the creators compare with the old power levels.\n"
           "Exit 0 every link checks out, 1 a link has problems, 3 unreadable input.\n"},
          &vm)) {
    return kExitOk;
  }
  if (files.empty()) throw UsageError("give at least one room state file");
  Result<RoomSet> rooms = ReadRoomSet(files);
  if (!rooms) return CommandError(rooms.error(), json, kExitNoVerdict);
  const UpgradeChain chain = FollowUpgrades(rooms->named, start);
  bool broken = !chain.problems.empty();
  for (const UpgradeLink& l : chain.links) broken = broken || !l.problems.empty();
  if (json) {
    PrintJson(ChainJson(chain));
  } else {
    std::cout << vectors::SanitizeUtf8(ChainText(chain));
  }
  return broken ? kExitNo : kExitOk;
}

}  // namespace mxstate::cli

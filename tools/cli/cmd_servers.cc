// mxstate servers: the servers with joined members in a room, and what a
// target room version (from the table) would ask of all of them.
#include <iostream>
#include <string>
#include <vector>

#include "cli/cli_io.h"
#include "cli/command.h"
#include "cli/room_state_files.h"
#include "mxstate/room_servers.h"
#include "vectors/text_util.h"

namespace mxstate::cli {
namespace po = boost::program_options;

int RunServers(const Args& args) {
  po::options_description options("Options");
  std::string file, target_id;
  bool json = false;
  options.add_options()
      ("room", po::value(&file), "the room's state (or history) file")
      ("target", po::value(&target_id), "a room version to plan an upgrade to")
      ("json", po::bool_switch(&json), "print one JSON document");
  po::positional_options_description positional;
  positional.add("room", 1);
  po::variables_map vm;
  if (!ParseCommandLine(
          args, options, positional,
          {"mxstate servers ROOM-FILE [--target VERSION] [--json]",
           "Lists the servers with joined members and their counts. With --target,\n"
           "lists the features that room version requires of every server (from the\n"
           "room-version table; those new to this room are marked) and what in the\n"
           "room's state could not be carried over as is. Which versions each server\n"
           "supports cannot be known offline.\n"
           "Exit 0 ok, 1 the target cannot carry the room's state as is, 3 unreadable.\n"},
          &vm)) {
    return kExitOk;
  }
  if (file.empty()) throw UsageError("give the room's state file");
  const RoomVersionRules* target = target_id.empty() ? nullptr : &RoomVersionOrThrow(target_id);
  Result<LoadedRoom> room = ReadRoomState(file);
  if (!room) return CommandError(room.error(), json, kExitNoVerdict);
  const ServersReport r = ServersInRoom(room->state, target);
  if (json) {
    Json doc = Json::EmptyObject();
    Json::Array servers, features, blockers;
    for (const ServerMembers& s : r.servers) {
      Json j = Json::EmptyObject();
      j.Set("server", s.server);
      j.Set("joined", static_cast<int64_t>(s.joined));
      servers.push_back(std::move(j));
    }
    for (const VersionFeature& f : r.target_features) {
      Json j = Json::EmptyObject();
      j.Set("feature", f.name);
      j.Set("since", f.since);
      j.Set("new", !f.in_current);
      features.push_back(std::move(j));
    }
    for (const Error& e : r.blockers) blockers.push_back(ErrorJson(e));
    doc.Set("room_id", room->state.room_id());
    doc.Set("room_version", room->state.version_id());
    doc.Set("joined", static_cast<int64_t>(r.joined_total));
    doc.Set("servers", Json(std::move(servers)));
    doc.Set("target_version", r.target_version.empty() ? Json() : Json(r.target_version));
    doc.Set("target_features", Json(std::move(features)));
    doc.Set("blockers", Json(std::move(blockers)));
    doc.Set("caveat", r.offline_caveat);
    PrintJson(doc);
  } else {
    std::string out = "room " + room->state.room_id() + " (v" + room->state.version_id() + "): " +
                      std::to_string(r.joined_total) + " joined on " +
                      std::to_string(r.servers.size()) + " server(s)\n";
    for (const ServerMembers& s : r.servers) {
      out += "  " + s.server + " " + std::to_string(s.joined) + "\n";
    }
    if (target != nullptr) {
      out += "room version " + r.target_version + " requires of every server:\n";
      for (const VersionFeature& f : r.target_features) {
        out += "  " + f.name + " (" + f.since + ")" + (f.in_current ? "" : " [new for this room]") + "\n";
      }
      for (const Error& e : r.blockers) out += "blocker: " + e.ToString() + "\n";
    }
    out += "note: " + r.offline_caveat + "\n";
    std::cout << vectors::SanitizeUtf8(out);
  }
  return r.blockers.empty() ? kExitOk : kExitNo;
}

}  // namespace mxstate::cli

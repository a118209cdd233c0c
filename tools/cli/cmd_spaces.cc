// mxstate spaces: a space hierarchy read from the states of the rooms given
// (client-server API "Spaces"): children in display order, parent claims
// and how each stands, inconsistencies, and for --user the restricted rooms
// their memberships open.
#include <iostream>
#include <string>
#include <vector>

#include "cli/cli_io.h"
#include "cli/command.h"
#include "cli/room_state_files.h"
#include "mxstate/spaces.h"
#include "vectors/text_util.h"

namespace mxstate::cli {
namespace po = boost::program_options;
namespace {

Json Strings(const std::vector<std::string>& items) {
  Json::Array out;
  for (const auto& s : items) out.emplace_back(s);
  return Json(std::move(out));
}

Json ReportJson(const SpaceReport& r) {
  Json doc = Json::EmptyObject();
  Json::Array children, parents, nodes, problems, opened;
  for (const SpaceChild& c : r.children) {
    Json j = Json::EmptyObject();
    j.Set("space", c.space_id);
    j.Set("child", c.child_id);
    j.Set("via", Strings(c.via));
    j.Set("order", c.order ? Json(*c.order) : Json());
    j.Set("suggested", c.suggested);
    j.Set("child_given", c.child_given);
    j.Set("child_links_back", c.child_links_back);
    children.push_back(std::move(j));
  }
  for (const SpaceParent& p : r.parents) {
    Json j = Json::EmptyObject();
    j.Set("room", p.room_id);
    j.Set("parent", p.parent_id);
    j.Set("sender", p.sender);
    j.Set("via", Strings(p.via));
    j.Set("canonical", p.canonical);
    j.Set("backing", std::string(ToString(p.backing)));
    parents.push_back(std::move(j));
  }
  for (const HierarchyNode& n : r.hierarchy) {
    Json j = Json::EmptyObject();
    j.Set("room_id", n.room_id);
    j.Set("depth", static_cast<int64_t>(n.depth));
    j.Set("space", n.is_space);
    j.Set("given", n.given);
    j.Set("suggested", n.suggested);
    j.Set("loop", n.loop);
    j.Set("repeated", n.repeated);
    nodes.push_back(std::move(j));
  }
  for (const Error& e : r.problems) problems.push_back(ErrorJson(e));
  for (const OpenedRoom& o : r.opened) {
    Json j = Json::EmptyObject();
    j.Set("room_id", o.room_id);
    j.Set("verdict", std::string(ToString(o.decision.verdict)));
    j.Set("rule", o.decision.rule);
    j.Set("matched_room", o.decision.matched
                              ? Json(o.decision.conditions[*o.decision.matched].room_id)
                              : Json());
    if (o.decision.verdict != RestrictedJoinVerdict::kAllowed) {
      j.Set("error", ErrorJson(o.decision.error));
    }
    opened.push_back(std::move(j));
  }
  doc.Set("children", Json(std::move(children)));
  doc.Set("parents", Json(std::move(parents)));
  doc.Set("hierarchy", Json(std::move(nodes)));
  doc.Set("problems", Json(std::move(problems)));
  doc.Set("restricted_rooms", Json(std::move(opened)));
  return doc;
}

std::string ReportText(const SpaceReport& r, const std::string& user) {
  std::string out = "hierarchy:\n";
  for (const HierarchyNode& n : r.hierarchy) {
    out += "  " + std::string(2 * n.depth, ' ') + n.room_id + (n.is_space ? " (space)" : "") +
           (n.suggested ? " suggested" : "") + (n.given ? "" : " [state not given]") +
           (n.loop ? " [loop: not descended]" : "") +
           (n.repeated ? " [shown above: not expanded again]" : "") + "\n";
  }
  if (!r.parents.empty()) out += "parent claims:\n";
  for (const SpaceParent& p : r.parents) {
    out += "  " + p.room_id + " -> " + p.parent_id + (p.canonical ? " canonical" : "") + ": " +
           std::string(ToString(p.backing)) + "\n";
  }
  if (!user.empty()) out += "restricted rooms for " + user + ":\n";
  for (const OpenedRoom& o : r.opened) {
    out += "  " + o.room_id + ": " + std::string(ToString(o.decision.verdict));
    if (o.decision.matched) {
      out += " via " + o.decision.conditions[*o.decision.matched].room_id;
    } else if (o.decision.verdict != RestrictedJoinVerdict::kAllowed) {
      out += ": " + o.decision.error.code;
    }
    out += " (" + o.decision.rule + ")\n";
  }
  out += "problems:" + std::string(r.problems.empty() ? " none\n" : "\n");
  for (const Error& e : r.problems) out += "  " + e.ToString() + "\n";
  return out;
}

}  // namespace

int RunSpaces(const Args& args) {
  po::options_description options("Options");
  std::vector<std::string> files, roots;
  std::string user;
  bool json = false;
  options.add_options()
      ("rooms", po::value(&files)->multitoken(), "room state files, one room per file")
      ("root", po::value(&roots)->multitoken(),
       "start the hierarchy at this room (default: every space no other given room lists)")
      ("user", po::value(&user), "list the restricted rooms this user's memberships open")
      ("json", po::bool_switch(&json), "print one JSON document");
  po::positional_options_description positional;
  positional.add("rooms", -1);
  po::variables_map vm;
  if (!ParseCommandLine(
          args, options, positional,
          {"mxstate spaces ROOM-FILE... [--root ROOM] [--user USER] [--json]",
           "Reads m.space.child and m.space.parent from the given rooms' states,\n"
           "validates their contents (via, order, suggested, canonical), prints the\n"
           "hierarchy depth-first in the spec's child order, judges each parent claim\n"
           "(backed by a child event, by its sender's power in the parent, or ignored),\n"
           "and reports inconsistencies and rooms not given. With --user, decides\n"
           "each given restricted room for that user (see `mxstate restricted-join`).\n"
           "Exit 0 no problem found, 1 problems reported, 3 unreadable input.\n"},
          &vm)) {
    return kExitOk;
  }
  if (files.empty()) throw UsageError("give at least one room state file");
  Result<RoomSet> rooms = ReadRoomSet(files);
  if (!rooms) return CommandError(rooms.error(), json, kExitNoVerdict);
  const SpaceReport report = AnalyseSpaces(rooms->named, roots, user);
  if (json) {
    PrintJson(ReportJson(report));
  } else {
    std::cout << vectors::SanitizeUtf8(ReportText(report, user));
  }
  return report.problems.empty() ? kExitOk : kExitNo;
}

}  // namespace mxstate::cli

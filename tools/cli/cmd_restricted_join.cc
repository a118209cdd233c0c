// mxstate restricted-join: would a resident server let USER join a
// restricted (or knock_restricted) room without an invite, which allow
// condition decides, and can the proposed authorising user sign the join?
// (client-server API "Restricted rooms"; server-server API "Restricted
// rooms"; rooms/vN auth rules on join_authorised_via_users_server.)
#include <iostream>
#include <string>
#include <vector>

#include "cli/cli_io.h"
#include "cli/command.h"
#include "cli/room_state_files.h"
#include "mxstate/restricted_join.h"
#include "vectors/text_util.h"

namespace mxstate::cli {
namespace po = boost::program_options;
namespace {

std::string PowerText(int64_t power) {
  return power == kInfinitePower ? "infinite (creator)" : std::to_string(power);
}

Json DecisionJson(const RestrictedJoinDecision& d, const LoadedRoom& room, std::string_view user) {
  Json doc = Json::EmptyObject();
  doc.Set("room_id", room.state.room_id());
  doc.Set("room_version", d.room_version);
  doc.Set("join_rule", d.join_rule);
  doc.Set("user_id", std::string(user));
  doc.Set("verdict", std::string(ToString(d.verdict)));
  doc.Set("rule", d.rule);
  doc.Set("conditions_needed", d.conditions_needed);
  Json::Array conditions;
  for (const ConditionCheck& c : d.conditions) {
    Json item = Json::EmptyObject();
    item.Set("index", static_cast<int64_t>(c.index));
    item.Set("type", c.type);
    item.Set("room_id", c.room_id);
    item.Set("outcome", std::string(ToString(c.outcome)));
    if (c.outcome == ConditionOutcome::kMatched || c.outcome == ConditionOutcome::kNotJoined) {
      item.Set("membership", c.membership);
    }
    item.Set("reference", c.reference);
    conditions.push_back(std::move(item));
  }
  doc.Set("conditions", Json(std::move(conditions)));
  doc.Set("matched", d.matched ? Json(static_cast<int64_t>(*d.matched)) : Json());
  if (d.authoriser) {
    Json a = Json::EmptyObject();
    a.Set("user_id", d.authoriser->user_id);
    a.Set("membership", d.authoriser->membership);
    a.Set("power", d.authoriser->power == kInfinitePower ? Json("infinite")
                                                          : Json(d.authoriser->power));
    a.Set("invite_level", d.authoriser->invite_level);
    a.Set("can_sign", d.authoriser->can_sign);
    doc.Set("authoriser", std::move(a));
  }
  Json::Array candidates, notes, trace;
  for (const auto& c : d.candidate_authorisers) candidates.emplace_back(c);
  for (const auto& n : d.notes) notes.emplace_back(n);
  for (const auto& t : d.trace) trace.emplace_back(t);
  doc.Set("trace", Json(std::move(trace)));
  doc.Set("candidate_authorisers", Json(std::move(candidates)));
  doc.Set("notes", Json(std::move(notes)));
  if (d.verdict != RestrictedJoinVerdict::kAllowed) doc.Set("error", ErrorJson(d.error));
  return doc;
}

std::string DecisionText(const RestrictedJoinDecision& d, const LoadedRoom& room,
                         std::string_view user) {
  std::string out = "room " + room.state.room_id() + " (v" + d.room_version + "), join rule " +
                    (d.join_rule.empty() ? "none" : d.join_rule) + ", user " +
                    std::string(user) + "\n";
  for (const ConditionCheck& c : d.conditions) {
    out += "  allow[" + std::to_string(c.index) + "] " + (c.type.empty() ? "?" : c.type) + " " +
           c.room_id + ": " + std::string(ToString(c.outcome));
    if (c.outcome == ConditionOutcome::kNotJoined) {
      out += " (membership " + (c.membership.empty() ? std::string("none") : c.membership) + ")";
    }
    out += " (" + c.reference + ")\n";
  }
  if (d.authoriser) {
    const AuthoriserCheck& a = *d.authoriser;
    out += "  authoriser " + a.user_id + ": membership " +
           (a.membership.empty() ? std::string("none") : a.membership) + ", power " +
           PowerText(a.power) + ", invite level " + std::to_string(a.invite_level) + ": " +
           (a.can_sign ? "can sign" : "cannot sign") + "\n";
  }
  if (d.verdict == RestrictedJoinVerdict::kAllowed) {
    out += "allowed";
    if (d.matched) {
      const ConditionCheck& c = d.conditions[*d.matched];
      out += ": allow[" + std::to_string(c.index) + "] (" + c.type + " " + c.room_id + ") matched";
    } else if (!d.conditions_needed) {
      out += ": no condition needed";
    }
    out += " (" + d.rule + ")\n";
  } else {
    out += std::string(ToString(d.verdict)) + ": " + d.error.ToString() + "\n";
  }
  if (d.matched && !d.authoriser) {
    out += "can sign (joined, power >= invite):";
    for (const auto& c : d.candidate_authorisers) out += " " + c;
    if (d.candidate_authorisers.empty()) out += " nobody";
    out += "\n";
  }
  for (const auto& n : d.notes) out += "note: " + n + "\n";
  return out;
}

}  // namespace

int RunRestrictedJoin(const Args& args) {
  po::options_description options("Options");
  std::string room_file, user, authoriser, version;
  std::vector<std::string> other_files;
  bool json = false, explain = false;
  options.add_options()
      ("room", po::value(&room_file), "the target room: its state events, or its whole history")
      ("user", po::value(&user), "the joining user")
      ("authoriser", po::value(&authoriser),
       "the user the join would name in join_authorised_via_users_server")
      ("rooms", po::value(&other_files)->multitoken(),
       "state of rooms the allow list names (one room per file; the room ID comes from the events)")
      ("room-version", po::value(&version),
       "judge under this room version (default: the target's create event)")
      ("explain", po::bool_switch(&explain), "print each step")
      ("json", po::bool_switch(&json), "print one JSON document");
  po::positional_options_description positional;
  positional.add("room", 1).add("rooms", -1);
  po::variables_map vm;
  if (!ParseCommandLine(
          args, options, positional,
          {"mxstate restricted-join ROOM [ROOMS...] --user USER [--authoriser USER] [--json]",
           "Decides a join of USER into ROOM without an invite, as the resident server\n"
           "handling /make_join and /send_join would: the room version's join rules\n"
           "(restricted from v8, knock_restricted from v10), the user's own membership,\n"
           "each allow condition against the state of the rooms given as ROOMS, and\n"
           "whether --authoriser is joined with power >= the invite level.\n"
           "Verdicts: allowed; refused (403 M_FORBIDDEN); unable-to-authorise (a\n"
           "condition names a room whose state was not given: 400\n"
           "M_UNABLE_TO_AUTHORISE_JOIN); unable-to-grant (the authoriser cannot sign:\n"
           "400 M_UNABLE_TO_GRANT_JOIN). Exit 0 allowed, 1 refused or unable to\n"
           "grant, 3 unable to authorise or unreadable input, 2 usage.\n"},
          &vm)) {
    return kExitOk;
  }
  if (room_file.empty() || user.empty()) throw UsageError("give the room's state file and --user");
  const RoomVersionRules* forced = version.empty() ? nullptr : &RoomVersionOrThrow(version);
  Result<std::deque<LoadedRoom>> target = ReadRoomStates({room_file});
  if (!target) return CommandError(target.error(), json, kExitNoVerdict);
  Result<RoomSet> others = ReadRoomSet(other_files);
  if (!others) return CommandError(others.error(), json, kExitNoVerdict);
  const LoadedRoom& room = target->front();
  const RoomVersionRules* rules = forced ? forced : room.state.rules();
  if (rules == nullptr) {
    return CommandError(Error{"room_version.unknown", "rooms: room versions",
                       room.state.version_id().empty()
                           ? room_file + " has no m.room.create event; give --room-version"
                           : "room version '" + room.state.version_id() + "' is not known"},
                 json, kExitUsage);
  }
  RestrictedJoinQuery query{&room.state, others->named, user, authoriser};
  const RestrictedJoinDecision d = DecideRestrictedJoin(query, *rules);
  const int code = d.verdict == RestrictedJoinVerdict::kAllowed             ? kExitOk
                   : d.verdict == RestrictedJoinVerdict::kUnableToAuthorise ? kExitNoVerdict
                                                                            : kExitNo;
  if (json) {
    PrintJson(DecisionJson(d, room, user));
    return code;
  }
  std::string out;
  if (explain) {
    for (const auto& step : d.trace) out += "  " + step + "\n";
  }
  out += DecisionText(d, room, user);
  std::cout << vectors::SanitizeUtf8(out);
  return code;
}

}  // namespace mxstate::cli

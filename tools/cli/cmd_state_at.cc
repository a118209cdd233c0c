// mxstate state-at: the state before and after one event of a room (rooms
// "State resolution": the state before an event resolves the states after
// its prev_events), with the event's verdict from the room replay.
#include <iostream>
#include <string>
#include <vector>

#include "cli/cli_io.h"
#include "cli/command.h"
#include "cli/key_files.h"
#include "cli/room_input.h"
#include "mxstate/room_replay.h"
#include "vectors/text_util.h"

namespace mxstate::cli {
namespace po = boost::program_options;
namespace {

int Fatal(const Error& error, bool json, int code) {
  if (json) PrintJson(ErrorDocument(error));
  PrintError(error);
  return code;
}

}  // namespace

int RunStateAt(const Args& args) {
  po::options_description options("Options");
  std::string event_id, room_version, keys_path;
  std::vector<std::string> files;
  bool json = false;
  options.add_options()
      ("event-id", po::value(&event_id), "the event whose states to print")
      ("file", po::value(&files)->multitoken(),
       "event files, as for `mxstate room` (arrays, JSON Lines, single events, "
       "federation responses)")
      ("room-version", po::value(&room_version),
       "the room version (default: the create event's content.room_version)")
      ("keys", po::value(&keys_path),
       "server keys (file or directory); when given, signatures and hashes are checked")
      ("json", po::bool_switch(&json),
       "print {event_id, verdict, state_before, state_after}");
  po::positional_options_description positional;
  positional.add("event-id", 1).add("file", -1);
  po::variables_map vm;
  if (!ParseCommandLine(
          args, options, positional,
          {"mxstate state-at EVENT-ID FILE... [--room-version V] [--keys KEYS] [--json]",
           "Replays the room of FILE... (see `mxstate room --help`) and prints\n"
           "EVENT-ID's verdict, then the room state before it and after it, one\n"
           "`type \"state_key\" event_id` line per key. A rejected event changes\n"
           "no state (after = before); a dropped or unjudged event has none.\n"
           "Exit 0 the event was found (whatever its verdict), 3 unknown event or\n"
           "unreadable input.\n"},
          &vm)) {
    return kExitOk;
  }
  if (event_id.empty()) throw UsageError("give an event ID and at least one event file");
  if (files.empty()) throw UsageError("give at least one event file after the event ID");

  Result<KeyRing> keys = LoadKeys(keys_path);
  if (!keys) return Fatal(keys.error(), json, kExitNoVerdict);
  Result<RoomInput> input = ReadRoomFiles(files);
  if (!input) return Fatal(input.error(), json, kExitNoVerdict);
  Result<const RoomVersionRules*> rules = RoomVersionOf(room_version, input->events);
  if (!rules) {
    return Fatal(rules.error(), json,
                 rules.error().code == "input.no_room_version" ? kExitUsage : kExitNoVerdict);
  }
  ReplayOptions replay_options;
  if (!keys_path.empty()) replay_options.keys = &*keys;
  Result<EventStates> states = StateAtEvent(input->events, event_id, **rules, replay_options);
  if (!states) return Fatal(states.error(), json, kExitNoVerdict);
  const bool has_state = states->verdict.outcome != EventOutcome::kDropped &&
                         states->verdict.outcome != EventOutcome::kNotJudged;
  if (keys_path.empty()) {
    std::cerr << "mxstate state-at: note: signatures and content hashes were not checked "
                 "(no --keys)\n";
  }
  if (json) {
    Json doc = Json::EmptyObject();
    doc.Set("event_id", vectors::SanitizeUtf8(event_id));
    doc.Set("room_version", std::string((*rules)->id));
    doc.Set("signatures_checked", !keys_path.empty());
    doc.Set("verdict", VerdictJson(states->verdict, *input));
    doc.Set("state_before", has_state ? StateJson(states->before) : Json());
    doc.Set("state_after", has_state ? StateJson(states->after) : Json());
    PrintJson(doc);
    return kExitOk;
  }
  std::string out = "verdict: " + VerdictText(states->verdict) + "\n";
  if (has_state) {
    out += "state before:\n" + StateText(states->before);
    out += "state after:\n" + StateText(states->after);
  } else {
    out += "state before: none (the event is not part of the room's graph)\n"
           "state after: none\n";
  }
  std::cout << vectors::SanitizeUtf8(out);
  return kExitOk;
}

}  // namespace mxstate::cli

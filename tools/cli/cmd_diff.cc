// mxstate diff: compares two servers' copies of a room (room_diff.h): events
// only one side has, events judged differently, current-state keys that
// differ with the resolution step behind each value, the first point where
// the views part, and state resets on either side.
// mxstate resets: the state resets of one room's replay.
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <string>
#include <system_error>
#include <vector>

#include "cli/cli_io.h"
#include "cli/command.h"
#include "cli/key_files.h"
#include "cli/reset_text.h"
#include "cli/room_input.h"
#include "mxstate/room_diff.h"
#include "mxstate/room_replay.h"
#include "vectors/text_util.h"

namespace mxstate::cli {
namespace po = boost::program_options;
namespace fs = std::filesystem;
namespace {

int Fatal(const Error& error, bool json, int code) {
  if (json) PrintJson(ErrorDocument(error));
  PrintError(error);
  return code;
}

// A path, or the regular files of a directory (sorted, dot files skipped).
std::vector<std::string> ExpandPaths(const std::vector<std::string>& paths) {
  std::vector<std::string> out;
  for (const std::string& p : paths) {
    std::error_code ec;
    if (p == "-" || !fs::is_directory(p, ec)) {
      out.push_back(p);
      continue;
    }
    std::vector<std::string> files;
    for (const fs::directory_entry& e : fs::directory_iterator(p, ec)) {
      const std::string name = e.path().filename().string();
      if (name.empty() || name[0] == '.') continue;
      if (e.is_regular_file(ec)) files.push_back(e.path().string());
    }
    std::sort(files.begin(), files.end());
    if (files.empty()) files.push_back(p);  // let the reader report it
    out.insert(out.end(), files.begin(), files.end());
  }
  return out;
}

std::string KeyText(const StateKey& key) {
  return key.type + " \"" + key.state_key + "\"";
}
std::string Or(const std::string& id, const char* absent = "absent") {
  return id.empty() ? absent : id;
}
Json IdOrNull(const std::string& id) { return id.empty() ? Json() : Json(id); }

Json IdsJson(const std::vector<std::string>& ids) {
  Json::Array a;
  for (const std::string& id : ids) a.emplace_back(IdOrNull(id));
  return Json(std::move(a));
}

Json OriginJson(const KeyOrigin& o) {
  Json j = Json::EmptyObject();
  j.Set("value", IdOrNull(o.value));
  j.Set("extremities", IdsJson(o.extremities));
  j.Set("candidates", IdsJson(o.candidates));
  j.Set("resolved", o.resolved);
  j.Set("conflicted", o.conflicted);
  j.Set("step", o.step);
  Json::Array checks;
  for (const AuthCheckRecord& c : o.checks) {
    Json x = Json::EmptyObject();
    x.Set("event_id", c.event_id);
    x.Set("phase", c.phase);
    x.Set("allowed", c.allowed);
    x.Set("rule", c.rule);
    if (!c.code.empty()) x.Set("code", c.code);
    checks.push_back(std::move(x));
  }
  j.Set("checks", Json(std::move(checks)));
  Json::Array power;
  for (const PowerOrderEntry& e : o.power_order) {
    Json x = Json::EmptyObject();
    x.Set("event_id", e.event_id);
    x.Set("sender_power", e.sender_power);
    x.Set("origin_server_ts", e.origin_server_ts);
    power.push_back(std::move(x));
  }
  j.Set("power_order", Json(std::move(power)));
  Json::Array mainline;
  for (const MainlineOrderEntry& e : o.mainline_order) {
    Json x = Json::EmptyObject();
    x.Set("event_id", e.event_id);
    x.Set("mainline_position", e.mainline_position);
    x.Set("origin_server_ts", e.origin_server_ts);
    mainline.push_back(std::move(x));
  }
  j.Set("mainline_order", Json(std::move(mainline)));
  j.Set("summary", o.summary);
  return j;
}

struct Loaded {
  RoomInput input;
  std::vector<std::string> files;
};

void AddCommonOptions(po::options_description& options, std::string* room_version,
                      std::string* keys_path, size_t* max_events, bool* no_format,
                      bool* json) {
  options.add_options()
      ("room-version", po::value(room_version),
       "the room version (default: the create event's content.room_version)")
      ("keys", po::value(keys_path),
       "server keys (file or directory, as for `mxstate room`); when given, signatures and "
       "content hashes are checked")
      ("max-events", po::value(max_events), "refuse rooms with more events than this")
      ("no-format-check", po::bool_switch(no_format),
       "skip receipt step 1 (PDU format), for hand-written test events without hashes "
       "(as the spec-vectors room suite does)")
      ("json", po::bool_switch(json), "print one JSON document");
}

}  // namespace

int RunDiff(const Args& args) {
  po::options_description options("Options");
  std::vector<std::string> sides;
  std::string room_version, keys_path;
  size_t max_events = ReplayOptions{}.max_events;
  bool json = false, no_format = false;
  options.add_options()("side", po::value(&sides)->multitoken(),
                        "A and B: each a file or a directory of files (one server's copy)");
  AddCommonOptions(options, &room_version, &keys_path, &max_events, &no_format, &json);
  po::positional_options_description positional;
  positional.add("side", -1);
  po::variables_map vm;
  if (!ParseCommandLine(
          args, options, positional,
          {"mxstate diff A B [--room-version V] [--keys KEYS] [--no-format-check] [--json]",
           "Compares two servers' copies of one room. A and B are each a file or a\n"
           "directory of files (any shape `mxstate room` reads). Both are replayed\n"
           "(checks on receipt, in topological order) and the tool prints: events\n"
           "only in A, only in B, events judged differently (both verdicts), the\n"
           "current-state keys whose values differ (A's event vs B's) with where\n"
           "each side's value comes from (straight from the state after the only\n"
           "forward extremity, or which conflict of the final resolution and which\n"
           "step applied it), the first divergence (the earliest differing events\n"
           "no differing event precedes) and the state resets found on either side\n"
           "(see `mxstate resets --help`).\n"
           "Exit 0 the views agree (same events, verdicts and current state);\n"
           "1 they differ; 3 unreadable input.\n"},
          &vm)) {
    return kExitOk;
  }
  if (sides.size() != 2) throw UsageError("give exactly two sides, A and B");
  if (max_events == 0) throw UsageError("--max-events must be at least 1");
  Result<KeyRing> keys = LoadKeys(keys_path);
  if (!keys) return Fatal(keys.error(), json, kExitNoVerdict);
  Loaded loaded[2];
  for (int i = 0; i < 2; ++i) {
    loaded[i].files = ExpandPaths({sides[i]});
    Result<RoomInput> input = ReadRoomFiles(loaded[i].files);
    if (!input) return Fatal(input.error(), json, kExitNoVerdict);
    loaded[i].input = std::move(*input);
  }
  Result<const RoomVersionRules*> rules = RoomVersionOf(room_version, loaded[0].input.events);
  if (!rules && rules.error().code == "input.no_room_version") {
    rules = RoomVersionOf(room_version, loaded[1].input.events);
  }
  if (!rules) {
    return Fatal(rules.error(), json,
                 rules.error().code == "input.no_room_version" ? kExitUsage : kExitNoVerdict);
  }
  ReplayOptions replay_options;
  replay_options.max_events = max_events;
  replay_options.check_format = !no_format;
  if (!keys_path.empty()) replay_options.keys = &*keys;
  Result<RoomDiff> diff =
      DiffRooms(loaded[0].input.events, loaded[1].input.events, **rules, replay_options);
  if (!diff) return Fatal(diff.error(), json, kExitNoVerdict);
  const int exit_code = diff->Agree() ? kExitOk : kExitNo;

  if (json) {
    Json doc = Json::EmptyObject();
    doc.Set("agree", diff->Agree());
    doc.Set("room_version", std::string((*rules)->id));
    doc.Set("signatures_checked", diff->replay_a.signatures_checked);
    const RoomReplay* replays[2] = {&diff->replay_a, &diff->replay_b};
    for (int i = 0; i < 2; ++i) {
      Json side = Json::EmptyObject();
      Json::Array files, problems;
      for (const std::string& f : loaded[i].files) files.emplace_back(vectors::SanitizeUtf8(f));
      for (const Error& p : replays[i]->problems) problems.push_back(ErrorJson(p));
      side.Set("files", Json(std::move(files)));
      side.Set("events", static_cast<int64_t>(replays[i]->verdicts.size()));
      side.Set("forward_extremities", IdsJson(replays[i]->forward_extremities));
      side.Set("problems", Json(std::move(problems)));
      doc.Set(i == 0 ? "a" : "b", std::move(side));
    }
    doc.Set("only_in_a", IdsJson(diff->only_in_a));
    doc.Set("only_in_b", IdsJson(diff->only_in_b));
    Json::Array judged;
    for (const VerdictDifference& d : diff->judged_differently) {
      Json x = Json::EmptyObject();
      x.Set("event_id", d.event_id);
      x.Set("a", VerdictJson(d.a, loaded[0].input));
      x.Set("b", VerdictJson(d.b, loaded[1].input));
      judged.push_back(std::move(x));
    }
    doc.Set("judged_differently", Json(std::move(judged)));
    Json::Array keys_json;
    for (const KeyDifference& k : diff->state_differences) {
      Json x = Json::EmptyObject();
      x.Set("type", k.key.type);
      x.Set("state_key", k.key.state_key);
      x.Set("a", IdOrNull(k.a));
      x.Set("b", IdOrNull(k.b));
      x.Set("origin_a", OriginJson(k.origin_a));
      x.Set("origin_b", OriginJson(k.origin_b));
      keys_json.push_back(std::move(x));
    }
    doc.Set("state_differences", Json(std::move(keys_json)));
    doc.Set("first_divergence", IdsJson(diff->first_divergence));
    Json::Array ra, rb;
    for (const StateReset& r : diff->resets_a) ra.push_back(ResetJson(r));
    for (const StateReset& r : diff->resets_b) rb.push_back(ResetJson(r));
    doc.Set("resets_a", Json(std::move(ra)));
    doc.Set("resets_b", Json(std::move(rb)));
    doc.Set("exit_code", exit_code);
    PrintJson(doc);
    return exit_code;
  }

  std::string out;
  auto list = [&](const std::string& title, const std::vector<std::string>& ids,
                  const RoomReplay& replay) {
    if (ids.empty()) {
      out += title + ": none\n";
      return;
    }
    out += title + " (" + std::to_string(ids.size()) + "):\n";
    for (const std::string& id : ids) {
      std::string line = "  " + id;
      for (const EventVerdict& v : replay.verdicts) {
        if (v.event_id == id) line = "  " + VerdictText(v);
      }
      out += line + "\n";
    }
  };
  out += "room version " + std::string((*rules)->id) + "; A: " +
         std::to_string(diff->replay_a.verdicts.size()) + " events, B: " +
         std::to_string(diff->replay_b.verdicts.size()) + " events\n";
  list("only in A", diff->only_in_a, diff->replay_a);
  list("only in B", diff->only_in_b, diff->replay_b);
  if (diff->judged_differently.empty()) {
    out += "judged differently: none\n";
  } else {
    out += "judged differently (" + std::to_string(diff->judged_differently.size()) + "):\n";
    for (const VerdictDifference& d : diff->judged_differently) {
      out += "  " + d.event_id + "\n    A: " + VerdictText(d.a) + "\n    B: " +
             VerdictText(d.b) + "\n";
    }
  }
  if (diff->state_differences.empty()) {
    out += "state differences: none\n";
  } else {
    out += "state differences (" + std::to_string(diff->state_differences.size()) + "):\n";
    for (const KeyDifference& k : diff->state_differences) {
      out += "  " + KeyText(k.key) + "  A: " + Or(k.a) + "  B: " + Or(k.b) + "\n";
      out += "    A: " + k.origin_a.summary + "\n";
      out += "    B: " + k.origin_b.summary + "\n";
    }
  }
  out += "first divergence:";
  if (diff->first_divergence.empty()) out += " none";
  for (const std::string& id : diff->first_divergence) out += " " + id;
  out += "\n";
  const std::vector<StateReset>* resets[2] = {&diff->resets_a, &diff->resets_b};
  for (int i = 0; i < 2; ++i) {
    const std::string title = std::string("state resets in ") + (i == 0 ? "A" : "B");
    if (resets[i]->empty()) {
      out += title + ": none\n";
      continue;
    }
    out += title + " (" + std::to_string(resets[i]->size()) + "):\n";
    for (const StateReset& r : *resets[i]) out += "  " + ResetText(r) + "\n";
  }
  out += diff->Agree() ? "the views agree" : "the views differ";
  std::cout << vectors::SanitizeUtf8(out) << "\n";
  return exit_code;
}

int RunResets(const Args& args) {
  po::options_description options("Options");
  std::vector<std::string> files;
  std::string room_version, keys_path;
  size_t max_events = ReplayOptions{}.max_events;
  bool json = false, no_format = false;
  options.add_options()("file", po::value(&files)->multitoken(),
                        "event files or directories (one room, merged)");
  AddCommonOptions(options, &room_version, &keys_path, &max_events, &no_format, &json);
  po::positional_options_description positional;
  positional.add("file", -1);
  po::variables_map vm;
  if (!ParseCommandLine(
          args, options, positional,
          {"mxstate resets FILE... [--room-version V] [--keys KEYS] [--no-format-check] [--json]",
           "Replays a room and reports state resets: at every state resolution\n"
           "(an event with several prev events, and the forward extremities),\n"
           "each key the resolution moved back to an older event or dropped:\n"
           "  rewound   every side had a newer value (a descendant of the resolved one)\n"
           "  reverted  some side had replaced the resolved event with a newer one\n"
           "            (matrix-org/synapse#6520: the ban came back)\n"
           "  dropped   every side had the key; the resolution has none\n"
           "Each line names the merge event, the key and its category (membership,\n"
           "power levels, join rules, other), each side's value and what the\n"
           "resolution did with the newer values (refused by an auth check, or\n"
           "applied before the older event).\n"
           "Exit 0 no resets; 1 some; 3 unreadable input.\n"},
          &vm)) {
    return kExitOk;
  }
  if (files.empty()) throw UsageError("give at least one event file");
  if (max_events == 0) throw UsageError("--max-events must be at least 1");
  Result<KeyRing> keys = LoadKeys(keys_path);
  if (!keys) return Fatal(keys.error(), json, kExitNoVerdict);
  Result<RoomInput> input = ReadRoomFiles(ExpandPaths(files));
  if (!input) return Fatal(input.error(), json, kExitNoVerdict);
  Result<const RoomVersionRules*> rules = RoomVersionOf(room_version, input->events);
  if (!rules) {
    return Fatal(rules.error(), json,
                 rules.error().code == "input.no_room_version" ? kExitUsage : kExitNoVerdict);
  }
  ReplayOptions replay_options;
  replay_options.max_events = max_events;
  replay_options.check_format = !no_format;
  if (!keys_path.empty()) replay_options.keys = &*keys;
  Result<std::vector<StateReset>> resets = DetectStateResets(input->events, **rules, replay_options);
  if (!resets) return Fatal(resets.error(), json, kExitNoVerdict);
  const int exit_code = resets->empty() ? kExitOk : kExitNo;
  if (json) {
    Json::Array list;
    for (const StateReset& r : *resets) list.push_back(ResetJson(r));
    Json doc = Json::EmptyObject();
    doc.Set("room_version", std::string((*rules)->id));
    doc.Set("resets", Json(std::move(list)));
    doc.Set("exit_code", exit_code);
    PrintJson(doc);
    return exit_code;
  }
  std::string out;
  for (const StateReset& r : *resets) out += ResetText(r) + "\n";
  out += std::to_string(resets->size()) + " state reset" + (resets->size() == 1 ? "" : "s") +
         " (room version " + std::string((*rules)->id) + ", " +
         std::to_string(input->events.size()) + " events)";
  std::cout << vectors::SanitizeUtf8(out) << "\n";
  return exit_code;
}

}  // namespace mxstate::cli

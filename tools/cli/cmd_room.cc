// mxstate room: replays a whole room (s2s "Checks performed on receipt of a
// PDU", steps 1-5, in topological order; step 6, soft failure, with an
// arrival order) and prints each event's outcome, the forward extremities and
// the current state.
#include <unistd.h>

#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "cli/arrival_order.h"
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
namespace {

// Rooms larger than this get progress lines on a terminal's stderr.
constexpr size_t kProgressThreshold = 10'000;

constexpr EventOutcome kOutcomes[] = {EventOutcome::kAccepted, EventOutcome::kRedacted,
                                      EventOutcome::kRejected, EventOutcome::kDropped,
                                      EventOutcome::kSoftFailed, EventOutcome::kNotJudged};

constexpr const char* kUnchecked =
    "signatures and content hashes were not checked (no --keys); only format and "
    "authorization were judged";

// 0 accepted; 1 redacted, rejected, dropped or soft-failed; 3 not judged.
int ExitCodeOf(EventOutcome outcome) {
  switch (outcome) {
    case EventOutcome::kAccepted: return kExitOk;
    case EventOutcome::kNotJudged: return kExitNoVerdict;
    default: return kExitNo;
  }
}

int Fatal(const Error& error, bool json, int code) {
  if (json) PrintJson(ErrorDocument(error));
  PrintError(error);
  return code;
}

}  // namespace

int RunRoom(const Args& args) {
  po::options_description options("Options");
  std::vector<std::string> files;
  std::string room_version, keys_path;
  ArrivalFlags arrival;
  size_t max_events = ReplayOptions{}.max_events;
  bool json = false, no_format = false;
  options.add_options()
      ("file", po::value(&files)->multitoken(),
       "event files: a JSON array, JSON Lines, one event, or a federation response "
       "({\"pdus\": [...], \"auth_chain\": [...]}); '-' is stdin")
      ("room-version", po::value(&room_version),
       "the room version (default: the create event's content.room_version, \"1\" when absent)")
      ("keys", po::value(&keys_path),
       "server keys (file or directory, as for `mxstate verify`); when given, signatures and "
       "content hashes are checked")
      ("max-events", po::value(&max_events), "refuse rooms with more events than this")
      ("no-format-check", po::bool_switch(&no_format),
       "skip receipt step 1 (for hand-written test events without hashes; ignored with --keys)")
      ("json", po::bool_switch(&json), "print one JSON document");
  AddArrivalOptions(options, &arrival);
  po::positional_options_description positional;
  positional.add("file", -1);
  po::variables_map vm;
  if (!ParseCommandLine(
          args, options, positional,
          {"mxstate room FILE... [--room-version V] [--keys KEYS] [--max-events N] [--json]\n"
           "                     [--no-format-check]"
           "                     [--arrival-order IDS | --arrival-input-order]",
           "Replays a room: every event of the files (merged; identical copies\n"
           "counted once) goes through the checks on receipt of a PDU in an order\n"
           "where it follows its prev_events and auth_events: format, signatures\n"
           "and content hash (with --keys), auth against its auth events, auth\n"
           "against the state before it; with an arrival order, auth against the\n"
           "current state of the room when the event arrived (soft failure).\n"
           "Prints one line per event in replay order,\n"
           "  <event_id> <outcome> [<stage>: <code>: <message> (<rule>)]\n"
           "(accepted events show their deciding rule), the forward extremities,\n"
           "the current state (`type \"state_key\" event_id`), state resets (as\n"
           "`mxstate resets`), problems (missing events, duplicates, cycles) and a\n"
           "summary.\n"
           "Outcomes: accepted, redacted (hash mismatch: kept redacted), rejected,\n"
           "dropped (bad format or signature), soft-failed (passed the state before\n"
           "it but not the current state at its arrival: kept in the DAG, never a\n"
           "forward extremity), not-judged (missing auth event, unknown key, cycle).\n"
           "With an arrival order, events replay in that order, each after the\n"
           "events it cites (fetched first, as a server does).\n"
           "Exit 0 every event accepted; 1 any redacted, rejected, dropped or\n"
           "soft-failed;\n"
           "3 unreadable input, or some events could not be judged.\n"},
          &vm)) {
    return kExitOk;
  }
  if (files.empty()) throw UsageError("give at least one event file");
  if (max_events == 0) throw UsageError("--max-events must be at least 1");

  Result<KeyRing> keys = LoadKeys(keys_path);
  if (!keys) return Fatal(keys.error(), json, kExitNoVerdict);
  Result<RoomInput> input = ReadRoomFiles(files);
  if (!input) return Fatal(input.error(), json, kExitNoVerdict);
  const bool progress = isatty(STDERR_FILENO) && input->events.size() > kProgressThreshold;
  if (progress) {
    std::cerr << "mxstate room: loading " << input->events.size() << " events...\n";
  }
  Result<const RoomVersionRules*> rules = RoomVersionOf(room_version, input->events);
  if (!rules) {
    return Fatal(rules.error(), json,
                 rules.error().code == "input.no_room_version" ? kExitUsage : kExitNoVerdict);
  }
  ReplayOptions replay_options;
  replay_options.max_events = max_events;
  replay_options.check_format = !no_format;
  if (!keys_path.empty()) replay_options.keys = &*keys;
  if (Result<void> a = ApplyArrivalFlags(arrival, *input, **rules, &replay_options); !a) {
    return Fatal(a.error(), json, kExitNoVerdict);
  }
  if (progress) {
    std::cerr << "mxstate room: replaying...\n";
    // One line rewritten in place: judged events so far.
    replay_options.on_progress = [](size_t judged, size_t total) {
      std::cerr << "\rmxstate room: judged " << judged << " of " << total << " events"
                << std::flush;
    };
  }
  // State resets are found at every merge (room_diff.h), during this replay.
  std::vector<StateReset> resets;
  replay_options.on_merge = [&](const MergeInfo& info) { FindStateResets(info, &resets); };
  Result<RoomReplay> replay = ReplayRoom(input->events, **rules, replay_options);
  if (!replay) return Fatal(replay.error(), json, kExitNoVerdict);
  if (progress) std::cerr << "\nmxstate room: replayed " << replay->verdicts.size() << " events\n";
  if (!replay->signatures_checked) std::cerr << "mxstate room: note: " << kUnchecked << "\n";

  std::map<EventOutcome, int64_t> counts;
  int exit_code = kExitOk;
  for (const EventVerdict& v : replay->verdicts) {
    ++counts[v.outcome];
    exit_code = CombineExitCodes(exit_code, ExitCodeOf(v.outcome));
  }
  if (replay->verdicts.empty()) exit_code = kExitNoVerdict;

  if (json) {
    Json::Array events, extremities, problems;
    for (const EventVerdict& v : replay->verdicts) events.push_back(VerdictJson(v, *input));
    for (const std::string& id : replay->forward_extremities) {
      extremities.emplace_back(vectors::SanitizeUtf8(id));
    }
    for (const Error& p : replay->problems) problems.push_back(ErrorJson(p));
    Json summary = Json::EmptyObject();
    summary.Set("events", static_cast<int64_t>(replay->verdicts.size()));
    for (EventOutcome o : kOutcomes) summary.Set(std::string(ToString(o)), counts[o]);
    summary.Set("duplicates_merged", static_cast<int64_t>(input->duplicates_merged));
    summary.Set("problems", static_cast<int64_t>(replay->problems.size()));
    summary.Set("exit_code", exit_code);
    Json doc = Json::EmptyObject();
    doc.Set("ok", exit_code == kExitOk);
    doc.Set("room_version", std::string((*rules)->id));
    doc.Set("signatures_checked", replay->signatures_checked);
    doc.Set("soft_failure_checked", replay->soft_failure_checked);
    if (!replay->signatures_checked) doc.Set("note", kUnchecked);
    doc.Set("events", Json(std::move(events)));
    doc.Set("forward_extremities", Json(std::move(extremities)));
    doc.Set("current_state", StateJson(replay->current_state));
    doc.Set("problems", Json(std::move(problems)));
    Json::Array reset_list;
    for (const StateReset& r : resets) reset_list.push_back(ResetJson(r));
    doc.Set("state_resets", Json(std::move(reset_list)));
    doc.Set("summary", std::move(summary));
    PrintJson(doc);
    return exit_code;
  }

  std::string out;
  for (const EventVerdict& v : replay->verdicts) out += VerdictText(v) + "\n";
  out += "forward extremities:";
  for (const std::string& id : replay->forward_extremities) out += " " + id;
  out += "\ncurrent state:\n" + StateText(replay->current_state);
  // Listed only when there are some, so the output of rooms without
  // merges stays as it was.
  if (!resets.empty()) {
    out += "state resets:\n";
    for (const StateReset& r : resets) out += "  " + ResetText(r) + "\n";
  }
  if (replay->problems.empty()) {
    out += "problems: none\n";
  } else {
    out += "problems:\n";
    for (const Error& p : replay->problems) out += "  " + p.ToString() + "\n";
  }
  out += std::to_string(replay->verdicts.size()) + " events (room version " +
         std::string((*rules)->id) + ", signatures " +
         (replay->signatures_checked ? "checked" : "not checked") +
         (replay->soft_failure_checked ? ", soft failure judged" : "") + "): ";
  bool first = true;
  for (EventOutcome o : kOutcomes) {
    // Soft failure is only counted when it was judged (an arrival order).
    if (o == EventOutcome::kSoftFailed && !replay->soft_failure_checked) continue;
    out += (first ? "" : ", ") + std::to_string(counts[o]) + " " + std::string(ToString(o));
    first = false;
  }
  if (input->duplicates_merged > 0) {
    out += "; " + std::to_string(input->duplicates_merged) + " identical copies merged";
  }
  std::cout << vectors::SanitizeUtf8(out) << "\n";
  return exit_code;
}

}  // namespace mxstate::cli

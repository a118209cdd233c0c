// mxstate check: the CI spec checker. Finds what it can check under the
// given paths (check_targets.h says how), runs it, and reports every check
// as a test of one report, so that text, --json and --junit look like a
// corpus run's.
#include <iostream>
#include <string>
#include <vector>

#include "cli/check_targets.h"
#include "cli/cli_io.h"
#include "cli/command.h"
#include "cli/key_files.h"
#include "cli/report_output.h"
#include "mxstate/event_format.h"
#include "mxstate/event_hashes.h"
#include "mxstate/room_replay.h"
#include "mxstate/verify_event.h"
#include "vectors/text_util.h"

namespace mxstate::cli {
namespace po = boost::program_options;
namespace {

constexpr const char* kRuleCheck = "mxstate check";

vectors::TestOutcome Outcome(const CheckTarget& target, const std::string& suite,
                             const std::string& subject, const std::string& version) {
  vectors::TestOutcome outcome;
  outcome.id = vectors::SanitizeUtf8(target.path + "#" + subject);
  outcome.file = target.path;
  outcome.suite = suite;
  outcome.room_version = version;
  outcome.expected_result = "valid";
  return outcome;
}

void FileProblem(vectors::RunReport* report, const std::string& path, Error error) {
  report->file_errors.push_back(vectors::FileError{path, "", std::move(error)});
}

// A room: every event replayed; an event passes when it is accepted.
void CheckRoom(const CheckTarget& target, const KeyRing* keys,
               vectors::RunReport* report) {
  Result<const RoomVersionRules*> rules = RoomVersionOf("", target.events.events);
  if (!rules) return FileProblem(report, target.path, rules.error());
  ReplayOptions options;
  options.keys = keys;
  Result<RoomReplay> replay = ReplayRoom(target.events.events, **rules, options);
  if (!replay) return FileProblem(report, target.path, replay.error());
  for (const EventVerdict& v : replay->verdicts) {
    vectors::TestOutcome outcome =
        Outcome(target, "room", v.event_id, std::string((*rules)->id));
    outcome.result = std::string(ToString(v.outcome));
    outcome.verdict = v.outcome == EventOutcome::kAccepted ? vectors::TestVerdict::kPass
                                                           : vectors::TestVerdict::kFail;
    if (outcome.verdict == vectors::TestVerdict::kFail) {
      outcome.reason = VerdictText(v);
      outcome.error = v.reason;
    }
    report->tests.push_back(std::move(outcome));
  }
  // replay->problems are not failures of their own: a duplicate shows as
  // a dropped event and a missing event as a not-judged one above, and a
  // partial room (a /state response, say) is a legitimate input.
}

// Loose events: the PDU format of the given version, and with keys their
// signatures and content hash (verify).
void CheckEvents(const CheckTarget& target, const RoomVersionRules* rules,
                 const KeyRing* keys, vectors::RunReport* report) {
  if (rules == nullptr) {
    vectors::TestOutcome outcome = Outcome(target, "events", "*", "");
    outcome.verdict = vectors::TestVerdict::kSkip;
    outcome.reason = "events without a create event: pass --room-version to check them";
    report->tests.push_back(std::move(outcome));
    return;
  }
  const std::vector<Json>& events = target.events.events;
  for (size_t i = 0; i < events.size(); ++i) {
    const std::string id = DeclaredOrComputedEventId(events[i], *rules);
    vectors::TestOutcome outcome = Outcome(
        target, keys ? "verify-event" : "event-format",
        id.empty() ? "event-" + std::to_string(i + 1) : id, std::string(rules->id));
    std::optional<Error> problem;
    if (keys != nullptr) {
      EventVerification verification = VerifyEvent(events[i], *rules, *keys);
      outcome.result = std::string(ToString(verification.verdict));
      if (!verification.ok()) {
        problem = verification.problems.empty()
                      ? Error{"verify." + outcome.result, kRuleCheck, outcome.result}
                      : verification.problems.front();
      }
    } else if (Result<void> format = CheckPduFormat(events[i], *rules); !format) {
      problem = format.error();
    }
    if (outcome.result.empty()) outcome.result = problem ? "invalid" : "valid";
    outcome.verdict = problem ? vectors::TestVerdict::kFail : vectors::TestVerdict::kPass;
    if (problem) {
      outcome.reason = vectors::SanitizeUtf8(problem->ToString());
      outcome.error = std::move(*problem);
    }
    report->tests.push_back(std::move(outcome));
  }
}

void Count(vectors::RunReport* report) {
  report->passed = report->failed = report->skipped = 0;
  for (const vectors::TestOutcome& test : report->tests) {
    switch (test.verdict) {
      case vectors::TestVerdict::kPass: ++report->passed; break;
      case vectors::TestVerdict::kFail: ++report->failed; break;
      case vectors::TestVerdict::kSkip: ++report->skipped; break;
    }
  }
  report->failed += report->file_errors.size();
}

}  // namespace

int RunCheck(const Args& args) {
  po::options_description options("Options");
  std::vector<std::string> paths;
  std::string keys_path, room_version;
  ReportOutputs outputs;
  options.add_options()
      ("path", po::value(&paths)->required(), "files or folders to check")
      ("keys", po::value(&keys_path),
       "server keys (a file or folder, as for `verify`): rooms and events get "
       "their signatures and content hashes checked too")
      ("room-version", po::value(&room_version),
       "the room version of loose events (files without a create event); "
       "without it they are skipped")
      ("junit", po::value(&outputs.junit_path), "also write JUnit XML to this file")
      ("json", po::bool_switch(&outputs.json), "print one JSON document instead of text")
      ("verbose,v", po::bool_switch(&outputs.verbose),
       "list passed and skipped checks and ignored files too");
  po::positional_options_description positional;
  positional.add("path", -1);
  po::variables_map vm;
  if (!ParseCommandLine(
          args, options, positional,
          {"mxstate check [--keys KEYS] [--room-version V] [--json] [--junit FILE] PATH...",
           "The CI spec checker: walks PATHs (folders recursively, *.json and\n"
           "*.jsonl) and checks what it recognises (docs/ci.md): corpora in the\n"
           "spec-vectors format are run; a file of events with an m.room.create\n"
           "event is replayed as a room (every event must be accepted); other\n"
           "event files are checked for format (and signatures with --keys) in\n"
           "--room-version. Other files in folders are ignored; a file named on\n"
           "the command line that is none of these is an error.\n"
           "Exit 0 every check passed; 1 any failed; 3 a path is unreadable or\n"
           "nothing was found to check.\n"},
          &vm)) {
    return kExitOk;
  }
  const RoomVersionRules* loose_rules =
      room_version.empty() ? nullptr : &RoomVersionOrThrow(room_version);
  Result<KeyRing> keys = LoadKeys(keys_path);
  if (!keys) {
    PrintError(keys.error());
    return kExitNoVerdict;
  }
  const KeyRing* key_ring = keys_path.empty() ? nullptr : &*keys;

  vectors::RunReport report;
  std::vector<CheckTarget> targets = FindCheckTargets(paths, &report.file_errors);
  std::vector<std::string> corpora;
  size_t checked = 0;
  for (const CheckTarget& target : targets) {
    report.files.push_back(target.path);
    switch (target.kind) {
      case TargetKind::kCorpus: corpora.push_back(target.path); ++checked; break;
      case TargetKind::kRoom: CheckRoom(target, key_ring, &report); ++checked; break;
      case TargetKind::kEvents:
        CheckEvents(target, loose_rules, key_ring, &report);
        ++checked;
        break;
      case TargetKind::kIgnored:
        if (target.named) {
          FileProblem(&report, target.path,
                      {"check.unrecognised", kRuleCheck,
                       "not a corpus, room or event file: " + target.why_ignored});
        } else if (outputs.verbose) {
          std::cerr << "mxstate check: ignored " << target.path << ": "
                    << target.why_ignored << "\n";
        }
        break;
    }
  }
  if (!corpora.empty()) {
    // One run over every corpus file, so that ids must be unique across them.
    vectors::RunReport corpus = vectors::RunVectors(corpora);
    for (auto& test : corpus.tests) report.tests.push_back(std::move(test));
    for (auto& error : corpus.file_errors) report.file_errors.push_back(std::move(error));
  }
  if (checked == 0 && report.file_errors.empty()) {
    FileProblem(&report, paths.front(),
                {"vectors.no_files", kRuleCheck,
                 "nothing to check: no corpus, room or event file found"});
  }
  Count(&report);
  return EmitReport(report, outputs);
}

}  // namespace mxstate::cli

// mxstate verify: format, signatures and content hash of each event
// (server-server API, "Checks performed on receipt of a PDU", steps 1-3).
#include <algorithm>
#include <atomic>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "cli/cli_io.h"
#include "cli/command.h"
#include "cli/key_files.h"
#include "mxstate/server_keys.h"
#include "mxstate/verify_event.h"
#include "vectors/text_util.h"

namespace mxstate::cli {
namespace po = boost::program_options;
namespace {

// Events per unit of work handed to a thread: large enough to keep the
// atomic counter cold, small enough to balance uneven events.
constexpr size_t kChunkSize = 64;

struct EventResult {
  std::optional<Error> parse_error;  // the document is not JSON
  EventVerification verification;
};

EventResult VerifyDocument(const InputDocument& document,
                           const RoomVersionRules& rules,
                           const KeyRing& keys) {
  EventResult result;
  // Read leniently: a float in a v6+ event is then judged by VerifyEvent's
  // format check (verdict bad_format, exit 1) instead of looking like
  // unreadable input (exit 3).
  Result<Json> event = ParseJson(
      document.text, InputParseOptions(NumberPolicy::kLegacyPython));
  if (!event) {
    result.parse_error = event.error();
    return result;
  }
  result.verification = VerifyEvent(*event, rules, keys);
  return result;
}

// Verifies every document on `threads` threads; results in input order.
std::vector<EventResult> VerifyAll(const std::vector<InputDocument>& documents,
                                   const RoomVersionRules& rules,
                                   const KeyRing& keys, unsigned threads) {
  std::vector<EventResult> results(documents.size());
  std::atomic<size_t> next_chunk{0};
  const auto worker = [&] {
    while (true) {
      const size_t begin = next_chunk.fetch_add(1) * kChunkSize;
      if (begin >= documents.size()) return;
      const size_t end = std::min(begin + kChunkSize, documents.size());
      for (size_t i = begin; i < end; ++i) {
        results[i] = VerifyDocument(documents[i], rules, keys);
      }
    }
  };
  const size_t chunks = (documents.size() + kChunkSize - 1) / kChunkSize;
  threads = static_cast<unsigned>(
      std::max<size_t>(1, std::min<size_t>(threads, chunks)));
  std::vector<std::thread> pool;
  for (unsigned i = 1; i < threads; ++i) pool.emplace_back(worker);
  worker();  // the main thread works too
  for (std::thread& thread : pool) thread.join();
  return results;
}

// Every verdict name in report order.
std::vector<std::string> AllVerdictNames() {
  std::vector<std::string> names;
  for (Verdict verdict : {Verdict::kValid, Verdict::kHashMismatch,
                          Verdict::kBadSignature, Verdict::kBadFormat,
                          Verdict::kUnknownKey}) {
    names.emplace_back(ToString(verdict));
  }
  names.emplace_back("unreadable");
  return names;
}

std::string VerdictName(const EventResult& result) {
  return result.parse_error ? "unreadable"
                            : std::string(ToString(result.verification.verdict));
}

// 0 valid; 1 a verdict that rejects; 3 no verdict possible.
int ExitCodeOf(const EventResult& result) {
  if (result.parse_error) return kExitNoVerdict;
  switch (result.verification.verdict) {
    case Verdict::kValid: return kExitOk;
    case Verdict::kUnknownKey: return kExitNoVerdict;
    default: return kExitNo;
  }
}

Json SignersJson(const EventVerification& verification) {
  Json::Array signers;
  for (const SignerCheck& check : verification.signers) {
    Json signer = Json::EmptyObject();
    signer.Set("server", check.server);
    signer.Set("reason", check.reason);
    if (!check.key_id.empty()) signer.Set("key_id", check.key_id);
    signer.Set("ok", check.ok);
    signers.push_back(std::move(signer));
  }
  return Json(std::move(signers));
}

Json EventJson(size_t index, const EventResult& result) {
  Json event = Json::EmptyObject();
  event.Set("index", static_cast<int64_t>(index));
  event.Set("verdict", VerdictName(result));
  Json::Array problems;
  if (result.parse_error) {
    problems.push_back(ErrorJson(*result.parse_error));
  } else {
    const EventVerification& verification = result.verification;
    if (!verification.event_id.empty()) {
      event.Set("event_id", verification.event_id);
    }
    event.Set("signers", SignersJson(verification));
    for (const Error& problem : verification.problems) {
      problems.push_back(ErrorJson(problem));
    }
  }
  event.Set("problems", Json(std::move(problems)));
  return event;
}

}  // namespace

int RunVerify(const Args& args) {
  po::options_description options("Options");
  std::string file, room_version, keys_path;
  unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  bool as_json = false;
  options.add_options()
      ("file", po::value(&file), "input file; '-' or absent: stdin")
      ("room-version", po::value(&room_version)->required(),
       "the room version (required)")
      ("keys", po::value(&keys_path),
       "server keys: a JSON file with a simple map {server: {key_id: "
       "base64}}, a key document, an array of them or a notary response "
       "{\"server_keys\": [...]}; or a directory of such *.json files")
      ("threads", po::value(&threads),
       "worker threads (default: one per core)")
      ("json", po::bool_switch(&as_json),
       "print {\"events\": [...], \"summary\": {...}}");
  po::positional_options_description positional;
  positional.add("file", 1);
  po::variables_map vm;
  if (!ParseCommandLine(
          args, options, positional,
          {"mxstate verify --room-version V --keys KEYS [FILE] [--json]",
           "Checks each event's format, required signatures and content hash\n"
           "for the room version. Prints one line per event,\n"
           "  <event_id> <verdict> [<code>: <message> (<rule>)]\n"
           "(event_id `-` when it cannot be computed), then a summary line.\n"
           "Verdicts: valid, hash-mismatch (keep redacted), bad-signature and\n"
           "bad-format (drop), unknown-key (no verdict), unreadable (not\n"
           "JSON).\n"
           "Exit 0 when every event is valid; 1 when any event failed; 3 when\n"
           "none failed but some had no verdict (unknown key, unreadable), or\n"
           "the input or keys cannot be read.\n"},
          &vm)) {
    return kExitOk;
  }
  const RoomVersionRules& rules = RoomVersionOrThrow(room_version);
  if (threads == 0) throw UsageError("--threads must be at least 1");

  Result<KeyRing> keys = LoadKeys(keys_path);
  if (!keys) {
    if (as_json) PrintJson(ErrorDocument(keys.error()));
    PrintError(keys.error());
    return kExitNoVerdict;
  }
  Result<Input> input = ReadDocuments(file);
  if (!input) {
    if (as_json) PrintJson(ErrorDocument(input.error()));
    PrintError(input.error());
    return kExitNoVerdict;
  }
  const std::vector<EventResult> results =
      VerifyAll(input->documents, rules, *keys, threads);

  int exit_code = kExitOk;
  std::map<std::string, int64_t> counts;
  const std::vector<std::string> verdict_names = AllVerdictNames();
  for (const std::string& verdict : verdict_names) counts[verdict] = 0;
  Json::Array events;
  std::string lines;
  for (size_t i = 0; i < results.size(); ++i) {
    const EventResult& result = results[i];
    const std::string verdict = VerdictName(result);
    ++counts[verdict];
    exit_code = CombineExitCodes(exit_code, ExitCodeOf(result));
    if (as_json) {
      events.push_back(EventJson(i, result));
      continue;
    }
    const std::string& id = result.verification.event_id;
    lines += (id.empty() ? "-" : id) + " " + verdict;
    const Error* problem =
        result.parse_error ? &*result.parse_error
        : result.verification.problems.empty()
            ? nullptr
            : &result.verification.problems.front();
    if (problem != nullptr) lines += " " + problem->ToString();
    lines += "\n";
  }
  if (as_json) {
    Json summary = Json::EmptyObject();
    summary.Set("events", static_cast<int64_t>(results.size()));
    for (const auto& [verdict, count] : counts) summary.Set(verdict, count);
    summary.Set("exit_code", exit_code);
    Json document = Json::EmptyObject();
    document.Set("ok", exit_code == kExitOk);
    document.Set("room_version", std::string(rules.id));
    document.Set("events", Json(std::move(events)));
    document.Set("summary", std::move(summary));
    PrintJson(document);
    return exit_code;
  }
  std::cout << vectors::SanitizeUtf8(lines) << results.size() << " events: ";
  bool first = true;
  for (const std::string& verdict : verdict_names) {
    std::cout << (first ? "" : ", ") << counts[verdict] << " " << verdict;
    first = false;
  }
  std::cout << "\n";
  return exit_code;
}

}  // namespace mxstate::cli

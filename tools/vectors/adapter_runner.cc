// The adapter protocol's client side; see adapter_runner.h.
#include "vectors/adapter_runner.h"

#include <memory>
#include <utility>

#include "mxstate/canonical_json.h"
#include "vectors/adapter_process.h"
#include "vectors/suites.h"
#include "vectors/text_util.h"
#include "vectors/vector_file.h"

namespace mxstate::vectors {
namespace {

// How many bytes of an adapter's text a report quotes: enough to recognise
// the problem, bounded because the adapter is untrusted.
constexpr size_t kQuoteBytes = 300;

// Deaths, before the adapter has ever answered, after which it is not
// started again: a command that cannot work must not cost one start per
// test. Once it has answered, it is always restarted (a crash on one input
// says nothing about the next).
constexpr int kMaxDeadStarts = 3;

std::string Quote(std::string_view text) {
  std::string quoted = SanitizeUtf8(text.substr(0, kQuoteBytes));
  if (text.size() > kQuoteBytes) quoted += "...";
  return quoted;
}

SuiteRun Problem(std::string_view code, const std::string& message) {
  SuiteRun run;
  run.harness_problem = std::string(code) + ": " + message;
  return run;
}

// What one answer line means. `resync` is set when the stream can no longer
// be trusted to pair answers with requests (the adapter is restarted).
struct Answer {
  SuiteRun run;
  bool resync = false;
};

Answer Desync(std::string_view code, const std::string& message) {
  return Answer{Problem(code, message), true};
}

// Reads {"error": {"code", "message"}}.
SuiteRun ErrorAnswer(const Json& error) {
  const std::string* code = error.FindString("code");
  if (!error.is_object() || code == nullptr) {
    return Problem("adapter.bad_answer",
                   "\"error\" must be an object with a string \"code\"");
  }
  const std::string* message = error.FindString("message");
  const std::string text = message ? Quote(*message) : std::string();
  if (*code == kUnsupportedCode) {
    SuiteRun run;
    run.unsupported = true;
    run.note = text.empty() ? "the adapter does not implement it" : text;
    return run;
  }
  return Problem("adapter.error", Quote(*code) + (text.empty() ? "" : ": " + text));
}

Answer ParseAnswer(std::string_view line, const std::string& id,
                   size_t max_bytes) {
  ParseOptions options;
  // Outputs of v1-5 tests may hold floats; keep every number as written.
  options.numbers = NumberPolicy::kLegacyPython;
  options.max_bytes = max_bytes;
  Result<Json> parsed = ParseJson(line, options);
  if (!parsed) {
    return Desync("adapter.garbage", "answer is not JSON (" +
                                         parsed.error().code + "): " + Quote(line));
  }
  const std::string* got_id = parsed->FindString("id");
  if (got_id == nullptr) {
    return Desync("adapter.garbage",
                  "answer is not an object with a string \"id\": " + Quote(line));
  }
  if (*got_id != id) {
    return Desync("adapter.wrong_id", "answer for \"" + Quote(*got_id) +
                                          "\" while waiting for \"" + id + "\"");
  }
  for (const auto& [key, value] : parsed->as_object()) {
    if (key != "id" && key != "result" && key != "output" && key != "reason" &&
        key != "error") {
      return {Problem("adapter.bad_answer", "unknown member \"" + Quote(key) +
                                                "\" (a typo must not pass)")};
    }
  }
  if (const Json* error = parsed->Find("error")) return {ErrorAnswer(*error)};
  const std::string* result = parsed->FindString("result");
  if (result == nullptr || (*result != "valid" && *result != "invalid")) {
    return {Problem("adapter.bad_answer",
                    "\"result\" must be \"valid\" or \"invalid\"")};
  }
  Answer answer;
  answer.run.valid = *result == "valid";
  if (const Json* output = parsed->Find("output")) answer.run.output = *output;
  if (const std::string* reason = parsed->FindString("reason")) {
    answer.run.note = Quote(*reason);
  }
  return answer;
}

class AdapterClient {
 public:
  explicit AdapterClient(const AdapterOptions& options)
      : options_(options),
        process_(options.command, options.max_line_bytes) {}

  SuiteRun Run(const SuiteSpec& suite, const VectorTest& test) {
    if (dead_starts_ >= kMaxDeadStarts) {
      return Problem("adapter.gave_up",
                     "the adapter ended " + std::to_string(kMaxDeadStarts) +
                         " times without ever answering; it is not started "
                         "again (last: " +
                         last_death_ + ")");
    }
    Exchange exchange = process_.Ask(AdapterRequest(suite, test),
                                     options_.timeout_ms);
    switch (exchange.kind) {
      case Exchange::Kind::kLine: {
        answered_ = true;
        Answer answer = ParseAnswer(exchange.line, test.id, options_.max_line_bytes);
        if (answer.resync) process_.Stop();
        return std::move(answer.run);
      }
      case Exchange::Kind::kTimeout:
        return Problem("adapter.timeout", exchange.detail);
      case Exchange::Kind::kTooLong:
        return Problem("adapter.too_long", exchange.detail);
      case Exchange::Kind::kExited:
      case Exchange::Kind::kStartFailed:
        if (!answered_) ++dead_starts_;
        last_death_ = exchange.detail;
        return Problem("adapter.crashed",
                       "the adapter " + exchange.detail + " before answering");
    }
    return Problem("adapter.crashed", "unknown exchange state");
  }

 private:
  AdapterOptions options_;
  AdapterProcess process_;
  int dead_starts_ = 0;
  bool answered_ = false;
  std::string last_death_;
};

}  // namespace

std::string AdapterRequest(const SuiteSpec& suite, const VectorTest& test) {
  Json request = Json::EmptyObject();
  request.Set("id", test.id);
  request.Set("suite", suite.name);
  request.Set("room_version",
              test.room_version.empty() ? Json() : Json(test.room_version));
  request.Set("input", *test.input);
  return CanonicalJson(request);
}

Backend MakeAdapterBackend(const AdapterOptions& options) {
  auto client = std::make_shared<AdapterClient>(options);
  return [client](const SuiteSpec& suite, const VectorTest& test) {
    return client->Run(suite, test);
  };
}

}  // namespace mxstate::vectors

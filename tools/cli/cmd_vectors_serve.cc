// mxstate vectors serve: mxstate as an adapter (docs/adapters.md). Reads
// requests as JSON Lines on stdin and answers each with libstate, in
// process, through the same suite code as `vectors run`. It proves the
// protocol end to end: `vectors run --impl 'mxstate vectors serve'` must
// agree with `vectors run`.
#include <cstdio>
#include <exception>
#include <iostream>
#include <string>

#include "cli/cli_io.h"
#include "cli/command.h"
#include "mxstate/canonical_json.h"
#include "vectors/adapter_runner.h"
#include "vectors/suites.h"
#include "vectors/vector_file.h"

namespace mxstate::cli {
namespace po = boost::program_options;
namespace {

// A request line may carry a whole room; the bound matches the vector
// files' own.
constexpr size_t kMaxRequestBytes = size_t{256} * 1024 * 1024;

Json ErrorAnswer(const Json& id, std::string_view code, const std::string& message) {
  Json error = Json::EmptyObject();
  error.Set("code", code);
  error.Set("message", message);
  Json answer = Json::EmptyObject();
  answer.Set("id", id);
  answer.Set("error", std::move(error));
  return answer;
}

// The request as a one-test vector file, so that it is validated by the
// very code that validates corpus files (LoadVectorFile).
Json AsVectorFile(const std::string& suite, const Json* room_version,
                  const Json& input) {
  Json test = Json::EmptyObject();
  test.Set("id", "serve");
  if (room_version != nullptr && !room_version->is_null()) {
    test.Set("room_version", *room_version);
  }
  test.Set("input", input);
  test.Set("result", "invalid");  // any value will do: nothing is judged here
  Json file = Json::EmptyObject();
  file.Set("format", vectors::kFormatV1);
  file.Set("suite", suite);
  file.Set("tests", Json(Json::Array{std::move(test)}));
  return file;
}

Json AnswerRequest(const Json& id, const Json& request);

Json Answer(std::string_view line) {
  Result<Json> request = vectors::ParseVectorText(line);
  if (!request || !request->is_object()) {
    return ErrorAnswer(Json(), "bad_request", "the request is not a JSON object");
  }
  const Json* id_member = request->Find("id");
  const Json id = id_member ? *id_member : Json();
  try {
    return AnswerRequest(id, *request);
  } catch (const std::exception& e) {
    // A bug must cost one answer, not the rest of the run.
    return ErrorAnswer(id, "internal", e.what());
  }
}

Json AnswerRequest(const Json& id, const Json& request) {
  const std::string* suite = request.FindString("suite");
  const Json* input = request.Find("input");
  if (!id.is_string() || suite == nullptr || input == nullptr) {
    return ErrorAnswer(id, "bad_request", "a request needs id, suite and input");
  }
  if (vectors::FindSuite(*suite) == nullptr) {
    return ErrorAnswer(id, vectors::kUnsupportedCode, "unknown suite " + *suite);
  }
  std::vector<vectors::FileError> problems;
  std::optional<vectors::VectorFile> file = vectors::LoadVectorFile(
      CanonicalJson(AsVectorFile(*suite, request.Find("room_version"), *input)),
      "request", &problems);
  if (!file) {
    return ErrorAnswer(id, "bad_request",
                       problems.empty() ? "invalid request"
                                        : problems.front().error.message);
  }
  const vectors::SuiteRun run =
      vectors::RunSuiteTest(*file->suite, file->tests.front());
  if (!run.harness_problem.empty()) {
    return ErrorAnswer(id, "bad_request", run.harness_problem);
  }
  Json answer = Json::EmptyObject();
  answer.Set("id", id);
  answer.Set("result", run.valid ? "valid" : "invalid");
  if (!run.output.is_null()) answer.Set("output", run.output);
  if (run.error) answer.Set("reason", run.error->ToString());
  return answer;
}

}  // namespace

int RunVectorsServe(const Args& args) {
  po::options_description options("Options");
  po::positional_options_description positional;
  po::variables_map vm;
  if (!ParseCommandLine(
          args, options, positional,
          {"mxstate vectors serve",
           "Answers the adapter protocol (docs/adapters.md) on stdin/stdout:\n"
           "one JSON request per line in, one JSON answer per line out, computed\n"
           "by libstate. `mxstate vectors run --impl 'mxstate vectors serve'`\n"
           "runs the corpus through it. Exit 0 at the end of input, 3 when a\n"
           "request line exceeds 256 MiB.\n"},
          &vm)) {
    return kExitOk;
  }
  std::string line;
  int c;
  while ((c = std::getchar()) != EOF) {
    if (c != '\n') {
      line.push_back(static_cast<char>(c));
      if (line.size() > kMaxRequestBytes) {
        PrintError({"vectors.request_too_long", "adapter protocol",
                    "a request line exceeds 256 MiB"});
        return kExitNoVerdict;
      }
      continue;
    }
    if (line.find_first_not_of(" \t\r") == std::string::npos) {
      line.clear();
      continue;
    }
    const Json answer = Answer(line);
    line.clear();
    std::cout << CanonicalJson(answer) << '\n' << std::flush;
    if (!std::cout) return kExitNoVerdict;  // the runner went away
  }
  return kExitOk;
}

}  // namespace mxstate::cli

// RunVectors: load, validate, run and judge; see runner.h for the rules.
#include "vectors/runner.h"

#include <algorithm>
#include <set>
#include <string>
#include <utility>

#include "mxstate/canonical_json.h"
#include "vectors/corpus_files.h"
#include "vectors/suites.h"
#include "vectors/text_util.h"
#include "vectors/vector_file.h"

namespace mxstate::vectors {
namespace {

std::string Describe(const Json& value) {
  return SanitizeUtf8(CanonicalJson(value));
}

// `value` with its `rejected` and `soft_failed` arrays sorted, so that two
// lists compare as sets.
Json WithSortedRejected(Json value) {
  for (const char* key : {"rejected", "soft_failed"}) {
    if (Json* list = value.Find(key); list && list->is_array()) {
      std::sort(list->as_array().begin(), list->as_array().end(),
                [](const Json& a, const Json& b) { return CanonicalJson(a) < CanonicalJson(b); });
    }
  }
  return value;
}

// Whether `output` matches `expected` for a valid test of `suite`.
bool OutputMatches(const SuiteSpec& suite, const Json& output,
                   const Json& expected) {
  if (suite.name == "room") {
    // "the events that must be rejected (order does not matter)": compare
    // the lists (rejected, soft_failed) as sets (an adapter may answer in any order).
    return WithSortedRejected(output) == WithSortedRejected(expected);
  }
  if (suite.all_expected_keys_required) return output == expected;
  // event-id: only the keys the vector lists (see runner.h).
  for (const auto& [key, value] : expected.as_object()) {
    const Json* got = output.Find(key);
    if (got == nullptr || !(*got == value)) return false;
  }
  return true;
}

// Fills the verdict and reason of `outcome` from what libstate said.
void Judge(const SuiteSpec& suite, const VectorTest& test, SuiteRun run,
           TestOutcome* outcome) {
  outcome->output = std::move(run.output);
  outcome->error = std::move(run.error);
  outcome->verdict = TestVerdict::kFail;
  if (run.unsupported) {
    outcome->verdict = TestVerdict::kSkip;
    outcome->reason = "unsupported" + (run.note.empty() ? "" : ": " + run.note);
    return;
  }
  if (!run.harness_problem.empty()) {
    outcome->reason = run.harness_problem;
    return;
  }
  outcome->result = run.valid ? "valid" : "invalid";
  if (run.valid != test.expect_valid) {
    outcome->reason = "expected " + outcome->expected_result + ", got " +
                      outcome->result;
    if (!run.note.empty()) {
      outcome->reason += " (" + SanitizeUtf8(run.note) + ")";
    } else if (outcome->error) {
      outcome->reason += " (" + SanitizeUtf8(outcome->error->ToString()) + ")";
    } else if (!outcome->output.is_null()) {
      outcome->reason += " with output " + Describe(outcome->output);
    }
    return;
  }
  if (test.expected != nullptr && run.valid &&
      !OutputMatches(suite, outcome->output, *test.expected)) {
    outcome->reason = "output differs\n  expected: " +
                      Describe(*test.expected) +
                      "\n  got:      " + Describe(outcome->output);
    return;
  }
  if (test.expected != nullptr && !run.valid) {
    const std::string* code = test.expected->FindString("error");
    if (code != nullptr && outcome->error && *code != outcome->error->code) {
      outcome->reason = "invalid as expected, but error code differs\n"
                        "  expected: " + *code + "\n  got:      " +
                        SanitizeUtf8(outcome->error->ToString());
      return;
    }
  }
  outcome->verdict = TestVerdict::kPass;
}

class Runner {
 public:
  Runner(const RunOptions& options, RunReport* report)
      : options_(options), report_(report) {}

  void RunText(std::string_view text, const std::string& path) {
    report_->files.push_back(path);
    std::optional<VectorFile> file =
        LoadVectorFile(text, path, &report_->file_errors);
    if (!file) return;
    for (const VectorTest& test : file->tests) {
      if (!test.id.starts_with(options_.id_prefix)) continue;
      if (!seen_ids_.insert(test.id).second) {
        report_->file_errors.push_back(FileError{
            path, test.id,
            Error{"vectors.duplicate_id", "spec-vectors format",
                  "test id \"" + test.id + "\" is used more than once"}});
        continue;
      }
      RunTest(*file, test);
    }
  }

  void Finish() {
    for (const TestOutcome& test : report_->tests) {
      switch (test.verdict) {
        case TestVerdict::kPass: ++report_->passed; break;
        case TestVerdict::kFail: ++report_->failed; break;
        case TestVerdict::kSkip: ++report_->skipped; break;
      }
    }
    report_->failed += report_->file_errors.size();
  }

 private:
  void RunTest(const VectorFile& file, const VectorTest& test) {
    TestOutcome outcome;
    outcome.id = test.id;
    outcome.file = file.path;
    outcome.suite = std::string(file.suite->name);
    outcome.room_version = test.room_version;
    outcome.expected_result = test.expect_valid ? "valid" : "invalid";
    if (test.expected != nullptr) outcome.expected = *test.expected;
    if (!options_.backend && !file.suite->implemented) {
      outcome.verdict = TestVerdict::kSkip;
      outcome.reason = "suite " + outcome.suite + " is not implemented yet";
    } else {
      try {
        Judge(*file.suite, test,
              options_.backend ? options_.backend(*file.suite, test)
                               : RunSuiteTest(*file.suite, test),
              &outcome);
      } catch (const std::exception& e) {
        // A library bug must show up as this test failing, not end the run.
        outcome.verdict = TestVerdict::kFail;
        outcome.reason = std::string("exception: ") + e.what();
      }
    }
    report_->tests.push_back(std::move(outcome));
    if (options_.on_test) options_.on_test(report_->tests.back());
  }

  const RunOptions& options_;
  RunReport* report_;
  std::set<std::string, std::less<>> seen_ids_;
};

}  // namespace

std::string_view ToString(TestVerdict verdict) {
  switch (verdict) {
    case TestVerdict::kPass: return "pass";
    case TestVerdict::kFail: return "fail";
    case TestVerdict::kSkip: return "skip";
  }
  return "fail";
}

RunReport RunVectors(const std::vector<std::string>& paths,
                     const RunOptions& options) {
  RunReport report;
  Runner runner(options, &report);
  for (const std::string& path :
       CollectVectorFiles(paths, &report.file_errors)) {
    Result<std::string> text = ReadFileText(path);
    if (!text) {
      report.files.push_back(path);
      report.file_errors.push_back(FileError{
          path, "", Error{"vectors.unreadable", "spec-vectors format",
                          text.error().message}});
      continue;
    }
    runner.RunText(*text, path);
  }
  runner.Finish();
  return report;
}

RunReport RunVectorText(std::string_view text, const std::string& file_name,
                        const RunOptions& options) {
  RunReport report;
  Runner runner(options, &report);
  runner.RunText(text, file_name);
  runner.Finish();
  return report;
}

}  // namespace mxstate::vectors

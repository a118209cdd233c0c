// The spec-vectors runner: loads corpora in the format of
// spec-vectors/README (format "mxstate-vectors/1"), runs every test against
// libstate and reports the outcome as text, JSON or JUnit XML.
//
// Used by `mxstate vectors run` and by the corpus ctest, so that users and CI
// run exactly the same code.
//
// Semantics, in short:
//  * A path is a file or a directory; directories are searched recursively
//    for *.json files (sorted by path; a folder named `schema` is skipped).
//  * A file that breaks the format (unknown or missing fields, wrong
//    `format`, unknown `suite`, bad `result`, duplicate id across all files,
//    a path that holds no vector file) gives a FileError. A FileError is
//    counted as a failure, never as a pass. A structural error stops the
//    file's tests from running; a duplicate id stops only that test.
//  * Every suite of the format runs. By default libstate answers in
//    process; RunOptions::backend lets another implementation answer (the
//    adapter runner, adapter_runner.h) and the judging is the same.
//  * A test passes iff its result ("valid"/"invalid") is the expected one
//    and, when valid and `expected` is given, the output equals `expected`
//    by JSON value (canonical-json: the `canonical` string byte for byte;
//    event-id: only the keys `expected` lists are compared, since v1-2
//    vectors carry only `reference_hash`; room: `rejected` as a set). When
//    invalid and `expected.error` is given, it must equal libstate's error
//    code (a backend that gives no error code is not held to it: the format
//    calls the code informational for other implementations).
//  * A backend may answer "unsupported": the test is skipped, with that
//    reason (never a pass).
//  * Vector files are parsed with NumberPolicy::kLegacyPython so that no
//    number is lost or refused while reading; each event/object under test
//    is then judged with CheckNumbers for its room version's policy.
#ifndef MXSTATE_TOOLS_VECTORS_RUNNER_H_
#define MXSTATE_TOOLS_VECTORS_RUNNER_H_

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mxstate/json.h"
#include "mxstate/status.h"

namespace mxstate::vectors {

// The only format this runner accepts.
inline constexpr std::string_view kFormatV1 = "mxstate-vectors/1";

enum class TestVerdict { kPass, kFail, kSkip };
// "pass", "fail" or "skip".
std::string_view ToString(TestVerdict verdict);

// The outcome of one test.
struct TestOutcome {
  std::string id;
  std::string file;
  std::string suite;
  std::string room_version;     // empty when the test has none
  std::string expected_result;  // "valid" or "invalid"
  std::string result;           // what libstate said; empty when not run
  TestVerdict verdict = TestVerdict::kFail;
  Json output;                  // null when there is none
  Json expected;                // null when the vector gives none
  std::optional<Error> error;   // libstate's error when result is invalid
  std::string reason;           // why it failed or was skipped; empty on pass
};

// A problem with a file (or one of its tests) as opposed to a test outcome.
// `error.code` is one of vectors.not_found, vectors.no_files,
// vectors.unreadable, vectors.bad_json, vectors.bad_format,
// vectors.unknown_suite, vectors.unknown_field, vectors.missing_field,
// vectors.bad_type, vectors.bad_value, vectors.duplicate_id.
struct FileError {
  std::string file;
  std::string test_id;  // empty when the problem is not about one test
  Error error;
};

struct SuiteSpec;
struct VectorTest;
struct SuiteRun;
// Answers one test (suites.h's SuiteRun). REQUIRES of callers: the test was
// validated by LoadVectorFile.
using Backend = std::function<SuiteRun(const SuiteSpec&, const VectorTest&)>;

struct RunOptions {
  // When non-empty, only tests whose id starts with this prefix run; the
  // others are left out of the report entirely.
  std::string id_prefix;
  // Called after each test, in run order (for progress output); may be empty.
  std::function<void(const TestOutcome&)> on_test;
  // Who answers the tests; empty means libstate in process (RunSuiteTest).
  Backend backend;
};

struct RunReport {
  std::vector<std::string> files;  // every vector file read, in run order
  std::vector<TestOutcome> tests;  // in run order
  std::vector<FileError> file_errors;
  size_t passed = 0;
  size_t failed = 0;   // failed tests plus file errors
  size_t skipped = 0;
  bool ok() const { return failed == 0; }
};

// Runs every vector file found under `paths`. Never throws for bad input;
// problems become FileErrors or failed tests.
RunReport RunVectors(const std::vector<std::string>& paths,
                     const RunOptions& options = {});

// Runs one vector file given as text (`file_name` is only used in reports).
// Ids are checked for uniqueness within this text only.
RunReport RunVectorText(std::string_view text, const std::string& file_name,
                        const RunOptions& options = {});

// "N passed, N failed" plus ", N skipped" when N > 0.
std::string SummaryLine(const RunReport& report);

// Human report: one block per failing test (id, file, expected vs got) and
// per file error; with `verbose`, a line per passed or skipped test too. Ends
// with SummaryLine and a newline.
std::string TextReport(const RunReport& report, bool verbose);

// {"tests":[{id, file, suite, room_version, expected_result, result,
//   verdict, output, expected, error:{code,message,rule}, reason}],
//  "file_errors":[{file, test_id, code, message, rule}],
//  "summary":{passed, failed, skipped, file_errors, ok}}
// Members that do not apply are omitted. Strings are made valid UTF-8.
Json ReportJson(const RunReport& report);

// JUnit XML: one <testsuite> per suite (name = suite), a <testcase
// classname=suite name=id file=...> per test with <failure type=CODE> or
// <skipped>, and a "file-errors" testsuite holding one failing testcase per
// FileError.
std::string JunitXml(const RunReport& report);

// ---- lint ----

struct LintProblem {
  std::string file;
  std::string where;    // JSON pointer of the offending value ("" = root)
  std::string message;
};

struct LintReport {
  size_t files = 0;
  size_t tests = 0;
  std::vector<LintProblem> problems;
  // Schema keywords this linter does not interpret (so it checked less than
  // the schema asks); not problems, but the CLI prints them.
  std::vector<std::string> notes;
  bool ok() const { return problems.empty(); }
};

// Checks each vector file found under `paths` against the JSON Schema at
// `schema_path` (keywords: type, required, properties, additionalProperties,
// patternProperties, enum, const, pattern, items, minItems, maxItems,
// minLength, maxLength, minimum, maximum, allOf, anyOf, oneOf, not,
// if/then/else, $ref to "#/definitions/..." or "#/$defs/..."), plus
// project rules: ids unique across all files, and a non-empty `source` on
// every test. A schema that cannot be read is one problem (file = schema).
LintReport LintVectors(const std::vector<std::string>& paths,
                       const std::string& schema_path);

// "N files, N tests, N problems".
std::string LintSummaryLine(const LintReport& report);

// The schema file name looked for by FindDefaultSchema.
inline constexpr std::string_view kSchemaRelativePath =
    "schema/mxstate-vectors-1.schema.json";

// Looks for the schema next to the corpus: from `corpus_path` (or its parent
// folder when it is a file) up to the root, tries `<dir>/schema/...` and
// `<dir>/spec-vectors/schema/...`; then the same walk from `fallback_dir`
// (the CLI passes its executable's folder, so a build tree inside the repo
// finds `<repo>/spec-vectors/schema/...`). Returns nullopt when none exists.
std::optional<std::string> FindDefaultSchema(const std::string& corpus_path,
                                             const std::string& fallback_dir);

}  // namespace mxstate::vectors

#endif  // MXSTATE_TOOLS_VECTORS_RUNNER_H_

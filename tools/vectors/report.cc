// Text and JSON renderings of a RunReport.
#include <string>
#include <utility>

#include "mxstate/canonical_json.h"
#include "vectors/runner.h"
#include "vectors/text_util.h"

namespace mxstate::vectors {
namespace {

Json ErrorJson(const Error& error) {
  Json object = Json::EmptyObject();
  object.Set("code", SanitizeUtf8(error.code));
  object.Set("message", SanitizeUtf8(error.message));
  object.Set("rule", SanitizeUtf8(error.rule));
  return object;
}

// Strings inside outputs may come from invalid-UTF-8 test inputs; make the
// whole value printable as valid UTF-8.
Json SanitizedJson(const Json& value) {
  switch (value.kind()) {
    case Json::Kind::kString:
      return Json(SanitizeUtf8(value.as_string()));
    case Json::Kind::kArray: {
      Json::Array items;
      for (const Json& item : value.as_array()) {
        items.push_back(SanitizedJson(item));
      }
      return Json(std::move(items));
    }
    case Json::Kind::kObject: {
      Json::Object members;
      for (const auto& [key, member] : value.as_object()) {
        members.emplace_back(SanitizeUtf8(key), SanitizedJson(member));
      }
      return Json::MakeObject(std::move(members));
    }
    default:
      return value;
  }
}

Json TestJson(const TestOutcome& test) {
  Json object = Json::EmptyObject();
  object.Set("id", test.id);
  object.Set("file", SanitizeUtf8(test.file));
  object.Set("suite", test.suite);
  if (!test.room_version.empty()) object.Set("room_version", test.room_version);
  object.Set("expected_result", test.expected_result);
  if (!test.result.empty()) object.Set("result", test.result);
  object.Set("verdict", std::string(ToString(test.verdict)));
  if (!test.output.is_null()) object.Set("output", SanitizedJson(test.output));
  if (!test.expected.is_null()) {
    object.Set("expected", SanitizedJson(test.expected));
  }
  if (test.error) object.Set("error", ErrorJson(*test.error));
  if (!test.reason.empty()) object.Set("reason", SanitizeUtf8(test.reason));
  return object;
}

}  // namespace

std::string SummaryLine(const RunReport& report) {
  std::string line = std::to_string(report.passed) + " passed, " +
                     std::to_string(report.failed) + " failed";
  if (report.skipped > 0) {
    line += ", " + std::to_string(report.skipped) + " skipped";
  }
  return line;
}

std::string TextReport(const RunReport& report, bool verbose) {
  std::string out;
  for (const FileError& error : report.file_errors) {
    out += "FILE ERROR " + error.file;
    if (!error.test_id.empty()) out += " [" + error.test_id + "]";
    out += ": " + error.error.code + ": " + error.error.message + "\n";
  }
  for (const TestOutcome& test : report.tests) {
    if (test.verdict == TestVerdict::kFail) {
      out += "FAIL " + test.id + " (" + test.file + ")\n  " + test.reason +
             "\n";
    } else if (verbose) {
      out += (test.verdict == TestVerdict::kPass ? "pass " : "skip ") +
             test.id + (test.reason.empty() ? "" : ": " + test.reason) + "\n";
    }
  }
  out += SummaryLine(report) + "\n";
  return SanitizeUtf8(out);
}

Json ReportJson(const RunReport& report) {
  Json::Array tests;
  for (const TestOutcome& test : report.tests) tests.push_back(TestJson(test));
  Json::Array file_errors;
  for (const FileError& error : report.file_errors) {
    Json object = ErrorJson(error.error);
    object.Set("file", SanitizeUtf8(error.file));
    if (!error.test_id.empty()) {
      object.Set("test_id", SanitizeUtf8(error.test_id));
    }
    file_errors.push_back(std::move(object));
  }
  Json summary = Json::EmptyObject();
  summary.Set("passed", static_cast<int64_t>(report.passed));
  summary.Set("failed", static_cast<int64_t>(report.failed));
  summary.Set("skipped", static_cast<int64_t>(report.skipped));
  summary.Set("file_errors", static_cast<int64_t>(report.file_errors.size()));
  summary.Set("files", static_cast<int64_t>(report.files.size()));
  summary.Set("ok", report.ok());
  Json document = Json::EmptyObject();
  document.Set("tests", Json(std::move(tests)));
  document.Set("file_errors", Json(std::move(file_errors)));
  document.Set("summary", std::move(summary));
  return document;
}

}  // namespace mxstate::vectors

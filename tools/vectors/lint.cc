// LintVectors: JSON Schema plus the project's own corpus rules.
#include <filesystem>
#include <set>
#include <string>
#include <utility>

#include "vectors/corpus_files.h"
#include "vectors/json_schema.h"
#include "vectors/runner.h"
#include "vectors/text_util.h"
#include "vectors/vector_file.h"

namespace mxstate::vectors {
namespace fs = std::filesystem;
namespace {

// Project rules beyond the schema: unique ids across files, and a source on
// every test (the format makes `source` optional; this corpus does not).
// `schema_flagged` holds the tests (by pointer) whose missing source the
// schema already reported, so that it is not reported twice.
void CheckProjectRules(const Json& document, const std::string& file,
                       const std::set<std::string>& schema_flagged,
                       std::set<std::string, std::less<>>* seen_ids,
                       LintReport* report) {
  const Json* tests = document.Find("tests");
  if (tests == nullptr || !tests->is_array()) return;
  report->tests += tests->as_array().size();
  for (size_t i = 0; i < tests->as_array().size(); ++i) {
    const Json& test = tests->as_array()[i];
    const std::string where = "/tests/" + std::to_string(i);
    if (const std::string* id = test.FindString("id")) {
      if (!seen_ids->insert(*id).second) {
        report->problems.push_back(
            {file, where + "/id", "duplicate test id \"" + *id + "\""});
      }
    }
    const std::string* source = test.FindString("source");
    if ((source == nullptr || source->empty()) &&
        !schema_flagged.contains(where)) {
      report->problems.push_back(
          {file, where,
           "test has no \"source\" (spec, hand-worked, or another "
           "implementation and its version)"});
    }
  }
}

std::optional<std::string> SchemaIn(const fs::path& start) {
  std::error_code ec;
  for (fs::path dir = start; !dir.empty(); dir = dir.parent_path()) {
    for (const fs::path& candidate :
         {dir / kSchemaRelativePath,
          dir / "spec-vectors" / kSchemaRelativePath}) {
      if (fs::is_regular_file(candidate, ec)) return candidate.string();
    }
    if (dir == dir.parent_path()) break;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> FindDefaultSchema(const std::string& corpus_path,
                                             const std::string& fallback_dir) {
  std::error_code ec;
  fs::path start = fs::absolute(corpus_path, ec);
  if (!ec && !fs::is_directory(start, ec)) start = start.parent_path();
  if (!ec) {
    if (std::optional<std::string> found = SchemaIn(start)) return found;
  }
  if (!fallback_dir.empty()) {
    if (std::optional<std::string> found =
            SchemaIn(fs::absolute(fallback_dir, ec))) {
      return found;
    }
  }
  return std::nullopt;
}

LintReport LintVectors(const std::vector<std::string>& paths,
                       const std::string& schema_path) {
  LintReport report;
  Result<std::string> schema_text = ReadFileText(schema_path);
  if (!schema_text) {
    report.problems.push_back(
        {schema_path, "", "cannot read the schema: " + schema_text.error().message});
    return report;
  }
  Result<Json> schema_json = ParseVectorText(*schema_text);
  if (!schema_json) {
    report.problems.push_back(
        {schema_path, "", "the schema is not JSON: " +
                              schema_json.error().ToString()});
    return report;
  }
  JsonSchema schema(std::move(*schema_json));

  std::vector<FileError> path_errors;
  const std::vector<std::string> files = CollectVectorFiles(paths, &path_errors);
  for (const FileError& error : path_errors) {
    report.problems.push_back({error.file, "", error.error.message});
  }
  std::set<std::string, std::less<>> seen_ids;
  for (const std::string& file : files) {
    ++report.files;
    Result<std::string> text = ReadFileText(file);
    if (!text) {
      report.problems.push_back({file, "", text.error().message});
      continue;
    }
    Result<Json> document = ParseVectorText(*text);
    if (!document) {
      report.problems.push_back(
          {file, "", "not JSON: " + document.error().ToString()});
      continue;
    }
    std::vector<SchemaProblem> problems;
    schema.Validate(*document, &problems);
    std::set<std::string> schema_flagged;
    for (SchemaProblem& problem : problems) {
      if (problem.message == "missing required member \"source\"") {
        schema_flagged.insert(problem.pointer);
      }
      report.problems.push_back(
          {file, SanitizeUtf8(problem.pointer), std::move(problem.message)});
    }
    CheckProjectRules(*document, file, schema_flagged, &seen_ids, &report);
  }
  for (const std::string& keyword : schema.unsupported_keywords()) {
    report.notes.push_back("schema keyword \"" + keyword +
                           "\" is not interpreted by this linter");
  }
  return report;
}

std::string LintSummaryLine(const LintReport& report) {
  return std::to_string(report.files) + " files, " +
         std::to_string(report.tests) + " tests, " +
         std::to_string(report.problems.size()) + " problems";
}

}  // namespace mxstate::vectors

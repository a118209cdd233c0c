#include "vectors/vector_file.h"

#include <algorithm>
#include <regex>
#include <utility>

#include "mxstate/canonical_json.h"

namespace mxstate::vectors {
namespace {

constexpr std::string_view kRule = "spec-vectors format";

bool Contains(const std::vector<std::string_view>& list, std::string_view s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

// Collects the problems of one file.
class Checker {
 public:
  Checker(const std::string& path, std::vector<FileError>* errors)
      : path_(path), errors_(errors) {}

  void Problem(const std::string& test_id, std::string code,
               std::string message) {
    errors_->push_back(FileError{
        path_, test_id,
        Error{std::move(code), std::string(kRule), std::move(message)}});
    ++count_;
  }
  size_t count() const { return count_; }

  // Every member of `object` must be in `allowed`.
  void OnlyKnownKeys(const Json& object,
                     const std::vector<std::string_view>& allowed,
                     const std::string& test_id, const std::string& where) {
    for (const auto& [key, value] : object.as_object()) {
      if (!Contains(allowed, key)) {
        Problem(test_id, "vectors.unknown_field",
                "unknown field \"" + key + "\" in " + where);
      }
    }
  }

  // The member `key` when it is present and a string; reports otherwise.
  const std::string* RequiredString(const Json& object, std::string_view key,
                                    const std::string& test_id,
                                    const std::string& where) {
    const Json* value = object.Find(key);
    if (value == nullptr) {
      Problem(test_id, "vectors.missing_field",
              "missing field \"" + std::string(key) + "\" in " + where);
      return nullptr;
    }
    if (!value->is_string()) {
      Problem(test_id, "vectors.bad_type",
              where + "." + std::string(key) + " must be a string, not " +
                  std::string(value->KindName()));
      return nullptr;
    }
    return &value->as_string();
  }

  void OptionalString(const Json& object, std::string_view key,
                      const std::string& test_id, const std::string& where) {
    const Json* value = object.Find(key);
    if (value != nullptr && !value->is_string()) {
      Problem(test_id, "vectors.bad_type",
              where + "." + std::string(key) + " must be a string");
    }
  }

  void OptionalStringArray(const Json& object, std::string_view key,
                           const std::string& test_id,
                           const std::string& where) {
    const Json* value = object.Find(key);
    if (value == nullptr) return;
    bool ok = value->is_array();
    if (ok) {
      for (const Json& item : value->as_array()) ok = ok && item.is_string();
    }
    if (!ok) {
      Problem(test_id, "vectors.bad_type",
              where + "." + std::string(key) + " must be an array of strings");
    }
  }

 private:
  const std::string& path_;
  std::vector<FileError>* errors_;
  size_t count_ = 0;
};

bool IsValidTestId(const std::string& id) {
  static const std::regex kIdPattern("[a-z0-9._/-]+");
  return std::regex_match(id, kIdPattern);
}

void CheckSigningKey(const Json& input, Checker& checker,
                     const std::string& id) {
  const Json* key = input.Find("signing_key");
  if (key == nullptr) return;  // reported as a missing input key
  const std::string where = "input.signing_key";
  if (!key->is_object()) {
    checker.Problem(id, "vectors.bad_type", where + " must be an object");
    return;
  }
  checker.OnlyKnownKeys(*key, {"server_name", "key_id", "seed"}, id, where);
  for (std::string_view field : {"server_name", "key_id", "seed"}) {
    checker.RequiredString(*key, field, id, where);
  }
}

void CheckInput(const Json& input, const SuiteSpec& suite, Checker& checker,
                const std::string& id) {
  std::vector<std::string_view> allowed = suite.required_input;
  allowed.insert(allowed.end(), suite.optional_input.begin(),
                 suite.optional_input.end());
  allowed.insert(allowed.end(), suite.one_of_input.begin(),
                 suite.one_of_input.end());
  checker.OnlyKnownKeys(input, allowed, id, "input");
  for (std::string_view key : suite.required_input) {
    if (!input.Contains(key)) {
      checker.Problem(id, "vectors.missing_field",
                      "missing field \"" + std::string(key) + "\" in input");
    }
  }
  if (!suite.one_of_input.empty()) {
    size_t present = 0;
    std::string names;
    for (std::string_view key : suite.one_of_input) {
      present += input.Contains(key) ? 1 : 0;
      names += (names.empty() ? "" : " or ") + std::string(key);
    }
    if (present != 1) {
      checker.Problem(id,
                      present == 0 ? "vectors.missing_field"
                                   : "vectors.bad_value",
                      "input must hold exactly one of " + names);
    }
  }
  if (suite.name == "canonical-json") {
    checker.OptionalString(input, "json", id, "input");
    checker.OptionalString(input, "json_base64", id, "input");
  }
  if (suite.name == "sign-json" || suite.name == "sign-event") {
    CheckSigningKey(input, checker, id);
  }
  if (suite.name == "verify-event") {
    const Json* keys = input.Find("server_keys");
    if (keys != nullptr && !keys->is_object()) {
      checker.Problem(id, "vectors.bad_type",
                      "input.server_keys must be an object");
    }
  }
}

void CheckExpected(const Json* expected, bool expect_valid,
                   const SuiteSpec& suite, Checker& checker,
                   const std::string& id) {
  if (!expect_valid) {
    if (expected == nullptr) return;
    if (!expected->is_object()) {
      checker.Problem(id, "vectors.bad_type", "expected must be an object");
      return;
    }
    checker.OnlyKnownKeys(*expected, {"error"}, id,
                          "expected (an invalid test may only give \"error\")");
    checker.OptionalString(*expected, "error", id, "expected");
    return;
  }
  if (suite.expected_keys.empty()) {
    if (expected != nullptr) {
      checker.Problem(id, "vectors.unknown_field",
                      "suite " + std::string(suite.name) +
                          " has no output; a valid test takes no expected");
    }
    return;
  }
  if (expected == nullptr) {
    checker.Problem(id, "vectors.missing_field",
                    "a valid " + std::string(suite.name) +
                        " test needs \"expected\"");
    return;
  }
  if (!expected->is_object()) {
    checker.Problem(id, "vectors.bad_type", "expected must be an object");
    return;
  }
  checker.OnlyKnownKeys(*expected, suite.expected_keys, id, "expected");
  if (suite.all_expected_keys_required) {
    for (std::string_view key : suite.expected_keys) {
      if (!expected->Contains(key)) {
        checker.Problem(id, "vectors.missing_field",
                        "missing field \"" + std::string(key) +
                            "\" in expected");
      }
    }
  } else if (expected->size() == 0) {
    checker.Problem(id, "vectors.missing_field", "expected is empty");
  }
  if (suite.name == "canonical-json") {
    checker.OptionalString(*expected, "canonical", id, "expected");
  }
}

std::optional<VectorTest> CheckTest(const Json& test, size_t index,
                                    const SuiteSpec& suite, Checker& checker) {
  const std::string where = "tests[" + std::to_string(index) + "]";
  if (!test.is_object()) {
    checker.Problem("", "vectors.bad_type", where + " must be an object");
    return std::nullopt;
  }
  const size_t before = checker.count();
  VectorTest out;
  const std::string* id = test.FindString("id");
  const std::string id_for_errors = id != nullptr ? *id : "";
  if (checker.RequiredString(test, "id", id_for_errors, where) != nullptr) {
    out.id = *id;
    if (!IsValidTestId(out.id)) {
      checker.Problem(out.id, "vectors.bad_value",
                      "id must match [a-z0-9._/-]+");
    }
  }
  const std::string& tid = id_for_errors;
  checker.OnlyKnownKeys(test,
                        {"id", "room_version", "comment", "input", "result",
                         "expected", "flags", "source"},
                        tid, where);
  if (suite.room_version_required) {
    if (const std::string* v =
            checker.RequiredString(test, "room_version", tid, where)) {
      out.room_version = *v;
    }
  } else if (const Json* v = test.Find("room_version")) {
    if (v->is_string()) {
      out.room_version = v->as_string();
    } else {
      checker.Problem(tid, "vectors.bad_type",
                      where + ".room_version must be a string");
    }
  }
  if (const std::string* result =
          checker.RequiredString(test, "result", tid, where)) {
    if (*result == "valid" || *result == "invalid") {
      out.expect_valid = *result == "valid";
    } else {
      checker.Problem(tid, "vectors.bad_value",
                      "result must be \"valid\" or \"invalid\", not \"" +
                          *result + "\"");
    }
  }
  checker.OptionalString(test, "comment", tid, where);
  checker.OptionalString(test, "source", tid, where);
  checker.OptionalStringArray(test, "flags", tid, where);
  out.input = test.Find("input");
  if (out.input == nullptr) {
    checker.Problem(tid, "vectors.missing_field", where + " has no input");
  } else if (!out.input->is_object()) {
    checker.Problem(tid, "vectors.bad_type", where + ".input must be an object");
  } else {
    CheckInput(*out.input, suite, checker, tid);
  }
  out.expected = test.Find("expected");
  CheckExpected(out.expected, out.expect_valid, suite, checker, tid);
  if (checker.count() != before) return std::nullopt;
  return out;
}

}  // namespace

Result<Json> ParseVectorText(std::string_view text) {
  ParseOptions options;
  options.numbers = NumberPolicy::kLegacyPython;
  options.max_bytes = size_t{256} * 1024 * 1024;  // corpora can be large
  return ParseJson(text, options);
}

std::optional<VectorFile> LoadVectorFile(std::string_view text,
                                         const std::string& path,
                                         std::vector<FileError>* errors) {
  Checker checker(path, errors);
  Result<Json> parsed = ParseVectorText(text);
  if (!parsed) {
    checker.Problem("", "vectors.bad_json",
                    "not JSON: " + parsed.error().ToString());
    return std::nullopt;
  }
  VectorFile file;
  file.path = path;
  file.document = std::make_unique<Json>(std::move(*parsed));
  const Json& doc = *file.document;
  if (!doc.is_object()) {
    checker.Problem("", "vectors.bad_type", "the file must hold an object");
    return std::nullopt;
  }
  checker.OnlyKnownKeys(
      doc, {"format", "suite", "description", "references", "tests"}, "",
      "the file");
  if (const std::string* format =
          checker.RequiredString(doc, "format", "", "the file")) {
    if (*format != kFormatV1) {
      checker.Problem("", "vectors.bad_format",
                      "format is \"" + *format + "\"; this runner reads \"" +
                          std::string(kFormatV1) + "\"");
    }
  }
  if (const std::string* suite =
          checker.RequiredString(doc, "suite", "", "the file")) {
    file.suite = FindSuite(*suite);
    if (file.suite == nullptr) {
      checker.Problem("", "vectors.unknown_suite",
                      "unknown suite \"" + *suite + "\"");
    }
  }
  checker.OptionalString(doc, "description", "", "the file");
  checker.OptionalStringArray(doc, "references", "", "the file");
  const Json* tests = doc.Find("tests");
  if (tests == nullptr) {
    checker.Problem("", "vectors.missing_field", "the file has no tests");
  } else if (!tests->is_array() || tests->as_array().empty()) {
    checker.Problem("", "vectors.bad_type", "tests must be a non-empty array");
  } else if (file.suite != nullptr) {
    for (size_t i = 0; i < tests->as_array().size(); ++i) {
      std::optional<VectorTest> test =
          CheckTest(tests->as_array()[i], i, *file.suite, checker);
      if (test) file.tests.push_back(std::move(*test));
    }
  }
  if (checker.count() != 0) return std::nullopt;
  return file;
}

}  // namespace mxstate::vectors

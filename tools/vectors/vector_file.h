// Loading one vector file: parse it and check it against the format's
// structure (fields, types, suite shapes). Checking is strict, in the spirit
// of BoringSSL's FileTest, which fails on any attribute left unread: a typo
// in a field name must never make a test pass silently.
#ifndef MXSTATE_TOOLS_VECTORS_VECTOR_FILE_H_
#define MXSTATE_TOOLS_VECTORS_VECTOR_FILE_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mxstate/json.h"
#include "vectors/runner.h"
#include "vectors/suite_table.h"

namespace mxstate::vectors {

// One test of a loaded file. Pointers point into VectorFile::document and
// live as long as it.
struct VectorTest {
  std::string id;
  std::string room_version;  // empty when absent
  bool expect_valid = false;
  const Json* input = nullptr;     // an object
  const Json* expected = nullptr;  // nullptr when absent
};

struct VectorFile {
  std::string path;
  std::unique_ptr<Json> document;  // boxed so that VectorTest pointers stay put
  const SuiteSpec* suite = nullptr;
  std::vector<VectorTest> tests;
};

// Parses `text` (NumberPolicy::kLegacyPython, so every number survives) and
// validates it. On any problem appends FileErrors (all that were found, not
// just the first) and returns nullopt.
std::optional<VectorFile> LoadVectorFile(std::string_view text,
                                         const std::string& path,
                                         std::vector<FileError>* errors);

// Parses a vector file with the runner's reading policy.
Result<Json> ParseVectorText(std::string_view text);

}  // namespace mxstate::vectors

#endif  // MXSTATE_TOOLS_VECTORS_VECTOR_FILE_H_

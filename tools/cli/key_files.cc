#include "cli/key_files.h"

#include <algorithm>
#include <filesystem>
#include <vector>

#include "cli/cli_io.h"
#include "mxstate/canonical_json.h"

namespace mxstate::cli {
namespace fs = std::filesystem;
namespace {

Result<void> AddKeyFile(const std::string& path, KeyRing* keys) {
  Result<std::string> text = ReadInput(path);
  if (!text) return Fail(text.error());
  Result<Json> value =
      ParseJson(*text, InputParseOptions(NumberPolicy::kLegacyPython));
  if (!value) {
    Error error = value.error();
    error.message = path + ": " + error.message;
    return Fail(error);
  }
  if (Result<void> added = keys->AddAny(*value); !added) {
    Error error = added.error();
    error.message = path + ": " + error.message;
    return Fail(error);
  }
  return {};
}

}  // namespace

Result<KeyRing> LoadKeys(const std::string& path) {
  KeyRing keys;
  if (path.empty()) return keys;
  std::error_code ec;
  if (!fs::is_directory(path, ec)) {
    if (Result<void> added = AddKeyFile(path, &keys); !added) {
      return Fail(added.error());
    }
    return keys;
  }
  std::vector<std::string> files;
  for (const fs::directory_entry& entry : fs::directory_iterator(path, ec)) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  for (const std::string& file : files) {
    if (Result<void> added = AddKeyFile(file, &keys); !added) {
      return Fail(added.error());
    }
  }
  return keys;
}

}  // namespace mxstate::cli

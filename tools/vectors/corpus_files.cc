#include "vectors/corpus_files.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

namespace mxstate::vectors {
namespace fs = std::filesystem;

std::vector<std::string> CollectVectorFiles(const std::vector<std::string>& paths,
                                            std::vector<FileError>* errors) {
  return CollectFiles(paths, {".json"}, errors);
}

std::vector<std::string> CollectFiles(const std::vector<std::string>& paths,
                                      const std::vector<std::string>& extensions,
                                      std::vector<FileError>* errors) {
  std::string wanted;
  for (const std::string& ext : extensions) {
    wanted += (wanted.empty() ? "*" : " or *") + ext;
  }
  std::vector<std::string> files;
  for (const std::string& path : paths) {
    std::error_code ec;
    if (!fs::exists(path, ec)) {
      errors->push_back(FileError{
          path, "", Error{"vectors.not_found", "spec-vectors format",
                          "no such file or directory: " + path}});
      continue;
    }
    if (!fs::is_directory(path, ec)) {
      files.push_back(path);
      continue;
    }
    std::vector<std::string> found;
    fs::recursive_directory_iterator it(
        path, fs::directory_options::skip_permission_denied, ec);
    for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (it->is_directory(ec) && it->path().filename() == "schema") {
        it.disable_recursion_pending();
        continue;
      }
      if (it->is_regular_file(ec) &&
          std::find(extensions.begin(), extensions.end(),
                    it->path().extension().string()) != extensions.end()) {
        found.push_back(it->path().string());
      }
    }
    if (ec) {
      errors->push_back(FileError{
          path, "", Error{"vectors.unreadable", "spec-vectors format",
                          "cannot list " + path + ": " + ec.message()}});
    }
    if (found.empty() && !ec) {
      errors->push_back(FileError{
          path, "", Error{"vectors.no_files", "spec-vectors format",
                          "no " + wanted + " file under " + path}});
    }
    std::sort(found.begin(), found.end());
    files.insert(files.end(), found.begin(), found.end());
  }
  return files;
}

}  // namespace mxstate::vectors

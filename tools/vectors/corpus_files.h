// Finding the vector files under the paths given to the runner or linter.
#ifndef MXSTATE_TOOLS_VECTORS_CORPUS_FILES_H_
#define MXSTATE_TOOLS_VECTORS_CORPUS_FILES_H_

#include <string>
#include <vector>

#include "vectors/runner.h"

namespace mxstate::vectors {

// Expands `paths`: a file stays as given; a directory becomes its *.json
// files, recursively, sorted by path, skipping folders named `schema` (the
// JSON Schema is not a vector file). A path that does not exist, or a
// directory with no vector file, appends a FileError (vectors.not_found,
// vectors.no_files) so that an empty run cannot pass.
std::vector<std::string> CollectVectorFiles(const std::vector<std::string>& paths,
                                            std::vector<FileError>* errors);

// The same walk for files whose names end in one of `extensions` (".json",
// ".jsonl"), used by `mxstate check`.
std::vector<std::string> CollectFiles(const std::vector<std::string>& paths,
                                      const std::vector<std::string>& extensions,
                                      std::vector<FileError>* errors);

}  // namespace mxstate::vectors

#endif  // MXSTATE_TOOLS_VECTORS_CORPUS_FILES_H_

// Counts per suite and room version, and their tables: the results matrix
// of `vectors run --matrix` (pass, fail, unsupported) and the corpus table
// of `vectors stats` (valid, invalid), in the style of the results tables
// homeserver projects publish.
#ifndef MXSTATE_TOOLS_VECTORS_TALLY_H_
#define MXSTATE_TOOLS_VECTORS_TALLY_H_

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "vectors/runner.h"

namespace mxstate::vectors {

// Room versions in reading order: none ("") first, then numeric versions by
// number, then the others (org.matrix.hydra.11) by name.
struct VersionLess {
  bool operator()(const std::string& a, const std::string& b) const;
};

struct Tally {
  // What each count of a cell counts, e.g. {"pass", "fail", "unsupported"}.
  std::vector<std::string> kinds;
  // suite -> room version ("" = none) -> one count per kind.
  std::map<std::string, std::map<std::string, std::vector<size_t>, VersionLess>>
      cells;

  void Add(const std::string& suite, const std::string& version, size_t kind);
  // Every version that has a cell in some suite, in VersionLess order.
  std::vector<std::string> Versions() const;
};

// pass / fail / unsupported (skipped) per suite and version.
Tally TallyResults(const RunReport& report);

// valid / invalid vectors per suite and version, for the files under
// `paths`. File problems are appended to `errors` (those files add nothing).
Tally TallyVectors(const std::vector<std::string>& paths,
                   std::vector<FileError>* errors);

// A Markdown table: one row per suite, one column per version, a total
// column and row; a cell is its counts joined by "/" (empty when the suite
// has no test for that version), the legend says which is which.
std::string TallyMarkdown(const Tally& tally, std::string_view title);

// A self-contained HTML page with the same table, cells coloured for a
// results tally: green all passed, red some failed, grey all unsupported,
// yellow passed and unsupported.
std::string TallyHtml(const Tally& tally, std::string_view title);

}  // namespace mxstate::vectors

#endif  // MXSTATE_TOOLS_VECTORS_TALLY_H_

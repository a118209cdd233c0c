#include "vectors/tally.h"

#include <charconv>
#include <numeric>
#include <set>

#include "vectors/corpus_files.h"
#include "vectors/text_util.h"
#include "vectors/vector_file.h"

namespace mxstate::vectors {
namespace {

// The number a version string is, or -1 when it is not all digits.
long VersionNumber(const std::string& version) {
  long number = -1;
  const auto [end, ec] =
      std::from_chars(version.data(), version.data() + version.size(), number);
  return (ec == std::errc() && end == version.data() + version.size()) ? number : -1;
}

std::string ColumnName(const std::string& version) {
  return version.empty() ? "(none)" : version;
}

std::vector<size_t> Sum(std::vector<size_t> a, const std::vector<size_t>& b) {
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) a[i] += b[i];
  return a;
}

std::string CountsText(const std::vector<size_t>& counts) {
  std::string text;
  for (size_t count : counts) {
    text += (text.empty() ? "" : "/") + std::to_string(count);
  }
  return text;
}

// A rendered table: header, rows of cells (with the raw counts for
// colouring), and the total row.
struct Row {
  std::string name;
  std::vector<const std::vector<size_t>*> cells;  // nullptr: no test
  std::vector<size_t> total;
};

// The whole table, computed once for either rendering.
struct Layout {
  std::vector<std::string> versions;
  std::vector<Row> rows;
  std::map<std::string, std::vector<size_t>> column_totals;
  std::vector<size_t> grand_total;
};

Layout Lay(const Tally& tally) {
  Layout layout;
  layout.versions = tally.Versions();
  const std::vector<size_t> zero(tally.kinds.size(), 0);
  layout.grand_total = zero;
  for (const auto& [suite, by_version] : tally.cells) {
    Row row{suite, {}, zero};
    for (const std::string& version : layout.versions) {
      auto it = by_version.find(version);
      row.cells.push_back(it == by_version.end() ? nullptr : &it->second);
      if (it == by_version.end()) continue;
      row.total = Sum(row.total, it->second);
      auto [total, inserted] = layout.column_totals.try_emplace(version, zero);
      total->second = Sum(total->second, it->second);
    }
    layout.grand_total = Sum(layout.grand_total, row.total);
    layout.rows.push_back(std::move(row));
  }
  return layout;
}

std::string Legend(const Tally& tally) {
  std::string legend;
  for (const std::string& kind : tally.kinds) {
    legend += (legend.empty() ? "" : "/") + kind;
  }
  return legend;
}

// The colour class of a results cell (pass, fail, unsupported counts).
std::string CellClass(const std::vector<size_t>& counts) {
  if (counts.size() != 3) return "";
  if (counts[1] > 0) return "fail";
  if (counts[0] == 0) return "unsupported";
  return counts[2] == 0 ? "pass" : "mixed";
}

}  // namespace

bool VersionLess::operator()(const std::string& a, const std::string& b) const {
  if (a.empty() || b.empty()) return a.empty() && !b.empty();
  const long na = VersionNumber(a), nb = VersionNumber(b);
  if ((na < 0) != (nb < 0)) return na >= 0;  // numbers before names
  if (na >= 0) return na < nb;
  return a < b;
}

void Tally::Add(const std::string& suite, const std::string& version,
                size_t kind) {
  std::vector<size_t>& counts = cells[suite][version];
  counts.resize(kinds.size(), 0);
  if (kind < counts.size()) ++counts[kind];
}

std::vector<std::string> Tally::Versions() const {
  std::set<std::string, VersionLess> versions;
  for (const auto& [suite, by_version] : cells) {
    for (const auto& [version, counts] : by_version) versions.insert(version);
  }
  return {versions.begin(), versions.end()};
}

Tally TallyResults(const RunReport& report) {
  Tally tally{{"pass", "fail", "unsupported"}, {}};
  for (const TestOutcome& test : report.tests) {
    const size_t kind = test.verdict == TestVerdict::kPass   ? 0
                        : test.verdict == TestVerdict::kFail ? 1
                                                             : 2;
    tally.Add(test.suite, test.room_version, kind);
  }
  return tally;
}

Tally TallyVectors(const std::vector<std::string>& paths,
                   std::vector<FileError>* errors) {
  Tally tally{{"valid", "invalid"}, {}};
  for (const std::string& path : CollectVectorFiles(paths, errors)) {
    Result<std::string> text = ReadFileText(path);
    if (!text) {
      errors->push_back(FileError{path, "", Error{"vectors.unreadable",
                                                  "spec-vectors format",
                                                  text.error().message}});
      continue;
    }
    std::optional<VectorFile> file = LoadVectorFile(*text, path, errors);
    if (!file) continue;
    for (const VectorTest& test : file->tests) {
      tally.Add(std::string(file->suite->name), test.room_version,
                test.expect_valid ? 0 : 1);
    }
  }
  return tally;
}

std::string TallyMarkdown(const Tally& tally, std::string_view title) {
  Layout t = Lay(tally);
  std::string md = "## " + std::string(title) + "\n\nCells: " + Legend(tally) +
                   "; an empty cell has no test.\n\n| suite |";
  std::string rule = "|---|";
  for (const std::string& version : t.versions) {
    md += " " + ColumnName(version) + " |";
    rule += "---|";
  }
  md += " total |\n" + rule + "---|\n";
  for (const Row& row : t.rows) {
    md += "| " + row.name + " |";
    for (const auto* cell : row.cells) {
      md += " " + (cell ? CountsText(*cell) : std::string()) + " |";
    }
    md += " " + CountsText(row.total) + " |\n";
  }
  md += "| **total** |";
  for (const std::string& version : t.versions) {
    md += " " + CountsText(t.column_totals[version]) + " |";
  }
  md += " " + CountsText(t.grand_total) + " |\n";
  return md;
}

std::string TallyHtml(const Tally& tally, std::string_view title) {
  Layout t = Lay(tally);
  std::string html =
      "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" +
      XmlEscape(title) +
      "</title>\n<style>body{font-family:sans-serif}table{border-collapse:"
      "collapse}td,th{border:1px solid #999;padding:4px 8px;text-align:"
      "center}.pass{background:#c8f0c8}.fail{background:#f4b8b8}"
      ".unsupported{background:#ddd}.mixed{background:#f6e7a8}</style>"
      "</head>\n<body><h1>" + XmlEscape(title) + "</h1>\n<p>Cells: " +
      XmlEscape(Legend(tally)) + "; an empty cell has no test.</p>\n"
      "<table>\n<tr><th>suite</th>";
  for (const std::string& version : t.versions) {
    html += "<th>" + XmlEscape(ColumnName(version)) + "</th>";
  }
  html += "<th>total</th></tr>\n";
  for (const Row& row : t.rows) {
    html += "<tr><th>" + XmlEscape(row.name) + "</th>";
    for (const auto* cell : row.cells) {
      if (cell == nullptr) {
        html += "<td></td>";
      } else {
        html += "<td class=\"" + CellClass(*cell) + "\">" + CountsText(*cell) +
                "</td>";
      }
    }
    html += "<td class=\"" + CellClass(row.total) + "\">" +
            CountsText(row.total) + "</td></tr>\n";
  }
  html += "<tr><th>total</th>";
  for (const std::string& version : t.versions) {
    html += "<td>" + CountsText(t.column_totals[version]) + "</td>";
  }
  html += "<td class=\"" + CellClass(t.grand_total) + "\">" +
          CountsText(t.grand_total) + "</td></tr>\n</table></body></html>\n";
  return html;
}

}  // namespace mxstate::vectors

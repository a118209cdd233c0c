#include "cli/report_output.h"

#include <fstream>
#include <iostream>

#include "cli/cli_io.h"
#include "vectors/tally.h"

namespace mxstate::cli {
namespace {

bool WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  out.close();
  if (!out) {
    PrintError({"io.unwritable", "output", "cannot write " + path});
    return false;
  }
  return true;
}

}  // namespace

bool IsUnreadablePath(const vectors::FileError& error) {
  return error.error.code == "vectors.not_found" ||
         error.error.code == "vectors.unreadable" ||
         error.error.code == "vectors.no_files";
}

int EmitReport(const vectors::RunReport& report, const ReportOutputs& outputs) {
  bool written = true;
  if (!outputs.junit_path.empty()) {
    written = WriteFile(outputs.junit_path, vectors::JunitXml(report)) && written;
  }
  if (!outputs.matrix_path.empty()) {
    const vectors::Tally tally = vectors::TallyResults(report);
    const bool html = outputs.matrix_path.ends_with(".html") ||
                      outputs.matrix_path.ends_with(".htm");
    written = WriteFile(outputs.matrix_path,
                        html ? vectors::TallyHtml(tally, outputs.matrix_title)
                             : vectors::TallyMarkdown(tally, outputs.matrix_title)) &&
              written;
  }
  if (outputs.json) {
    PrintJson(vectors::ReportJson(report));
  } else {
    std::cout << vectors::TextReport(report, outputs.verbose);
  }
  // A path that cannot be read is "no verdict" (3) unless something was
  // read and failed (1 beats 3, as everywhere).
  size_t unreadable = 0;
  for (const vectors::FileError& e : report.file_errors) {
    if (IsUnreadablePath(e)) ++unreadable;
  }
  const int code = report.failed > unreadable ? kExitNo
                   : unreadable > 0           ? kExitNoVerdict
                                              : kExitOk;
  return CombineExitCodes(code, written ? kExitOk : kExitNoVerdict);
}

}  // namespace mxstate::cli

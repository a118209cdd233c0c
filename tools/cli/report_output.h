// Printing and writing a vectors::RunReport the way `vectors run` and
// `check` both do: text or --json on stdout, --junit and --matrix files,
// and the exit code.
#ifndef MXSTATE_TOOLS_CLI_REPORT_OUTPUT_H_
#define MXSTATE_TOOLS_CLI_REPORT_OUTPUT_H_

#include <string>

#include "vectors/runner.h"

namespace mxstate::cli {

struct ReportOutputs {
  bool json = false;         // one JSON document on stdout instead of text
  bool verbose = false;      // text: list passed and skipped tests too
  std::string junit_path;    // also write JUnit XML here
  std::string matrix_path;   // also write the suite x version matrix here
                             // (.html: an HTML page; otherwise Markdown)
  std::string matrix_title = "mxstate conformance results";
};

// Whether `error` is about a path that could not be read (not found,
// unreadable, no vector files), which is "no verdict" rather than "no".
bool IsUnreadablePath(const vectors::FileError& error);

// Writes the files, prints the report, returns the exit code: 1 when
// anything failed, 3 when only unreadable paths (not found, no files)
// failed, 0 otherwise (unsupported tests do not fail a run).
int EmitReport(const vectors::RunReport& report, const ReportOutputs& outputs);

}  // namespace mxstate::cli

#endif  // MXSTATE_TOOLS_CLI_REPORT_OUTPUT_H_

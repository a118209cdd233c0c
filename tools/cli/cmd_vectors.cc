// mxstate vectors run|lint: the spec-vectors runner and linter
// (tools/vectors/runner.h holds the semantics).
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "cli/cli_io.h"
#include "cli/command.h"
#include "cli/report_output.h"
#include "vectors/adapter_runner.h"
#include "vectors/runner.h"
#include "vectors/tally.h"

namespace mxstate::cli {
namespace po = boost::program_options;
namespace {

constexpr std::string_view kVectorsUsage =
    "usage: mxstate vectors run [--impl COMMAND] [--junit FILE] [--json] "
    "[--matrix FILE] [--verbose] [--filter PREFIX] PATH...\n"
    "       mxstate vectors lint [--schema FILE] PATH...\n"
    "       mxstate vectors stats PATH...\n"
    "       mxstate vectors serve   (the adapter protocol, for --impl)\n"
    "`mxstate vectors SUBCOMMAND --help` says more.\n";

// The folder holding the running executable, for the default schema.
std::string ExecutableDir() {
  std::error_code ec;
  const std::filesystem::path exe =
      std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string() : exe.parent_path().string();
}

int RunVectorsRun(const Args& args) {
  po::options_description options("Options");
  std::vector<std::string> paths;
  ReportOutputs outputs;
  vectors::RunOptions run_options;
  vectors::AdapterOptions adapter;
  options.add_options()
      ("path", po::value(&paths)->required(),
       "vector files or directories (searched recursively for *.json)")
      ("impl", po::value(&adapter.command),
       "run the tests through this adapter command (/bin/sh -c COMMAND) "
       "instead of libstate; see docs/adapters.md")
      ("timeout-ms", po::value(&adapter.timeout_ms)->default_value(10000),
       "with --impl: the time one test may take; then the adapter is killed "
       "and restarted")
      ("max-line-bytes", po::value(&adapter.max_line_bytes)->default_value(16u << 20),
       "with --impl: the longest answer line accepted")
      ("junit", po::value(&outputs.junit_path), "also write JUnit XML to this file")
      ("matrix", po::value(&outputs.matrix_path),
       "also write a suites x room versions table of pass/fail/unsupported "
       "counts to this file (HTML when it ends in .html, else Markdown)")
      ("title", po::value(&outputs.matrix_title),
       "the matrix's title (e.g. the implementation and its version)")
      ("json", po::bool_switch(&outputs.json),
       "print one JSON document with every test instead of text")
      ("verbose,v", po::bool_switch(&outputs.verbose),
       "list passed and skipped tests too")
      ("filter", po::value(&run_options.id_prefix),
       "run only tests whose id starts with this prefix");
  po::positional_options_description positional;
  positional.add("path", -1);
  po::variables_map vm;
  if (!ParseCommandLine(
          args, options, positional,
          {"mxstate vectors run [--impl COMMAND] [--junit FILE] [--json] "
           "[--matrix FILE] PATH...",
           "Runs corpora in the spec-vectors format (mxstate-vectors/1)\n"
           "against libstate, or with --impl against another implementation\n"
           "through the adapter protocol (docs/adapters.md). Prints each failing\n"
           "test (id, file, expected vs got) and each file error, then\n"
           "`N passed, N failed[, N skipped]`. A file that breaks the format\n"
           "(unknown or missing fields, unknown suite, duplicate id) is a file\n"
           "error and counts as a failure. With --impl, a test the adapter\n"
           "calls unsupported is skipped; a timeout, a crash or an unreadable\n"
           "answer fails that test (adapter.* codes) and the adapter is\n"
           "restarted. Exit 1 when anything failed, 3 when a path cannot be\n"
           "read, 0 otherwise.\n"},
          &vm)) {
    return kExitOk;
  }
  if (vm.count("impl") != 0) {
    if (adapter.command.empty()) throw UsageError("--impl needs a command");
    if (adapter.timeout_ms <= 0) throw UsageError("--timeout-ms must be positive");
    if (adapter.max_line_bytes < 1024) throw UsageError("--max-line-bytes must be at least 1024");
    run_options.backend = vectors::MakeAdapterBackend(adapter);
  }
  const vectors::RunReport report = vectors::RunVectors(paths, run_options);
  run_options.backend = nullptr;  // stops and reaps the adapter now
  return EmitReport(report, outputs);
}

int RunVectorsStats(const Args& args) {
  po::options_description options("Options");
  std::vector<std::string> paths;
  options.add_options()
      ("path", po::value(&paths)->required(),
       "vector files or directories (searched recursively for *.json)");
  po::positional_options_description positional;
  positional.add("path", -1);
  po::variables_map vm;
  if (!ParseCommandLine(
          args, options, positional,
          {"mxstate vectors stats PATH...",
           "Prints a Markdown table of the vectors per suite and room version\n"
           "(valid/invalid counts; an empty cell has no vector), as in\n"
           "docs/conformance.md. File problems go to stderr. Exit 1 when a file\n"
           "breaks the format, 3 when a path cannot be read.\n"},
          &vm)) {
    return kExitOk;
  }
  std::vector<vectors::FileError> errors;
  const vectors::Tally tally = vectors::TallyVectors(paths, &errors);
  std::cout << vectors::TallyMarkdown(tally, "Vectors per suite and room version");
  int code = kExitOk;
  for (const vectors::FileError& e : errors) {
    PrintError({e.error.code, e.error.rule, e.file + ": " + e.error.message});
    code = CombineExitCodes(code, IsUnreadablePath(e) ? kExitNoVerdict : kExitNo);
  }
  return code;
}

int RunVectorsLint(const Args& args) {
  po::options_description options("Options");
  std::vector<std::string> paths;
  std::string schema_path;
  options.add_options()
      ("path", po::value(&paths)->required(),
       "vector files or directories (searched recursively for *.json)")
      ("schema", po::value(&schema_path),
       "the JSON Schema; default: schema/mxstate-vectors-1.schema.json or "
       "spec-vectors/schema/... in the first PATH's folder or a parent, else "
       "in the executable's folder or a parent (a build tree inside the "
       "repository finds the repository's schema)");
  po::positional_options_description positional;
  positional.add("path", -1);
  po::variables_map vm;
  if (!ParseCommandLine(
          args, options, positional,
          {"mxstate vectors lint [--schema FILE] PATH...",
           "Checks vector files against the corpus JSON Schema, and that test\n"
           "ids are unique and every test has a `source`. Prints each problem,\n"
           "then `N files, N tests, N problems`. Exit 1 on any problem, 3 when\n"
           "no schema is found.\n"},
          &vm)) {
    return kExitOk;
  }
  if (schema_path.empty()) {
    std::optional<std::string> found =
        vectors::FindDefaultSchema(paths.front(), ExecutableDir());
    if (!found) {
      PrintError({"vectors.no_schema", "spec-vectors format",
                  "no " + std::string(vectors::kSchemaRelativePath) +
                      " found near " + paths.front() +
                      " or the executable; pass --schema"});
      return kExitNoVerdict;
    }
    schema_path = *found;
  }
  const vectors::LintReport report = vectors::LintVectors(paths, schema_path);
  for (const std::string& note : report.notes) {
    std::cerr << "mxstate: note: " << note << "\n";
  }
  for (const vectors::LintProblem& problem : report.problems) {
    std::cout << problem.file << (problem.where.empty() ? "" : " ")
              << problem.where << ": " << problem.message << "\n";
  }
  std::cout << vectors::LintSummaryLine(report) << "\n";
  return report.ok() ? kExitOk : kExitNo;
}

}  // namespace

int RunVectors(const Args& args) {
  if (args.empty()) {
    std::cerr << kVectorsUsage;
    return kExitUsage;
  }
  const Args rest(args.begin() + 1, args.end());
  if (args.front() == "run") return RunVectorsRun(rest);
  if (args.front() == "lint") return RunVectorsLint(rest);
  if (args.front() == "stats") return RunVectorsStats(rest);
  if (args.front() == "serve") return RunVectorsServe(rest);
  if (args.front() == "--help" || args.front() == "-h") {
    std::cout << kVectorsUsage;
    return kExitOk;
  }
  std::cerr << "mxstate vectors: unknown subcommand \"" << args.front()
            << "\"\n"
            << kVectorsUsage;
  return kExitUsage;
}

}  // namespace mxstate::cli

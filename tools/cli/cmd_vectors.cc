// mxstate vectors run|lint: the spec-vectors runner and linter
// (tools/vectors/runner.h holds the semantics).
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "cli/cli_io.h"
#include "cli/command.h"
#include "vectors/runner.h"

namespace mxstate::cli {
namespace po = boost::program_options;
namespace {

constexpr std::string_view kVectorsUsage =
    "usage: mxstate vectors run [--junit FILE] [--json] [--verbose] "
    "[--filter PREFIX] PATH...\n"
    "       mxstate vectors lint [--schema FILE] PATH...\n"
    "`mxstate vectors run --help` and `mxstate vectors lint --help` say "
    "more.\n";

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
  std::string junit_path;
  vectors::RunOptions run_options;
  bool as_json = false, verbose = false;
  options.add_options()
      ("path", po::value(&paths)->required(),
       "vector files or directories (searched recursively for *.json)")
      ("junit", po::value(&junit_path), "also write JUnit XML to this file")
      ("json", po::bool_switch(&as_json),
       "print one JSON document with every test instead of text")
      ("verbose,v", po::bool_switch(&verbose),
       "list passed and skipped tests too")
      ("filter", po::value(&run_options.id_prefix),
       "run only tests whose id starts with this prefix");
  po::positional_options_description positional;
  positional.add("path", -1);
  po::variables_map vm;
  if (!ParseCommandLine(
          args, options, positional,
          {"mxstate vectors run [--junit FILE] [--json] [--verbose] PATH...",
           "Runs corpora in the spec-vectors format (mxstate-vectors/1)\n"
           "against libstate. Prints each failing test (id, file, expected vs\n"
           "got) and each file error, then `N passed, N failed[, N skipped]`.\n"
           "A file that breaks the format (unknown or missing fields, unknown\n"
           "suite, duplicate id) is a file error and counts as a failure. Tests\n"
           "of suites not implemented yet (auth, state-res, room) are skipped.\n"
           "Exit 1 when anything failed, 0 otherwise.\n"},
          &vm)) {
    return kExitOk;
  }
  const vectors::RunReport report = vectors::RunVectors(paths, run_options);
  if (!junit_path.empty()) {
    std::ofstream junit(junit_path, std::ios::binary);
    junit << vectors::JunitXml(report);
    if (!junit) {
      PrintError({"io.unwritable", "output", "cannot write " + junit_path});
      return kExitNoVerdict;
    }
  }
  if (as_json) {
    PrintJson(vectors::ReportJson(report));
  } else {
    std::cout << vectors::TextReport(report, verbose);
  }
  // A path that cannot be read is "no verdict" (3) unless something was
  // read and failed (1 beats 3, as everywhere).
  size_t unreadable = 0;
  for (const vectors::FileError& e : report.file_errors) {
    if (e.error.code == "vectors.not_found" || e.error.code == "vectors.unreadable" ||
        e.error.code == "vectors.no_files") {
      ++unreadable;
    }
  }
  if (report.failed > unreadable) return kExitNo;
  return unreadable > 0 ? kExitNoVerdict : kExitOk;
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

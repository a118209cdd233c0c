// mxstate: the command-line front end of libstate. Dispatches
// `mxstate <command> ...` through a table, in the style of BoringSSL's bssl
// tool; each command lives in its own cmd_<name>.cc.
#include <cstdio>
#include <exception>
#include <iomanip>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include <boost/program_options.hpp>

#include "cli/cli_io.h"
#include "cli/command.h"

namespace mxstate::cli {
namespace {

// Kept in step with project(VERSION) in the root CMakeLists.txt.
constexpr std::string_view kVersion = MXSTATE_VERSION;  // from CMake

struct Tool {
  std::string_view name;
  int (*run)(const Args& args);
  std::string_view summary;
};

constexpr Tool kTools[] = {
    {"canon", RunCanon, "print the canonical JSON of each input"},
    {"content-hash", RunContentHash,
     "print (or --check) each event's content hash"},
    {"event-id", RunEventId, "print each event's ID and reference hash"},
    {"redact", RunRedact, "print each event redacted for a room version"},
    {"sign", RunSign, "sign events (or plain JSON objects) with a key file"},
    {"keygen", RunKeygen, "generate a Synapse-style ed25519 signing key"},
    {"verify", RunVerify, "verify events' format, signatures and hashes"},
    {"auth", RunAuth, "run the authorization rules on an event and its auth events"},
    {"auth-events", RunAuthEvents, "the auth events an event must cite, from a state"},
    {"resolve", RunResolve, "resolve two or more room states (state resolution)"},
    {"auth-chain", RunAuthChain, "print an event's auth chain"},
    {"room", RunRoom, "replay a room: each event's outcome, extremities, current state"},
    {"state-at", RunStateAt, "the room state before and after one event"},
    {"diff", RunDiff, "compare two servers' copies of a room; state resets"},
    {"resets", RunResets, "report state resets in a room's resolutions"},
    {"dag", RunDag, "draw a room's event DAG by outcome (dot, svg or html)"},
    {"synth", RunSynth, "generate a realistic signed room (forks, merges, a state reset)"},
    {"restricted-join", RunRestrictedJoin,
     "would a restricted room admit a user: allow conditions, authoriser"},
    {"spaces", RunSpaces, "a space hierarchy from room states, with its inconsistencies"},
    {"upgrades", RunUpgrades, "follow and check a chain of room upgrades"},
    {"servers", RunServers, "servers in a room, and what a target room version needs"},
    {"versions", RunVersions, "print the room-version table"},
    {"vectors", RunVectors, "run, lint or count spec-vectors corpora; run other implementations"},
    {"check", RunCheck, "CI spec checker: check every corpus, room and event file under folders"},
};

void PrintUsage(std::ostream& out) {
  out << "usage: mxstate <command> [options] [FILE|-]\n"
         "       mxstate <command> --help\n"
         "       mxstate --version\n\n"
         "Verifies Matrix room events offline. Inputs are a file, or stdin\n"
         "when FILE is '-' or absent, holding one JSON event or JSON Lines\n"
         "(one event per line; blank lines skipped).\n\n"
         "Commands:\n";
  for (const Tool& tool : kTools) {
    out << "  " << std::left << std::setw(16) << tool.name << tool.summary
        << "\n";
  }
  out << "\nExit codes:\n"
         "  0  ok: every input checked out\n"
         "  1  the check said no (bad signature, hash mismatch, bad format,\n"
         "     JSON refused, vector failures)\n"
         "  2  usage error (bad options, unknown command, unknown room "
         "version)\n"
         "  3  no verdict possible (unreadable input or file not found, input\n"
         "     that is not JSON, missing keys)\n"
         "  4  internal error (a bug; please report it)\n\n"
         "Errors are printed to stderr as `mxstate: <code>: <message> "
         "(<rule>)`.\n";
}

int Main(int argc, char** argv) {
  if (argc < 2) {
    PrintUsage(std::cerr);
    return kExitUsage;
  }
  const std::string_view command = argv[1];
  if (command == "--help" || command == "-h" || command == "help") {
    PrintUsage(std::cout);
    return kExitOk;
  }
  if (command == "--version") {
    std::cout << "mxstate " << kVersion << "\n";
    return kExitOk;
  }
  for (const Tool& tool : kTools) {
    if (tool.name != command) continue;
    const Args args(argv + 2, argv + argc);
    try {
      return tool.run(args);
    } catch (const boost::program_options::error& e) {
      std::cerr << "mxstate " << command << ": " << e.what()
                << "\nTry `mxstate " << command << " --help`.\n";
      return kExitUsage;
    } catch (const UsageError& e) {
      std::cerr << "mxstate " << command << ": " << e.what() << "\n";
      return kExitUsage;
    }
  }
  std::cerr << "mxstate: unknown command \"" << command
            << "\"; `mxstate --help` lists the commands.\n";
  return kExitUsage;
}

}  // namespace
}  // namespace mxstate::cli

int main(int argc, char** argv) {
  // No exception may escape: anything that gets here is a bug, reported as
  // exit code 4 rather than std::terminate's abort.
  try {
    const int code = mxstate::cli::Main(argc, argv);
    std::fflush(stdout);
    return code;
  } catch (const std::exception& e) {
    std::cerr << "mxstate: internal error: " << e.what() << "\n";
  } catch (...) {
    std::cerr << "mxstate: internal error: unknown exception\n";
  }
  return mxstate::cli::kExitInternal;
}

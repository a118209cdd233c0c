// mxstate content-hash: each event's content hash, or a check of it.
#include <iostream>
#include <string>

#include "cli/cli_io.h"
#include "cli/command.h"
#include "mxstate/event_hashes.h"

namespace mxstate::cli {
namespace po = boost::program_options;

int RunContentHash(const Args& args) {
  po::options_description options("Options");
  std::string file, room_version;
  bool check = false;
  options.add_options()
      ("file", po::value(&file), "input file; '-' or absent: stdin")
      ("room-version", po::value(&room_version),
       "read numbers by this room version's rules (absent: lenient, as v1-5)")
      ("check", po::bool_switch(&check),
       "compare with each event's hashes.sha256 and print ok/mismatch");
  po::positional_options_description positional;
  positional.add("file", 1);
  po::variables_map vm;
  if (!ParseCommandLine(
          args, options, positional,
          {"mxstate content-hash [FILE] [--room-version V] [--check]",
           "Prints the content hash (server-server API, \"Calculating the\n"
           "content hash for an event\": SHA-256 of the canonical event without\n"
           "unsigned, signatures and hashes) of each event as unpadded base64.\n"
           "With --check, prints `ok <hash>` or `mismatch <computed> <claimed>`\n"
           "per event; exit 1 on any mismatch, 3 when an event has no\n"
           "hashes.sha256.\n"},
          &vm)) {
    return kExitOk;
  }
  const NumberPolicy policy =
      room_version.empty() ? NumberPolicy::kLegacyPython
                           : RoomVersionOrThrow(room_version).canonical_json;
  return ForEachDocument(
      file, policy,
      [&](const InputDocument& document, const Json& event,
          size_t count) -> int {
        if (!event.is_object()) {
          PrintError({"event.not_object", "server-server API: PDUs",
                      "the input is not a JSON object"},
                     document, count);
          return kExitNoVerdict;
        }
        const std::string hash = ContentHashBase64(event);
        if (!check) {
          std::cout << hash << "\n";
          return kExitOk;
        }
        const Json* hashes = event.Find("hashes");
        const std::string* claimed =
            hashes != nullptr ? hashes->FindString("sha256") : nullptr;
        if (claimed == nullptr) {
          PrintError({"event.missing_field",
                      "server-server API: content hash",
                      "the event has no hashes.sha256 to check"},
                     document, count);
          std::cout << "missing " << hash << "\n";
          return kExitNoVerdict;
        }
        // The spec's decoders accept padding; compare the bytes, not text.
        std::string claimed_unpadded = *claimed;
        while (!claimed_unpadded.empty() && claimed_unpadded.back() == '=') {
          claimed_unpadded.pop_back();
        }
        if (claimed_unpadded == hash) {
          std::cout << "ok " << hash << "\n";
          return kExitOk;
        }
        std::cout << "mismatch " << hash << " " << *claimed << "\n";
        return kExitNo;
      });
}

}  // namespace mxstate::cli

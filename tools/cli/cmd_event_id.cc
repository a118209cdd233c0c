// mxstate event-id: each event's ID and reference hash.
#include <iostream>
#include <string>

#include "cli/cli_io.h"
#include "cli/command.h"
#include "mxstate/base64.h"
#include "mxstate/event_hashes.h"

namespace mxstate::cli {
namespace po = boost::program_options;

int RunEventId(const Args& args) {
  po::options_description options("Options");
  std::string file, room_version;
  options.add_options()
      ("file", po::value(&file), "input file; '-' or absent: stdin")
      ("room-version", po::value(&room_version)->required(),
       "the room version (required)");
  po::positional_options_description positional;
  positional.add("file", 1);
  po::variables_map vm;
  if (!ParseCommandLine(
          args, options, positional,
          {"mxstate event-id --room-version V [FILE]",
           "Prints one line per event: `<event_id> <reference_hash>`, the\n"
           "reference hash as unpadded standard base64. In versions 3 and later\n"
           "the ID is derived from the reference hash; in versions 1 and 2 it\n"
           "is the event's own event_id field (exit 3 when it is missing).\n"},
          &vm)) {
    return kExitOk;
  }
  const RoomVersionRules& rules = RoomVersionOrThrow(room_version);
  return ForEachDocument(
      file, rules.canonical_json,
      [&](const InputDocument& document, const Json& event,
          size_t count) -> int {
        if (!event.is_object()) {
          PrintError({"event.not_object", "server-server API: PDUs",
                      "the input is not a JSON object"},
                     document, count);
          return kExitNoVerdict;
        }
        Result<std::string> id = EventId(event, rules);
        if (!id) {
          PrintError(id.error(), document, count);
          return kExitNoVerdict;
        }
        std::cout << *id << " " << EncodeBase64(ReferenceHash(event, rules))
                  << "\n";
        return kExitOk;
      });
}

}  // namespace mxstate::cli

// mxstate redact: each event redacted by its room version's algorithm.
#include <string>

#include "cli/cli_io.h"
#include "cli/command.h"
#include "mxstate/redaction.h"

namespace mxstate::cli {
namespace po = boost::program_options;

int RunRedact(const Args& args) {
  po::options_description options("Options");
  std::string file, room_version;
  options.add_options()
      ("file", po::value(&file), "input file; '-' or absent: stdin")
      ("room-version", po::value(&room_version)->required(),
       "the room version whose redaction rules apply (required)");
  po::positional_options_description positional;
  positional.add("file", 1);
  po::variables_map vm;
  if (!ParseCommandLine(
          args, options, positional,
          {"mxstate redact --room-version V [FILE]",
           "Prints each event redacted (rooms/vN, \"Redactions\"), one per line\n"
           "as canonical JSON.\n"},
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
        PrintJson(Redact(event, rules));
        return kExitOk;
      });
}

}  // namespace mxstate::cli

// mxstate canon: canonical JSON of each input document.
#include <iostream>
#include <string>

#include "cli/cli_io.h"
#include "cli/command.h"
#include "mxstate/canonical_json.h"

namespace mxstate::cli {
namespace po = boost::program_options;

int RunCanon(const Args& args) {
  po::options_description options("Options");
  std::string file, room_version;
  bool as_json = false;
  options.add_options()
      ("file", po::value(&file), "input file; '-' or absent: stdin")
      ("room-version", po::value(&room_version),
       "judge numbers by this room version's rules (v1-5 lenient, v6+ "
       "strict); absent: the appendix's generic rule")
      ("json", po::bool_switch(&as_json),
       "print {\"results\":[{index, canonical | error}]}");
  po::positional_options_description positional;
  positional.add("file", 1);
  po::variables_map vm;
  if (!ParseCommandLine(
          args, options, positional,
          {"mxstate canon [FILE] [--room-version V] [--json]",
           "Prints the canonical JSON (appendices, \"Canonical JSON\") of each\n"
           "input document, one per line. A document that is not acceptable\n"
           "JSON for the chosen rules is reported on stderr and makes the exit\n"
           "code 1; the other documents are still printed.\n"},
          &vm)) {
    return kExitOk;
  }
  const NumberPolicy policy =
      room_version.empty() ? NumberPolicy::kAppendix
                           : RoomVersionOrThrow(room_version).canonical_json;

  Result<Input> input = ReadDocuments(file);
  if (!input) {
    if (as_json) PrintJson(ErrorDocument(input.error()));
    PrintError(input.error());
    return kExitNoVerdict;
  }
  const std::vector<InputDocument>& documents = input->documents;
  int exit_code = kExitOk;
  Json::Array results;
  for (const InputDocument& document : documents) {
    Result<Json> value = ParseJson(document.text, InputParseOptions(policy));
    Json result = Json::EmptyObject();
    result.Set("index", static_cast<int64_t>(document.index));
    if (value) {
      std::string canonical = CanonicalJson(*value);
      if (as_json) {
        result.Set("canonical", std::move(canonical));
      } else {
        std::cout << canonical << "\n";
      }
    } else {
      exit_code = kExitNo;
      PrintError(value.error(), document, documents.size());
      result.Set("error", ErrorJson(value.error()));
    }
    results.push_back(std::move(result));
  }
  if (as_json) {
    Json document = Json::EmptyObject();
    document.Set("ok", exit_code == kExitOk);
    document.Set("results", Json(std::move(results)));
    PrintJson(document);
  }
  return exit_code;
}

}  // namespace mxstate::cli

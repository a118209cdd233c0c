// mxstate sign: sign events (SignEvent) or plain JSON objects (SignJson)
// with a Synapse-style signing key file.
#include <string>
#include <vector>

#include "cli/cli_io.h"
#include "cli/command.h"
#include "mxstate/signing.h"

namespace mxstate::cli {
namespace po = boost::program_options;
namespace {

// The key to sign with: the one named by `key_id`, else the file's first.
Result<SigningKey> LoadSigningKey(const std::string& path,
                                  const std::string& server,
                                  const std::string& key_id) {
  Result<std::string> text = ReadInput(path);
  if (!text) return Fail(text.error());
  Result<std::vector<SigningKey>> keys = ParseSigningKeyFile(*text, server);
  if (!keys) return Fail(keys.error());
  if (keys->empty()) {
    return Fail("key.missing", "signing key file",
                "no key in " + path);
  }
  if (key_id.empty()) return keys->front();
  for (const SigningKey& key : *keys) {
    if (key.key_id() == key_id) return key;
  }
  return Fail("key.missing", "signing key file",
              "no key " + key_id + " in " + path);
}

}  // namespace

int RunSign(const Args& args) {
  po::options_description options("Options");
  std::string file, room_version, key_path, server, key_id;
  bool json_object = false;
  options.add_options()
      ("file", po::value(&file), "input file; '-' or absent: stdin")
      ("room-version", po::value(&room_version),
       "the room version (required unless --json-object)")
      ("key", po::value(&key_path)->required(),
       "Synapse-style signing key file: lines `ed25519 VERSION SEED`")
      ("server", po::value(&server)->required(),
       "the server name the key belongs to")
      ("key-id", po::value(&key_id),
       "use this key of the file (e.g. ed25519:a_1); default: the first")
      ("json-object", po::bool_switch(&json_object),
       "sign plain JSON objects (appendices, \"Signing JSON\") instead of "
       "events");
  po::positional_options_description positional;
  positional.add("file", 1);
  po::variables_map vm;
  if (!ParseCommandLine(
          args, options, positional,
          {"mxstate sign --room-version V --key KEYFILE --server NAME [FILE]\n"
           "       mxstate sign --json-object --key KEYFILE --server NAME [FILE]",
           "Signs each event (server-server API, \"Signing Events\": sets\n"
           "hashes.sha256, signs the redacted form, copies the signature back)\n"
           "or, with --json-object, each JSON object, and prints the results\n"
           "one per line as canonical JSON. Existing signatures are kept.\n"},
          &vm)) {
    return kExitOk;
  }
  if (!json_object && room_version.empty()) {
    throw UsageError("--room-version is required to sign events");
  }
  const RoomVersionRules* rules =
      room_version.empty() ? nullptr : &RoomVersionOrThrow(room_version);
  Result<SigningKey> key = LoadSigningKey(key_path, server, key_id);
  if (!key) {
    PrintError(key.error());
    return kExitNoVerdict;
  }
  const NumberPolicy policy =
      rules != nullptr ? rules->canonical_json : NumberPolicy::kLegacyPython;
  return ForEachDocument(
      file, policy,
      [&](const InputDocument& document, const Json& value,
          size_t count) -> int {
        Json signed_value = value;
        Result<void> result = json_object
                                  ? SignJson(&signed_value, *key)
                                  : SignEvent(&signed_value, *key, *rules);
        if (!result) {
          PrintError(result.error(), document, count);
          return kExitNoVerdict;
        }
        PrintJson(signed_value);
        return kExitOk;
      });
}

}  // namespace mxstate::cli

// mxstate keygen: a new ed25519 signing key in Synapse's key file format.
#include <array>
#include <cstdint>
#include <iostream>
#include <sodium.h>
#include <string>

#include "cli/cli_io.h"
#include "cli/command.h"
#include "mxstate/signing.h"

namespace mxstate::cli {
namespace po = boost::program_options;
namespace {

// Synapse's default: "a_" and four random letters.
std::string RandomKeyVersion() {
  static constexpr char kLetters[] =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  std::string version = "a_";
  for (int i = 0; i < 4; ++i) version += kLetters[randombytes_uniform(52)];
  return version;
}

}  // namespace

int RunKeygen(const Args& args) {
  po::options_description options("Options");
  std::string server, version;
  bool as_json = false;
  options.add_options()
      ("server", po::value(&server)->required(), "the server name")
      ("version", po::value(&version),
       "key version ([a-zA-Z0-9_]); default: a_ + 4 random letters")
      ("json", po::bool_switch(&as_json),
       "print {server_name, key_id, seed, public_key} instead");
  po::positional_options_description positional;
  po::variables_map vm;
  if (!ParseCommandLine(
          args, options, positional,
          {"mxstate keygen --server NAME [--version V] [--json]",
           "Prints a new signing key as a Synapse key file line\n"
           "(`ed25519 VERSION SEED`), usable with `mxstate sign --key`. The\n"
           "public key goes to stderr.\n"},
          &vm)) {
    return kExitOk;
  }
  if (version.empty()) version = RandomKeyVersion();
  Result<SigningKey> key = SigningKey::Generate(server, "ed25519:" + version);
  if (!key) throw UsageError(key.error().ToString());
  if (as_json) {
    Json document = Json::EmptyObject();
    document.Set("server_name", key->server_name());
    document.Set("key_id", key->key_id());
    document.Set("seed", key->SeedBase64());
    document.Set("public_key", key->PublicKeyBase64());
    PrintJson(document);
  } else {
    std::cout << FormatSigningKeyFile(*key);
    std::cerr << "public key " << key->key_id() << ": "
              << key->PublicKeyBase64() << "\n";
  }
  return kExitOk;
}

}  // namespace mxstate::cli

// Ed25519 signing keys and JSON/event signing (appendices, "Signing JSON";
// server-server API, "Signing Events"). Signatures are libsodium's.
#ifndef MXSTATE_SIGNING_H_
#define MXSTATE_SIGNING_H_

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "mxstate/json.h"
#include "mxstate/room_version.h"
#include "mxstate/status.h"

namespace mxstate {

using Ed25519PublicKey = std::array<uint8_t, 32>;
using Ed25519Signature = std::array<uint8_t, 64>;

class SigningKey {
 public:
  // From a 32-byte seed. `key_id` is "ed25519:<version>" with the version in
  // [a-zA-Z0-9_] (error key.bad_id otherwise).
  static Result<SigningKey> FromSeed(std::span<const uint8_t> seed,
                                     std::string server_name,
                                     std::string key_id);
  // A new key from libsodium's CSPRNG (randombytes_buf).
  static Result<SigningKey> Generate(std::string server_name, std::string key_id);
  // From unpadded base64 of the seed.
  static Result<SigningKey> FromSeedBase64(std::string_view seed_base64,
                                           std::string server_name,
                                           std::string key_id);

  const std::string& server_name() const { return server_name_; }
  const std::string& key_id() const { return key_id_; }
  const Ed25519PublicKey& public_key() const { return public_key_; }
  std::string SeedBase64() const;
  std::string PublicKeyBase64() const;

  Ed25519Signature Sign(std::string_view message) const;

 private:
  SigningKey() = default;
  std::string server_name_;
  std::string key_id_;
  std::array<uint8_t, 32> seed_{};
  std::array<uint8_t, 64> secret_key_{};  // libsodium's seed||public form
  Ed25519PublicKey public_key_{};
};

// Synapse-style signing key files: one key per line, "ed25519 VERSION SEED"
// (SEED unpadded base64). Blank lines and lines starting with '#' are
// skipped. The server name is not in the file and is given here.
Result<std::vector<SigningKey>> ParseSigningKeyFile(std::string_view text,
                                                    std::string_view server_name);
std::string FormatSigningKeyFile(const SigningKey& key);

// The bytes a JSON object's signatures cover (appendices "Signing JSON",
// "Checking for a signature"): its canonical encoding without `signatures`
// and `unsigned`. For a non-object, its plain canonical encoding.
std::string SignableBytes(const Json& object);

// Signs a JSON object: removes `signatures` and `unsigned`, signs the
// canonical encoding, and adds the signature under
// signatures[server][key_id], keeping earlier signatures and `unsigned`.
// Error json.not_object when `object` is not an object.
Result<void> SignJson(Json* object, const SigningKey& key);

// Signs an event: sets hashes.sha256 to the content hash, signs the
// version's redacted form, and copies the signature onto the full event.
Result<void> SignEvent(Json* event, const SigningKey& key,
                       const RoomVersionRules& rules);

// True when `signature` is a valid Ed25519 signature of `message`.
bool VerifyEd25519(std::string_view message, std::span<const uint8_t> signature,
                   const Ed25519PublicKey& key);

}  // namespace mxstate

#endif  // MXSTATE_SIGNING_H_

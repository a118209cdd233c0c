// Ed25519 keys and signing (appendices "Signing JSON", "Signing Details";
// server-server API "Signing Events").
#include "mxstate/signing.h"

#include <sodium.h>

#include <cstring>

#include "mxstate/base64.h"
#include "mxstate/canonical_json.h"
#include "mxstate/event_hashes.h"

namespace mxstate {
namespace {

// libsodium needs one initialisation; it is idempotent and thread-safe,
// and a function-local static makes it happen once without global state
// visible to callers.
void EnsureSodium() {
  static const int kInit = sodium_init();
  (void)kInit;
}

bool IsValidKeyId(std::string_view key_id) {
  // appendices "Signing Details": key IDs are `ed25519:<version>`, the
  // version made of [a-zA-Z0-9_].
  constexpr std::string_view kPrefix = "ed25519:";
  if (key_id.substr(0, kPrefix.size()) != kPrefix || key_id.size() == kPrefix.size()) {
    return false;
  }
  for (char c : key_id.substr(kPrefix.size())) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_';
    if (!ok) return false;
  }
  return true;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

}  // namespace

Result<SigningKey> SigningKey::FromSeed(std::span<const uint8_t> seed, std::string server_name,
                                        std::string key_id) {
  EnsureSodium();
  if (seed.size() != crypto_sign_SEEDBYTES) {
    return Fail("key.bad_seed", "appendices: signing key",
                "an ed25519 seed is 32 bytes, got " + std::to_string(seed.size()));
  }
  if (!IsValidKeyId(key_id)) {
    return Fail("key.bad_id", "appendices: signing details",
                "key ID '" + key_id + "' is not ed25519:[a-zA-Z0-9_]+");
  }
  if (server_name.empty()) {
    return Fail("key.bad_server", "appendices: signing JSON", "the signing server name is empty");
  }
  SigningKey key;
  key.server_name_ = std::move(server_name);
  key.key_id_ = std::move(key_id);
  std::memcpy(key.seed_.data(), seed.data(), seed.size());
  crypto_sign_seed_keypair(key.public_key_.data(), key.secret_key_.data(), key.seed_.data());
  return key;
}

Result<SigningKey> SigningKey::Generate(std::string server_name, std::string key_id) {
  EnsureSodium();
  std::array<uint8_t, 32> seed;
  randombytes_buf(seed.data(), seed.size());
  auto key = FromSeed(seed, std::move(server_name), std::move(key_id));
  sodium_memzero(seed.data(), seed.size());
  return key;
}

Result<SigningKey> SigningKey::FromSeedBase64(std::string_view seed_base64,
                                              std::string server_name, std::string key_id) {
  auto seed = DecodeBase64(seed_base64, Base64Alphabet::kStandard);
  if (!seed) {
    return Fail("key.bad_seed", "appendices: unpadded base64",
                "the signing key seed is not valid base64");
  }
  return FromSeed(*seed, std::move(server_name), std::move(key_id));
}

std::string SigningKey::SeedBase64() const { return EncodeBase64(seed_); }
std::string SigningKey::PublicKeyBase64() const { return EncodeBase64(public_key_); }

Ed25519Signature SigningKey::Sign(std::string_view message) const {
  Ed25519Signature signature;
  crypto_sign_detached(signature.data(), nullptr,
                       reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                       secret_key_.data());
  return signature;
}

Result<std::vector<SigningKey>> ParseSigningKeyFile(std::string_view text,
                                                    std::string_view server_name) {
  std::vector<SigningKey> keys;
  size_t line_number = 0;
  while (!text.empty()) {
    size_t eol = text.find('\n');
    std::string_view line = Trim(text.substr(0, eol));
    text = eol == std::string_view::npos ? std::string_view() : text.substr(eol + 1);
    ++line_number;
    if (line.empty() || line.front() == '#') continue;
    // Synapse's format: "ed25519 <version> <unpadded base64 seed>".
    std::vector<std::string_view> fields;
    while (!line.empty()) {
      size_t space = line.find_first_of(" \t");
      fields.push_back(line.substr(0, space));
      line = space == std::string_view::npos ? std::string_view() : Trim(line.substr(space));
    }
    if (fields.size() != 3 || fields[0] != "ed25519") {
      return Fail("key.bad_file", "Synapse signing key file",
                  "line " + std::to_string(line_number) +
                      ": expected 'ed25519 VERSION SEED'");
    }
    auto key = SigningKey::FromSeedBase64(fields[2], std::string(server_name),
                                          "ed25519:" + std::string(fields[1]));
    if (!key) {
      Error e = key.error();
      e.message = "line " + std::to_string(line_number) + ": " + e.message;
      return Fail(std::move(e));
    }
    keys.push_back(std::move(*key));
  }
  if (keys.empty()) {
    return Fail("key.bad_file", "Synapse signing key file", "no key found in the key file");
  }
  return keys;
}

std::string FormatSigningKeyFile(const SigningKey& key) {
  return "ed25519 " + key.key_id().substr(std::string_view("ed25519:").size()) + " " +
         key.SeedBase64() + "\n";
}

namespace {

// Adds signatures[server][key_id] = signature to `object`.
void AddSignature(Json* object, const SigningKey& key, const Ed25519Signature& signature) {
  Json* signatures = object->Find("signatures");
  if (signatures == nullptr || !signatures->is_object()) {
    signatures = &object->Set("signatures", Json::EmptyObject());
  }
  Json* by_server = signatures->Find(key.server_name());
  if (by_server == nullptr || !by_server->is_object()) {
    by_server = &signatures->Set(key.server_name(), Json::EmptyObject());
  }
  by_server->Set(key.key_id(), Json(EncodeBase64(signature)));
}

}  // namespace

std::string SignableBytes(const Json& object) {
  std::string bytes;
  if (!object.is_object()) {
    AppendCanonicalJson(object, &bytes);
    return bytes;
  }
  bytes.push_back('{');
  bool first = true;
  for (const auto& [k, v] : object.as_object()) {
    if (k == "signatures" || k == "unsigned") continue;
    if (!first) bytes.push_back(',');
    first = false;
    AppendCanonicalString(k, &bytes);
    bytes.push_back(':');
    AppendCanonicalJson(v, &bytes);
  }
  bytes.push_back('}');
  return bytes;
}

Result<void> SignJson(Json* object, const SigningKey& key) {
  if (!object->is_object()) {
    return Fail("json.not_object", "appendices: signing JSON", "only JSON objects can be signed");
  }
  // appendices "Signing JSON": sign the canonical form without
  // `signatures` and `unsigned`; both are put back afterwards.
  std::string bytes = SignableBytes(*object);
  AddSignature(object, key, key.Sign(bytes));
  return {};
}

Result<void> SignEvent(Json* event, const SigningKey& key, const RoomVersionRules& rules) {
  if (!event->is_object()) {
    return Fail("event.not_object", "s2s: signing events", "an event must be a JSON object");
  }
  // s2s "Signing Events": content hash first, then sign the redacted form.
  Json hashes = Json::EmptyObject();
  if (const Json* existing = event->Find("hashes"); existing && existing->is_object()) {
    hashes = *existing;
  }
  hashes.Set("sha256", Json(ContentHashBase64(*event)));
  event->Set("hashes", std::move(hashes));
  AddSignature(event, key, key.Sign(RedactedSigningBytes(*event, rules)));
  return {};
}

bool VerifyEd25519(std::string_view message, std::span<const uint8_t> signature,
                   const Ed25519PublicKey& key) {
  EnsureSodium();
  if (signature.size() != crypto_sign_BYTES) return false;
  return crypto_sign_verify_detached(signature.data(),
                                     reinterpret_cast<const unsigned char*>(message.data()),
                                     message.size(), key.data()) == 0;
}

}  // namespace mxstate

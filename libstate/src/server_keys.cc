// Server verification keys (s2s "Retrieving server keys", keys.yaml).
#include "mxstate/server_keys.h"

#include "mxstate/base64.h"
#include "mxstate/canonical_json.h"

namespace mxstate {
namespace {

constexpr const char* kRuleKeys = "s2s: retrieving server keys";

Result<Ed25519PublicKey> DecodePublicKey(const Json& value, const std::string& where) {
  if (!value.is_string()) {
    return Fail("keys.bad_format", kRuleKeys, where + ": the key must be a base64 string");
  }
  auto bytes = DecodeBase64(value.as_string(), Base64Alphabet::kStandard);
  if (!bytes || bytes->size() != 32) {
    return Fail("keys.bad_format", kRuleKeys,
                where + ": not the unpadded base64 of a 32-byte ed25519 key");
  }
  Ed25519PublicKey key;
  std::copy(bytes->begin(), bytes->end(), key.begin());
  return key;
}

bool IsEd25519KeyId(std::string_view id) { return id.substr(0, 8) == "ed25519:"; }

}  // namespace

void KeyRing::Add(std::string server, std::string key_id, VerifyKey key) {
  keys_[std::move(server)][std::move(key_id)] = key;
}

const VerifyKey* KeyRing::Find(std::string_view server, std::string_view key_id) const {
  auto s = keys_.find(server);
  if (s == keys_.end()) return nullptr;
  auto k = s->second.find(key_id);
  return k == s->second.end() ? nullptr : &k->second;
}

size_t KeyRing::size() const {
  size_t n = 0;
  for (const auto& [server, keys] : keys_) n += keys.size();
  return n;
}

Result<void> KeyRing::AddSimpleMap(const Json& map) {
  if (!map.is_object()) {
    return Fail("keys.bad_format", kRuleKeys,
                "a key map is {\"server\": {\"ed25519:id\": \"base64\"}}");
  }
  for (const auto& [server, keys] : map.as_object()) {
    if (!keys.is_object()) {
      return Fail("keys.bad_format", kRuleKeys, "keys of '" + server + "' must be an object");
    }
    for (const auto& [key_id, value] : keys.as_object()) {
      auto key = DecodePublicKey(value, server + " " + key_id);
      if (!key) return tl::unexpected(key.error());
      Add(server, key_id, VerifyKey{*key});
    }
  }
  return {};
}

Result<void> KeyRing::AddServerKeyDocument(const Json& document) {
  const std::string* server = document.FindString("server_name");
  const Json* verify_keys = document.Find("verify_keys");
  if (server == nullptr || verify_keys == nullptr || !verify_keys->is_object()) {
    return Fail("keys.bad_format", kRuleKeys,
                "a key document needs `server_name` and a `verify_keys` object");
  }
  int64_t valid_until = std::numeric_limits<int64_t>::max();
  if (const Json* v = document.Find("valid_until_ts")) {
    if (!v->is_integer()) {
      return Fail("keys.bad_format", kRuleKeys, "`valid_until_ts` must be an integer");
    }
    valid_until = v->as_integer();
  }
  std::map<std::string, VerifyKey, std::less<>> current;
  for (const auto& [key_id, entry] : verify_keys->as_object()) {
    const Json* key_value = entry.Find("key");
    if (key_value == nullptr) {
      return Fail("keys.bad_format", kRuleKeys, *server + " " + key_id + ": missing `key`");
    }
    if (!IsEd25519KeyId(key_id)) continue;  // unknown algorithms are skipped
    auto key = DecodePublicKey(*key_value, *server + " " + key_id);
    if (!key) return tl::unexpected(key.error());
    current[key_id] = VerifyKey{*key, valid_until};
  }
  // The document must be signed by the server itself with a current key.
  const Json* signatures = document.Find("signatures");
  const Json* own = signatures ? signatures->Find(*server) : nullptr;
  std::string bytes;
  bool verified = false;
  if (own != nullptr && own->is_object()) {
    for (const auto& [key_id, signature] : own->as_object()) {
      auto it = current.find(key_id);
      if (it == current.end()) continue;  // signatures by other keys are not checked
      if (bytes.empty()) bytes = SignableBytes(document);
      auto raw = signature.is_string() ? DecodeBase64(signature.as_string()) : std::nullopt;
      if (!raw || !VerifyEd25519(bytes, *raw, it->second.public_key)) {
        return Fail("keys.bad_self_signature", kRuleKeys,
                    "the key document of " + *server + " has a bad signature by " + key_id);
      }
      verified = true;
    }
  }
  if (!verified) {
    return Fail("keys.bad_self_signature", kRuleKeys,
                "the key document of " + *server +
                    " is not signed by any of its own verify_keys");
  }
  for (auto& [key_id, key] : current) Add(*server, key_id, key);
  if (const Json* old = document.Find("old_verify_keys"); old && old->is_object()) {
    for (const auto& [key_id, entry] : old->as_object()) {
      if (!IsEd25519KeyId(key_id)) continue;
      const Json* key_value = entry.Find("key");
      const Json* expired = entry.Find("expired_ts");
      if (key_value == nullptr || expired == nullptr || !expired->is_integer()) {
        return Fail("keys.bad_format", kRuleKeys,
                    *server + " old key " + key_id + " needs `key` and an integer `expired_ts`");
      }
      auto key = DecodePublicKey(*key_value, *server + " " + key_id);
      if (!key) return tl::unexpected(key.error());
      VerifyKey vk{*key};
      vk.expired_ts = expired->as_integer();
      Add(*server, key_id, vk);
    }
  }
  return {};
}

Result<void> KeyRing::AddAny(const Json& value) {
  if (value.is_array()) {
    for (const Json& document : value.as_array()) {
      if (auto r = AddServerKeyDocument(document); !r) return r;
    }
    return {};
  }
  if (const Json* list = value.Find("server_keys"); list && list->is_array()) {
    return AddAny(*list);  // a notary (/_matrix/key/v2/query) response
  }
  if (value.Contains("server_name") && value.Contains("verify_keys")) {
    return AddServerKeyDocument(value);
  }
  return AddSimpleMap(value);
}

}  // namespace mxstate

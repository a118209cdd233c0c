// Server verification keys (server-server API, "Retrieving server keys";
// rooms/v5 "Signing key validity period").
//
// A KeyRing holds every key we know per server and key ID, with its validity:
// `valid_until_ts` of a current key (enforced from room version 5) and
// `expired_ts` of an old key (a key is never usable for events sent after it
// expired). Keys come either from a simple map
//   {"server": {"ed25519:id": "<base64 public key>"}}
// (no validity limit) or from federation key documents
// (`/_matrix/key/v2/server` responses), whose own signature must verify.
#ifndef MXSTATE_SERVER_KEYS_H_
#define MXSTATE_SERVER_KEYS_H_

#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <string_view>

#include "mxstate/json.h"
#include "mxstate/signing.h"
#include "mxstate/status.h"

namespace mxstate {

struct VerifyKey {
  Ed25519PublicKey public_key{};
  // Current keys: the document's valid_until_ts (INT64_MAX when unknown).
  int64_t valid_until_ts = std::numeric_limits<int64_t>::max();
  // Old keys: when the key stopped being used (INT64_MAX when not expired).
  int64_t expired_ts = std::numeric_limits<int64_t>::max();
};

class KeyRing {
 public:
  void Add(std::string server, std::string key_id, VerifyKey key);
  const VerifyKey* Find(std::string_view server, std::string_view key_id) const;
  bool empty() const { return keys_.empty(); }
  size_t size() const;

  // Adds every key of a simple map {"server": {"ed25519:id": "base64"}}.
  // Error keys.bad_format naming the offending entry.
  Result<void> AddSimpleMap(const Json& map);

  // Adds the keys of one federation key document after checking it:
  // server_name, verify_keys, old_verify_keys, valid_until_ts, and the
  // document's signature by the server itself with one of its verify_keys.
  // Errors keys.bad_format, keys.bad_self_signature.
  Result<void> AddServerKeyDocument(const Json& document);

  // Accepts any of: a simple map, one key document, an array of key
  // documents, or {"server_keys": [documents...]} (a notary response).
  Result<void> AddAny(const Json& value);

  const std::map<std::string, std::map<std::string, VerifyKey, std::less<>>,
                 std::less<>>&
  all() const {
    return keys_;
  }

 private:
  std::map<std::string, std::map<std::string, VerifyKey, std::less<>>,
           std::less<>>
      keys_;
};

}  // namespace mxstate

#endif  // MXSTATE_SERVER_KEYS_H_

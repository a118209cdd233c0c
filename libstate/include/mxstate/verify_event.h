// Verifying a received event's format, signatures and content hash
// (server-server API, "Validating hashes and signatures on received events"
// and "Checks performed on receipt of a PDU" steps 1-3).
//
// The spec treats the outcomes differently, so they are distinct verdicts:
// a bad format or a bad signature means the event is dropped; a content-hash
// mismatch means the event is kept in redacted form.
#ifndef MXSTATE_VERIFY_EVENT_H_
#define MXSTATE_VERIFY_EVENT_H_

#include <string>
#include <vector>

#include "mxstate/json.h"
#include "mxstate/room_version.h"
#include "mxstate/server_keys.h"
#include "mxstate/status.h"

namespace mxstate {

enum class Verdict {
  kValid,          // format, every required signature and the hash check out
  kHashMismatch,   // signatures good, content hash differs: redact, keep
  kBadSignature,   // a required signature is missing or invalid: drop
  kBadFormat,      // not a PDU of this room version: drop
  kUnknownKey,     // a required server's key is not known: no verdict
};
std::string_view ToString(Verdict v);

// One required signer and how its check went.
struct SignerCheck {
  std::string server;
  std::string reason;    // why it must sign: "sender", "event_id", ...
  std::string key_id;    // the key that verified, or empty
  bool ok = false;
};

struct EventVerification {
  Verdict verdict = Verdict::kBadFormat;
  std::string event_id;               // empty when it cannot be computed
  std::vector<SignerCheck> signers;   // in check order
  std::vector<Error> problems;        // why the verdict is not kValid
  bool ok() const { return verdict == Verdict::kValid; }
};

// Which servers must have signed `event` in `rules`' version, with why.
// (sender's server; v1-2 the event_id's server; v8+ the server of a member
// event's join_authorised_via_users_server; the sender's server is not
// required for a third-party-invite membership.)
std::vector<std::pair<std::string, std::string>> RequiredSigners(
    const Json& event, const RoomVersionRules& rules);

EventVerification VerifyEvent(const Json& event, const RoomVersionRules& rules,
                              const KeyRing& keys);

}  // namespace mxstate

#endif  // MXSTATE_VERIFY_EVENT_H_

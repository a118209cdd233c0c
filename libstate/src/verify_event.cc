// Verifying a received event (s2s "Validating hashes and signatures on
// received events"; appendices "Checking for a signature"; rooms/v5
// "Signing key validity period").
#include "mxstate/verify_event.h"

#include "mxstate/base64.h"
#include "mxstate/canonical_json.h"
#include "mxstate/event_format.h"
#include "mxstate/event_hashes.h"
#include "mxstate/signing.h"
#include "event_internal.h"

namespace mxstate {
namespace {

constexpr const char* kRuleSignatures = "s2s: validating hashes and signatures on received events";
constexpr const char* kRuleCheck = "appendices: checking for a signature";

bool IsThirdPartyInvite(const Json& event) {
  const std::string* type = event.FindString("type");
  const Json* content = event.Find("content");
  if (type == nullptr || *type != "m.room.member" || content == nullptr) return false;
  const std::string* membership = content->FindString("membership");
  return membership != nullptr && *membership == "invite" && content->Contains("third_party_invite");
}

}  // namespace

std::string_view ToString(Verdict v) {
  switch (v) {
    case Verdict::kValid: return "valid";
    case Verdict::kHashMismatch: return "hash-mismatch";
    case Verdict::kBadSignature: return "bad-signature";
    case Verdict::kBadFormat: return "bad-format";
    case Verdict::kUnknownKey: return "unknown-key";
  }
  return "?";
}

std::vector<std::pair<std::string, std::string>> RequiredSigners(const Json& event,
                                                                  const RoomVersionRules& rules) {
  std::vector<std::pair<std::string, std::string>> servers;
  auto add = [&](std::string_view server, const char* why) {
    if (server.empty()) return;
    for (const auto& s : servers) {
      if (s.first == server) return;
    }
    servers.emplace_back(std::string(server), why);
  };
  // The sender's server, except for an invite made from a third-party
  // invite: "the server which actually sends the event may be a different
  // server" (s2s, validating signatures).
  if (!IsThirdPartyInvite(event)) {
    if (const std::string* sender = event.FindString("sender")) {
      add(ServerNameOf(*sender), "sender");
    }
  }
  // v1-2: the event_id's server too.
  if (rules.event_id_server_signs) {
    if (const std::string* id = event.FindString("event_id")) add(ServerNameOf(*id), "event_id");
  }
  // v8+ auth rule 4.2 (v12 5.2): a member event naming an authorising user
  // must be signed by that user's server.
  if (rules.auth.restricted_join) {
    const std::string* type = event.FindString("type");
    const Json* content = event.Find("content");
    if (type && *type == "m.room.member" && content) {
      if (const std::string* via = content->FindString("join_authorised_via_users_server")) {
        add(ServerNameOf(*via), "join_authorised_via_users_server");
      }
    }
  }
  return servers;
}

EventVerification VerifyEvent(const Json& event, const RoomVersionRules& rules,
                              const KeyRing& keys) {
  EventVerification result;
  // Format first (s2s checks on receipt, step 1). The size check reuses the
  // content-hash bytes: the whole PDU is those plus the three members they
  // leave out.
  std::string content_bytes;
  std::string signed_bytes;
  Result<void> format = internal::CheckPduShape(event, rules);
  if (format) {
    internal::ContentAndSigningBytes(event, rules, &content_bytes, &signed_bytes);
    size_t size = content_bytes.size();
    for (std::string_view key : {"hashes", "signatures", "unsigned"}) {
      if (const Json* value = event.Find(key)) {
        size += 1 /* , */ + key.size() + 2 /* quotes */ + 1 /* : */ + CanonicalJsonSize(*value);
      }
    }
    format = internal::CheckPduSize(size);
  }
  if (!format) {
    result.verdict = Verdict::kBadFormat;
    result.problems.push_back(format.error());
    if (auto id = EventId(event, rules)) result.event_id = *id;
    return result;
  }
  // One canonical encoding serves the signatures and the v3+ event ID.
  if (rules.event_id_format == EventIdFormat::kServerChosen) {
    result.event_id = *event.FindString("event_id");
  } else {
    result.event_id = EventIdFromReferenceHash(Sha256(signed_bytes), rules);
  }
  int64_t origin_server_ts = event.Find("origin_server_ts")->as_integer();
  const Json& signatures = *event.Find("signatures");

  bool unknown_key = false;
  bool bad_signature = false;
  for (auto& [server, why] : RequiredSigners(event, rules)) {
    SignerCheck check{server, why, "", false};
    const Json* by_server = signatures.Find(server);
    if (by_server == nullptr || by_server->size() == 0) {
      bad_signature = true;
      result.problems.push_back(Error{"signature.missing", kRuleSignatures,
                                      server + " (" + why + ") has not signed the event"});
      result.signers.push_back(std::move(check));
      continue;
    }
    // "If all signatures from known unexpired keys from the originating
    // server(s) are found to be valid": unknown and expired keys are
    // skipped, every remaining signature must verify, and at least one must
    // remain (appendices: a missing key fails the check).
    size_t checked = 0;
    for (const auto& [key_id, signature] : by_server->as_object()) {
      if (key_id.rfind("ed25519:", 0) != 0) continue;  // unknown algorithm
      const VerifyKey* key = keys.Find(server, key_id);
      if (key == nullptr) continue;
      if (key->expired_ts < origin_server_ts) continue;  // expired before the event
      // rooms/v5: a key is only valid for events up to its valid_until_ts.
      if (rules.enforce_key_validity && key->valid_until_ts < origin_server_ts) continue;
      ++checked;
      auto raw = DecodeBase64(signature.as_string(), Base64Alphabet::kStandard);
      if (!raw || !VerifyEd25519(signed_bytes, *raw, key->public_key)) {
        bad_signature = true;
        result.problems.push_back(Error{"signature.bad", kRuleCheck,
                                        "the signature of " + server + " by " + key_id +
                                            " does not verify"});
        check.key_id = key_id;
        break;
      }
      check.key_id = key_id;
      check.ok = true;
    }
    if (checked == 0) {
      unknown_key = true;
      check.ok = false;
      result.problems.push_back(Error{
          "signature.unknown_key", kRuleCheck,
          "no known, valid key of " + server + " (" + why + ") for its signatures" +
              (rules.enforce_key_validity ? " (key validity is enforced from room version 5)"
                                          : "")});
    }
    result.signers.push_back(std::move(check));
  }
  if (bad_signature) {
    result.verdict = Verdict::kBadSignature;
    return result;
  }
  if (unknown_key) {
    result.verdict = Verdict::kUnknownKey;
    return result;
  }
  // Signatures hold; now the content hash (s2s: on mismatch the event is
  // redacted and kept, not dropped).
  const std::string& claimed = *event.Find("hashes")->FindString("sha256");
  auto claimed_raw = DecodeBase64(claimed, Base64Alphabet::kStandard);
  Sha256Digest actual = Sha256(content_bytes);
  if (!claimed_raw || claimed_raw->size() != actual.size() ||
      !std::equal(actual.begin(), actual.end(), claimed_raw->begin())) {
    result.verdict = Verdict::kHashMismatch;
    result.problems.push_back(Error{"hash.mismatch",
                                    "s2s: calculating the content hash for an event",
                                    "hashes.sha256 is " + claimed + " but the content hashes to " +
                                        EncodeBase64(actual)});
    return result;
  }
  result.verdict = Verdict::kValid;
  return result;
}

}  // namespace mxstate

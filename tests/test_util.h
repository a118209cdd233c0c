// Shared helpers for the mxstate unit tests.
//
// Nothing here computes an expected value: expected values in the tests come
// from the spec appendix, python3-canonicaljson/signedjson or hand-working.
#ifndef MXSTATE_TESTS_TEST_UTIL_H_
#define MXSTATE_TESTS_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "mxstate/canonical_json.h"
#include "mxstate/event_graph.h"
#include "mxstate/json.h"
#include "mxstate/room_version.h"
#include "mxstate/signing.h"

namespace mxstate::testing {

// Official signing key of the spec appendix ("Cryptographic Test Vectors").
inline constexpr std::string_view kAppendixSeed =
    "YJDBA9Xnr2sVqXD9Vj7XVUnmFZcZrlw8Md7kMW+3XA1";
// Its public key (not printed in the spec; derived with PyNaCl and listed in
// shared/vectors/spec-appendix.json "derived").
inline constexpr std::string_view kAppendixPublicKey =
    "XGX0JRS2Af3be3knz2fBiRbApjm2Dh61gXDJA8kcJNI";

// Parses `text`; records a test failure (and returns null) on error.
inline Json J(std::string_view text,
              NumberPolicy policy = NumberPolicy::kAppendix) {
  ParseOptions options;
  options.numbers = policy;
  auto parsed = ParseJson(text, options);
  if (!parsed) {
    ADD_FAILURE() << "test JSON did not parse: " << parsed.error().ToString()
                  << "\n  text: " << text;
    return Json();
  }
  return *std::move(parsed);
}

// The rules of a room version that must exist.
inline const RoomVersionRules& Rules(std::string_view id) {
  const RoomVersionRules* rules = FindRoomVersion(id);
  if (rules == nullptr) {
    ADD_FAILURE() << "room version " << id << " unknown";
    static const RoomVersionRules* fallback = &AllRoomVersions().front();
    return *fallback;
  }
  return *rules;
}

inline const std::vector<std::string>& StableVersions() {
  static const std::vector<std::string> v = {"1", "2", "3",  "4",  "5",  "6",
                                             "7", "8", "9", "10", "11", "12"};
  return v;
}

inline SigningKey KeyFromSeedByte(uint8_t fill, std::string server,
                                  std::string key_id = "ed25519:1") {
  std::vector<uint8_t> seed(32, fill);
  auto key = SigningKey::FromSeed(seed, std::move(server), std::move(key_id));
  if (!key) {
    ADD_FAILURE() << key.error().ToString();
    std::abort();
  }
  return *std::move(key);
}

inline SigningKey AppendixKey() {
  auto key = SigningKey::FromSeedBase64(kAppendixSeed, "domain", "ed25519:1");
  if (!key) {
    ADD_FAILURE() << key.error().ToString();
    std::abort();
  }
  return *std::move(key);
}

// A fake but well-formed v3+ event ID (43 characters valid in both base64
// alphabets).
inline std::string FakeEventId(char c) {
  return "$" + std::string(43, c);
}

// A minimal well-formed PDU of `rules`' version (unsigned, no hashes yet):
// `type`, `sender`, `content`, plus every field the PDU schema requires.
// v1-2 get an event_id `$<n>:<sender server>` and [id, {sha256}] references;
// v12 gets a hashed room ID; a v12 create event gets no room_id.
inline Json MakePdu(const RoomVersionRules& rules, std::string type,
                    std::string sender, Json content,
                    const std::string* state_key = nullptr,
                    int64_t origin_server_ts = 1700000000000) {
  Json ev = Json::EmptyObject();
  ev.Set("type", Json(type));
  ev.Set("sender", Json(sender));
  ev.Set("content", std::move(content));
  ev.Set("origin_server_ts", Json(origin_server_ts));
  ev.Set("depth", Json(int64_t{5}));
  std::string server = sender.substr(sender.find(':') + 1);
  ev.Set("origin", Json(server));
  // Placeholder (SHA-256 of ""); SignEvent replaces it.
  ev.Set("hashes", Json::MakeObject(
                       {{"sha256", Json("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU")}}));
  ev.Set("signatures", Json::EmptyObject());
  if (state_key) ev.Set("state_key", Json(*state_key));
  const bool v12_create = rules.room_id_format == RoomIdFormat::kCreateEventHash &&
                          type == "m.room.create";
  if (rules.room_id_format == RoomIdFormat::kCreateEventHash) {
    if (!v12_create)
      ev.Set("room_id", Json("!P5-6WTYQ_woy6f4nmleE0XqxjtZcyKGza5_gDN-KAdM"));
  } else {
    ev.Set("room_id", Json("!room:" + server));
  }
  Json::Array auth, prev;
  if (rules.event_refs_with_hashes) {
    auto ref = [](const std::string& id) {
      Json h = Json::EmptyObject();
      h.Set("sha256", Json("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU"));
      return Json(Json::Array{Json(id), h});
    };
    ev.Set("event_id", Json("$ev1:" + server));
    if (type != "m.room.create") {
      auth.push_back(ref("$create:" + server));
      prev.push_back(ref("$prev:" + server));
    }
  } else if (!v12_create && type != "m.room.create") {
    if (rules.room_id_format != RoomIdFormat::kCreateEventHash)
      auth.push_back(Json(FakeEventId('a')));
    auth.push_back(Json(FakeEventId('b')));
    prev.push_back(Json(FakeEventId('c')));
  }
  if (type == "m.room.redaction") {
    // v1-10: top-level `redacts`; v11+: content.redacts.
    std::string target = rules.event_refs_with_hashes ? "$target:" + server
                                                      : FakeEventId('r');
    if (rules.redacts_in_content)
      ev.Find("content")->Set("redacts", Json(target));
    else
      ev.Set("redacts", Json(target));
  }
  ev.Set("auth_events", Json(auth));
  ev.Set("prev_events", Json(prev));
  return ev;
}

inline std::string Canon(const Json& v) { return CanonicalJson(v); }

// Events by ID, for the graph and state resolution.
class MapSource : public EventSource {
 public:
  const Json* Find(std::string_view id) const override {
    auto it = events.find(std::string(id));
    return it == events.end() ? nullptr : &it->second;
  }
  std::map<std::string, Json> events;
};

}  // namespace mxstate::testing

#endif  // MXSTATE_TESTS_TEST_UTIL_H_

// VerifyEvent and CheckPduFormat.
//
// Rules (server-server API "Validating hashes and signatures on received
// events", "Checks performed on receipt of a PDU"; rooms/v5 key validity;
// rooms/v8 join_authorised_via_users_server; PDU schemas and size limits),
// as summarised in shared/spec-digest.md sections 5.4 and 6. Events are
// built here and signed with SigningKey; expected verdicts are hand-worked.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "mxstate/canonical_json.h"
#include "mxstate/event_format.h"
#include "mxstate/event_hashes.h"
#include "mxstate/redaction.h"
#include "mxstate/server_keys.h"
#include "mxstate/signing.h"
#include "mxstate/verify_event.h"
#include "test_util.h"

namespace mxstate {
namespace {

using testing::J;
using testing::MakePdu;
using testing::Rules;

constexpr int64_t kTs = 1700000000000;

struct World {
  SigningKey a = testing::KeyFromSeedByte(11, "a.example", "ed25519:a1");
  SigningKey b = testing::KeyFromSeedByte(12, "b.example", "ed25519:b1");
  KeyRing ring;
  World() {
    ring.Add(a.server_name(), a.key_id(), VerifyKey{a.public_key()});
    ring.Add(b.server_name(), b.key_id(), VerifyKey{b.public_key()});
  }
};

std::string Describe(const EventVerification& v) {
  std::string s = std::string(ToString(v.verdict)) + " id=" + v.event_id;
  for (const auto& p : v.problems) s += "\n  " + p.ToString();
  for (const auto& c : v.signers)
    s += "\n  signer " + c.server + " (" + c.reason + ") key=" + c.key_id +
         (c.ok ? " ok" : " FAILED");
  return s;
}

Json Signed(Json ev, const SigningKey& key, const RoomVersionRules& rules) {
  auto r = SignEvent(&ev, key, rules);
  EXPECT_TRUE(r) << r.error().ToString();
  return ev;
}

Json Message(const RoomVersionRules& rules, const std::string& sender = "@u:a.example") {
  return MakePdu(rules, "m.room.message", sender,
                 J(R"({"body":"hello","msgtype":"m.text"})"));
}

Json Member(const RoomVersionRules& rules, const std::string& user,
            Json content) {
  return MakePdu(rules, "m.room.member", user, std::move(content), &user);
}

class PerVersion : public ::testing::TestWithParam<std::string> {
 protected:
  const RoomVersionRules& rules() const { return Rules(GetParam()); }
  int v() const {
    return GetParam() == "org.matrix.hydra.11" ? 12 : std::stoi(GetParam());
  }
  World w;
};

TEST_P(PerVersion, SignThenVerify) {
  Json ev = Signed(Message(rules()), w.a, rules());
  ASSERT_TRUE(CheckPduFormat(ev, rules())) << CheckPduFormat(ev, rules()).error().ToString();
  EventVerification res = VerifyEvent(ev, rules(), w.ring);
  EXPECT_EQ(res.verdict, Verdict::kValid) << Describe(res);
  EXPECT_TRUE(res.ok());
  auto id = EventId(ev, rules());
  ASSERT_TRUE(id);
  EXPECT_EQ(res.event_id, *id);
  ASSERT_FALSE(res.signers.empty());
  EXPECT_EQ(res.signers[0].server, "a.example");
  EXPECT_TRUE(res.signers[0].ok);
  EXPECT_EQ(res.signers[0].key_id, "ed25519:a1");
  // unsigned is not covered by anything.
  ev.Set("unsigned", J(R"({"age":12345})"));
  EXPECT_EQ(VerifyEvent(ev, rules(), w.ring).verdict, Verdict::kValid);
}

TEST_P(PerVersion, TamperedContentIsHashMismatch) {
  Json ev = Signed(Message(rules()), w.a, rules());
  Json* content = ev.Find("content");
  ASSERT_NE(content, nullptr);
  content->Set("body", Json("goodbye"));
  EventVerification res = VerifyEvent(ev, rules(), w.ring);
  EXPECT_EQ(res.verdict, Verdict::kHashMismatch) << Describe(res);
  EXPECT_FALSE(res.problems.empty());
  // The redacted copy (what a server keeps) still carries good signatures;
  // its content no longer matches hashes.sha256 either.
  EXPECT_EQ(VerifyEvent(Redact(ev, rules()), rules(), w.ring).verdict,
            Verdict::kHashMismatch);
}

TEST_P(PerVersion, TamperedSignedFieldIsBadSignature) {
  const Json good = Signed(Message(rules()), w.a, rules());
  std::vector<std::pair<std::string, Json>> changes = {
      {"origin_server_ts", Json(kTs + 1)},
      {"depth", Json(int64_t{6})},
      {"sender", Json("@other:a.example")},
      {"type", Json("m.room.messagf")},
  };
  if (v() != 12) changes.push_back({"room_id", Json("!elsewhere:a.example")});
  for (const auto& [key, value] : changes) {
    Json ev = good;
    ev.Set(key, value);
    EventVerification res = VerifyEvent(ev, rules(), w.ring);
    EXPECT_EQ(res.verdict, Verdict::kBadSignature) << key << ": " << Describe(res);
  }
  // hashes are signed too.
  Json ev = good;
  ev.Set("hashes", J(R"({"sha256":"47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU"})"));
  EXPECT_EQ(VerifyEvent(ev, rules(), w.ring).verdict, Verdict::kBadSignature);
  // A flipped signature.
  Json flipped = good;
  Json* sig = flipped.Find("signatures")->Find("a.example")->Find("ed25519:a1");
  std::string s = sig->as_string();
  s[5] = s[5] == 'A' ? 'B' : 'A';
  *sig = Json(s);
  EXPECT_EQ(VerifyEvent(flipped, rules(), w.ring).verdict, Verdict::kBadSignature);
}

TEST_P(PerVersion, OriginIsSignedOnlyBeforeV11) {
  Json ev = Signed(Message(rules()), w.a, rules());
  ev.Set("origin", Json("elsewhere.example"));
  // v1-10 redaction keeps origin (signed); v11+ drops it (only hashed).
  EXPECT_EQ(VerifyEvent(ev, rules(), w.ring).verdict,
            v() <= 10 ? Verdict::kBadSignature : Verdict::kHashMismatch);
}

TEST_P(PerVersion, TamperedMembershipIsBadSignature) {
  Json ev = Signed(Member(rules(), "@u:a.example", J(R"({"membership":"join","displayname":"U"})")),
                   w.a, rules());
  ASSERT_EQ(VerifyEvent(ev, rules(), w.ring).verdict, Verdict::kValid);
  Json kept = ev;
  kept.Find("content")->Set("membership", Json("leave"));
  EXPECT_EQ(VerifyEvent(kept, rules(), w.ring).verdict, Verdict::kBadSignature);
  Json not_kept = ev;
  not_kept.Find("content")->Set("displayname", Json("V"));
  EXPECT_EQ(VerifyEvent(not_kept, rules(), w.ring).verdict, Verdict::kHashMismatch);
}

TEST_P(PerVersion, MissingKeyIsUnknownKey) {
  Json ev = Signed(Message(rules()), w.a, rules());
  KeyRing empty;
  EventVerification res = VerifyEvent(ev, rules(), empty);
  EXPECT_EQ(res.verdict, Verdict::kUnknownKey) << Describe(res);
  KeyRing only_b;
  only_b.Add(w.b.server_name(), w.b.key_id(), VerifyKey{w.b.public_key()});
  EXPECT_EQ(VerifyEvent(ev, rules(), only_b).verdict, Verdict::kUnknownKey);
  // The server is known, but not this key ID.
  KeyRing other_id;
  other_id.Add("a.example", "ed25519:zz", VerifyKey{w.a.public_key()});
  EXPECT_EQ(VerifyEvent(ev, rules(), other_id).verdict, Verdict::kUnknownKey);
}

TEST_P(PerVersion, WrongKeyIsBadSignature) {
  Json ev = Signed(Message(rules()), w.a, rules());
  KeyRing wrong;
  wrong.Add("a.example", "ed25519:a1", VerifyKey{w.b.public_key()});
  EXPECT_EQ(VerifyEvent(ev, rules(), wrong).verdict, Verdict::kBadSignature);
}

TEST_P(PerVersion, MissingSenderSignature) {
  // Signed by b.example only, but the sender is on a.example.
  Json ev = Signed(Message(rules()), w.b, rules());
  EventVerification res = VerifyEvent(ev, rules(), w.ring);
  EXPECT_EQ(res.verdict, Verdict::kBadSignature) << Describe(res);
}

TEST_P(PerVersion, KeyValidityPeriod) {
  // rooms/v5: a key whose valid_until_ts < origin_server_ts is not usable;
  // v1-v4 must ignore valid_until_ts.
  Json ev = Signed(Message(rules()), w.a, rules());
  KeyRing ring;
  VerifyKey k{w.a.public_key()};
  k.valid_until_ts = kTs - 1;
  ring.Add("a.example", "ed25519:a1", k);
  EventVerification res = VerifyEvent(ev, rules(), ring);
  if (v() >= 5) {
    EXPECT_FALSE(res.ok()) << Describe(res);
    EXPECT_TRUE(res.verdict == Verdict::kBadSignature ||
                res.verdict == Verdict::kUnknownKey)
        << Describe(res);
  } else {
    EXPECT_EQ(res.verdict, Verdict::kValid) << Describe(res);
  }
  // valid_until_ts == origin_server_ts is still valid (">=").
  KeyRing edge;
  k.valid_until_ts = kTs;
  edge.Add("a.example", "ed25519:a1", k);
  EXPECT_EQ(VerifyEvent(ev, rules(), edge).verdict, Verdict::kValid);
}

TEST_P(PerVersion, ExpiredOldKey) {
  // A key that expired (old_verify_keys expired_ts) before the event was
  // sent is not usable in any version.
  Json ev = Signed(Message(rules()), w.a, rules());
  KeyRing ring;
  VerifyKey k{w.a.public_key()};
  k.expired_ts = kTs - 1000;
  ring.Add("a.example", "ed25519:a1", k);
  EventVerification res = VerifyEvent(ev, rules(), ring);
  EXPECT_FALSE(res.ok()) << Describe(res);
  EXPECT_TRUE(res.verdict == Verdict::kBadSignature ||
              res.verdict == Verdict::kUnknownKey)
      << Describe(res);
  // Expired after the event: fine.
  KeyRing later;
  k.expired_ts = kTs + 1000;
  later.Add("a.example", "ed25519:a1", k);
  EXPECT_EQ(VerifyEvent(ev, rules(), later).verdict, Verdict::kValid);
}

TEST_P(PerVersion, JoinAuthorisedViaUsersServer) {
  Json content = J(R"({"membership":"join","join_authorised_via_users_server":"@admin:b.example"})");
  Json only_sender = Signed(Member(rules(), "@u:a.example", content), w.a, rules());
  auto required = RequiredSigners(only_sender, rules());
  bool b_required = std::any_of(required.begin(), required.end(),
                                [](const auto& p) { return p.first == "b.example"; });
  EventVerification res = VerifyEvent(only_sender, rules(), w.ring);
  if (v() >= 8) {
    EXPECT_TRUE(b_required);
    EXPECT_EQ(res.verdict, Verdict::kBadSignature) << Describe(res);
    Json both = Signed(only_sender, w.b, rules());
    EXPECT_EQ(VerifyEvent(both, rules(), w.ring).verdict, Verdict::kValid)
        << Describe(VerifyEvent(both, rules(), w.ring));
  } else {
    EXPECT_FALSE(b_required);
    EXPECT_EQ(res.verdict, Verdict::kValid) << Describe(res);
  }
}

TEST_P(PerVersion, ThirdPartyInviteSenderServerNotRequired) {
  // spec-digest 5.4: an invite carrying third_party_invite need not be signed
  // by the sender's server (Synapse). Here b.example sent it on behalf of a
  // user of a.example.
  Json content = J(R"({"membership":"invite","third_party_invite":{"display_name":"x",
      "signed":{"mxid":"@t:b.example","token":"tok","signatures":{}}}})");
  std::string target = "@t:b.example";
  Json ev = MakePdu(rules(), "m.room.member", "@u:a.example", content, &target);
  if (v() <= 2) ev.Set("event_id", Json("$inv:b.example"));
  ev = Signed(ev, w.b, rules());
  auto required = RequiredSigners(ev, rules());
  for (const auto& [server, reason] : required) EXPECT_NE(server, "a.example") << reason;
  EXPECT_EQ(VerifyEvent(ev, rules(), w.ring).verdict, Verdict::kValid)
      << Describe(VerifyEvent(ev, rules(), w.ring));
}

INSTANTIATE_TEST_SUITE_P(
    All, PerVersion,
    ::testing::Values("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11",
                      "12", "org.matrix.hydra.11"),
    [](const auto& info) {
      std::string n;
      for (char c : info.param) n += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
      return "v" + n;
    });

// ---------------------------------------------------------------------------

TEST(VerifyEvent, EventIdServerMustSignInV1V2) {
  World w;
  for (const char* v : {"1", "2"}) {
    Json ev = Message(Rules(v));
    ev.Set("event_id", Json("$abc:b.example"));
    ev = Signed(ev, w.a, Rules(v));
    auto required = RequiredSigners(ev, Rules(v));
    EXPECT_TRUE(std::any_of(required.begin(), required.end(),
                            [](const auto& p) { return p.first == "b.example"; }))
        << v;
    EventVerification res = VerifyEvent(ev, Rules(v), w.ring);
    EXPECT_EQ(res.verdict, Verdict::kBadSignature) << Describe(res);
    Json both = Signed(ev, w.b, Rules(v));
    EXPECT_EQ(VerifyEvent(both, Rules(v), w.ring).verdict, Verdict::kValid) << v;
    EXPECT_EQ(VerifyEvent(both, Rules(v), w.ring).event_id, "$abc:b.example");
  }
}

TEST(VerifyEvent, AppendixEventAcrossVersions) {
  // The appendix's signed minimal event (no event_id: a v3+ shape) verifies
  // under v3-v10 redaction but not v11/v12 (origin dropped from the signed
  // form).
  Json ev = J(R"({"auth_events":[],"content":{},"depth":3,
      "hashes":{"sha256":"5jM4wQpv6lnBo7CLIghJuHdW+s2CMBJPUOGOC89ncos"},
      "origin":"domain","origin_server_ts":1000000,"prev_events":[],
      "room_id":"!x:domain","sender":"@a:domain",
      "signatures":{"domain":{"ed25519:1":"KxwGjPSDEtvnFgU00fwFz+l6d2pJM6XBIaMEn81SXPTRl16AqLAYqfIReFGZlHi5KLjAWbOoMszkwsQma+lYAg"}},
      "type":"X","unsigned":{"age_ts":1000000}})");
  KeyRing ring;
  ASSERT_TRUE(ring.AddSimpleMap(
      J(R"({"domain":{"ed25519:1":"XGX0JRS2Af3be3knz2fBiRbApjm2Dh61gXDJA8kcJNI"}})")));
  for (const char* v : {"3", "4", "5", "6", "10"}) {
    EventVerification res = VerifyEvent(ev, Rules(v), ring);
    EXPECT_EQ(res.verdict, Verdict::kValid) << v << " " << Describe(res);
    EXPECT_EQ(res.event_id, "$8yif6p8EqgoSten2BLje9ntKm720NyFLWQv9tn8memc");
  }
  EXPECT_EQ(VerifyEvent(ev, Rules("11"), ring).verdict, Verdict::kBadSignature);
  // v1 needs an event_id.
  EXPECT_EQ(VerifyEvent(ev, Rules("1"), ring).verdict, Verdict::kBadFormat);
}

TEST(VerifyEvent, DerivedV12CreateEvent) {
  Json ev = J(R"({"type":"m.room.create","state_key":"","sender":"@a:domain",
      "content":{"room_version":"12"},"origin_server_ts":1000000,"depth":1,
      "prev_events":[],"auth_events":[],
      "hashes":{"sha256":"ccqBumrNf46eCfIkdZSYW9RNafS0xFYYDm5rnZBSVJU"},
      "signatures":{"domain":{"ed25519:1":"0iTJ32BZFymf41Y7UBttP2wZ0JTo6UjsLDQuf+79LB+WeKVfoLyR2I8RF23ZdFgCuxtjVBl5MKXIOWP+ocELDw"}}})");
  KeyRing ring;
  ASSERT_TRUE(ring.AddSimpleMap(
      J(R"({"domain":{"ed25519:1":"XGX0JRS2Af3be3knz2fBiRbApjm2Dh61gXDJA8kcJNI"}})")));
  EventVerification res = VerifyEvent(ev, Rules("12"), ring);
  EXPECT_EQ(res.verdict, Verdict::kValid) << Describe(res);
  EXPECT_EQ(res.event_id, "$P5-6WTYQ_woy6f4nmleE0XqxjtZcyKGza5_gDN-KAdM");
  // The same event with a room_id is not a v12 PDU.
  ev.Set("room_id", Json("!P5-6WTYQ_woy6f4nmleE0XqxjtZcyKGza5_gDN-KAdM"));
  EXPECT_EQ(VerifyEvent(ev, Rules("12"), ring).verdict, Verdict::kBadFormat);
}

TEST(VerifyEvent, SynapseEventUnknownKey) {
  Json ev = J(R"({
  "auth_events": ["$gbHO7IPUHybc7ULFnT7P0r3iWlZFHGmr6zBfEYCUyKw",
                  "$hy1eZFYcgNxMFNNBgCD5fyOzyWRcBkxfNcrUI5ZpZlE",
                  "$Nt_z68EwFfPqBeHjzEHGsp461Z4EfNEzR-KH5bOYdOY"],
  "prev_events": ["$4FbpZrgPQTwoLD9H5y7jcikucCypUOn78mXhQX7WliY"],
  "type": "m.room.message", "room_id": "!DHmIIVvxFASSFgDGzr:localhost:8008",
  "sender": "@tester_b:localhost:8008",
  "content": {"msgtype": "m.text", "body": "invited people can see history", "m.mentions": {}},
  "depth": 24, "origin": "localhost:8008", "origin_server_ts": 1731769874137,
  "hashes": {"sha256": "FoYV1w3TW/B2mVT0gX2/BZKpCwrrvGXqXFdUhN9LZYU"},
  "signatures": {"localhost:8008": {"ed25519:a_phSE": "G8cfk/m97sndxMNrEZ2nMMSXkVeJE05G7if4JiVzAwGfD3TwnF/jfSHt2acWrpNqv/aEhZug3WLofc2id+rVBw"}},
  "unsigned": {"age_ts": 1731769874137}})");
  KeyRing ring;
  EventVerification res = VerifyEvent(ev, Rules("10"), ring);
  EXPECT_EQ(res.verdict, Verdict::kUnknownKey) << Describe(res);
  EXPECT_EQ(res.event_id, "$zRz9jjiT9wZc3Hl9ij_74aCmTjqV3YMlj9sj3Uqxg6o");
}

// ---------------------------------------------------------------------------
// CheckPduFormat.

std::string FormatError(const Json& ev, std::string_view v) {
  auto r = CheckPduFormat(ev, Rules(v));
  if (r) return "ok";
  return r.error().code;
}

TEST(PduFormat, WellFormedPerVersion) {
  for (const auto& v : testing::StableVersions()) {
    EXPECT_EQ(FormatError(Message(Rules(v)), v), "ok") << v;
  }
}

TEST(PduFormat, TooLarge) {
  // 65536 bytes of canonical JSON including signatures.
  World w;
  for (const char* v : {"1", "6", "10", "11", "12"}) {
    Json ev = Message(Rules(v));
    ev.Find("content")->Set("body", Json(std::string(66000, 'x')));
    ev = Signed(ev, w.a, Rules(v));
    EXPECT_EQ(FormatError(ev, v), "event.too_large") << v;
    EXPECT_EQ(VerifyEvent(ev, Rules(v), w.ring).verdict, Verdict::kBadFormat) << v;
    // Just under the limit is fine.
    Json small = Message(Rules(v));
    small.Find("content")->Set("body", Json(std::string(60000, 'x')));
    small = Signed(small, w.a, Rules(v));
    EXPECT_EQ(FormatError(small, v), "ok") << v;
  }
}

TEST(PduFormat, ExactSizeBoundary) {
  // Hand-built: pad the body so the canonical event is exactly 65536 bytes,
  // then one more byte.
  for (const char* v : {"6", "11"}) {
    Json ev = Message(Rules(v));
    ev.Set("hashes", J(R"({"sha256":"47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU"})"));
    size_t base = CanonicalJson(ev).size();
    std::string body = "hello";
    body += std::string(65536 - base, 'y');
    ev.Find("content")->Set("body", Json(body));
    ASSERT_EQ(CanonicalJson(ev).size(), 65536u);
    EXPECT_EQ(FormatError(ev, v), "ok") << v;
    ev.Find("content")->Set("body", Json(body + "z"));
    EXPECT_EQ(FormatError(ev, v), "event.too_large") << v;
  }
}

TEST(PduFormat, ReferenceCounts) {
  for (const char* v : {"4", "11"}) {
    Json ev = Message(Rules(v));
    Json::Array ten, eleven, twenty, twentyone;
    for (int i = 0; i < 21; ++i) {
      Json id = Json(testing::FakeEventId(static_cast<char>('a' + i)));
      if (i < 10) ten.push_back(id);
      if (i < 11) eleven.push_back(id);
      if (i < 20) twenty.push_back(id);
      twentyone.push_back(id);
    }
    Json e1 = ev;
    e1.Set("auth_events", Json(ten));
    e1.Set("prev_events", Json(twenty));
    EXPECT_EQ(FormatError(e1, v), "ok") << v;
    Json e2 = ev;
    e2.Set("auth_events", Json(eleven));
    EXPECT_EQ(FormatError(e2, v), "event.too_many_auth_events") << v;
    Json e3 = ev;
    e3.Set("prev_events", Json(twentyone));
    EXPECT_EQ(FormatError(e3, v), "event.too_many_prev_events") << v;
  }
}

TEST(PduFormat, EventIdOnlyInV1V2) {
  for (const char* v : {"3", "4", "6", "11", "12"}) {
    Json ev = Message(Rules(v));
    ev.Set("event_id", Json(testing::FakeEventId('q')));
    EXPECT_EQ(FormatError(ev, v), "event.unexpected_event_id") << v;
  }
  for (const char* v : {"1", "2"}) {
    Json ev = Message(Rules(v));
    ev.Erase("event_id");
    EXPECT_EQ(FormatError(ev, v), "event.missing_field") << v;
  }
}

TEST(PduFormat, V12CreateHasNoRoomId) {
  std::string empty;
  Json create = MakePdu(Rules("12"), "m.room.create", "@a:a.example",
                        J(R"({"room_version":"12"})"), &empty);
  EXPECT_EQ(FormatError(create, "12"), "ok");
  create.Set("room_id", Json("!P5-6WTYQ_woy6f4nmleE0XqxjtZcyKGza5_gDN-KAdM"));
  EXPECT_EQ(FormatError(create, "12"), "event.create_has_room_id");
  EXPECT_EQ(FormatError(create, "org.matrix.hydra.11"), "event.create_has_room_id");
  // A v11 create event needs its room_id.
  Json v11 = MakePdu(Rules("11"), "m.room.create", "@a:a.example",
                     J(R"({"room_version":"11"})"), &empty);
  EXPECT_EQ(FormatError(v11, "11"), "ok");
  v11.Erase("room_id");
  EXPECT_EQ(FormatError(v11, "11"), "event.missing_field");
}

TEST(PduFormat, RequiredFields) {
  for (const char* v : {"1", "4", "11"}) {
    for (const char* field : {"sender", "origin_server_ts", "type", "content",
                              "depth", "hashes", "signatures", "auth_events",
                              "prev_events", "room_id"}) {
      Json ev = Message(Rules(v));
      ev.Erase(field);
      EXPECT_EQ(FormatError(ev, v), "event.missing_field") << v << " " << field;
    }
  }
}

TEST(PduFormat, FieldTypes) {
  for (const char* v : {"3", "11"}) {
    for (const auto& [field, value] :
         std::vector<std::pair<std::string, Json>>{
             {"sender", Json(5)}, {"type", Json(true)}, {"content", Json("x")},
             {"origin_server_ts", Json("1")}, {"depth", Json("5")},
             {"auth_events", Json("x")}, {"prev_events", Json::EmptyObject()},
             {"room_id", Json(1)}, {"hashes", Json(Json::Array{})},
             {"signatures", Json(Json::Array{})}, {"state_key", Json(1)}}) {
      Json ev = Message(Rules(v));
      ev.Set(field, value);
      EXPECT_EQ(FormatError(ev, v), "event.bad_type") << v << " " << field;
    }
  }
}

TEST(PduFormat, IdentifierByteLimits) {
  // 255 bytes max for sender, room_id, event_id, type and state_key.
  const std::string server = ":a.example";  // 10 bytes
  auto user_of_len = [&](size_t n) { return "@" + std::string(n - 1 - server.size(), 'u') + server; };
  for (const auto& v : testing::StableVersions()) {
    SCOPED_TRACE("v" + v);
    Json ok = Message(Rules(v), user_of_len(255));
    EXPECT_EQ(FormatError(ok, v), "ok");
    Json bad = Message(Rules(v), user_of_len(256));
    EXPECT_EQ(FormatError(bad, v), "event.id_too_long");
    Json t = Message(Rules(v));
    t.Set("type", Json(std::string(255, 't')));
    EXPECT_EQ(FormatError(t, v), "ok");
    t.Set("type", Json(std::string(256, 't')));
    EXPECT_EQ(FormatError(t, v), "event.id_too_long");
    Json sk = Message(Rules(v));
    sk.Set("state_key", Json(std::string(256, 's')));
    EXPECT_EQ(FormatError(sk, v), "event.id_too_long");
    if (v != "12") {
      Json room = Message(Rules(v));
      room.Set("room_id", Json("!" + std::string(256 - 1 - server.size(), 'r') + server));
      EXPECT_EQ(FormatError(room, v), "event.id_too_long");
    }
  }
  // Multi-byte: 200 code points but 400 bytes. Strictly enforced from v11.
  for (const char* v : {"11", "12"}) {
    Json ev = Message(Rules(v));
    std::string sk;
    for (int i = 0; i < 200; ++i) sk += "\xC3\xA9";
    ev.Set("state_key", Json(sk));
    EXPECT_EQ(FormatError(ev, v), "event.id_too_long") << v;
  }
  // v1-2 event_id.
  Json ev = Message(Rules("1"));
  ev.Set("event_id", Json("$" + std::string(256 - 1 - server.size(), 'e') + server));
  EXPECT_EQ(FormatError(ev, "1"), "event.id_too_long");
}

TEST(PduFormat, Depth) {
  for (const auto& v : testing::StableVersions()) {
    Json neg = Message(Rules(v));
    neg.Set("depth", Json(int64_t{-1}));
    EXPECT_EQ(FormatError(neg, v), "event.bad_depth") << v;
  }
  for (const char* v : {"6", "10", "12"}) {
    Json ev = Message(Rules(v));
    ev.Set("depth", Json((int64_t{1} << 53) - 1));
    EXPECT_EQ(FormatError(ev, v), "ok") << v;
    ev.Set("depth", Json(int64_t{1} << 53));
    std::string code = FormatError(ev, v);
    EXPECT_TRUE(code == "event.bad_depth" || code == "json.integer_out_of_range")
        << v << ": " << code;
  }
  for (const char* v : {"1", "5"}) {
    Json ev = Message(Rules(v));
    ev.Set("depth", Json(int64_t{1} << 53));
    EXPECT_EQ(FormatError(ev, v), "ok") << v;
  }
}

TEST(PduFormat, NumbersPerVersion) {
  // v6+: canonical JSON strictly enforced; v1-5: floats are tolerated.
  for (const auto& v : testing::StableVersions()) {
    Json ev = Message(Rules(v));
    ev.Find("content")->Set("x", J("1.5", NumberPolicy::kLegacyPython));
    Json big = Message(Rules(v));
    big.Find("content")->Set("n", Json(int64_t{1} << 60));
    if (std::stoi(v) >= 6) {
      EXPECT_EQ(FormatError(ev, v), "json.float_forbidden") << v;
      EXPECT_EQ(FormatError(big, v), "json.integer_out_of_range") << v;
    } else {
      EXPECT_EQ(FormatError(ev, v), "ok") << v;
      EXPECT_EQ(FormatError(big, v), "ok") << v;
    }
  }
}

TEST(PduFormat, BadReferences) {
  // A reference that is not an event ID.
  Json ev = Message(Rules("4"));
  ev.Set("prev_events", J(R"(["not-an-event-id"])"));
  EXPECT_EQ(FormatError(ev, "4"), "event.bad_reference");
  // Wrong shapes: the code may call these bad_type or bad_reference.
  auto shape_error = [](const std::string& code) {
    return code == "event.bad_type" || code == "event.bad_reference";
  };
  Json num = Message(Rules("4"));
  num.Set("prev_events", J("[5]"));
  EXPECT_PRED1(shape_error, FormatError(num, "4"));
  // v1-2 references are [id, {hashes}] pairs.
  Json v1 = Message(Rules("1"));
  v1.Set("prev_events", Json(Json::Array{Json(testing::FakeEventId('a'))}));
  EXPECT_PRED1(shape_error, FormatError(v1, "1"));
  // v3+ references are plain strings.
  Json v3 = Message(Rules("3"));
  v3.Set("auth_events", J(R"([["$a:x",{"sha256":"abc"}]])"));
  EXPECT_PRED1(shape_error, FormatError(v3, "3"));
}

TEST(PduFormat, NotObject) {
  EXPECT_EQ(FormatError(J("[]"), "10"), "event.not_object");
  EXPECT_EQ(VerifyEvent(J("[]"), Rules("10"), KeyRing()).verdict, Verdict::kBadFormat);
}

TEST(EventFormatHelpers, ServerNameOf) {
  EXPECT_EQ(ServerNameOf("@a:example.org"), "example.org");
  EXPECT_EQ(ServerNameOf("@a:example.org:8448"), "example.org:8448");
  EXPECT_EQ(ServerNameOf("$abc:b.example"), "b.example");
  EXPECT_EQ(ServerNameOf("nocolon"), "");
  EXPECT_TRUE(IsValidUserId("@a:example.org"));
  EXPECT_TRUE(IsValidUserId("@Historical_ID!:example.org"));
  EXPECT_FALSE(IsValidUserId("a:example.org"));
  EXPECT_FALSE(IsValidUserId("@a"));
  // appendices "User Identifiers": historical localparts may be empty.
  EXPECT_TRUE(IsValidUserId("@:example.org"));
  EXPECT_FALSE(IsValidUserId("@::example.org"));  // the server name ":example.org" is not one
  EXPECT_FALSE(IsValidUserId(std::string("@a\0b:example.org", 16)));  // NUL in the localpart
}

}  // namespace
}  // namespace mxstate

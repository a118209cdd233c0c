// Content hashes, reference hashes, event IDs and v12 room IDs.
//
// Sources (copied from shared/vectors/spec-appendix.json):
//  * official: spec appendix "Event Signing" (content hashes
//    5jM4wQ... and onLKD1...), matrix-org/matrix-spec d0ba2aae.
//  * third_party: element-hq/synapse rust/src/events/utils.rs unit test
//    test_calculate_event_id (snapshot a58ad44e): v3 vs v4+ event IDs.
//  * derived (secondary, computed with Python hashlib/cryptography, not by
//    mxstate): v11 IDs, the v12 create event's event ID and room ID.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "mxstate/base64.h"
#include "mxstate/canonical_json.h"
#include "mxstate/event_hashes.h"
#include "mxstate/redaction.h"
#include "mxstate/sha256.h"
#include "mxstate/signing.h"
#include "test_util.h"

namespace mxstate {
namespace {

using testing::J;
using testing::Rules;

const char kAppendixEvent1Input[] = R"({
  "room_id": "!x:domain", "sender": "@a:domain", "origin": "domain",
  "origin_server_ts": 1000000, "signatures": {}, "hashes": {}, "type": "X",
  "content": {}, "prev_events": [], "auth_events": [], "depth": 3,
  "unsigned": {"age_ts": 1000000}})";

const char kAppendixEvent1Signed[] = R"({
  "auth_events": [], "content": {}, "depth": 3,
  "hashes": {"sha256": "5jM4wQpv6lnBo7CLIghJuHdW+s2CMBJPUOGOC89ncos"},
  "origin": "domain", "origin_server_ts": 1000000, "prev_events": [],
  "room_id": "!x:domain", "sender": "@a:domain",
  "signatures": {"domain": {"ed25519:1": "KxwGjPSDEtvnFgU00fwFz+l6d2pJM6XBIaMEn81SXPTRl16AqLAYqfIReFGZlHi5KLjAWbOoMszkwsQma+lYAg"}},
  "type": "X", "unsigned": {"age_ts": 1000000}})";

const char kAppendixEvent2Input[] = R"({
  "content": {"body": "Here is the message content"}, "event_id": "$0:domain",
  "origin": "domain", "origin_server_ts": 1000000, "type": "m.room.message",
  "room_id": "!r:domain", "sender": "@u:domain", "signatures": {},
  "unsigned": {"age_ts": 1000000}})";

const char kSynapseEvent[] = R"({
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
  "unsigned": {"age_ts": 1731769874137}})";

const char kV12CreateSigned[] = R"({
  "type": "m.room.create", "state_key": "", "sender": "@a:domain",
  "content": {"room_version": "12"}, "origin_server_ts": 1000000, "depth": 1,
  "prev_events": [], "auth_events": [],
  "hashes": {"sha256": "ccqBumrNf46eCfIkdZSYW9RNafS0xFYYDm5rnZBSVJU"},
  "signatures": {"domain": {"ed25519:1": "0iTJ32BZFymf41Y7UBttP2wZ0JTo6UjsLDQuf+79LB+WeKVfoLyR2I8RF23ZdFgCuxtjVBl5MKXIOWP+ocELDw"}}})";

std::string Id(const Json& ev, std::string_view version) {
  auto id = EventId(ev, Rules(version));
  if (!id) return "ERROR:" + id.error().code;
  return *id;
}

TEST(Sha256, KnownDigests) {
  // FIPS 180-2 "abc"; empty string.
  auto abc = Sha256("abc");
  EXPECT_EQ(abc[0], 0xba);
  EXPECT_EQ(abc[31], 0xad);
  EXPECT_EQ(EncodeBase64(Sha256("")), "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU");
}

TEST(ContentHash, AppendixEvents) {
  EXPECT_EQ(ContentHashBase64(J(kAppendixEvent1Input)),
            "5jM4wQpv6lnBo7CLIghJuHdW+s2CMBJPUOGOC89ncos");
  EXPECT_EQ(ContentHashBase64(J(kAppendixEvent2Input)),
            "onLKD1bGljeBWQhWZ1kaP9SorVmRQNdN5aM2JYU2n/g");
  // hashes/signatures/unsigned are excluded: the signed output hashes the same.
  EXPECT_EQ(ContentHashBase64(J(kAppendixEvent1Signed)),
            "5jM4wQpv6lnBo7CLIghJuHdW+s2CMBJPUOGOC89ncos");
  EXPECT_EQ(EncodeBase64(ContentHash(J(kAppendixEvent1Input))),
            "5jM4wQpv6lnBo7CLIghJuHdW+s2CMBJPUOGOC89ncos");
}

TEST(ContentHash, SynapseEventMatchesItsHashes) {
  EXPECT_EQ(ContentHashBase64(J(kSynapseEvent)),
            "FoYV1w3TW/B2mVT0gX2/BZKpCwrrvGXqXFdUhN9LZYU");
}

TEST(ContentHash, V12CreateEvent) {
  EXPECT_EQ(ContentHashBase64(J(kV12CreateSigned)),
            "ccqBumrNf46eCfIkdZSYW9RNafS0xFYYDm5rnZBSVJU");
}

TEST(EventId, SynapseV3VersusV4) {
  Json ev = J(kSynapseEvent);
  EXPECT_EQ(Id(ev, "3"), "$zRz9jjiT9wZc3Hl9ij/74aCmTjqV3YMlj9sj3Uqxg6o");
  for (const char* v : {"4", "5", "6", "7", "8", "9", "10"})
    EXPECT_EQ(Id(ev, v), "$zRz9jjiT9wZc3Hl9ij_74aCmTjqV3YMlj9sj3Uqxg6o") << v;
  for (const char* v : {"11", "12", "org.matrix.hydra.11"})
    EXPECT_EQ(Id(ev, v), "$XEy9wBUPnTswE8-xZHYlz4NEt7JPyjV5J4RJ1Vl9Tf0") << v;
}

TEST(EventId, RedactedCopyHasTheSameId) {
  Json ev = J(kSynapseEvent);
  for (const char* v : {"3", "4", "10", "11"}) {
    Json red = Redact(ev, Rules(v));
    EXPECT_EQ(Id(red, v), Id(ev, v)) << v;
  }
}

TEST(EventId, IgnoresUnsignedAndSignatures) {
  Json ev = J(kSynapseEvent);
  Json other = ev;
  other.Set("unsigned", J(R"({"age":5,"transaction_id":"t"})"));
  other.Set("signatures", Json::EmptyObject());
  EXPECT_EQ(Id(other, "10"), "$zRz9jjiT9wZc3Hl9ij_74aCmTjqV3YMlj9sj3Uqxg6o");
}

TEST(EventId, DerivedAppendixEvent) {
  Json ev = J(kAppendixEvent1Signed);
  EXPECT_EQ(Id(ev, "3"), "$8yif6p8EqgoSten2BLje9ntKm720NyFLWQv9tn8memc");
  EXPECT_EQ(Id(ev, "4"), "$8yif6p8EqgoSten2BLje9ntKm720NyFLWQv9tn8memc");
  EXPECT_EQ(Id(ev, "10"), "$8yif6p8EqgoSten2BLje9ntKm720NyFLWQv9tn8memc");
  EXPECT_EQ(Id(ev, "11"), "$70O_oKlXzFbkfu0KE88USi98DjSWrOELrPj-8tisl8I");
}

TEST(EventId, ServerChosenInV1V2) {
  Json ev2 = J(kAppendixEvent2Input);
  EXPECT_EQ(Id(ev2, "1"), "$0:domain");
  EXPECT_EQ(Id(ev2, "2"), "$0:domain");
  EXPECT_EQ(Id(J(kAppendixEvent1Input), "1"), "ERROR:event.missing_field");
}

TEST(EventId, FromReferenceHash) {
  Json ev = J(kSynapseEvent);
  for (const char* v : {"3", "4", "11", "12"}) {
    EXPECT_EQ(EventIdFromReferenceHash(ReferenceHash(ev, Rules(v)), Rules(v)),
              Id(ev, v))
        << v;
  }
  // Reference hash = SHA-256 of the redacted signing bytes.
  EXPECT_EQ(ReferenceHash(ev, Rules("10")),
            Sha256(RedactedSigningBytes(ev, Rules("10"))));
}

TEST(RedactedSigningBytes, AppendixEvent) {
  // Hand-worked: v1-v10 redaction keeps origin; signatures and unsigned go.
  Json ev = J(kAppendixEvent1Signed);
  const std::string v10 =
      R"({"auth_events":[],"content":{},"depth":3,"hashes":{"sha256":"5jM4wQpv6lnBo7CLIghJuHdW+s2CMBJPUOGOC89ncos"},"origin":"domain","origin_server_ts":1000000,"prev_events":[],"room_id":"!x:domain","sender":"@a:domain","type":"X"})";
  EXPECT_EQ(RedactedSigningBytes(ev, Rules("10")), v10);
  EXPECT_EQ(RedactedSigningBytes(ev, Rules("11")),
            R"({"auth_events":[],"content":{},"depth":3,"hashes":{"sha256":"5jM4wQpv6lnBo7CLIghJuHdW+s2CMBJPUOGOC89ncos"},"origin_server_ts":1000000,"prev_events":[],"room_id":"!x:domain","sender":"@a:domain","type":"X"})");
  // The official signature verifies over exactly these bytes.
  auto pk = DecodeBase64(testing::kAppendixPublicKey);
  auto sig = DecodeBase64(
      "KxwGjPSDEtvnFgU00fwFz+l6d2pJM6XBIaMEn81SXPTRl16AqLAYqfIReFGZlHi5KLjAWbOoMszkwsQma+lYAg");
  ASSERT_TRUE(pk && sig && pk->size() == 32);
  Ed25519PublicKey key;
  std::copy(pk->begin(), pk->end(), key.begin());
  EXPECT_TRUE(VerifyEd25519(v10, *sig, key));
}

TEST(RoomId, V12FromCreateEvent) {
  Json create = J(kV12CreateSigned);
  EXPECT_EQ(Id(create, "12"), "$P5-6WTYQ_woy6f4nmleE0XqxjtZcyKGza5_gDN-KAdM");
  for (const char* v : {"12", "org.matrix.hydra.11"}) {
    auto room = RoomIdFromCreateEvent(create, Rules(v));
    ASSERT_TRUE(room) << room.error().ToString();
    EXPECT_EQ(*room, "!P5-6WTYQ_woy6f4nmleE0XqxjtZcyKGza5_gDN-KAdM");
  }
  for (const char* v : {"1", "3", "11"}) {
    auto room = RoomIdFromCreateEvent(create, Rules(v));
    ASSERT_FALSE(room) << v;
    EXPECT_EQ(room.error().code, "room_version.no_hashed_room_id");
  }
}

}  // namespace
}  // namespace mxstate

// Ed25519 keys, JSON signing and event signing.
//
// Vectors: spec appendix "Cryptographic Test Vectors" (matrix-org/matrix-spec
// d0ba2aae, content/appendices.md) as copied in
// shared/vectors/spec-appendix.json; the public key and the v11 signature are
// that file's "derived" section (Python cryptography, not mxstate).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "mxstate/base64.h"
#include "mxstate/canonical_json.h"
#include "mxstate/signing.h"
#include "test_util.h"

namespace mxstate {
namespace {

using testing::AppendixKey;
using testing::J;
using testing::Rules;

TEST(SigningKey, AppendixSeedGivesPublicKey) {
  SigningKey key = AppendixKey();
  EXPECT_EQ(key.PublicKeyBase64(), "XGX0JRS2Af3be3knz2fBiRbApjm2Dh61gXDJA8kcJNI");
  EXPECT_EQ(EncodeBase64(key.public_key()), "XGX0JRS2Af3be3knz2fBiRbApjm2Dh61gXDJA8kcJNI");
  // The appendix seed ends in '1' (non-zero unused bits); its canonical
  // unpadded encoding ends in '0' (hand-worked: 53=0b110101 -> 0b110100=52).
  EXPECT_EQ(key.SeedBase64(), "YJDBA9Xnr2sVqXD9Vj7XVUnmFZcZrlw8Md7kMW+3XA0");
  EXPECT_EQ(key.server_name(), "domain");
  EXPECT_EQ(key.key_id(), "ed25519:1");
}

TEST(SigningKey, FromRawSeedEqualsFromBase64) {
  auto seed = DecodeBase64("YJDBA9Xnr2sVqXD9Vj7XVUnmFZcZrlw8Md7kMW+3XA1");
  ASSERT_TRUE(seed && seed->size() == 32);
  auto key = SigningKey::FromSeed(*seed, "domain", "ed25519:1");
  ASSERT_TRUE(key);
  EXPECT_EQ(key->PublicKeyBase64(), "XGX0JRS2Af3be3knz2fBiRbApjm2Dh61gXDJA8kcJNI");
}

TEST(SigningKey, RejectsBadKeyIdsAndSeeds) {
  std::vector<uint8_t> seed(32, 7);
  for (const char* bad : {"ed25519:", "ed25519:a-b", "ed25519:a b", "ed25519",
                          "1", "curve25519:1", "ed25519:a:b", ""}) {
    auto k = SigningKey::FromSeed(seed, "domain", bad);
    ASSERT_FALSE(k) << "accepted key id '" << bad << "'";
    EXPECT_EQ(k.error().code, "key.bad_id");
  }
  EXPECT_TRUE(SigningKey::FromSeed(seed, "domain", "ed25519:a_B9"));
  std::vector<uint8_t> short_seed(31, 7);
  EXPECT_FALSE(SigningKey::FromSeed(short_seed, "domain", "ed25519:1"));
  EXPECT_FALSE(SigningKey::FromSeedBase64("not base64!", "domain", "ed25519:1"));
  EXPECT_FALSE(SigningKey::FromSeedBase64("Zm9v", "domain", "ed25519:1"));
}

TEST(SignJson, AppendixEmptyObject) {
  Json obj = Json::EmptyObject();
  ASSERT_TRUE(SignJson(&obj, AppendixKey()));
  EXPECT_EQ(CanonicalJson(obj),
            R"({"signatures":{"domain":{"ed25519:1":"K8280/U9SSy9IVtjBuVeLr+HpOB4BQFWbg+UZaADMtTdGYI7Geitb76LTrr5QV/7Xg4ahLwYGYZzuHGZKM5ZAQ"}}})");
}

TEST(SignJson, AppendixOneTwo) {
  Json obj = J(R"({"one":1,"two":"Two"})");
  ASSERT_TRUE(SignJson(&obj, AppendixKey()));
  EXPECT_EQ(CanonicalJson(obj),
            R"({"one":1,"signatures":{"domain":{"ed25519:1":"KqmLSbO39/Bzb0QIYE82zqLwsA+PDzYIpIRA2sRQ4sL53+sN6/fpNSoqE7BP7vBZhG6kYdD13EIMJpvhJI+6Bw"}},"two":"Two"})");
}

TEST(SignJson, KeepsUnsignedAndOtherSignatures) {
  // Appendix: signatures and unsigned are removed before signing and put back.
  Json obj = J(R"({"one":1,"two":"Two","unsigned":{"age_ts":5},
                   "signatures":{"other":{"ed25519:x":"abc"}}})");
  ASSERT_TRUE(SignJson(&obj, AppendixKey()));
  EXPECT_EQ(CanonicalJson(obj),
            R"({"one":1,"signatures":{"domain":{"ed25519:1":"KqmLSbO39/Bzb0QIYE82zqLwsA+PDzYIpIRA2sRQ4sL53+sN6/fpNSoqE7BP7vBZhG6kYdD13EIMJpvhJI+6Bw"},"other":{"ed25519:x":"abc"}},"two":"Two","unsigned":{"age_ts":5}})");
}

TEST(SignJson, NotAnObject) {
  Json arr = J("[1]");
  auto r = SignJson(&arr, AppendixKey());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "json.not_object");
}

TEST(VerifyEd25519, AppendixSignature) {
  SigningKey key = AppendixKey();
  auto sig = DecodeBase64(
      "K8280/U9SSy9IVtjBuVeLr+HpOB4BQFWbg+UZaADMtTdGYI7Geitb76LTrr5QV/7Xg4ahLwYGYZzuHGZKM5ZAQ");
  ASSERT_TRUE(sig);
  EXPECT_TRUE(VerifyEd25519("{}", *sig, key.public_key()));
  EXPECT_FALSE(VerifyEd25519("{} ", *sig, key.public_key()));
  auto bad = *sig;
  bad[10] ^= 1;
  EXPECT_FALSE(VerifyEd25519("{}", bad, key.public_key()));
  std::vector<uint8_t> truncated(sig->begin(), sig->begin() + 63);
  EXPECT_FALSE(VerifyEd25519("{}", truncated, key.public_key()));
  Ed25519Signature own = key.Sign("{}");
  // Ed25519 is deterministic (RFC 8032): same signature as the appendix.
  EXPECT_EQ(std::vector<uint8_t>(own.begin(), own.end()), *sig);
}

TEST(SignEvent, AppendixMinimalEvent) {
  Json ev = J(R"({"room_id":"!x:domain","sender":"@a:domain","origin":"domain",
      "origin_server_ts":1000000,"signatures":{},"hashes":{},"type":"X",
      "content":{},"prev_events":[],"auth_events":[],"depth":3,
      "unsigned":{"age_ts":1000000}})");
  const std::string expected =
      R"({"auth_events":[],"content":{},"depth":3,"hashes":{"sha256":"5jM4wQpv6lnBo7CLIghJuHdW+s2CMBJPUOGOC89ncos"},"origin":"domain","origin_server_ts":1000000,"prev_events":[],"room_id":"!x:domain","sender":"@a:domain","signatures":{"domain":{"ed25519:1":"KxwGjPSDEtvnFgU00fwFz+l6d2pJM6XBIaMEn81SXPTRl16AqLAYqfIReFGZlHi5KLjAWbOoMszkwsQma+lYAg"}},"type":"X","unsigned":{"age_ts":1000000}})";
  // The appendix assumes v1-v10 redaction (origin kept).
  for (const char* v : {"1", "3", "4", "6", "10"}) {
    Json copy = ev;
    ASSERT_TRUE(SignEvent(&copy, AppendixKey(), Rules(v))) << v;
    EXPECT_EQ(CanonicalJson(copy), expected) << "room version " << v;
  }
  // v11/v12 redaction drops origin: derived signature.
  for (const char* v : {"11", "12"}) {
    Json copy = ev;
    ASSERT_TRUE(SignEvent(&copy, AppendixKey(), Rules(v))) << v;
    const Json* s = copy.Find("signatures");
    ASSERT_NE(s, nullptr);
    ASSERT_NE(s->Find("domain"), nullptr);
    const std::string* sig = s->Find("domain")->FindString("ed25519:1");
    ASSERT_NE(sig, nullptr);
    EXPECT_EQ(*sig, "Jxp+1glFcZM+nnHpY0EkedRR7u0VmKsJYGnQqIvqus3UvL5X/p1y6wSkLhGoTBel6MZ9lrMIzUqrjqFquWJKBw")
        << v;
  }
}

TEST(SignEvent, AppendixMessageEvent) {
  Json ev = J(R"({"content":{"body":"Here is the message content"},
      "event_id":"$0:domain","origin":"domain","origin_server_ts":1000000,
      "type":"m.room.message","room_id":"!r:domain","sender":"@u:domain",
      "signatures":{},"unsigned":{"age_ts":1000000}})");
  ASSERT_TRUE(SignEvent(&ev, AppendixKey(), Rules("1")));
  EXPECT_EQ(CanonicalJson(ev),
            R"({"content":{"body":"Here is the message content"},"event_id":"$0:domain","hashes":{"sha256":"onLKD1bGljeBWQhWZ1kaP9SorVmRQNdN5aM2JYU2n/g"},"origin":"domain","origin_server_ts":1000000,"room_id":"!r:domain","sender":"@u:domain","signatures":{"domain":{"ed25519:1":"Wm+VzmOUOz08Ds+0NTWb1d4CZrVsJSikkeRxh6aCcUwu6pNC78FunoD7KNWzqFn241eYHYMGCA5McEiVPdhzBA"}},"type":"m.room.message","unsigned":{"age_ts":1000000}})");
}

TEST(SignEvent, V12CreateEvent) {
  Json ev = J(R"({"type":"m.room.create","state_key":"","sender":"@a:domain",
      "content":{"room_version":"12"},"origin_server_ts":1000000,"depth":1,
      "prev_events":[],"auth_events":[],"hashes":{},"signatures":{}})");
  ASSERT_TRUE(SignEvent(&ev, AppendixKey(), Rules("12")));
  EXPECT_EQ(CanonicalJson(ev),
            R"({"auth_events":[],"content":{"room_version":"12"},"depth":1,"hashes":{"sha256":"ccqBumrNf46eCfIkdZSYW9RNafS0xFYYDm5rnZBSVJU"},"origin_server_ts":1000000,"prev_events":[],"sender":"@a:domain","signatures":{"domain":{"ed25519:1":"0iTJ32BZFymf41Y7UBttP2wZ0JTo6UjsLDQuf+79LB+WeKVfoLyR2I8RF23ZdFgCuxtjVBl5MKXIOWP+ocELDw"}},"state_key":"","type":"m.room.create"})");
}

TEST(SignEvent, SecondServerAddsItsSignature) {
  Json ev = testing::MakePdu(Rules("10"), "m.room.message", "@a:domain",
                             J(R"({"body":"hi"})"));
  ASSERT_TRUE(SignEvent(&ev, AppendixKey(), Rules("10")));
  SigningKey other = testing::KeyFromSeedByte(9, "other.example", "ed25519:k");
  ASSERT_TRUE(SignEvent(&ev, other, Rules("10")));
  const Json* sigs = ev.Find("signatures");
  ASSERT_NE(sigs, nullptr);
  EXPECT_NE(sigs->Find("domain"), nullptr);
  ASSERT_NE(sigs->Find("other.example"), nullptr);
  EXPECT_NE(sigs->Find("other.example")->Find("ed25519:k"), nullptr);
}

TEST(KeyFile, ParseSynapseFormat) {
  auto keys = ParseSigningKeyFile(
      "# comment\n\ned25519 1 YJDBA9Xnr2sVqXD9Vj7XVUnmFZcZrlw8Md7kMW+3XA1\n",
      "domain");
  ASSERT_TRUE(keys) << keys.error().ToString();
  ASSERT_EQ(keys->size(), 1u);
  EXPECT_EQ((*keys)[0].key_id(), "ed25519:1");
  EXPECT_EQ((*keys)[0].server_name(), "domain");
  EXPECT_EQ((*keys)[0].PublicKeyBase64(), "XGX0JRS2Af3be3knz2fBiRbApjm2Dh61gXDJA8kcJNI");
}

TEST(KeyFile, SeveralKeysAndNoTrailingNewline) {
  auto keys = ParseSigningKeyFile(
      "ed25519 a_1 YJDBA9Xnr2sVqXD9Vj7XVUnmFZcZrlw8Md7kMW+3XA1\n"
      "ed25519 b2 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
      "example.org");
  ASSERT_TRUE(keys) << keys.error().ToString();
  ASSERT_EQ(keys->size(), 2u);
  EXPECT_EQ((*keys)[0].key_id(), "ed25519:a_1");
  EXPECT_EQ((*keys)[1].key_id(), "ed25519:b2");
}

TEST(KeyFile, FormatRoundTrip) {
  SigningKey key = AppendixKey();
  std::string text = FormatSigningKeyFile(key);
  EXPECT_EQ(text.substr(0, text.find('\n')),
            "ed25519 1 YJDBA9Xnr2sVqXD9Vj7XVUnmFZcZrlw8Md7kMW+3XA0");
  auto back = ParseSigningKeyFile(text, "domain");
  ASSERT_TRUE(back) << back.error().ToString();
  ASSERT_EQ(back->size(), 1u);
  EXPECT_EQ((*back)[0].SeedBase64(), key.SeedBase64());
  EXPECT_EQ((*back)[0].key_id(), key.key_id());
  EXPECT_EQ((*back)[0].public_key(), key.public_key());
}

TEST(KeyFile, RejectsGarbage) {
  for (const char* bad : {"ed25519 1\n", "ed25519 1 !!!!\n",
                          "curve25519 1 YJDBA9Xnr2sVqXD9Vj7XVUnmFZcZrlw8Md7kMW+3XA1\n",
                          "ed25519 a-b YJDBA9Xnr2sVqXD9Vj7XVUnmFZcZrlw8Md7kMW+3XA1\n",
                          "ed25519 1 Zm9v\n", "hello\n"}) {
    EXPECT_FALSE(ParseSigningKeyFile(bad, "domain")) << "accepted: " << bad;
  }
}

}  // namespace
}  // namespace mxstate

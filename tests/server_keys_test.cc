// KeyRing: simple key maps and federation key documents
// (server-server API "Retrieving server keys": GET /_matrix/key/v2/server;
// documents are built and signed here with SigningKey).
#include <gtest/gtest.h>

#include <limits>
#include <string>

#include "mxstate/base64.h"
#include "mxstate/canonical_json.h"
#include "mxstate/server_keys.h"
#include "mxstate/signing.h"
#include "test_util.h"

namespace mxstate {
namespace {

using testing::J;
constexpr int64_t kMax = std::numeric_limits<int64_t>::max();

TEST(KeyRing, SimpleMap) {
  KeyRing ring;
  EXPECT_TRUE(ring.empty());
  auto r = ring.AddSimpleMap(
      J(R"({"domain":{"ed25519:1":"XGX0JRS2Af3be3knz2fBiRbApjm2Dh61gXDJA8kcJNI"},
            "other.org":{"ed25519:a":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                         "ed25519:b":"XGX0JRS2Af3be3knz2fBiRbApjm2Dh61gXDJA8kcJNI"}})"));
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_FALSE(ring.empty());
  EXPECT_EQ(ring.size(), 3u);
  const VerifyKey* k = ring.Find("domain", "ed25519:1");
  ASSERT_NE(k, nullptr);
  EXPECT_EQ(EncodeBase64(k->public_key), "XGX0JRS2Af3be3knz2fBiRbApjm2Dh61gXDJA8kcJNI");
  EXPECT_EQ(k->valid_until_ts, kMax);
  EXPECT_EQ(k->expired_ts, kMax);
  EXPECT_EQ(ring.Find("domain", "ed25519:2"), nullptr);
  EXPECT_EQ(ring.Find("nowhere", "ed25519:1"), nullptr);
  EXPECT_NE(ring.Find("other.org", "ed25519:b"), nullptr);
}

TEST(KeyRing, SimpleMapBadFormat) {
  for (const char* bad : {
           R"({"domain":{"ed25519:1":5}})",
           R"({"domain":{"ed25519:1":"not base64!"}})",
           R"({"domain":{"ed25519:1":"Zm9v"}})",  // 3 bytes, not 32
           R"({"domain":"XGX0JRS2Af3be3knz2fBiRbApjm2Dh61gXDJA8kcJNI"})",
           R"([1,2])",
       }) {
    KeyRing ring;
    auto r = ring.AddSimpleMap(J(bad));
    ASSERT_FALSE(r) << "accepted: " << bad;
    EXPECT_EQ(r.error().code, "keys.bad_format") << bad;
  }
}

TEST(KeyRing, AddByHand) {
  KeyRing ring;
  VerifyKey key;
  key.public_key[0] = 1;
  key.valid_until_ts = 5;
  ring.Add("s", "ed25519:x", key);
  ASSERT_NE(ring.Find("s", "ed25519:x"), nullptr);
  EXPECT_EQ(ring.Find("s", "ed25519:x")->valid_until_ts, 5);
  EXPECT_EQ(ring.all().size(), 1u);
}

// A /_matrix/key/v2/server response for example.org, signed by `signer`.
Json KeyDocument(const SigningKey& current, const SigningKey& old,
                 const SigningKey& signer) {
  Json doc = Json::EmptyObject();
  doc.Set("server_name", Json("example.org"));
  doc.Set("valid_until_ts", Json(int64_t{1700000000000}));
  Json vk = Json::EmptyObject();
  Json entry = Json::EmptyObject();
  entry.Set("key", Json(current.PublicKeyBase64()));
  vk.Set(current.key_id(), entry);
  doc.Set("verify_keys", vk);
  Json ok = Json::EmptyObject();
  Json old_entry = Json::EmptyObject();
  old_entry.Set("key", Json(old.PublicKeyBase64()));
  old_entry.Set("expired_ts", Json(int64_t{1600000000000}));
  ok.Set(old.key_id(), old_entry);
  doc.Set("old_verify_keys", ok);
  auto r = SignJson(&doc, signer);
  EXPECT_TRUE(r);
  return doc;
}

struct Keys {
  SigningKey current = testing::KeyFromSeedByte(1, "example.org", "ed25519:new");
  SigningKey old = testing::KeyFromSeedByte(2, "example.org", "ed25519:old");
  SigningKey stranger = testing::KeyFromSeedByte(3, "evil.org", "ed25519:new");
};

TEST(KeyRing, FederationDocument) {
  Keys k;
  Json doc = KeyDocument(k.current, k.old, k.current);
  KeyRing ring;
  auto r = ring.AddServerKeyDocument(doc);
  ASSERT_TRUE(r) << r.error().ToString();
  const VerifyKey* cur = ring.Find("example.org", "ed25519:new");
  ASSERT_NE(cur, nullptr);
  EXPECT_EQ(cur->public_key, k.current.public_key());
  EXPECT_EQ(cur->valid_until_ts, 1700000000000);
  EXPECT_EQ(cur->expired_ts, kMax);
  const VerifyKey* old = ring.Find("example.org", "ed25519:old");
  ASSERT_NE(old, nullptr);
  EXPECT_EQ(old->public_key, k.old.public_key());
  EXPECT_EQ(old->expired_ts, 1600000000000);
}

TEST(KeyRing, FederationDocumentWithUnsigned) {
  Keys k;
  Json doc = KeyDocument(k.current, k.old, k.current);
  doc.Set("unsigned", J(R"({"note":"not covered by the signature"})"));
  KeyRing ring;
  EXPECT_TRUE(ring.AddServerKeyDocument(doc));
}

TEST(KeyRing, BadSelfSignatureRefused) {
  Keys k;
  // Tampered after signing.
  Json doc = KeyDocument(k.current, k.old, k.current);
  doc.Set("valid_until_ts", Json(int64_t{1900000000000}));
  KeyRing ring;
  auto r = ring.AddServerKeyDocument(doc);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "keys.bad_self_signature");
  EXPECT_EQ(ring.Find("example.org", "ed25519:new"), nullptr);

  // Signed with the right key ID but another private key.
  SigningKey impostor = testing::KeyFromSeedByte(4, "example.org", "ed25519:new");
  KeyRing ring2;
  auto r2 = ring2.AddServerKeyDocument(KeyDocument(k.current, k.old, impostor));
  ASSERT_FALSE(r2);
  EXPECT_EQ(r2.error().code, "keys.bad_self_signature");

  // Signed only by another server.
  KeyRing ring3;
  auto r3 = ring3.AddServerKeyDocument(KeyDocument(k.current, k.old, k.stranger));
  ASSERT_FALSE(r3);
  EXPECT_EQ(r3.error().code, "keys.bad_self_signature");

  // No signatures at all.
  Json unsigned_doc = KeyDocument(k.current, k.old, k.current);
  unsigned_doc.Erase("signatures");
  KeyRing ring4;
  auto r4 = ring4.AddServerKeyDocument(unsigned_doc);
  ASSERT_FALSE(r4);
  EXPECT_EQ(r4.error().code, "keys.bad_self_signature");
}

TEST(KeyRing, FederationDocumentBadFormat) {
  Keys k;
  Json no_name = KeyDocument(k.current, k.old, k.current);
  no_name.Erase("server_name");
  ASSERT_TRUE(SignJson(&no_name, k.current));
  KeyRing ring;
  auto r = ring.AddServerKeyDocument(no_name);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "keys.bad_format");

  Json bad_key = KeyDocument(k.current, k.old, k.current);
  bad_key.Set("verify_keys", J(R"({"ed25519:new":{"key":"Zm9v"}})"));
  bad_key.Erase("signatures");
  ASSERT_TRUE(SignJson(&bad_key, k.current));
  auto r2 = ring.AddServerKeyDocument(bad_key);
  ASSERT_FALSE(r2);
  EXPECT_EQ(r2.error().code, "keys.bad_format");

  auto r3 = ring.AddServerKeyDocument(J("[]"));
  ASSERT_FALSE(r3);
  EXPECT_EQ(r3.error().code, "keys.bad_format");
}

TEST(KeyRing, AddAnyShapes) {
  Keys k;
  Json doc = KeyDocument(k.current, k.old, k.current);
  {
    KeyRing ring;
    ASSERT_TRUE(ring.AddAny(doc));
    EXPECT_NE(ring.Find("example.org", "ed25519:new"), nullptr);
  }
  {
    KeyRing ring;
    ASSERT_TRUE(ring.AddAny(Json(Json::Array{doc})));
    EXPECT_NE(ring.Find("example.org", "ed25519:old"), nullptr);
  }
  {
    KeyRing ring;
    Json notary = Json::EmptyObject();
    notary.Set("server_keys", Json(Json::Array{doc}));
    ASSERT_TRUE(ring.AddAny(notary));
    EXPECT_NE(ring.Find("example.org", "ed25519:new"), nullptr);
  }
  {
    KeyRing ring;
    ASSERT_TRUE(ring.AddAny(
        J(R"({"domain":{"ed25519:1":"XGX0JRS2Af3be3knz2fBiRbApjm2Dh61gXDJA8kcJNI"}})")));
    EXPECT_NE(ring.Find("domain", "ed25519:1"), nullptr);
  }
  {
    Json tampered = doc;
    tampered.Set("valid_until_ts", Json(int64_t{1}));
    KeyRing ring;
    EXPECT_FALSE(ring.AddAny(Json(Json::Array{tampered})));
    EXPECT_FALSE(ring.AddAny(J("5")));
  }
}

}  // namespace
}  // namespace mxstate

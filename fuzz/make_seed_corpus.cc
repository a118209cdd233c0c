// Writes signed seed events into fuzz/corpus/<target>/ using the library's
// own signing functions and fixed seeds (the spec appendix key and the keys
// fuzz_verify_event trusts). Usage: make_seed_corpus <corpus-dir>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "mxstate/canonical_json.h"
#include "mxstate/json.h"
#include "mxstate/room_version.h"
#include "mxstate/signing.h"

using mxstate::Json;

namespace {

Json P(const std::string& text) {
  auto v = mxstate::ParseJson(text);
  if (!v) {
    std::fprintf(stderr, "%s\n", v.error().ToString().c_str());
    std::exit(1);
  }
  return *v;
}

void Write(const std::filesystem::path& dir, const std::string& name,
           const std::string& bytes) {
  std::filesystem::create_directories(dir);
  std::ofstream(dir / name, std::ios::binary) << bytes;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s <corpus-dir>\n", argv[0]);
    return 2;
  }
  const std::filesystem::path root = argv[1];
  std::vector<uint8_t> seed_a(32, 11), seed_b(32, 12);
  auto a = mxstate::SigningKey::FromSeed(seed_a, "a.example", "ed25519:a1");
  auto b = mxstate::SigningKey::FromSeed(seed_b, "b.example", "ed25519:b1");
  if (!a || !b) return 1;

  struct Seed {
    std::string version;
    std::string name;
    std::string json;
    bool cosign;
  };
  const std::string refs_v3 =
      R"("auth_events":["$aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","$bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"],"prev_events":["$ccccccccccccccccccccccccccccccccccccccccccc"])";
  const std::vector<Seed> seeds = {
      {"1", "v1_message",
       R"({"event_id":"$m1:a.example","room_id":"!r:a.example","sender":"@u:a.example","origin":"a.example","origin_server_ts":1600000000000,"type":"m.room.message","content":{"body":"hi","msgtype":"m.text"},"depth":4,"hashes":{},"signatures":{},"auth_events":[["$c:a.example",{"sha256":"47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU"}]],"prev_events":[["$p:a.example",{"sha256":"47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU"}]]})",
       false},
      {"3", "v3_topic",
       R"({"room_id":"!r:a.example","sender":"@u:a.example","origin":"a.example","origin_server_ts":1600000000000,"type":"m.room.topic","state_key":"","content":{"topic":"T"},"depth":5,"hashes":{},"signatures":{},)" + refs_v3 + "}",
       false},
      {"5", "v5_power_levels_float",
       R"({"room_id":"!r:a.example","sender":"@u:a.example","origin":"a.example","origin_server_ts":1600000000000,"type":"m.room.power_levels","state_key":"","content":{"users":{"@u:a.example":100},"ban":50.5,"events":{"m.room.name":"50"}},"depth":6,"hashes":{},"signatures":{},)" + refs_v3 + "}",
       false},
      {"10", "v10_restricted_join",
       R"({"room_id":"!r:a.example","sender":"@u:a.example","origin":"a.example","origin_server_ts":1650000000000,"type":"m.room.member","state_key":"@u:a.example","content":{"membership":"join","displayname":"U 🎉","avatar_url":"mxc://a.example/x","join_authorised_via_users_server":"@admin:b.example"},"depth":7,"hashes":{},"signatures":{},)" + refs_v3 + "}",
       true},
      {"11", "v11_redaction",
       R"({"room_id":"!r:a.example","sender":"@u:a.example","origin_server_ts":1700000000000,"type":"m.room.redaction","content":{"redacts":"$ddddddddddddddddddddddddddddddddddddddddddd","reason":"spam"},"depth":8,"hashes":{},"signatures":{},)" + refs_v3 + "}",
       false},
      {"12", "v12_create",
       R"({"type":"m.room.create","state_key":"","sender":"@u:a.example","content":{"room_version":"12","additional_creators":["@v:b.example"]},"origin_server_ts":1700000000000,"depth":1,"prev_events":[],"auth_events":[],"hashes":{},"signatures":{}})",
       false},
      {"12", "v12_message",
       R"({"room_id":"!P5-6WTYQ_woy6f4nmleE0XqxjtZcyKGza5_gDN-KAdM","sender":"@u:a.example","origin_server_ts":1700000000000,"type":"m.room.message","content":{"body":"hello","m.mentions":{}},"depth":9,"hashes":{},"signatures":{},"auth_events":["$bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"],"prev_events":["$ccccccccccccccccccccccccccccccccccccccccccc"],"unsigned":{"age":5}})",
       false},
  };
  for (const auto& s : seeds) {
    const auto* rules = mxstate::FindRoomVersion(s.version);
    if (!rules) return 1;
    mxstate::ParseOptions options;
    options.numbers = mxstate::NumberPolicy::kLegacyPython;
    auto parsed = mxstate::ParseJson(s.json, options);
    if (!parsed) {
      std::fprintf(stderr, "%s: %s\n", s.name.c_str(), parsed.error().ToString().c_str());
      return 1;
    }
    Json ev = *parsed;
    if (!mxstate::SignEvent(&ev, *a, *rules)) return 1;
    if (s.cosign && !mxstate::SignEvent(&ev, *b, *rules)) return 1;
    const std::string text = mxstate::CanonicalJson(ev);
    for (const char* target : {"fuzz_event_format", "fuzz_verify_event"})
      Write(root / target, "signed_" + s.name + ".json", text);
  }

  // A signed federation key document for KeyRing::AddAny.
  Json doc = P(R"({"server_name":"a.example","valid_until_ts":1800000000000,"old_verify_keys":{}})");
  Json vk = Json::EmptyObject();
  vk.Set("ed25519:a1", Json::MakeObject({{"key", Json(a->PublicKeyBase64())}}));
  doc.Set("verify_keys", vk);
  if (!mxstate::SignJson(&doc, *a)) return 1;
  Write(root / "fuzz_verify_event", "key_document.json", mxstate::CanonicalJson(doc));
  std::printf("wrote seeds under %s\n", root.c_str());
  return 0;
}

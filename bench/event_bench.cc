// Per-PDU costs of the verification pipeline on a typical room-v10 join
// (shared/perf-anchors.md section 2.3 describes the same PDU shape): an
// m.room.member join with 4 auth_events, 3 prev_events, a displayname with an
// emoji, avatar_url and join_authorised_via_users_server, signed by one
// server, about 1 KiB. 64 distinct events are cycled so caches do not
// flatter the numbers.
//
// BM_VerifyEvent / BM_BareEd25519Verify is the overhead of everything around
// the signature check (perf-anchors section 2.4 puts ed25519 at 44-49 us of a
// 53-69 us pipeline).
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "mxstate/base64.h"
#include "mxstate/canonical_json.h"
#include "mxstate/event_hashes.h"
#include "mxstate/json.h"
#include "mxstate/room_version.h"
#include "mxstate/server_keys.h"
#include "mxstate/signing.h"
#include "mxstate/verify_event.h"

namespace {

constexpr int kEvents = 64;

std::string FakeId(unsigned i, unsigned salt) {
  // 43 URL-safe base64 characters after '$', like a real v4+ event ID.
  static const char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string id = "$";
  unsigned x = i * 2654435761u + salt * 40503u + 12345u;
  for (int k = 0; k < 43; ++k) {
    x = x * 1103515245u + 12345u;
    id += kAlphabet[(x >> 16) & 63];
  }
  return id;
}

struct Fixture {
  const mxstate::RoomVersionRules* rules = mxstate::FindRoomVersion("10");
  mxstate::KeyRing ring;
  std::vector<mxstate::Json> events;
  std::vector<std::string> texts;
  std::vector<std::string> signing_bytes;
  std::vector<std::vector<uint8_t>> signatures;
  mxstate::Ed25519PublicKey public_key{};
  mxstate::SigningKey key = [] {
    std::vector<uint8_t> seed(32, 0x5a);
    auto k = mxstate::SigningKey::FromSeed(seed, "matrix.example.org", "ed25519:a_Xyz1");
    if (!k) std::abort();
    return *k;
  }();

  Fixture() {
    if (!rules) std::abort();
    public_key = key.public_key();
    ring.Add(key.server_name(), key.key_id(), mxstate::VerifyKey{public_key});
    for (int i = 0; i < kEvents; ++i) {
      using mxstate::Json;
      Json ev = Json::EmptyObject();
      Json::Array auth, prev;
      for (unsigned k = 0; k < 4; ++k) auth.push_back(Json(FakeId(i, k)));
      for (unsigned k = 0; k < 3; ++k) prev.push_back(Json(FakeId(i, 10 + k)));
      const std::string user = "@user" + std::to_string(i) + ":matrix.example.org";
      Json content = Json::EmptyObject();
      content.Set("membership", Json("join"));
      content.Set("displayname", Json("Ünïcode user " + std::to_string(i) + " \xF0\x9F\x8E\x89"));
      content.Set("avatar_url",
                  Json("mxc://matrix.example.org/AbCdEfGhIjKlMnOpQrStUvWx" + std::to_string(i)));
      content.Set("join_authorised_via_users_server", Json("@admin:matrix.example.org"));
      ev.Set("auth_events", Json(auth));
      ev.Set("prev_events", Json(prev));
      ev.Set("content", content);
      ev.Set("depth", Json(int64_t{1000 + i}));
      ev.Set("hashes", Json::EmptyObject());
      ev.Set("origin", Json("matrix.example.org"));
      ev.Set("origin_server_ts", Json(int64_t{1700000000000} + i));
      ev.Set("room_id", Json("!OGEhHVWSdvArJzumhm:matrix.example.org"));
      ev.Set("sender", Json(user));
      ev.Set("state_key", Json(user));
      ev.Set("type", Json("m.room.member"));
      ev.Set("signatures", Json::EmptyObject());
      if (!mxstate::SignEvent(&ev, key, *rules)) std::abort();
      Json age = Json::EmptyObject();
      age.Set("age", Json(int64_t{1234 + i}));
      ev.Set("unsigned", age);

      auto check = mxstate::VerifyEvent(ev, *rules, ring);
      if (!check.ok()) {
        std::fprintf(stderr, "benchmark event does not verify: %s\n",
                     std::string(mxstate::ToString(check.verdict)).c_str());
        std::abort();
      }
      texts.push_back(mxstate::CanonicalJson(ev));
      signing_bytes.push_back(mxstate::RedactedSigningBytes(ev, *rules));
      const std::string* sig = ev.Find("signatures")
                                   ->Find(key.server_name())
                                   ->FindString(key.key_id());
      auto decoded = mxstate::DecodeBase64(*sig);
      if (!decoded || !mxstate::VerifyEd25519(signing_bytes.back(), *decoded, public_key))
        std::abort();
      signatures.push_back(*decoded);
      events.push_back(std::move(ev));
    }
  }
};

const Fixture& F() {
  static const Fixture f;
  return f;
}

size_t AverageBytes() {
  size_t total = 0;
  for (const auto& t : F().texts) total += t.size();
  return total / F().texts.size();
}

void SetCounters(benchmark::State& state) {
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * AverageBytes()));
  state.counters["pdu_bytes"] = static_cast<double>(AverageBytes());
}

void BM_ParseJson(benchmark::State& state) {
  const Fixture& f = F();
  mxstate::ParseOptions options;
  options.numbers = mxstate::NumberPolicy::kStrict;
  size_t i = 0;
  for (auto _ : state) {
    auto v = mxstate::ParseJson(f.texts[i++ % kEvents], options);
    benchmark::DoNotOptimize(v);
  }
  SetCounters(state);
}
BENCHMARK(BM_ParseJson);

void BM_CanonicalJson(benchmark::State& state) {
  const Fixture& f = F();
  size_t i = 0;
  std::string out;
  for (auto _ : state) {
    out.clear();
    mxstate::AppendCanonicalJson(f.events[i++ % kEvents], &out);
    benchmark::DoNotOptimize(out.data());
  }
  SetCounters(state);
}
BENCHMARK(BM_CanonicalJson);

void BM_ParseAndCanonicalize(benchmark::State& state) {
  const Fixture& f = F();
  mxstate::ParseOptions options;
  options.numbers = mxstate::NumberPolicy::kStrict;
  size_t i = 0;
  for (auto _ : state) {
    auto v = mxstate::ParseJson(f.texts[i++ % kEvents], options);
    std::string out = mxstate::CanonicalJson(*v);
    benchmark::DoNotOptimize(out.data());
  }
  SetCounters(state);
}
BENCHMARK(BM_ParseAndCanonicalize);

void BM_ContentHash(benchmark::State& state) {
  const Fixture& f = F();
  size_t i = 0;
  for (auto _ : state) {
    auto h = mxstate::ContentHash(f.events[i++ % kEvents]);
    benchmark::DoNotOptimize(h);
  }
  SetCounters(state);
}
BENCHMARK(BM_ContentHash);

void BM_EventId(benchmark::State& state) {
  const Fixture& f = F();
  size_t i = 0;
  for (auto _ : state) {
    auto id = mxstate::EventId(f.events[i++ % kEvents], *f.rules);
    benchmark::DoNotOptimize(id);
  }
  SetCounters(state);
}
BENCHMARK(BM_EventId);

void BM_SignEvent(benchmark::State& state) {
  const Fixture& f = F();
  size_t i = 0;
  for (auto _ : state) {
    mxstate::Json ev = f.events[i++ % kEvents];
    auto r = mxstate::SignEvent(&ev, f.key, *f.rules);
    benchmark::DoNotOptimize(r);
  }
  SetCounters(state);
}
BENCHMARK(BM_SignEvent);

// The full check of one received PDU: parse, format, content hash, redaction,
// signature(s), event ID.
void BM_VerifyEvent(benchmark::State& state) {
  const Fixture& f = F();
  mxstate::ParseOptions options;
  options.numbers = f.rules->canonical_json;
  size_t i = 0;
  for (auto _ : state) {
    auto v = mxstate::ParseJson(f.texts[i++ % kEvents], options);
    auto res = mxstate::VerifyEvent(*v, *f.rules, f.ring);
    if (!res.ok()) state.SkipWithError("event did not verify");
    benchmark::DoNotOptimize(res);
  }
  SetCounters(state);
}
BENCHMARK(BM_VerifyEvent);

// The floor: libsodium's verification of exactly the signed bytes.
void BM_BareEd25519Verify(benchmark::State& state) {
  const Fixture& f = F();
  size_t i = 0;
  for (auto _ : state) {
    const size_t k = i++ % kEvents;
    bool ok = mxstate::VerifyEd25519(f.signing_bytes[k], f.signatures[k], f.public_key);
    if (!ok) state.SkipWithError("signature did not verify");
    benchmark::DoNotOptimize(ok);
  }
  SetCounters(state);
}
BENCHMARK(BM_BareEd25519Verify);

}  // namespace

BENCHMARK_MAIN();

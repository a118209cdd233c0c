// Fuzz target: VerifyEvent against a fixed KeyRing (keys from fixed seeds),
// for every room version; also KeyRing::AddAny on the input. Checks the
// verdict's invariants and aborts on a violation.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "mxstate/canonical_json.h"
#include "mxstate/json.h"
#include "mxstate/room_version.h"
#include "mxstate/server_keys.h"
#include "mxstate/signing.h"
#include "mxstate/verify_event.h"

namespace {

const mxstate::KeyRing& FixedRing() {
  static const mxstate::KeyRing ring = [] {
    mxstate::KeyRing r;
    // The spec appendix key ("domain", ed25519:1) and two more fixed seeds.
    auto appendix = mxstate::SigningKey::FromSeedBase64(
        "YJDBA9Xnr2sVqXD9Vj7XVUnmFZcZrlw8Md7kMW+3XA1", "domain", "ed25519:1");
    if (!appendix) std::abort();
    r.Add("domain", "ed25519:1", mxstate::VerifyKey{appendix->public_key()});
    for (uint8_t fill : {11, 12}) {
      std::vector<uint8_t> seed(32, fill);
      std::string server = fill == 11 ? "a.example" : "b.example";
      std::string key_id = fill == 11 ? "ed25519:a1" : "ed25519:b1";
      auto key = mxstate::SigningKey::FromSeed(seed, server, key_id);
      if (!key) std::abort();
      mxstate::VerifyKey vk{key->public_key()};
      if (fill == 12) vk.valid_until_ts = 1700000000000;  // exercises v5+ validity
      r.Add(server, key_id, vk);
    }
    return r;
  }();
  return ring;
}

[[noreturn]] void Die(const char* what, std::string_view version) {
  std::fprintf(stderr, "fuzz_verify_event: %s (room version %.*s)\n", what,
               static_cast<int>(version.size()), version.data());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 70000) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  mxstate::ParseOptions options;
  options.numbers = mxstate::NumberPolicy::kLegacyPython;
  auto parsed = mxstate::ParseJson(text, options);
  if (!parsed) return 0;
  const mxstate::KeyRing& ring = FixedRing();
  for (const auto& rules : mxstate::AllRoomVersions()) {
    mxstate::EventVerification v = mxstate::VerifyEvent(*parsed, rules, ring);
    if (v.ok() != (v.verdict == mxstate::Verdict::kValid)) Die("ok() inconsistent", rules.id);
    if (v.verdict == mxstate::Verdict::kValid) {
      if (!v.problems.empty()) Die("valid verdict with problems", rules.id);
      if (v.event_id.empty()) Die("valid verdict without an event ID", rules.id);
      for (const auto& s : v.signers)
        if (!s.ok) Die("valid verdict with a failed signer", rules.id);
    } else if (v.problems.empty()) {
      Die("non-valid verdict without a problem", rules.id);
    }
    (void)mxstate::RequiredSigners(*parsed, rules);
  }
  mxstate::KeyRing scratch;
  (void)scratch.AddAny(*parsed);
  return 0;
}

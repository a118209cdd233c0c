// Fuzz target: ParseJson under every NumberPolicy. When the input is
// accepted, its canonical encoding must re-parse to an equal value and
// re-encode to the same bytes (a round-trip oracle in the style of
// BoringSSL's der_roundtrip fuzzer). Failures abort().
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "mxstate/canonical_json.h"
#include "mxstate/json.h"

namespace {

[[noreturn]] void Die(const char* what, mxstate::NumberPolicy policy,
                      const std::string& detail) {
  std::fprintf(stderr, "fuzz_json_parse: %s (policy %d)\n%s\n", what,
               static_cast<int>(policy), detail.c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 1 << 20) return 0;  // oversized inputs first (RE2 style)
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (auto policy : {mxstate::NumberPolicy::kAppendix, mxstate::NumberPolicy::kStrict,
                      mxstate::NumberPolicy::kLegacyPython}) {
    mxstate::ParseOptions options;
    options.numbers = policy;
    auto parsed = mxstate::ParseJson(text, options);
    if (!parsed) {
      if (parsed.error().code.empty()) Die("error without a code", policy, "");
      continue;
    }
    const std::string canonical = mxstate::CanonicalJson(*parsed);
    auto again = mxstate::ParseJson(canonical, options);
    if (!again) {
      Die("canonical output does not re-parse", policy,
          canonical + "\n" + again.error().ToString());
    }
    if (!(*again == *parsed)) Die("re-parsed value differs", policy, canonical);
    const std::string twice = mxstate::CanonicalJson(*again);
    if (twice != canonical) Die("canonical encoding not idempotent", policy,
                                canonical + "\n" + twice);
    // The strict policies only accept what CheckNumbers accepts.
    if (policy == mxstate::NumberPolicy::kStrict &&
        !mxstate::CheckNumbers(*parsed, policy)) {
      Die("strict parse accepted a value CheckNumbers refuses", policy, canonical);
    }
  }
  return 0;
}

// Canonical JSON: the strict parser and the canonical encoder
// (spec: appendices, "Canonical JSON"; room versions' canonical-JSON rules).
//
// The parser validates UTF-8, refuses lone surrogates and duplicate keys,
// bounds nesting depth, and never routes integers through double. How
// numbers are judged depends on the NumberPolicy:
//
//  kAppendix      the appendix's generic transformation: any number literal
//                 whose exact value is an integer in ±(2^53-1) is accepted
//                 and written as a plain integer (its own example turns
//                 `-0` into `0` and `1e10` into `10000000000`).
//  kStrict        room versions 6 and later ("servers MUST enforce"):
//                 literals must be integers in ±(2^53-1) written without
//                 fraction or exponent; `-0` reads as 0.
//  kLegacyPython  room versions 1-5 (limits "MUST NOT be enforced"):
//                 every finite number is accepted; integers are exact at
//                 any size; non-integers are re-encoded the way Python's
//                 json.dumps (Synapse) wrote them, e.g. 100.0, 1e+16, 1e-05,
//                 so that old hashes and signatures still verify.
#ifndef MXSTATE_CANONICAL_JSON_H_
#define MXSTATE_CANONICAL_JSON_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "mxstate/json.h"
#include "mxstate/status.h"

namespace mxstate {

enum class NumberPolicy { kAppendix, kStrict, kLegacyPython };

inline constexpr int64_t kMaxCanonicalInteger = (int64_t{1} << 53) - 1;

struct ParseOptions {
  NumberPolicy numbers = NumberPolicy::kAppendix;
  int max_depth = 128;                    // arrays + objects nested
  size_t max_bytes = 16 * 1024 * 1024;    // whole input
};

// Parses one JSON text (surrounding whitespace allowed, nothing else).
// Error codes: json.syntax, json.depth, json.too_large, json.invalid_utf8,
// json.lone_surrogate, json.duplicate_key, json.float_forbidden,
// json.integer_out_of_range, json.number_out_of_range.
Result<Json> ParseJson(std::string_view text, const ParseOptions& options = {});

// Appends the canonical encoding of `value` to `*out`.
void AppendCanonicalJson(const Json& value, std::string* out);
std::string CanonicalJson(const Json& value);
// Length in bytes of CanonicalJson(value), computed without building it.
size_t CanonicalJsonSize(const Json& value);
// Appends one string as a canonical JSON string literal (quotes included).
void AppendCanonicalString(std::string_view s, std::string* out);

// Checks that every number in `value` satisfies `policy` (used when a value
// parsed leniently, or built in code, must be judged for a strict version).
Result<void> CheckNumbers(const Json& value, NumberPolicy policy);

// Python float repr (shortest round-trip digits, exponent form outside
// 1e-4 <= |x| < 1e16), as json.dumps writes floats. Exposed for tests.
std::string PythonFloatRepr(double value);

}  // namespace mxstate

#endif  // MXSTATE_CANONICAL_JSON_H_

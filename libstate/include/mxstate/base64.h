// Unpadded base64 (spec: appendices, "Unpadded Base64").
#ifndef MXSTATE_BASE64_H_
#define MXSTATE_BASE64_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace mxstate {

enum class Base64Alphabet { kStandard, kUrlSafe };

// Encodes without `=` padding.
std::string EncodeBase64(std::span<const uint8_t> bytes,
                         Base64Alphabet alphabet = Base64Alphabet::kStandard);

// Decodes unpadded or padded base64 of the given alphabet. Returns nullopt
// on any character outside the alphabet or a bad length. Unused low bits
// of the last character are ignored (the spec's own test seed sets them).
std::optional<std::vector<uint8_t>> DecodeBase64(
    std::string_view text, Base64Alphabet alphabet = Base64Alphabet::kStandard);

// Accepts either alphabet (third-party invite keys may use either).
std::optional<std::vector<uint8_t>> DecodeBase64AnyAlphabet(
    std::string_view text);

}  // namespace mxstate

#endif  // MXSTATE_BASE64_H_

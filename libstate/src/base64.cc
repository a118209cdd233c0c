// Unpadded base64 (appendices, "Unpadded Base64").
#include "mxstate/base64.h"

#include <array>

namespace mxstate {
namespace {

constexpr char kStandard[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr char kUrlSafe[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

constexpr std::array<int8_t, 256> MakeDecodeTable(const char* alphabet) {
  std::array<int8_t, 256> t{};
  for (auto& v : t) v = -1;
  for (int i = 0; i < 64; ++i) t[static_cast<unsigned char>(alphabet[i])] = static_cast<int8_t>(i);
  return t;
}
constexpr auto kStandardDecode = MakeDecodeTable(kStandard);
constexpr auto kUrlSafeDecode = MakeDecodeTable(kUrlSafe);

}  // namespace

std::string EncodeBase64(std::span<const uint8_t> bytes, Base64Alphabet alphabet) {
  const char* table = alphabet == Base64Alphabet::kStandard ? kStandard : kUrlSafe;
  std::string out;
  out.reserve((bytes.size() * 4 + 2) / 3);
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    uint32_t v = (uint32_t{bytes[i]} << 16) | (uint32_t{bytes[i + 1]} << 8) | bytes[i + 2];
    out.push_back(table[(v >> 18) & 63]);
    out.push_back(table[(v >> 12) & 63]);
    out.push_back(table[(v >> 6) & 63]);
    out.push_back(table[v & 63]);
  }
  size_t rest = bytes.size() - i;
  if (rest == 1) {
    uint32_t v = uint32_t{bytes[i]} << 16;
    out.push_back(table[(v >> 18) & 63]);
    out.push_back(table[(v >> 12) & 63]);
  } else if (rest == 2) {
    uint32_t v = (uint32_t{bytes[i]} << 16) | (uint32_t{bytes[i + 1]} << 8);
    out.push_back(table[(v >> 18) & 63]);
    out.push_back(table[(v >> 12) & 63]);
    out.push_back(table[(v >> 6) & 63]);
  }
  return out;
}

std::optional<std::vector<uint8_t>> DecodeBase64(std::string_view text,
                                                 Base64Alphabet alphabet) {
  const auto& table = alphabet == Base64Alphabet::kStandard ? kStandardDecode : kUrlSafeDecode;
  // Padding is optional (appendices: decoders should accept it).
  if (text.size() % 4 == 0 && !text.empty()) {
    size_t pad = 0;
    while (pad < 2 && !text.empty() && text.back() == '=') {
      text.remove_suffix(1);
      ++pad;
    }
  }
  if (text.size() % 4 == 1) return std::nullopt;
  std::vector<uint8_t> out;
  out.reserve(text.size() * 3 / 4);
  uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    int8_t v = table[static_cast<unsigned char>(c)];
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<uint8_t>((acc >> bits) & 0xFF));
    }
  }
  // Leftover bits are ignored, not required to be zero: the spec's own
  // signing-key seed (appendices, test vectors) ends in '1', whose low bits
  // are set, and Python's decoder (Synapse) accepts that.
  return out;
}

std::optional<std::vector<uint8_t>> DecodeBase64AnyAlphabet(std::string_view text) {
  if (auto r = DecodeBase64(text, Base64Alphabet::kStandard)) return r;
  return DecodeBase64(text, Base64Alphabet::kUrlSafe);
}

}  // namespace mxstate

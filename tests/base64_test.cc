// Unpadded base64 (spec appendix "Unpadded Base64"; RFC 4648 sections 4, 5).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "mxstate/base64.h"

namespace mxstate {
namespace {

std::vector<uint8_t> Bytes(std::string_view s) {
  return std::vector<uint8_t>(s.begin(), s.end());
}

// content/appendices.md "Unpadded Base64" examples.
struct Case {
  const char* input;
  const char* output;
};
const Case kAppendix[] = {{"", ""},         {"f", "Zg"},         {"fo", "Zm8"},
                          {"foo", "Zm9v"},  {"foob", "Zm9vYg"},  {"fooba", "Zm9vYmE"},
                          {"foobar", "Zm9vYmFy"}};

TEST(Base64, AppendixEncode) {
  for (const auto& c : kAppendix) {
    EXPECT_EQ(EncodeBase64(Bytes(c.input)), c.output);
    EXPECT_EQ(EncodeBase64(Bytes(c.input), Base64Alphabet::kUrlSafe), c.output);
  }
}

TEST(Base64, AppendixDecode) {
  for (const auto& c : kAppendix) {
    auto d = DecodeBase64(c.output);
    ASSERT_TRUE(d.has_value()) << c.output;
    EXPECT_EQ(*d, Bytes(c.input));
    auto any = DecodeBase64AnyAlphabet(c.output);
    ASSERT_TRUE(any.has_value());
    EXPECT_EQ(*any, Bytes(c.input));
  }
}

TEST(Base64, PaddedInputAccepted) {
  // Appendix: "implementations SHOULD accept input with or without padding".
  EXPECT_EQ(DecodeBase64("Zg=="), Bytes("f"));
  EXPECT_EQ(DecodeBase64("Zm8="), Bytes("fo"));
  EXPECT_EQ(DecodeBase64("Zm9vYmE="), Bytes("fooba"));
}

TEST(Base64, UrlSafeAlphabet) {
  // 0xfb 0xff -> 111110 111111 1111(00) -> 62 63 60.
  const std::vector<uint8_t> b = {0xfb, 0xff};
  EXPECT_EQ(EncodeBase64(b), "+/8");
  EXPECT_EQ(EncodeBase64(b, Base64Alphabet::kUrlSafe), "-_8");
  EXPECT_EQ(DecodeBase64("+/8"), b);
  EXPECT_EQ(DecodeBase64("-_8", Base64Alphabet::kUrlSafe), b);
  EXPECT_FALSE(DecodeBase64("-_8", Base64Alphabet::kStandard).has_value());
  EXPECT_FALSE(DecodeBase64("+/8", Base64Alphabet::kUrlSafe).has_value());
  EXPECT_EQ(DecodeBase64AnyAlphabet("+/8"), b);
  EXPECT_EQ(DecodeBase64AnyAlphabet("-_8"), b);
}

TEST(Base64, AllByteValuesRoundTrip) {
  std::vector<uint8_t> all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<uint8_t>(i));
  for (size_t n = 0; n <= all.size(); n += 17) {
    std::vector<uint8_t> part(all.begin(), all.begin() + n);
    for (auto alphabet : {Base64Alphabet::kStandard, Base64Alphabet::kUrlSafe}) {
      std::string enc = EncodeBase64(part, alphabet);
      EXPECT_EQ(enc.find('='), std::string::npos);
      EXPECT_EQ(enc.size(), (n * 4 + 2) / 3);
      EXPECT_EQ(DecodeBase64(enc, alphabet), part);
    }
  }
}

TEST(Base64, RejectsBadInput) {
  for (const char* bad : {
           "Z",          // 6 bits cannot make a byte
           "Zm9vY",      // length 1 mod 4
           "Zm9v!",      // outside the alphabet
           "Zm 9v",      // whitespace
           "Zm9v\n",     // newline
           "Z=g",        // padding in the middle
           "Zg===",      // too much padding
           "=",          // only padding
           "Zm9v\xc3\xa9",  // non-ASCII
       }) {
    EXPECT_FALSE(DecodeBase64(bad).has_value()) << "accepted: " << bad;
    EXPECT_FALSE(DecodeBase64(bad, Base64Alphabet::kUrlSafe).has_value())
        << "accepted (url-safe): " << bad;
    EXPECT_FALSE(DecodeBase64AnyAlphabet(bad).has_value())
        << "accepted (any): " << bad;
  }
  EXPECT_FALSE(DecodeBase64(std::string_view("Zg\0", 3)).has_value());
}

TEST(Base64, NonZeroUnusedBitsTolerated) {
  // The spec's own signing-key seed (appendix "Signing Key") ends in '1',
  // whose two unused low bits are 01; Python's decoder (Synapse, signedjson)
  // accepts it, so the decoder ignores leftover bits.
  auto seed = DecodeBase64("YJDBA9Xnr2sVqXD9Vj7XVUnmFZcZrlw8Md7kMW+3XA1");
  ASSERT_TRUE(seed.has_value());
  EXPECT_EQ(seed->size(), 32u);
  EXPECT_EQ(EncodeBase64(*seed), "YJDBA9Xnr2sVqXD9Vj7XVUnmFZcZrlw8Md7kMW+3XA0");
  EXPECT_EQ(DecodeBase64("Zh"), Bytes("f"));
}

TEST(Base64, Sha256SizedValues) {
  // 32 bytes -> 43 characters, 64 bytes -> 86 characters (hashes, signatures).
  std::vector<uint8_t> h(32, 0xAB), s(64, 0x01);
  EXPECT_EQ(EncodeBase64(h).size(), 43u);
  EXPECT_EQ(EncodeBase64(s).size(), 86u);
}

}  // namespace
}  // namespace mxstate

// Canonical JSON: parser and encoder.
//
// Sources of expected values:
//  * the spec appendix "Canonical JSON > Examples" (matrix-org/matrix-spec
//    d0ba2aaef801e0134a4e5c6054a2c2f41bb55531, content/appendices.md), copied
//    from shared/vectors/spec-appendix.json;
//  * Python's json.dumps (what Synapse wrote for room versions 1-5), run with
//    /usr/bin/python3: json.dumps(json.loads(x));
//  * hand-working from the appendix rules.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "mxstate/canonical_json.h"
#include "mxstate/json.h"
#include "test_util.h"

namespace mxstate {
namespace {

using mxstate::testing::J;

Result<Json> Parse(std::string_view text, NumberPolicy policy,
                   int max_depth = 128) {
  ParseOptions options;
  options.numbers = policy;
  options.max_depth = max_depth;
  return ParseJson(text, options);
}

// Canonical form of `text` under `policy`, or "ERROR:<code>".
std::string CanonOf(std::string_view text, NumberPolicy policy) {
  auto parsed = Parse(text, policy);
  if (!parsed) return "ERROR:" + parsed.error().code;
  return CanonicalJson(*parsed);
}

std::string ErrorCode(std::string_view text,
                      NumberPolicy policy = NumberPolicy::kAppendix,
                      int max_depth = 128) {
  auto parsed = Parse(text, policy, max_depth);
  if (parsed) return "accepted as " + CanonicalJson(*parsed);
  return parsed.error().code;
}

// ---------------------------------------------------------------------------
// Spec appendix examples (content/appendices.md, "Canonical JSON" examples).
struct AppendixCase {
  const char* input;
  const char* expected;
};
const AppendixCase kAppendixCases[] = {
    {"{}", "{}"},
    {"{\n    \"one\": 1,\n    \"two\": \"Two\"\n}", "{\"one\":1,\"two\":\"Two\"}"},
    {"{\n    \"b\": \"2\",\n    \"a\": \"1\"\n}", "{\"a\":\"1\",\"b\":\"2\"}"},
    {"{\"b\":\"2\",\"a\":\"1\"}", "{\"a\":\"1\",\"b\":\"2\"}"},
    {"{\n    \"auth\": {\n        \"success\": true,\n        \"mxid\": "
     "\"@john.doe:example.com\",\n        \"profile\": {\n            "
     "\"display_name\": \"John Doe\",\n            \"three_pids\": [\n        "
     "        {\n                    \"medium\": \"email\",\n                 "
     "   \"address\": \"john.doe@example.org\"\n                },\n          "
     "      {\n                    \"medium\": \"msisdn\",\n                 "
     "   \"address\": \"123456789\"\n                }\n            ]\n        "
     "}\n    }\n}",
     "{\"auth\":{\"mxid\":\"@john.doe:example.com\",\"profile\":{\"display_"
     "name\":\"John "
     "Doe\",\"three_pids\":[{\"address\":\"john.doe@example.org\",\"medium\":"
     "\"email\"},{\"address\":\"123456789\",\"medium\":\"msisdn\"}]},"
     "\"success\":true}}"},
    {"{\n    \"a\": \"日本語\"\n}", "{\"a\":\"日本語\"}"},
    {"{\n    \"本\": 2,\n    \"日\": 1\n}", "{\"日\":1,\"本\":2}"},
    {"{\n    \"a\": \"\\u65E5\"\n}", "{\"a\":\"日\"}"},
    {"{\n    \"a\": null\n}", "{\"a\":null}"},
    {"{\n    \"a\": -0,\n    \"b\": 1e10\n}", "{\"a\":0,\"b\":10000000000}"},
};

TEST(CanonicalJsonAppendix, AllExamples) {
  for (const auto& c : kAppendixCases) {
    EXPECT_EQ(CanonOf(c.input, NumberPolicy::kAppendix), c.expected)
        << "input: " << c.input;
  }
}

TEST(CanonicalJsonAppendix, ExamplesWithoutNumberTricksPassStrict) {
  // Every example except the last (-0 / 1e10) is already valid under the
  // strict v6+ rules and must give the same output.
  for (size_t i = 0; i + 1 < std::size(kAppendixCases); ++i) {
    EXPECT_EQ(CanonOf(kAppendixCases[i].input, NumberPolicy::kStrict),
              kAppendixCases[i].expected);
  }
}

TEST(CanonicalJsonAppendix, CanonicalOutputIsAFixedPoint) {
  for (const auto& c : kAppendixCases) {
    EXPECT_EQ(CanonOf(c.expected, NumberPolicy::kAppendix), c.expected);
  }
}

// ---------------------------------------------------------------------------
// Number policies.

TEST(CanonicalJsonNumbers, AppendixPolicy) {
  const auto P = NumberPolicy::kAppendix;
  EXPECT_EQ(CanonOf("1e10", P), "10000000000");  // appendix example
  EXPECT_EQ(CanonOf("-0", P), "0");              // appendix example
  EXPECT_EQ(CanonOf("1E2", P), "100");
  EXPECT_EQ(CanonOf("1.0", P), "1");      // exact integer value
  EXPECT_EQ(CanonOf("2.50e1", P), "25");  // exact integer value
  EXPECT_EQ(CanonOf("100e-2", P), "1");
  EXPECT_EQ(CanonOf("9007199254740991", P), "9007199254740991");
  EXPECT_EQ(CanonOf("-9007199254740991", P), "-9007199254740991");
  EXPECT_EQ(ErrorCode("1.5", P), "json.float_forbidden");
  EXPECT_EQ(ErrorCode("[0.1]", P), "json.float_forbidden");
  EXPECT_EQ(ErrorCode("9007199254740992", P), "json.integer_out_of_range");
  EXPECT_EQ(ErrorCode("-9007199254740992", P), "json.integer_out_of_range");
  EXPECT_NE(ErrorCode("1e16", P).rfind("json.", 0), std::string::npos);
}

TEST(CanonicalJsonNumbers, StrictPolicy) {
  const auto P = NumberPolicy::kStrict;
  EXPECT_EQ(CanonOf("-0", P), "0");
  EXPECT_EQ(CanonOf("[0,1,-1,42]", P), "[0,1,-1,42]");
  EXPECT_EQ(CanonOf("9007199254740991", P), "9007199254740991");
  EXPECT_EQ(CanonOf("-9007199254740991", P), "-9007199254740991");
  EXPECT_EQ(ErrorCode("1E2", P), "json.float_forbidden");
  EXPECT_EQ(ErrorCode("0.0", P), "json.float_forbidden");
  EXPECT_EQ(ErrorCode("1e10", P), "json.float_forbidden");
  EXPECT_EQ(ErrorCode("1.5", P), "json.float_forbidden");
  EXPECT_EQ(ErrorCode("{\"a\":{\"b\":[1.25]}}", P), "json.float_forbidden");
  EXPECT_EQ(ErrorCode("9007199254740992", P), "json.integer_out_of_range");
  EXPECT_EQ(ErrorCode("-9007199254740992", P), "json.integer_out_of_range");
  EXPECT_EQ(ErrorCode("123456789012345678901234567890", P),
            "json.integer_out_of_range");
}

TEST(CanonicalJsonNumbers, LegacyPythonPolicy) {
  // Expected strings are /usr/bin/python3 json.dumps(json.loads(x)).
  const auto P = NumberPolicy::kLegacyPython;
  EXPECT_EQ(CanonOf("1E2", P), "100.0");
  EXPECT_EQ(CanonOf("1e16", P), "1e+16");
  EXPECT_EQ(CanonOf("0.00001", P), "1e-05");
  EXPECT_EQ(CanonOf("50.57", P), "50.57");
  EXPECT_EQ(CanonOf("0.0001", P), "0.0001");
  EXPECT_EQ(CanonOf("1.0", P), "1.0");
  EXPECT_EQ(CanonOf("-0", P), "0");
  EXPECT_EQ(CanonOf("-0.0", P), "-0.0");
  EXPECT_EQ(CanonOf("123456789012345678.0", P), "1.2345678901234568e+17");
  EXPECT_EQ(CanonOf("1.5e300", P), "1.5e+300");
  EXPECT_EQ(CanonOf("1e15", P), "1000000000000000.0");
  EXPECT_EQ(CanonOf("123456789012345678901234567890", P),
            "123456789012345678901234567890");
  EXPECT_EQ(CanonOf("-123456789012345678901234567890", P),
            "-123456789012345678901234567890");
  EXPECT_EQ(CanonOf("9007199254740993", P), "9007199254740993");
  EXPECT_EQ(CanonOf("{\"pl\":50.57,\"n\":[1E2]}", P),
            "{\"n\":[100.0],\"pl\":50.57}");
  EXPECT_EQ(ErrorCode("1e400", P), "json.number_out_of_range");
  EXPECT_EQ(ErrorCode("-1e400", P), "json.number_out_of_range");
}

TEST(CanonicalJsonNumbers, LegacyKinds) {
  auto small = Parse("42", NumberPolicy::kLegacyPython);
  ASSERT_TRUE(small);
  EXPECT_TRUE(small->is_integer());
  EXPECT_EQ(small->as_integer(), 42);
  auto big = Parse("123456789012345678901234567890", NumberPolicy::kLegacyPython);
  ASSERT_TRUE(big);
  EXPECT_EQ(big->kind(), Json::Kind::kNumber);
  EXPECT_EQ(big->as_number().text, "123456789012345678901234567890");
  auto f = Parse("50.57", NumberPolicy::kLegacyPython);
  ASSERT_TRUE(f);
  ASSERT_EQ(f->kind(), Json::Kind::kNumber);
  EXPECT_DOUBLE_EQ(f->as_number().value, 50.57);
}

TEST(CanonicalJsonNumbers, PythonFloatRepr) {
  // /usr/bin/python3: repr(float)
  EXPECT_EQ(PythonFloatRepr(100.0), "100.0");
  EXPECT_EQ(PythonFloatRepr(1e16), "1e+16");
  EXPECT_EQ(PythonFloatRepr(1e-5), "1e-05");
  EXPECT_EQ(PythonFloatRepr(1e-7), "1e-07");
  EXPECT_EQ(PythonFloatRepr(0.0001), "0.0001");
  EXPECT_EQ(PythonFloatRepr(50.57), "50.57");
  EXPECT_EQ(PythonFloatRepr(-0.0), "-0.0");
  EXPECT_EQ(PythonFloatRepr(1e15), "1000000000000000.0");
  EXPECT_EQ(PythonFloatRepr(123456789012345678.0), "1.2345678901234568e+17");
  EXPECT_EQ(PythonFloatRepr(9007199254740993.0), "9007199254740992.0");
  EXPECT_EQ(PythonFloatRepr(0.1), "0.1");
  EXPECT_EQ(PythonFloatRepr(1.5e300), "1.5e+300");
}

TEST(CanonicalJsonNumbers, CheckNumbers) {
  Json legacy = J("{\"a\":[1.5]}", NumberPolicy::kLegacyPython);
  auto r = CheckNumbers(legacy, NumberPolicy::kStrict);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "json.float_forbidden");
  EXPECT_TRUE(CheckNumbers(legacy, NumberPolicy::kLegacyPython));

  Json big = J("{\"a\":9007199254740993}", NumberPolicy::kLegacyPython);
  auto r2 = CheckNumbers(big, NumberPolicy::kStrict);
  ASSERT_FALSE(r2);
  EXPECT_EQ(r2.error().code, "json.integer_out_of_range");

  Json built = Json::EmptyObject();
  built.Set("x", Json(int64_t{1} << 53));
  auto r3 = CheckNumbers(built, NumberPolicy::kStrict);
  ASSERT_FALSE(r3);
  EXPECT_EQ(r3.error().code, "json.integer_out_of_range");
  EXPECT_TRUE(CheckNumbers(J("{\"x\":[1,-2,{\"y\":3}]}"), NumberPolicy::kStrict));
}

// ---------------------------------------------------------------------------
// Syntax.

TEST(CanonicalJsonSyntax, RejectsMalformed) {
  for (const char* bad :
       {"", " ", "{", "[1,]", "{\"a\":1,}", "{a:1}", "[01]", "[-]", "[1.]",
        "[.5]", "[+1]", "NaN", "Infinity", "[1e]", "'a'", "\"abc", "[1] [2]",
        "{} x", "tru", "nul", "[\"\\x\"]", "[\"\\u12\"]", "\"a\tb\"",
        "\"\x01\""}) {
    auto r = Parse(bad, NumberPolicy::kLegacyPython);
    EXPECT_FALSE(r) << "accepted: " << bad;
    if (!r) {
      EXPECT_EQ(r.error().code, "json.syntax") << "input: " << bad;
    }
  }
}

TEST(CanonicalJsonSyntax, SurroundingWhitespaceAllowed) {
  EXPECT_EQ(CanonOf(" \t\r\n{ \"a\" : [ 1 , true , false , null ] } \n",
                    NumberPolicy::kStrict),
            "{\"a\":[1,true,false,null]}");
}

TEST(CanonicalJsonSyntax, TooLarge) {
  ParseOptions options;
  options.max_bytes = 10;
  auto r = ParseJson("[1,2,3,4,5,6,7]", options);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "json.too_large");
}

// ---------------------------------------------------------------------------
// Duplicate keys, surrogates, UTF-8.

TEST(CanonicalJsonStrings, DuplicateKeysRejected) {
  EXPECT_EQ(ErrorCode("{\"a\":1,\"a\":2}"), "json.duplicate_key");
  EXPECT_EQ(ErrorCode("{\"a\":1,\"a\":1}"), "json.duplicate_key");
  EXPECT_EQ(ErrorCode("{\"a\":1,\"\\u0061\":2}"), "json.duplicate_key");
  EXPECT_EQ(ErrorCode("{\"\\u65e5\":1,\"日\":2}"), "json.duplicate_key");
  EXPECT_EQ(ErrorCode("{\"x\":{\"b\":1,\"c\":2,\"b\":3}}"),
            "json.duplicate_key");
  EXPECT_EQ(ErrorCode("[{\"k\":1},{\"k\":2,\"k\":3}]"), "json.duplicate_key");
  // Same key in different objects is fine.
  EXPECT_EQ(CanonOf("[{\"k\":1},{\"k\":2}]", NumberPolicy::kStrict),
            "[{\"k\":1},{\"k\":2}]");
}

TEST(CanonicalJsonStrings, LoneSurrogatesRejected) {
  EXPECT_EQ(ErrorCode("\"\\ud800\""), "json.lone_surrogate");
  EXPECT_EQ(ErrorCode("\"\\udc00\""), "json.lone_surrogate");
  EXPECT_EQ(ErrorCode("\"\\uDBFF\\u0041\""), "json.lone_surrogate");
  EXPECT_EQ(ErrorCode("\"\\ud800\\ud800\""), "json.lone_surrogate");
  EXPECT_EQ(ErrorCode("\"\\ude00\\ud83d\""), "json.lone_surrogate");
  EXPECT_EQ(ErrorCode("{\"\\ud800\":1}"), "json.lone_surrogate");
  // A proper pair is the astral character, written raw.
  EXPECT_EQ(CanonOf("\"\\ud83d\\ude00\"", NumberPolicy::kStrict),
            "\"\xF0\x9F\x98\x80\"");
}

TEST(CanonicalJsonStrings, InvalidUtf8Rejected) {
  for (std::string bad : {
           std::string("\"\xff\""),              // never valid
           std::string("\"\xc0\xaf\""),          // overlong '/'
           std::string("\"\xe0\x80\xaf\""),      // overlong, 3 bytes
           std::string("\"\xf0\x80\x80\xaf\""),  // overlong, 4 bytes
           std::string("\"\xc1\xbf\""),          // overlong
           std::string("\"\xed\xa0\x80\""),      // UTF-8-encoded surrogate
           std::string("\"\xf4\x90\x80\x80\""),  // > U+10FFFF
           std::string("\"\xe6\x97\""),          // truncated
           std::string("\"\x80\""),              // lone continuation
           std::string("{\"\xfe\":1}"),          // in a key
       }) {
    EXPECT_EQ(ErrorCode(bad), "json.invalid_utf8");
  }
}

TEST(CanonicalJsonStrings, BomRejected) {
  // RFC 8259 lets parsers ignore a BOM; the canonical-JSON parser refuses
  // anything that is not exactly one JSON text.
  EXPECT_FALSE(Parse("\xEF\xBB\xBF{}", NumberPolicy::kAppendix));
}

// ---------------------------------------------------------------------------
// Depth.

TEST(CanonicalJsonDepth, Bound) {
  EXPECT_EQ(CanonOf("[[[[]]]]", NumberPolicy::kStrict), "[[[[]]]]");
  EXPECT_EQ(ErrorCode("[[[[]]]]", NumberPolicy::kStrict, 4), "accepted as [[[[]]]]");
  EXPECT_EQ(ErrorCode("[[[[[]]]]]", NumberPolicy::kStrict, 4), "json.depth");
  EXPECT_EQ(ErrorCode("{\"a\":{\"a\":[{\"a\":1}]}}", NumberPolicy::kStrict, 4),
            "accepted as {\"a\":{\"a\":[{\"a\":1}]}}");
  EXPECT_EQ(ErrorCode("{\"a\":{\"a\":[{\"a\":[]}]}}", NumberPolicy::kStrict, 4),
            "json.depth");
}

TEST(CanonicalJsonDepth, DefaultIs128) {
  std::string ok = std::string(128, '[') + std::string(128, ']');
  std::string deep = std::string(129, '[') + std::string(129, ']');
  EXPECT_TRUE(Parse(ok, NumberPolicy::kStrict));
  EXPECT_EQ(ErrorCode(deep), "json.depth");
}

TEST(CanonicalJsonDepth, HugeNestingDoesNotCrash) {
  EXPECT_EQ(ErrorCode(std::string(100000, '[')), "json.depth");
  EXPECT_EQ(ErrorCode(std::string(100000, '[') + std::string(100000, ']')),
            "json.depth");
  std::string objects;
  for (int i = 0; i < 100000; ++i) objects += "{\"a\":";
  EXPECT_EQ(ErrorCode(objects), "json.depth");
}

// ---------------------------------------------------------------------------
// Encoding: escapes and key order.

TEST(CanonicalJsonEncode, Escapes) {
  // Appendix: escape only '"', '\' and U+0000..U+001F; \b \t \n \f \r for
  // those five, lowercase \u00XX for the rest; everything else raw.
  std::string raw = "q\"b\\s/d\x7f";
  raw += '\0';
  raw += "\x01\x1f\b\t\n\f\r\x0b";
  raw += "\xE2\x80\xA8\xF0\x9F\x98\x80";  // U+2028, U+1F600
  EXPECT_EQ(CanonicalJson(Json(raw)),
            "\"q\\\"b\\\\s/d\x7f\\u0000\\u0001\\u001f\\b\\t\\n\\f\\r\\u000b"
            "\xE2\x80\xA8\xF0\x9F\x98\x80\"");
}

TEST(CanonicalJsonEncode, EscapedInputComesOutRaw) {
  EXPECT_EQ(CanonOf("\"\\/\\u0041\\u00e9\\u001F\\u007f\\u2028\"",
                    NumberPolicy::kStrict),
            "\"/A\xC3\xA9\\u001f\x7f\xE2\x80\xA8\"");
  EXPECT_EQ(CanonOf("\"\\b\\f\\n\\r\\t\\\"\\\\\"", NumberPolicy::kStrict),
            "\"\\b\\f\\n\\r\\t\\\"\\\\\"");
  EXPECT_EQ(CanonOf("\"\\u0008\\u000C\"", NumberPolicy::kStrict),
            "\"\\b\\f\"");
}

TEST(CanonicalJsonEncode, KeysSortedByCodePoint) {
  // Appendix: 日 (U+65E5) before 本 (U+672C).
  EXPECT_EQ(CanonOf("{\"本\":2,\"日\":1}", NumberPolicy::kStrict),
            "{\"日\":1,\"本\":2}");
  // U+FFFF sorts before U+10000 by code point (UTF-16 order would invert).
  EXPECT_EQ(CanonOf("{\"\\ud800\\udc00\":2,\"\\uffff\":1}", NumberPolicy::kStrict),
            "{\"\xEF\xBF\xBF\":1,\"\xF0\x90\x80\x80\":2}");
  EXPECT_EQ(CanonOf("{\"\\ud83d\\ude00\":2,\"\\ue000\":1}", NumberPolicy::kStrict),
            "{\"\xEE\x80\x80\":1,\"\xF0\x9F\x98\x80\":2}");
  // Prefixes first; uppercase before lowercase; empty key first.
  EXPECT_EQ(CanonOf("{\"ab\":1,\"a\":2,\"B\":3,\"\":4}", NumberPolicy::kStrict),
            "{\"\":4,\"B\":3,\"a\":2,\"ab\":1}");
}

// Find binary-searches objects of more than four members, deciding most
// probes on the first byte: that byte must order as unsigned, like the
// sort, or keys beyond ASCII (first byte >= 0x80) would not be found.
TEST(JsonObjects, FindEveryKeyAcrossTheAsciiBoundary) {
  const std::vector<std::string> keys = {"",       "A",        "a",        "ab",  "b",
                                         "\x7f",   "\xC3\xA9", "\xC3\xA9x", "\xE6\x97\xA5",
                                         "\xF0\x9F\x98\x80", "z"};
  Json::Object members;
  for (size_t i = 0; i < keys.size(); ++i) members.emplace_back(keys[i], Json(int64_t(i)));
  const Json obj = Json::MakeObject(std::move(members));
  for (size_t i = 0; i < keys.size(); ++i) {
    const Json* found = obj.Find(keys[i]);
    ASSERT_NE(found, nullptr) << "key #" << i;
    EXPECT_EQ(found->as_integer(), int64_t(i));
  }
  EXPECT_EQ(obj.Find("\xC3"), nullptr);
  EXPECT_EQ(obj.Find("\xFF"), nullptr);
  EXPECT_EQ(obj.Find("aa"), nullptr);
}

TEST(CanonicalJsonEncode, BuiltValues) {
  Json obj = Json::MakeObject({{"b", Json(2)}, {"a", Json("x")}, {"c", Json()}});
  EXPECT_EQ(CanonicalJson(obj), "{\"a\":\"x\",\"b\":2,\"c\":null}");
  obj.Set("aa", Json(true));
  EXPECT_EQ(CanonicalJson(obj), "{\"a\":\"x\",\"aa\":true,\"b\":2,\"c\":null}");
  EXPECT_TRUE(obj.Erase("b"));
  EXPECT_FALSE(obj.Erase("b"));
  EXPECT_EQ(CanonicalJson(obj), "{\"a\":\"x\",\"aa\":true,\"c\":null}");
  EXPECT_EQ(CanonicalJson(Json(int64_t{-9007199254740991})), "-9007199254740991");
  EXPECT_EQ(CanonicalJson(Json::EmptyArray()), "[]");
  EXPECT_EQ(CanonicalJson(Json::EmptyObject()), "{}");
  std::string appended = "x";
  AppendCanonicalJson(Json(Json::Array{Json(1), Json(false)}), &appended);
  EXPECT_EQ(appended, "x[1,false]");
}

TEST(CanonicalJsonEncode, ParsedValueAccessors) {
  Json v = J("{\"s\":\"x\",\"n\":3,\"o\":{},\"a\":[1]}");
  ASSERT_TRUE(v.is_object());
  EXPECT_EQ(v.size(), 4u);
  ASSERT_NE(v.FindString("s"), nullptr);
  EXPECT_EQ(*v.FindString("s"), "x");
  EXPECT_EQ(v.FindString("n"), nullptr);
  EXPECT_EQ(v.Find("missing"), nullptr);
  EXPECT_EQ(v.Find("n")->as_integer(), 3);
  // Members sorted by key bytes.
  std::vector<std::string> keys;
  for (const auto& [k, _] : v.as_object()) keys.push_back(k);
  EXPECT_EQ(keys, (std::vector<std::string>{"a", "n", "o", "s"}));
}

}  // namespace
}  // namespace mxstate

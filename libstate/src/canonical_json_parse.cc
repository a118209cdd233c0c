// The strict JSON parser (appendices, "Canonical JSON"; RFC 8259 grammar).
//
// Recursive descent over the bytes, with nesting bounded by
// ParseOptions::max_depth so hostile input cannot exhaust the stack.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <string>

#include "mxstate/canonical_json.h"

namespace mxstate {
namespace {

constexpr const char* kRuleGrammar = "appendices: canonical JSON grammar (RFC 8259)";
constexpr const char* kRuleNumbers = "appendices: canonical JSON numbers";
constexpr const char* kRuleUtf8 = "appendices: canonical JSON is UTF-8";

class Parser {
 public:
  Parser(std::string_view text, const ParseOptions& options)
      : p_(text.data()), begin_(text.data()), end_(text.data() + text.size()),
        options_(options) {}

  Result<Json> ParseDocument() {
    if (end_ - begin_ >= 3 && std::memcmp(begin_, "\xEF\xBB\xBF", 3) == 0) {
      return Error("json.syntax", kRuleUtf8,
                   "a byte order mark is not allowed before JSON text");
    }
    SkipWhitespace();
    Json value;
    if (!ParseValue(&value, 0)) return tl::unexpected(std::move(error_));
    SkipWhitespace();
    if (p_ != end_) {
      return Error("json.syntax", kRuleGrammar, "unexpected data after the JSON value");
    }
    return value;
  }

 private:
  tl::unexpected<mxstate::Error> Error(const char* code, const char* rule,
                                       std::string message) {
    message += " at byte " + std::to_string(p_ - begin_);
    return tl::unexpected<mxstate::Error>(
        mxstate::Error{code, rule, std::move(message)});
  }
  bool Fail(const char* code, const char* rule, std::string message) {
    error_ = Error(code, rule, std::move(message)).value();
    return false;
  }

  void SkipWhitespace() {
    while (p_ != end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
  }

  bool Literal(const char* word, size_t len) {
    if (static_cast<size_t>(end_ - p_) < len || std::memcmp(p_, word, len) != 0) {
      return Fail("json.syntax", kRuleGrammar, "invalid literal");
    }
    p_ += len;
    return true;
  }

  bool ParseValue(Json* out, int depth) {
    if (p_ == end_) return Fail("json.syntax", kRuleGrammar, "unexpected end of input");
    switch (*p_) {
      case '{': return ParseObject(out, depth + 1);
      case '[': return ParseArray(out, depth + 1);
      case '"': {
        std::string s;
        if (!ParseString(&s)) return false;
        *out = Json(std::move(s));
        return true;
      }
      case 't': if (!Literal("true", 4)) return false; *out = Json(true); return true;
      case 'f': if (!Literal("false", 5)) return false; *out = Json(false); return true;
      case 'n': if (!Literal("null", 4)) return false; *out = Json(); return true;
      default:
        if (*p_ == '-' || (*p_ >= '0' && *p_ <= '9')) return ParseNumber(out);
        return Fail("json.syntax", kRuleGrammar, "unexpected character");
    }
  }

  bool CheckDepth(int depth) {
    if (depth > options_.max_depth) {
      return Fail("json.depth", kRuleGrammar,
                  "nesting deeper than " + std::to_string(options_.max_depth));
    }
    return true;
  }

  bool ParseArray(Json* out, int depth) {
    if (!CheckDepth(depth)) return false;
    ++p_;  // '['
    Json::Array items;
    SkipWhitespace();
    if (p_ != end_ && *p_ == ']') {
      ++p_;
      *out = Json(std::move(items));
      return true;
    }
    while (true) {
      SkipWhitespace();
      items.emplace_back();
      if (!ParseValue(&items.back(), depth)) return false;
      SkipWhitespace();
      if (p_ == end_) return Fail("json.syntax", kRuleGrammar, "unterminated array");
      if (*p_ == ',') { ++p_; continue; }
      if (*p_ == ']') { ++p_; break; }
      return Fail("json.syntax", kRuleGrammar, "expected ',' or ']' in array");
    }
    *out = Json(std::move(items));
    return true;
  }

  bool ParseObject(Json* out, int depth) {
    if (!CheckDepth(depth)) return false;
    ++p_;  // '{'
    Json object = Json::EmptyObject();
    Json::Object& members = object.mutable_object();
    members.reserve(8);  // events' objects are small; avoid regrowth
    SkipWhitespace();
    if (p_ != end_ && *p_ == '}') {
      ++p_;
      *out = std::move(object);
      return true;
    }
    while (true) {
      SkipWhitespace();
      if (p_ == end_ || *p_ != '"') {
        return Fail("json.syntax", kRuleGrammar, "expected a string key");
      }
      members.emplace_back();
      if (!ParseString(&members.back().first)) return false;
      SkipWhitespace();
      if (p_ == end_ || *p_ != ':') return Fail("json.syntax", kRuleGrammar, "expected ':'");
      ++p_;
      SkipWhitespace();
      if (!ParseValue(&members.back().second, depth)) return false;
      SkipWhitespace();
      if (p_ == end_) return Fail("json.syntax", kRuleGrammar, "unterminated object");
      if (*p_ == ',') { ++p_; continue; }
      if (*p_ == '}') { ++p_; break; }
      return Fail("json.syntax", kRuleGrammar, "expected ',' or '}' in object");
    }
    auto by_key = [](const Json::Member& a, const Json::Member& b) { return a.first < b.first; };
    // Canonical input is already sorted; only sort when it is not.
    if (!std::is_sorted(members.begin(), members.end(), by_key)) {
      std::stable_sort(members.begin(), members.end(), by_key);
    }
    auto dup = std::adjacent_find(members.begin(), members.end(),
                                  [](const Json::Member& a, const Json::Member& b) {
                                    return a.first == b.first;
                                  });
    if (dup != members.end()) {
      // Implementations disagree on duplicate keys (last wins, or both
      // kept), so no canonical form exists that all servers would sign:
      // refuse rather than pick one (docs/decisions.md, anchors D1/D2).
      return Fail("json.duplicate_key", "appendices: canonical JSON (I-JSON, MSC4458)",
                  "duplicate object key \"" + dup->first + "\"");
    }
    *out = std::move(object);
    return true;
  }

  static int HexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  bool ReadHex4(uint32_t* out) {
    if (end_ - p_ < 4) return Fail("json.syntax", kRuleGrammar, "truncated \\u escape");
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      int h = HexValue(p_[i]);
      if (h < 0) return Fail("json.syntax", kRuleGrammar, "bad hex digit in \\u escape");
      v = (v << 4) | static_cast<uint32_t>(h);
    }
    p_ += 4;
    *out = v;
    return true;
  }

  static void AppendUtf8(uint32_t cp, std::string* out) {
    if (cp < 0x80) {
      out->push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }

  // Validates one UTF-8 sequence starting at p_ (a byte >= 0x80) and
  // advances past it. Refuses overlong forms, encoded surrogates and code
  // points above U+10FFFF (RFC 3629).
  bool SkipUtf8Sequence() {
    const auto* s = reinterpret_cast<const unsigned char*>(p_);
    size_t avail = static_cast<size_t>(end_ - p_);
    unsigned char b0 = s[0];
    size_t len;
    unsigned char lo = 0x80, hi = 0xBF;  // range of the second byte
    if (b0 >= 0xC2 && b0 <= 0xDF) {
      len = 2;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
      len = 3;
      if (b0 == 0xE0) lo = 0xA0;
      if (b0 == 0xED) hi = 0x9F;  // U+D800..U+DFFF are not characters
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
      len = 4;
      if (b0 == 0xF0) lo = 0x90;
      if (b0 == 0xF4) hi = 0x8F;
    } else {
      return Fail("json.invalid_utf8", kRuleUtf8, "invalid UTF-8 lead byte");
    }
    if (avail < len) return Fail("json.invalid_utf8", kRuleUtf8, "truncated UTF-8 sequence");
    if (s[1] < lo || s[1] > hi) {
      return Fail("json.invalid_utf8", kRuleUtf8, "invalid UTF-8 sequence");
    }
    for (size_t i = 2; i < len; ++i) {
      if (s[i] < 0x80 || s[i] > 0xBF) {
        return Fail("json.invalid_utf8", kRuleUtf8, "invalid UTF-8 continuation byte");
      }
    }
    p_ += len;
    return true;
  }

  bool ParseString(std::string* out) {
    ++p_;  // opening quote
    out->clear();
    while (true) {
      const char* run = p_;
      // Fast path: plain ASCII that needs no attention, a word at a time
      // (no byte is a control, '"', '\\' or >= 0x80).
      while (end_ - p_ >= 8) {
        constexpr uint64_t kOnes = 0x0101010101010101ULL;
        constexpr uint64_t kHigh = 0x8080808080808080ULL;
        uint64_t w;
        std::memcpy(&w, p_, 8);
        uint64_t quote = w ^ (kOnes * '"');
        uint64_t backslash = w ^ (kOnes * '\\');
        uint64_t special = ((w - kOnes * 0x20) & ~w) | ((quote - kOnes) & ~quote) |
                           ((backslash - kOnes) & ~backslash) | w;
        if ((special & kHigh) != 0) break;
        p_ += 8;
      }
      while (p_ != end_) {
        unsigned char c = static_cast<unsigned char>(*p_);
        if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80) break;
        ++p_;
      }
      out->append(run, p_);
      if (p_ == end_) return Fail("json.syntax", kRuleGrammar, "unterminated string");
      unsigned char c = static_cast<unsigned char>(*p_);
      if (c == '"') { ++p_; return true; }
      if (c < 0x20) {
        return Fail("json.syntax", kRuleGrammar, "unescaped control character in string");
      }
      if (c >= 0x80) {
        const char* start = p_;
        if (!SkipUtf8Sequence()) return false;
        out->append(start, p_);
        continue;
      }
      // Escape.
      ++p_;
      if (p_ == end_) return Fail("json.syntax", kRuleGrammar, "truncated escape");
      char e = *p_++;
      switch (e) {
        case '"': out->push_back('"'); break;
        case '\\': out->push_back('\\'); break;
        case '/': out->push_back('/'); break;
        case 'b': out->push_back('\b'); break;
        case 'f': out->push_back('\f'); break;
        case 'n': out->push_back('\n'); break;
        case 'r': out->push_back('\r'); break;
        case 't': out->push_back('\t'); break;
        case 'u': {
          uint32_t cp = 0;
          if (!ReadHex4(&cp)) return false;
          if (cp >= 0xDC00 && cp <= 0xDFFF) {
            return Fail("json.lone_surrogate", kRuleUtf8,
                        "unpaired low surrogate escape");
          }
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            if (end_ - p_ < 6 || p_[0] != '\\' || p_[1] != 'u') {
              return Fail("json.lone_surrogate", kRuleUtf8,
                          "high surrogate escape without a low surrogate");
            }
            p_ += 2;
            uint32_t low = 0;
            if (!ReadHex4(&low)) return false;
            if (low < 0xDC00 || low > 0xDFFF) {
              return Fail("json.lone_surrogate", kRuleUtf8,
                          "high surrogate escape followed by a non-low-surrogate");
            }
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          }
          AppendUtf8(cp, out);
          break;
        }
        default:
          return Fail("json.syntax", kRuleGrammar, "invalid escape character");
      }
    }
  }

  // Number grammar: -? (0 | [1-9][0-9]*) (.[0-9]+)? ([eE][+-]?[0-9]+)?
  bool ParseNumber(Json* out) {
    const char* start = p_;
    bool negative = false;
    if (*p_ == '-') { negative = true; ++p_; }
    const char* int_begin = p_;
    if (p_ == end_ || !(*p_ >= '0' && *p_ <= '9')) {
      return Fail("json.syntax", kRuleGrammar, "expected digits in number");
    }
    if (*p_ == '0') {
      ++p_;
      if (p_ != end_ && *p_ >= '0' && *p_ <= '9') {
        return Fail("json.syntax", kRuleGrammar, "leading zero in number");
      }
    } else {
      while (p_ != end_ && *p_ >= '0' && *p_ <= '9') ++p_;
    }
    const char* int_end = p_;
    const char* frac_begin = nullptr;
    const char* frac_end = nullptr;
    if (p_ != end_ && *p_ == '.') {
      ++p_;
      frac_begin = p_;
      while (p_ != end_ && *p_ >= '0' && *p_ <= '9') ++p_;
      frac_end = p_;
      if (frac_begin == frac_end) {
        return Fail("json.syntax", kRuleGrammar, "expected digits after decimal point");
      }
    }
    bool has_exp = false;
    int64_t exponent = 0;
    if (p_ != end_ && (*p_ == 'e' || *p_ == 'E')) {
      has_exp = true;
      ++p_;
      bool exp_negative = false;
      if (p_ != end_ && (*p_ == '+' || *p_ == '-')) { exp_negative = *p_ == '-'; ++p_; }
      if (p_ == end_ || !(*p_ >= '0' && *p_ <= '9')) {
        return Fail("json.syntax", kRuleGrammar, "expected digits in exponent");
      }
      while (p_ != end_ && *p_ >= '0' && *p_ <= '9') {
        if (exponent < 1000000) exponent = exponent * 10 + (*p_ - '0');  // saturate
        ++p_;
      }
      if (exp_negative) exponent = -exponent;
    }
    std::string_view literal(start, static_cast<size_t>(p_ - start));
    std::string_view int_digits(int_begin, static_cast<size_t>(int_end - int_begin));
    bool plain_integer = frac_begin == nullptr && !has_exp;

    switch (options_.numbers) {
      case NumberPolicy::kStrict:
        if (!plain_integer) {
          return Fail("json.float_forbidden", "v6 canonical JSON: integers only",
                      "number '" + std::string(literal) +
                          "' has a fraction or exponent");
        }
        return IntegerInRange(negative, int_digits, literal, out);
      case NumberPolicy::kAppendix:
        if (plain_integer) return IntegerInRange(negative, int_digits, literal, out);
        return IntegralValue(negative, int_digits,
                             frac_begin ? std::string_view(frac_begin, frac_end - frac_begin)
                                        : std::string_view(),
                             exponent, literal, out);
      case NumberPolicy::kLegacyPython:
        return LegacyNumber(plain_integer, negative, int_digits, literal, out);
    }
    return Fail("json.syntax", kRuleGrammar, "unknown number policy");
  }

  bool IntegerInRange(bool negative, std::string_view digits, std::string_view literal,
                      Json* out) {
    // kMaxCanonicalInteger has 16 digits; anything longer is out of range.
    if (digits.size() > 16) return OutOfRange(literal);
    int64_t v = 0;
    for (char c : digits) v = v * 10 + (c - '0');
    if (v > kMaxCanonicalInteger) return OutOfRange(literal);
    *out = Json(negative ? -v : v);  // "-0" reads as 0
    return true;
  }

  bool OutOfRange(std::string_view literal) {
    return Fail("json.integer_out_of_range", kRuleNumbers,
                "integer '" + std::string(literal) + "' is outside [-(2^53-1), 2^53-1]");
  }

  // kAppendix: the literal's exact value must be an integer in range.
  bool IntegralValue(bool negative, std::string_view int_digits, std::string_view frac,
                     int64_t exponent, std::string_view literal, Json* out) {
    std::string digits(int_digits);
    digits.append(frac);
    int64_t exp10 = exponent - static_cast<int64_t>(frac.size());
    // Drop leading zeros, and trailing zeros into the exponent.
    size_t first = digits.find_first_not_of('0');
    if (first == std::string::npos) {
      *out = Json(int64_t{0});
      return true;
    }
    digits.erase(0, first);
    while (!digits.empty() && digits.back() == '0') {
      digits.pop_back();
      ++exp10;
    }
    if (exp10 < 0) {
      return Fail("json.float_forbidden", kRuleNumbers,
                  "number '" + std::string(literal) + "' is not an integer");
    }
    if (static_cast<int64_t>(digits.size()) + exp10 > 16) return OutOfRange(literal);
    digits.append(static_cast<size_t>(exp10), '0');
    return IntegerInRange(negative, digits, literal, out);
  }

  // kLegacyPython: keep everything finite, as Python's json module would.
  bool LegacyNumber(bool plain_integer, bool negative, std::string_view int_digits,
                    std::string_view literal, Json* out) {
    if (plain_integer) {
      uint64_t magnitude = 0;
      auto [ptr, ec] = std::from_chars(int_digits.data(),
                                       int_digits.data() + int_digits.size(), magnitude);
      if (ec == std::errc() && magnitude <= uint64_t{INT64_MAX}) {
        int64_t v = static_cast<int64_t>(magnitude);
        *out = Json(negative ? -v : v);
        return true;
      }
      if (ec == std::errc() && negative && magnitude == uint64_t{INT64_MAX} + 1) {
        *out = Json(INT64_MIN);
        return true;
      }
      // Python integers are exact at any size; keep the digits.
      Json::Number n;
      n.text = negative ? "-" + std::string(int_digits) : std::string(int_digits);
      n.value = std::strtod(n.text.c_str(), nullptr);
      *out = Json(std::move(n));
      return true;
    }
    double value = 0;
    auto [ptr, ec] = std::from_chars(literal.data(), literal.data() + literal.size(), value);
    if (ec == std::errc::result_out_of_range) {
      // from_chars reports both overflow and underflow; underflow is 0.
      double approx = std::strtod(std::string(literal).c_str(), nullptr);
      if (std::isinf(approx)) {
        return Fail("json.number_out_of_range", kRuleNumbers,
                    "number '" + std::string(literal) + "' is not a finite double");
      }
      value = approx;
    } else if (ec != std::errc() || ptr != literal.data() + literal.size()) {
      return Fail("json.syntax", kRuleGrammar, "malformed number");
    }
    if (std::isinf(value)) {
      return Fail("json.number_out_of_range", kRuleNumbers,
                  "number '" + std::string(literal) + "' is not a finite double");
    }
    *out = Json(Json::Number{PythonFloatRepr(value), value});
    return true;
  }

  const char* p_;
  const char* begin_;
  const char* end_;
  const ParseOptions& options_;
  mxstate::Error error_;
};

}  // namespace

Result<Json> ParseJson(std::string_view text, const ParseOptions& options) {
  if (text.size() > options.max_bytes) {
    return Fail("json.too_large", "mxstate input bound",
                "JSON text of " + std::to_string(text.size()) + " bytes exceeds " +
                    std::to_string(options.max_bytes));
  }
  Parser parser(text, options);
  return parser.ParseDocument();
}

}  // namespace mxstate

// The canonical JSON encoder (appendices, "Canonical JSON"): no
// insignificant whitespace, keys in code-point order (Json keeps them so),
// integers plainly, strings escaping only what the grammar requires.
#include <array>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string>

#include "mxstate/canonical_json.h"

namespace mxstate {
namespace {

// How each byte is written inside a string: 0 raw, 1 two-character escape,
// 2 six-character \u00XX escape.
constexpr std::array<uint8_t, 256> MakeEscapeTable() {
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 0x20; ++c) t[c] = 2;
  for (unsigned char c : {'"', '\\', '\b', '\t', '\n', '\f', '\r'}) t[c] = 1;
  return t;
}
constexpr auto kEscape = MakeEscapeTable();

// True when any of the 8 bytes in `w` is a control, '"' or '\\' (the
// classic "has a byte less than n / equal to n" SWAR tests), so the common
// run of plain text is skipped a word at a time.
inline bool WordNeedsEscape(uint64_t w) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  constexpr uint64_t kHigh = 0x8080808080808080ULL;
  uint64_t below_space = (w - kOnes * 0x20) & ~w & kHigh;
  uint64_t quote = w ^ (kOnes * '"');
  uint64_t backslash = w ^ (kOnes * '\\');
  uint64_t is_quote = (quote - kOnes) & ~quote & kHigh;
  uint64_t is_backslash = (backslash - kOnes) & ~backslash & kHigh;
  return (below_space | is_quote | is_backslash) != 0;
}

void AppendStringImpl(std::string_view s, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  size_t run = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    while (i + 8 <= s.size()) {
      uint64_t w;
      std::memcpy(&w, s.data() + i, 8);
      if (WordNeedsEscape(w)) break;
      i += 8;
    }
    if (i >= s.size()) break;
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (kEscape[c] == 0) continue;
    out->append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\b': out->append("\\b"); break;
      case '\t': out->append("\\t"); break;
      case '\n': out->append("\\n"); break;
      case '\f': out->append("\\f"); break;
      case '\r': out->append("\\r"); break;
      default: {  // other controls: \u00XX with lowercase hex
        char esc[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
        out->append(esc, 6);
      }
    }
  }
  out->append(s.data() + run, s.size() - run);
  out->push_back('"');
}

void AppendInteger(int64_t v, std::string* out) {
  char buf[24];
  auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out->append(buf, ptr);
}

}  // namespace

void AppendCanonicalJson(const Json& value, std::string* out) {
  switch (value.kind()) {
    case Json::Kind::kNull: out->append("null"); return;
    case Json::Kind::kBool: out->append(value.as_bool() ? "true" : "false"); return;
    case Json::Kind::kInteger: AppendInteger(value.as_integer(), out); return;
    case Json::Kind::kNumber: out->append(value.as_number().text); return;
    case Json::Kind::kString: AppendStringImpl(value.as_string(), out); return;
    case Json::Kind::kArray: {
      out->push_back('[');
      bool first = true;
      for (const Json& item : value.as_array()) {
        if (!first) out->push_back(',');
        first = false;
        AppendCanonicalJson(item, out);
      }
      out->push_back(']');
      return;
    }
    case Json::Kind::kObject: {
      out->push_back('{');
      bool first = true;
      for (const auto& [key, member] : value.as_object()) {
        if (!first) out->push_back(',');
        first = false;
        AppendStringImpl(key, out);
        out->push_back(':');
        AppendCanonicalJson(member, out);
      }
      out->push_back('}');
      return;
    }
  }
}

void AppendCanonicalString(std::string_view s, std::string* out) { AppendStringImpl(s, out); }

std::string CanonicalJson(const Json& value) {
  std::string out;
  out.reserve(256);
  AppendCanonicalJson(value, &out);
  return out;
}

namespace {
size_t StringSize(std::string_view s) {
  static constexpr uint8_t kExtra[] = {0, 1, 5};  // bytes beyond the raw one
  size_t n = 2 + s.size();
  for (unsigned char c : s) n += kExtra[kEscape[c]];
  return n;
}
}  // namespace

size_t CanonicalJsonSize(const Json& value) {
  switch (value.kind()) {
    case Json::Kind::kNull: return 4;
    case Json::Kind::kBool: return value.as_bool() ? 4 : 5;
    case Json::Kind::kInteger: {
      char buf[24];
      auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, value.as_integer());
      return static_cast<size_t>(ptr - buf);
    }
    case Json::Kind::kNumber: return value.as_number().text.size();
    case Json::Kind::kString: return StringSize(value.as_string());
    case Json::Kind::kArray: {
      size_t n = 2 + (value.as_array().empty() ? 0 : value.as_array().size() - 1);
      for (const Json& item : value.as_array()) n += CanonicalJsonSize(item);
      return n;
    }
    case Json::Kind::kObject: {
      const auto& members = value.as_object();
      size_t n = 2 + (members.empty() ? 0 : members.size() - 1);
      for (const auto& [key, member] : members) n += StringSize(key) + 1 + CanonicalJsonSize(member);
      return n;
    }
  }
  return 0;
}

std::string PythonFloatRepr(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
  // Shortest round-trip digits, as Python's repr picks them.
  char buf[64];
  auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::scientific);
  std::string_view sci(buf, static_cast<size_t>(ptr - buf));
  bool negative = !sci.empty() && sci[0] == '-';
  if (negative) sci.remove_prefix(1);
  size_t e = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e)) {
    if (c != '.') digits.push_back(c);
  }
  int exp10 = std::atoi(std::string(sci.substr(e + 1)).c_str());
  int decpt = exp10 + 1;  // value = 0.DIGITS * 10^decpt
  std::string out = negative ? "-" : "";
  // Python (format_float_short, repr mode) switches to exponent notation
  // when decpt <= -4 or decpt > 16.
  if (decpt <= -4 || decpt > 16) {
    out += digits[0];
    if (digits.size() > 1) {
      out += '.';
      out.append(digits, 1);
    }
    int shown = decpt - 1;
    out += shown < 0 ? "e-" : "e+";
    int magnitude = std::abs(shown);
    if (magnitude < 10) out += '0';
    out += std::to_string(magnitude);
  } else if (decpt <= 0) {
    out += "0.";
    out.append(static_cast<size_t>(-decpt), '0');
    out += digits;
  } else if (static_cast<size_t>(decpt) < digits.size()) {
    out.append(digits, 0, static_cast<size_t>(decpt));
    out += '.';
    out.append(digits, static_cast<size_t>(decpt));
  } else {
    out += digits;
    out.append(static_cast<size_t>(decpt) - digits.size(), '0');
    out += ".0";
  }
  return out;
}

Result<void> CheckNumbers(const Json& value, NumberPolicy policy) {
  if (policy == NumberPolicy::kLegacyPython) return {};
  switch (value.kind()) {
    case Json::Kind::kInteger:
      if (value.as_integer() > kMaxCanonicalInteger ||
          value.as_integer() < -kMaxCanonicalInteger) {
        return Fail("json.integer_out_of_range",
                    policy == NumberPolicy::kStrict ? "v6 canonical JSON: integers only"
                                                    : "appendices: canonical JSON numbers",
                    "integer " + std::to_string(value.as_integer()) +
                        " is outside [-(2^53-1), 2^53-1]");
      }
      return {};
    case Json::Kind::kNumber: {
      const std::string& text = value.as_number().text;
      bool integral_text = text.find_first_of(".eE") == std::string::npos;
      if (integral_text) {
        return Fail("json.integer_out_of_range", "v6 canonical JSON: integers only",
                    "integer " + text + " is outside [-(2^53-1), 2^53-1]");
      }
      return Fail("json.float_forbidden", "v6 canonical JSON: integers only",
                  "number " + text + " is not an integer");
    }
    case Json::Kind::kArray:
      for (const Json& item : value.as_array()) {
        if (auto r = CheckNumbers(item, policy); !r) return r;
      }
      return {};
    case Json::Kind::kObject:
      for (const auto& [key, member] : value.as_object()) {
        if (auto r = CheckNumbers(member, policy); !r) return r;
      }
      return {};
    default:
      return {};
  }
}

}  // namespace mxstate

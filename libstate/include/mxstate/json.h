// Json: the library's in-memory JSON value.
//
// A small DOM made for canonical JSON: objects keep their members sorted by
// key bytes (which is Unicode code-point order for UTF-8), so canonical
// encoding is a plain walk and lookups are binary searches. Keys are unique;
// the parser refuses duplicates rather than choosing one.
//
// Numbers: kInteger holds any integer that fits in int64. kNumber holds a
// number that the strict room versions forbid (a non-integer, or an integer
// beyond int64) as the exact text it is re-encoded with (Python json.dumps
// style, see canonical_json.h), plus its nearest double for arithmetic such
// as v1-5 float power levels.
//
// Json is a regular value type (copyable, movable, comparable). It is not
// synchronised: share const references across threads, not mutable ones.
#ifndef MXSTATE_JSON_H_
#define MXSTATE_JSON_H_

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace mxstate {

class Json {
 public:
  enum class Kind : uint8_t {
    kNull,
    kBool,
    kInteger,
    kNumber,
    kString,
    kArray,
    kObject
  };
  struct Number {
    std::string text;  // canonical text, e.g. "100.0", "1e+16", "123...890"
    double value = 0;  // nearest double (infinite never: parser refuses)
    bool operator==(const Number&) const = default;
  };
  using Array = std::vector<Json>;
  using Member = std::pair<std::string, Json>;
  using Object = std::vector<Member>;  // sorted by key bytes, keys unique

  Json() = default;  // null
  Json(std::nullptr_t) {}
  Json(bool b) : v_(b) {}
  Json(int v) : v_(static_cast<int64_t>(v)) {}
  Json(int64_t v) : v_(v) {}
  Json(Number n) : v_(std::move(n)) {}
  Json(std::string s) : v_(std::move(s)) {}
  Json(std::string_view s) : v_(std::string(s)) {}
  Json(const char* s) : v_(std::string(s)) {}
  Json(Array a) : v_(std::move(a)) {}
  // Builds an object; sorts the members; later duplicates replace earlier.
  static Json MakeObject(Object members);
  static Json EmptyObject() { return Json(ObjectTag{}); }
  static Json EmptyArray() { return Json(Array{}); }

  Kind kind() const { return static_cast<Kind>(v_.index()); }
  bool is_null() const { return kind() == Kind::kNull; }
  bool is_bool() const { return kind() == Kind::kBool; }
  bool is_integer() const { return kind() == Kind::kInteger; }
  bool is_number() const {  // integer or other number
    return kind() == Kind::kInteger || kind() == Kind::kNumber;
  }
  bool is_string() const { return kind() == Kind::kString; }
  bool is_array() const { return kind() == Kind::kArray; }
  bool is_object() const { return kind() == Kind::kObject; }

  // Accessors. REQUIRES: the matching kind (checked by assert in debug).
  bool as_bool() const { return std::get<bool>(v_); }
  int64_t as_integer() const { return std::get<int64_t>(v_); }
  const Number& as_number() const { return std::get<Number>(v_); }
  const std::string& as_string() const { return std::get<std::string>(v_); }
  const Array& as_array() const { return std::get<Array>(v_); }
  Array& as_array() { return std::get<Array>(v_); }
  const Object& as_object() const { return std::get<ObjectBox>(v_).members; }

  // Object access. Find returns nullptr when absent or when this is not an
  // object.
  const Json* Find(std::string_view key) const;
  Json* Find(std::string_view key);
  bool Contains(std::string_view key) const { return Find(key) != nullptr; }
  // Find a string member; nullptr when absent or not a string.
  const std::string* FindString(std::string_view key) const;
  // Sets (inserting in order) a member. REQUIRES: is_object().
  Json& Set(std::string_view key, Json value);
  // Removes a member if present; returns whether it was there.
  bool Erase(std::string_view key);
  // Number of members (object) or elements (array); 0 otherwise.
  size_t size() const;

  // Mutable object members, for the parser and redaction. Callers must keep
  // them sorted and unique.
  Object& mutable_object() { return std::get<ObjectBox>(v_).members; }

  bool operator==(const Json& other) const = default;

  std::string_view KindName() const;

 private:
  struct ObjectTag {};
  struct ObjectBox {
    Object members;
    // Defined out of line: clang needs Json complete before it can compare
    // std::pair<std::string, Json>.
    bool operator==(const ObjectBox& other) const;
  };
  explicit Json(ObjectTag) : v_(ObjectBox{}) {}

  std::variant<std::nullptr_t, bool, int64_t, Number, std::string, Array,
               ObjectBox>
      v_;
};

inline bool Json::ObjectBox::operator==(const ObjectBox& other) const {
  return members == other.members;
}

}  // namespace mxstate

#endif  // MXSTATE_JSON_H_

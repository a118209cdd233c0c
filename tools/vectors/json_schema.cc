#include "vectors/json_schema.h"

#include <cmath>
#include <cstdlib>
#include <string_view>
#include <utility>

#include "mxstate/canonical_json.h"
#include "vectors/text_util.h"

namespace mxstate::vectors {
namespace {

// $ref chains deeper than this are taken to be cycles.
constexpr int kMaxDepth = 200;

// Keywords that only annotate, or that are read through another keyword.
const std::set<std::string, std::less<>>& PassiveKeywords() {
  static const std::set<std::string, std::less<>> kPassive = {
      "$schema", "$id",       "id",         "title",    "description",
      "$comment", "examples", "default",    "definitions", "$defs",
      "readOnly", "writeOnly", "deprecated", "format",   "then",
      "else",     "$anchor"};
  return kPassive;
}

const std::set<std::string, std::less<>>& ActiveKeywords() {
  static const std::set<std::string, std::less<>> kActive = {
      "type",          "required",      "properties",  "additionalProperties",
      "patternProperties", "enum",      "const",       "pattern",
      "items",         "minItems",      "maxItems",    "uniqueItems",
      "minLength",     "maxLength",     "minimum",     "maximum",
      "exclusiveMinimum", "exclusiveMaximum", "minProperties",
      "maxProperties", "propertyNames", "allOf",       "anyOf",
      "oneOf",         "not",           "if",          "$ref"};
  return kActive;
}

bool IsIntegral(const Json& value) {
  if (value.is_integer()) return true;
  if (value.kind() != Json::Kind::kNumber) return false;
  return value.as_number().text.find_first_of(".eE") == std::string::npos;
}

double NumberValue(const Json& value) {
  return value.is_integer() ? static_cast<double>(value.as_integer())
                            : value.as_number().value;
}

bool HasType(const Json& value, std::string_view type) {
  if (type == "null") return value.is_null();
  if (type == "boolean") return value.is_bool();
  if (type == "integer") return IsIntegral(value);
  if (type == "number") return value.is_number();
  if (type == "string") return value.is_string();
  if (type == "array") return value.is_array();
  if (type == "object") return value.is_object();
  return false;
}

std::string Short(const Json& value) {
  std::string text = SanitizeUtf8(CanonicalJson(value));
  if (text.size() > 80) text = text.substr(0, 77) + "...";
  return text;
}

std::string EscapePointerToken(const std::string& token) {
  std::string out;
  for (char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

JsonSchema::JsonSchema(Json root) : root_(std::move(root)) {}

void JsonSchema::Validate(const Json& instance,
                          std::vector<SchemaProblem>* problems) {
  Check(root_, instance, "", 0, problems);
}

bool JsonSchema::Matches(const Json& schema, const Json& value, int depth) {
  std::vector<SchemaProblem> scratch;
  Check(schema, value, "", depth, &scratch);
  return scratch.empty();
}

const Json* JsonSchema::Resolve(const std::string& ref) const {
  if (ref.empty() || ref[0] != '#') return nullptr;
  const Json* node = &root_;
  std::string_view rest = std::string_view(ref).substr(1);
  while (!rest.empty()) {
    if (rest[0] != '/') return nullptr;
    rest.remove_prefix(1);
    const size_t end = rest.find('/');
    std::string token(rest.substr(0, end));
    rest = end == std::string_view::npos ? std::string_view()
                                         : rest.substr(end);
    std::string unescaped;
    for (size_t i = 0; i < token.size(); ++i) {
      if (token[i] == '~' && i + 1 < token.size()) {
        unescaped += token[i + 1] == '1' ? '/' : '~';
        ++i;
      } else {
        unescaped += token[i];
      }
    }
    if (node->is_object()) {
      node = node->Find(unescaped);
    } else if (node->is_array()) {
      char* end_ptr = nullptr;
      const unsigned long index = std::strtoul(unescaped.c_str(), &end_ptr, 10);
      if (unescaped.empty() || *end_ptr != '\0' ||
          index >= node->as_array().size()) {
        return nullptr;
      }
      node = &node->as_array()[index];
    } else {
      return nullptr;
    }
    if (node == nullptr) return nullptr;
  }
  return node;
}

const std::regex* JsonSchema::Pattern(const std::string& pattern,
                                      std::string* error) {
  auto it = patterns_.find(pattern);
  if (it == patterns_.end()) {
    std::unique_ptr<std::regex> compiled;
    try {
      compiled = std::make_unique<std::regex>(pattern, std::regex::ECMAScript);
    } catch (const std::regex_error& e) {
      *error = "schema pattern " + pattern + " does not compile: " + e.what();
    }
    it = patterns_.emplace(pattern, std::move(compiled)).first;
  }
  if (it->second == nullptr && error->empty()) {
    *error = "schema pattern " + pattern + " does not compile";
  }
  return it->second.get();
}

void JsonSchema::Check(const Json& schema, const Json& value,
                       const std::string& pointer, int depth,
                       std::vector<SchemaProblem>* problems) {
  const auto problem = [&](std::string message) {
    problems->push_back(SchemaProblem{pointer, std::move(message)});
  };
  if (depth > kMaxDepth) {
    problem("schema nests or refers too deeply (a $ref cycle?)");
    return;
  }
  if (schema.is_bool()) {
    if (!schema.as_bool()) problem("no value is allowed here");
    return;
  }
  if (!schema.is_object()) return;
  for (const auto& [keyword, unused] : schema.as_object()) {
    if (!PassiveKeywords().contains(keyword) &&
        !ActiveKeywords().contains(keyword)) {
      unsupported_.insert(keyword);
    }
  }

  if (const std::string* ref = schema.FindString("$ref")) {
    const Json* target = Resolve(*ref);
    if (target == nullptr) {
      problem("schema $ref " + *ref + " cannot be resolved");
    } else {
      Check(*target, value, pointer, depth + 1, problems);
    }
  }

  if (const Json* type = schema.Find("type")) {
    bool ok = false;
    std::string names;
    if (type->is_string()) {
      ok = HasType(value, type->as_string());
      names = type->as_string();
    } else if (type->is_array()) {
      for (const Json& t : type->as_array()) {
        if (!t.is_string()) continue;
        ok = ok || HasType(value, t.as_string());
        names += (names.empty() ? "" : " or ") + t.as_string();
      }
    }
    if (!ok) {
      problem("must be " + names + ", is " + std::string(value.KindName()));
      return;  // the other keywords would only repeat the problem
    }
  }
  if (const Json* allowed = schema.Find("enum"); allowed && allowed->is_array()) {
    bool found = false;
    for (const Json& option : allowed->as_array()) found = found || option == value;
    if (!found) problem(Short(value) + " is not one of " + Short(*allowed));
  }
  if (const Json* constant = schema.Find("const")) {
    if (!(*constant == value)) {
      problem(Short(value) + " is not " + Short(*constant));
    }
  }

  if (value.is_string()) {
    const std::string& text = value.as_string();
    const size_t length = CountCodePoints(text);
    if (const Json* min = schema.Find("minLength"); min && min->is_integer() &&
                                                    length < static_cast<size_t>(min->as_integer())) {
      problem("shorter than " + std::to_string(min->as_integer()) +
              " characters");
    }
    if (const Json* max = schema.Find("maxLength"); max && max->is_integer() &&
                                                    length > static_cast<size_t>(max->as_integer())) {
      problem("longer than " + std::to_string(max->as_integer()) +
              " characters");
    }
    if (const std::string* pattern = schema.FindString("pattern")) {
      std::string error;
      const std::regex* re = Pattern(*pattern, &error);
      if (re == nullptr) {
        problem(error);
      } else if (!std::regex_search(text, *re)) {
        problem(Short(value) + " does not match " + *pattern);
      }
    }
  }

  if (value.is_number()) {
    const double number = NumberValue(value);
    const auto bound = [&](const char* keyword, bool (*ok)(double, double),
                           const char* relation) {
      const Json* limit = schema.Find(keyword);
      if (limit == nullptr || !limit->is_number()) return;
      if (!ok(number, NumberValue(*limit))) {
        problem(Short(value) + " must be " + relation + " " + Short(*limit));
      }
    };
    bound("minimum", [](double v, double l) { return v >= l; }, ">=");
    bound("maximum", [](double v, double l) { return v <= l; }, "<=");
    bound("exclusiveMinimum", [](double v, double l) { return v > l; }, ">");
    bound("exclusiveMaximum", [](double v, double l) { return v < l; }, "<");
  }

  if (value.is_array()) {
    const Json::Array& items = value.as_array();
    if (const Json* min = schema.Find("minItems");
        min && min->is_integer() &&
        items.size() < static_cast<size_t>(min->as_integer())) {
      problem("has fewer than " + std::to_string(min->as_integer()) +
              " items");
    }
    if (const Json* max = schema.Find("maxItems");
        max && max->is_integer() &&
        items.size() > static_cast<size_t>(max->as_integer())) {
      problem("has more than " + std::to_string(max->as_integer()) + " items");
    }
    if (const Json* unique = schema.Find("uniqueItems");
        unique && unique->is_bool() && unique->as_bool()) {
      for (size_t i = 0; i < items.size(); ++i) {
        for (size_t j = i + 1; j < items.size(); ++j) {
          if (items[i] == items[j]) {
            problem("items " + std::to_string(i) + " and " +
                    std::to_string(j) + " are equal");
          }
        }
      }
    }
    if (const Json* item_schema = schema.Find("items")) {
      for (size_t i = 0; i < items.size(); ++i) {
        // The draft-04..07 tuple form gives one schema per position.
        const Json* s = item_schema;
        if (item_schema->is_array()) {
          if (i >= item_schema->as_array().size()) break;
          s = &item_schema->as_array()[i];
        }
        Check(*s, items[i], pointer + "/" + std::to_string(i), depth + 1,
              problems);
      }
    }
  }

  if (value.is_object()) {
    const Json::Object& members = value.as_object();
    if (const Json* required = schema.Find("required");
        required && required->is_array()) {
      for (const Json& key : required->as_array()) {
        if (key.is_string() && !value.Contains(key.as_string())) {
          problem("missing required member \"" + key.as_string() + "\"");
        }
      }
    }
    if (const Json* min = schema.Find("minProperties");
        min && min->is_integer() &&
        members.size() < static_cast<size_t>(min->as_integer())) {
      problem("has fewer than " + std::to_string(min->as_integer()) +
              " members");
    }
    if (const Json* max = schema.Find("maxProperties");
        max && max->is_integer() &&
        members.size() > static_cast<size_t>(max->as_integer())) {
      problem("has more than " + std::to_string(max->as_integer()) +
              " members");
    }
    const Json* properties = schema.Find("properties");
    const Json* pattern_properties = schema.Find("patternProperties");
    const Json* additional = schema.Find("additionalProperties");
    const Json* property_names = schema.Find("propertyNames");
    for (const auto& [key, member] : members) {
      const std::string member_pointer =
          pointer + "/" + EscapePointerToken(key);
      if (property_names != nullptr &&
          !Matches(*property_names, Json(key), depth + 1)) {
        problem("member name \"" + SanitizeUtf8(key) +
                "\" is not allowed by propertyNames");
      }
      bool covered = false;
      if (properties != nullptr && properties->is_object()) {
        if (const Json* s = properties->Find(key)) {
          covered = true;
          Check(*s, member, member_pointer, depth + 1, problems);
        }
      }
      if (pattern_properties != nullptr && pattern_properties->is_object()) {
        for (const auto& [pattern, s] : pattern_properties->as_object()) {
          std::string error;
          const std::regex* re = Pattern(pattern, &error);
          if (re == nullptr) {
            problem(error);
            continue;
          }
          if (std::regex_search(key, *re)) {
            covered = true;
            Check(s, member, member_pointer, depth + 1, problems);
          }
        }
      }
      if (!covered && additional != nullptr) {
        if (additional->is_bool() && !additional->as_bool()) {
          problem("unknown member \"" + SanitizeUtf8(key) + "\"");
        } else {
          Check(*additional, member, member_pointer, depth + 1, problems);
        }
      }
    }
  }

  if (const Json* all = schema.Find("allOf"); all && all->is_array()) {
    for (const Json& s : all->as_array()) {
      Check(s, value, pointer, depth + 1, problems);
    }
  }
  if (const Json* any = schema.Find("anyOf"); any && any->is_array()) {
    bool matched = false;
    for (const Json& s : any->as_array()) {
      if (Matches(s, value, depth + 1)) {
        matched = true;
        break;
      }
    }
    if (!matched) problem("matches none of the anyOf schemas");
  }
  if (const Json* one = schema.Find("oneOf"); one && one->is_array()) {
    size_t matched = 0;
    std::vector<SchemaProblem> closest;
    for (const Json& s : one->as_array()) {
      std::vector<SchemaProblem> scratch;
      Check(s, value, pointer, depth + 1, &scratch);
      if (scratch.empty()) {
        ++matched;
      } else if (closest.empty() || scratch.size() < closest.size()) {
        closest = std::move(scratch);
      }
    }
    if (matched != 1) {
      std::string message = "matches " + std::to_string(matched) +
                            " of the oneOf schemas, not exactly one";
      if (matched == 0 && !closest.empty()) {
        message += " (closest: " + closest.front().pointer + " " +
                   closest.front().message + ")";
      }
      problem(message);
    }
  }
  if (const Json* negated = schema.Find("not")) {
    if (Matches(*negated, value, depth + 1)) {
      problem("matches a schema it must not match");
    }
  }
  if (const Json* condition = schema.Find("if")) {
    const bool holds = Matches(*condition, value, depth + 1);
    if (const Json* branch = schema.Find(holds ? "then" : "else")) {
      Check(*branch, value, pointer, depth + 1, problems);
    }
  }
}

}  // namespace mxstate::vectors

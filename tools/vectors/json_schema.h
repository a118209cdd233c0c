// A small JSON Schema interpreter, enough for the vectors schema: draft-07 /
// 2020-12 validation keywords without remote references. Keywords it does
// not know are recorded (unsupported_keywords) instead of silently ignored.
#ifndef MXSTATE_TOOLS_VECTORS_JSON_SCHEMA_H_
#define MXSTATE_TOOLS_VECTORS_JSON_SCHEMA_H_

#include <map>
#include <memory>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "mxstate/json.h"

namespace mxstate::vectors {

struct SchemaProblem {
  std::string pointer;  // JSON pointer into the instance, "" for the root
  std::string message;
};

class JsonSchema {
 public:
  // Takes the parsed schema document. Only "#..." references (JSON pointers
  // into this document) are resolved.
  explicit JsonSchema(Json root);

  // Validates `instance`, appending every problem found. Not thread-safe
  // (it caches compiled patterns).
  void Validate(const Json& instance, std::vector<SchemaProblem>* problems);

  // Keywords met while validating that this interpreter ignores.
  const std::set<std::string>& unsupported_keywords() const {
    return unsupported_;
  }

 private:
  void Check(const Json& schema, const Json& value, const std::string& pointer,
             int depth, std::vector<SchemaProblem>* problems);
  bool Matches(const Json& schema, const Json& value, int depth);
  const Json* Resolve(const std::string& ref) const;
  const std::regex* Pattern(const std::string& pattern, std::string* error);

  Json root_;
  std::map<std::string, std::unique_ptr<std::regex>> patterns_;
  std::set<std::string> unsupported_;
};

}  // namespace mxstate::vectors

#endif  // MXSTATE_TOOLS_VECTORS_JSON_SCHEMA_H_

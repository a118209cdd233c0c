// What each suite of the spec-vectors format looks like: the keys of its
// `input` and `expected`, and whether mxstate runs it yet. One table, used by
// the file validator and the runner, so that adding a suite is one row.
#ifndef MXSTATE_TOOLS_VECTORS_SUITE_TABLE_H_
#define MXSTATE_TOOLS_VECTORS_SUITE_TABLE_H_

#include <string_view>
#include <vector>

namespace mxstate::vectors {

struct SuiteSpec {
  std::string_view name;
  bool implemented;            // false: tests are validated, then skipped
  bool room_version_required;  // canonical-json: optional
  // Input keys. Every required key must be present; no key outside
  // required + optional may appear. `one_of_input` (when non-empty): exactly
  // one of these keys must be present.
  std::vector<std::string_view> required_input;
  std::vector<std::string_view> optional_input;
  std::vector<std::string_view> one_of_input;
  // Keys of `expected` for a valid test; empty when the suite has no output
  // (then a valid test must not carry `expected`).
  std::vector<std::string_view> expected_keys;
  // True: every expected key is required. False (event-id): any non-empty
  // subset, and only the listed keys are compared.
  bool all_expected_keys_required;
};

// The row for `name`, or nullptr for a suite the format does not define.
const SuiteSpec* FindSuite(std::string_view name);

}  // namespace mxstate::vectors

#endif  // MXSTATE_TOOLS_VECTORS_SUITE_TABLE_H_

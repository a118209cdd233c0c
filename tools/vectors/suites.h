// Running one test of an implemented suite against libstate.
#ifndef MXSTATE_TOOLS_VECTORS_SUITES_H_
#define MXSTATE_TOOLS_VECTORS_SUITES_H_

#include <optional>
#include <string>

#include "mxstate/json.h"
#include "mxstate/status.h"
#include "vectors/suite_table.h"
#include "vectors/vector_file.h"

namespace mxstate::vectors {

// What libstate said about one test.
struct SuiteRun {
  bool valid = false;
  Json output;                 // null when there is none
  std::optional<Error> error;  // set when !valid
  // Set when the test could not be run as written (for example an unknown
  // room version); the test then fails with this message.
  std::string harness_problem;
  // Set by a backend that does not implement this suite or room version:
  // the test is skipped with this reason (adapter protocol: "unsupported").
  bool unsupported = false;
  // Free text from the backend about its answer (an adapter's `reason`),
  // shown when the test fails; never compared.
  std::string note;
};

// Runs `test` of `suite`. REQUIRES: suite.implemented and `test` validated
// by LoadVectorFile. Never throws for any vector content.
SuiteRun RunSuiteTest(const SuiteSpec& suite, const VectorTest& test);

}  // namespace mxstate::vectors

#endif  // MXSTATE_TOOLS_VECTORS_SUITES_H_

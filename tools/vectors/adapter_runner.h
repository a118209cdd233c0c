// The adapter protocol (docs/adapters.md): another implementation answers
// the corpus through a command that reads one JSON request per line on
// stdin and writes one JSON answer per line on stdout.
//
//   request:  {"id": "<test id>", "suite": "<suite>",
//              "room_version": "<id>" | null, "input": {...}}
//   answer:   {"id": "<same id>", "result": "valid" | "invalid",
//              "output": {...}, "reason": "<free text>"}   (output, reason
//              optional)
//          or {"id": "<same id>", "error": {"code": "unsupported" | "<code>",
//              "message": "<free text>"}}
//
// The answer is judged exactly as libstate's is (runner.cc): `result`
// against the vector's, `output` against `expected`. "unsupported" skips
// the test; any other error code fails it. A line that is not JSON, has
// another id, or exceeds the bound, a timeout, and an adapter that dies all
// fail the test in hand with an adapter.* code; the adapter is then
// restarted for the next test. An adapter that dies three times in a row
// before answering anything is not started again (the remaining tests fail
// with adapter.gave_up), so a broken command cannot cost one start per test.
#ifndef MXSTATE_TOOLS_VECTORS_ADAPTER_RUNNER_H_
#define MXSTATE_TOOLS_VECTORS_ADAPTER_RUNNER_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "mxstate/json.h"
#include "vectors/runner.h"

namespace mxstate::vectors {

struct AdapterOptions {
  std::string command;                         // run as /bin/sh -c COMMAND
  int timeout_ms = 10000;                      // per test
  size_t max_line_bytes = 16 * 1024 * 1024;    // per answer line
};

// The error code an adapter gives to say it does not implement a suite or
// room version.
inline constexpr std::string_view kUnsupportedCode = "unsupported";

// A Backend (runner.h) that asks the adapter. The returned function owns
// the adapter process; destroying the last copy stops and reaps it.
Backend MakeAdapterBackend(const AdapterOptions& options);

// The request line for `test` (canonical JSON, so it has no raw newline).
std::string AdapterRequest(const SuiteSpec& suite, const VectorTest& test);

}  // namespace mxstate::vectors

#endif  // MXSTATE_TOOLS_VECTORS_ADAPTER_RUNNER_H_

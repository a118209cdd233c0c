// Errors and results.
//
// Every failure in libstate is an Error value: a stable machine-readable
// `code` (for example "json.duplicate_key"), the spec `rule` it enforces
// (for example "appendices: canonical JSON"), and a human `message` with the
// values that were compared. Codes are part of the public contract and are
// listed in docs/errors.md; never rename one.
//
// Results are tl::expected (Debian's libexpected-dev) rather than
// std::expected because clang 14, which builds the fuzzers, cannot compile
// libstdc++'s <expected>.
#ifndef MXSTATE_STATUS_H_
#define MXSTATE_STATUS_H_

#include <string>
#include <utility>

#include <tl/expected.hpp>

namespace mxstate {

struct Error {
  std::string code;     // stable identifier, "area.reason"
  std::string rule;     // spec reference, e.g. "v6 canonical JSON"
  std::string message;  // what was wrong, with the offending values

  // "code: message (rule)" for people.
  std::string ToString() const;
};

template <typename T>
using Result = tl::expected<T, Error>;

// The error branch of a Result, for `return Fail(...)`.
inline tl::unexpected<Error> Fail(std::string code, std::string rule,
                                  std::string message) {
  return tl::unexpected<Error>(
      Error{std::move(code), std::move(rule), std::move(message)});
}
inline tl::unexpected<Error> Fail(Error error) {
  return tl::unexpected<Error>(std::move(error));
}

}  // namespace mxstate

#endif  // MXSTATE_STATUS_H_

// Shared plumbing of the mxstate commands: exit codes, reading inputs,
// splitting them into JSON documents, printing results and errors.
#ifndef MXSTATE_TOOLS_CLI_CLI_IO_H_
#define MXSTATE_TOOLS_CLI_CLI_IO_H_

#include <cstddef>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "mxstate/canonical_json.h"
#include "mxstate/json.h"
#include "mxstate/room_version.h"
#include "mxstate/status.h"

namespace mxstate::cli {

// Exit codes; stable, documented in `mxstate --help`. Do not renumber.
enum ExitCode : int {
  kExitOk = 0,         // everything checked out
  kExitNo = 1,         // the check said no (bad signature, invalid JSON, ...)
  kExitUsage = 2,      // bad options, unknown command or room version
  kExitNoVerdict = 3,  // input unreadable or unparsable, keys missing
  kExitInternal = 4,   // a bug: an exception reached main
};

// Thrown by commands for usage errors that Boost does not detect (unknown
// room version, conflicting options); main prints it and exits with 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Reads the whole input: `path` "-" or empty means stdin. Error io.not_found
// or io.unreadable.
Result<std::string> ReadInput(const std::string& path);

// One JSON document found in an input. `text` points into the input string.
struct InputDocument {
  size_t index = 0;  // 0-based position among the input's documents
  size_t line = 0;   // 1-based line where the document starts
  std::string_view text;
};

// Splits an input holding one JSON value (possibly pretty-printed over many
// lines) or JSON Lines (one value per line; blank lines skipped) into its
// documents, by scanning brackets and strings. Malformed text still yields
// documents, so that ParseJson reports the problem.
std::vector<InputDocument> SplitJsonDocuments(std::string_view text);

// A read input and its documents. The documents' views point into *text,
// which is heap-held so that moving an Input keeps them valid.
struct Input {
  std::shared_ptr<const std::string> text;
  std::vector<InputDocument> documents;
};

// ReadInput + SplitJsonDocuments. Error io.not_found, io.unreadable, or
// input.empty when the input holds no document at all.
Result<Input> ReadDocuments(const std::string& path);

// Reads `path`, parses each document with `policy` and calls `handle` on
// each one that parses; a document that does not parse is reported on
// stderr and counts as exit code 3. Returns the combined exit code
// (CombineExitCodes) of every document, or 3 when the input is unreadable.
int ForEachDocument(
    const std::string& path, NumberPolicy policy,
    const std::function<int(const InputDocument&, const Json&, size_t count)>&
        handle);

// The exit code that describes two outcomes together: internal error beats
// usage error beats "said no" (1) beats "no verdict" (3) beats ok.
int CombineExitCodes(int a, int b);

// ParseOptions for input documents under `policy`, with a size bound large
// enough for real events and key documents.
ParseOptions InputParseOptions(NumberPolicy policy);

// The room version named by `id`. Throws UsageError when it is unknown.
const RoomVersionRules& RoomVersionOrThrow(const std::string& id);

// Writes the canonical JSON of `value` and a newline to stdout.
void PrintJson(const Json& value);

// "mxstate: <code>: <message> (<rule>)" on stderr.
void PrintError(const Error& error);
// Same, with where the document came from: "mxstate: <code>: input 2 (line
// 5): <message> (<rule>)". Single-document inputs omit the location.
void PrintError(const Error& error, const InputDocument& where,
                size_t document_count);

// {"ok": false, "error": {code, message, rule}}: what --json prints when a
// command cannot give its normal document.
Json ErrorDocument(const Error& error);
Json ErrorJson(const Error& error);

}  // namespace mxstate::cli

#endif  // MXSTATE_TOOLS_CLI_CLI_IO_H_

// Small text helpers shared by the vectors reports and the CLI.
#ifndef MXSTATE_TOOLS_VECTORS_TEXT_UTIL_H_
#define MXSTATE_TOOLS_VECTORS_TEXT_UTIL_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "mxstate/status.h"

namespace mxstate::vectors {

// `text` with every ill-formed UTF-8 sequence (and every encoded surrogate)
// replaced by U+FFFD, so that reports stay valid UTF-8 whatever the input.
std::string SanitizeUtf8(std::string_view text);

// Number of code points in `text` (ill-formed bytes count one each).
size_t CountCodePoints(std::string_view text);

// `raw` escaped for XML and HTML text and attribute values (invalid UTF-8
// and control characters become U+FFFD).
std::string XmlEscape(std::string_view raw);

// Reads a whole file. Error io.not_found or io.unreadable.
Result<std::string> ReadFileText(const std::string& path);

}  // namespace mxstate::vectors

#endif  // MXSTATE_TOOLS_VECTORS_TEXT_UTIL_H_

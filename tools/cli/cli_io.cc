#include "cli/cli_io.h"

#include <cstdio>
#include <iostream>
#include <iterator>
#include <utility>

#include "vectors/text_util.h"

namespace mxstate::cli {
namespace {

bool IsJsonSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// Index just past the string literal opening at `i` (or text.size()).
size_t SkipString(std::string_view text, size_t i, size_t* line) {
  for (++i; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\\') {
      ++i;
    } else if (c == '"') {
      return i + 1;
    } else if (c == '\n') {
      ++*line;  // not valid JSON, but keep line numbers right
    }
  }
  return text.size();
}

}  // namespace

Result<std::string> ReadInput(const std::string& path) {
  if (path.empty() || path == "-") {
    std::string text((std::istreambuf_iterator<char>(std::cin)),
                     std::istreambuf_iterator<char>());
    if (std::cin.bad()) {
      return Fail("io.unreadable", "input", "error while reading stdin");
    }
    return text;
  }
  return vectors::ReadFileText(path);
}

namespace {

// Documents by bracket scanning: one pretty-printed value, or several.
std::vector<InputDocument> ScanJsonDocuments(std::string_view text) {
  std::vector<InputDocument> documents;
  size_t line = 1;
  size_t i = 0;
  while (true) {
    while (i < text.size() && IsJsonSpace(text[i])) {
      if (text[i] == '\n') ++line;
      ++i;
    }
    if (i >= text.size()) break;
    const size_t start = i;
    const size_t start_line = line;
    const char first = text[i];
    if (first == '{' || first == '[') {
      int depth = 0;
      while (i < text.size()) {
        const char c = text[i];
        if (c == '"') {
          i = SkipString(text, i, &line);
          continue;
        }
        if (c == '\n') ++line;
        ++i;
        if (c == '{' || c == '[') {
          ++depth;
        } else if ((c == '}' || c == ']') && --depth == 0) {
          break;
        }
      }
    } else if (first == '"') {
      i = SkipString(text, i, &line);
    } else {
      while (i < text.size() && !IsJsonSpace(text[i])) ++i;
    }
    documents.push_back(InputDocument{documents.size(), start_line,
                                      text.substr(start, i - start)});
  }
  return documents;
}

// Documents one per non-blank line (JSON Lines).
std::vector<InputDocument> SplitJsonLines(std::string_view text) {
  std::vector<InputDocument> documents;
  size_t line = 1;
  for (size_t start = 0; start < text.size(); ++line) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view content = text.substr(start, end - start);
    const size_t first = content.find_first_not_of(" \t\r");
    if (first != std::string_view::npos) {
      const size_t last = content.find_last_not_of(" \t\r");
      documents.push_back(InputDocument{
          documents.size(), line, content.substr(first, last - first + 1)});
    }
    start = end + 1;
  }
  return documents;
}

}  // namespace

std::vector<InputDocument> SplitJsonDocuments(std::string_view text) {
  // When the first value ends on the line it started on, the input is JSON
  // Lines: splitting by line then keeps one broken line from swallowing the
  // next ones. Otherwise it is a value spread over lines (pretty-printed).
  std::vector<InputDocument> scanned = ScanJsonDocuments(text);
  if (scanned.size() > 1 &&
      scanned[0].text.find('\n') == std::string_view::npos) {
    return SplitJsonLines(text);
  }
  return scanned;
}

Result<Input> ReadDocuments(const std::string& path) {
  Result<std::string> text = ReadInput(path);
  if (!text) return Fail(text.error());
  Input input;
  input.text = std::make_shared<const std::string>(std::move(*text));
  input.documents = SplitJsonDocuments(*input.text);
  if (input.documents.empty()) {
    return Fail("input.empty", "input",
                "no JSON document in " +
                    (path.empty() || path == "-" ? std::string("stdin") : path));
  }
  return input;
}

int CombineExitCodes(int a, int b) {
  const auto rank = [](int code) {
    switch (code) {
      case kExitOk: return 0;
      case kExitNoVerdict: return 1;
      case kExitNo: return 2;
      case kExitUsage: return 3;
      default: return 4;
    }
  };
  return rank(a) >= rank(b) ? a : b;
}

int ForEachDocument(
    const std::string& path, NumberPolicy policy,
    const std::function<int(const InputDocument&, const Json&, size_t count)>&
        handle) {
  Result<Input> input = ReadDocuments(path);
  if (!input) {
    PrintError(input.error());
    return kExitNoVerdict;
  }
  const size_t count = input->documents.size();
  int exit_code = kExitOk;
  for (const InputDocument& document : input->documents) {
    Result<Json> value = ParseJson(document.text, InputParseOptions(policy));
    if (!value) {
      PrintError(value.error(), document, count);
      exit_code = CombineExitCodes(exit_code, kExitNoVerdict);
      continue;
    }
    exit_code = CombineExitCodes(exit_code, handle(document, *value, count));
  }
  return exit_code;
}

ParseOptions InputParseOptions(NumberPolicy policy) {
  ParseOptions options;
  options.numbers = policy;
  return options;
}

const RoomVersionRules& RoomVersionOrThrow(const std::string& id) {
  const RoomVersionRules* rules = FindRoomVersion(id);
  if (rules == nullptr) {
    throw UsageError("unknown room version \"" + id +
                     "\" (`mxstate versions` lists them)");
  }
  return *rules;
}

void PrintJson(const Json& value) {
  std::string text = CanonicalJson(value);
  text += '\n';
  std::fwrite(text.data(), 1, text.size(), stdout);
}

void PrintError(const Error& error) {
  std::cerr << "mxstate: " << vectors::SanitizeUtf8(error.ToString()) << "\n";
}

void PrintError(const Error& error, const InputDocument& where,
                size_t document_count) {
  if (document_count <= 1) {
    PrintError(error);
    return;
  }
  std::cerr << "mxstate: " << vectors::SanitizeUtf8(error.code) << ": input "
            << where.index + 1 << " (line " << where.line
            << "): " << vectors::SanitizeUtf8(error.message) << " ("
            << error.rule << ")\n";
}

Json ErrorJson(const Error& error) {
  Json object = Json::EmptyObject();
  object.Set("code", vectors::SanitizeUtf8(error.code));
  object.Set("message", vectors::SanitizeUtf8(error.message));
  object.Set("rule", vectors::SanitizeUtf8(error.rule));
  return object;
}

Json ErrorDocument(const Error& error) {
  Json document = Json::EmptyObject();
  document.Set("ok", false);
  document.Set("error", ErrorJson(error));
  return document;
}

}  // namespace mxstate::cli

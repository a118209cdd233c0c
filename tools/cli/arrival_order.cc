#include "cli/arrival_order.h"

#include "cli/cli_io.h"
#include "cli/command.h"
#include "mxstate/event_hashes.h"
#include "vectors/text_util.h"

namespace mxstate::cli {
namespace {

constexpr const char* kRuleArrival = "mxstate room --arrival-order";
// Longer than any event ID may be (rooms: 255 bytes), with room for spaces.
constexpr size_t kMaxLine = 1024;

}  // namespace

Result<std::vector<std::string>> ReadArrivalOrder(const std::string& path) {
  Result<std::string> text = ReadInput(path);
  if (!text) return tl::unexpected(text.error());
  std::vector<std::string> ids;
  size_t line_no = 0, start = 0;
  while (start < text->size()) {
    size_t end = text->find('\n', start);
    if (end == std::string::npos) end = text->size();
    std::string line = text->substr(start, end - start);
    start = end + 1;
    ++line_no;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) {
      line.pop_back();
    }
    size_t first = line.find_first_not_of(" \t");
    if (first == std::string::npos || line[first] == '#') continue;
    line.erase(0, first);
    if (line.size() > kMaxLine || line[0] != '$' ||
        line.find_first_of(" \t") != std::string::npos) {
      return Fail("input.bad_arrival_order", kRuleArrival,
                  vectors::SanitizeUtf8(path) + ":" + std::to_string(line_no) +
                      ": expected one event ID ($...) per line");
    }
    ids.push_back(std::move(line));
  }
  return ids;
}

std::vector<std::string> InputArrivalOrder(const RoomInput& input, const RoomVersionRules& rules) {
  std::vector<std::string> ids;
  ids.reserve(input.events.size());
  for (const Json& event : input.events) ids.push_back(DeclaredOrComputedEventId(event, rules));
  return ids;
}

void AddArrivalOptions(boost::program_options::options_description& options, ArrivalFlags* flags) {
  namespace po = boost::program_options;
  options.add_options()
      ("arrival-order", po::value(&flags->path),
       "a file of event IDs, one per line, in the order the server received them: judges "
       "soft failure (receipt step 6)")
      ("arrival-input-order", po::bool_switch(&flags->input_order),
       "the events arrived in input order (files as given, then lines): judges soft failure");
}

Result<void> ApplyArrivalFlags(const ArrivalFlags& flags, const RoomInput& input,
                               const RoomVersionRules& rules, ReplayOptions* options) {
  if (!flags.path.empty() && flags.input_order) {
    throw UsageError("give --arrival-order or --arrival-input-order, not both");
  }
  if (flags.input_order) options->arrival_order = InputArrivalOrder(input, rules);
  if (!flags.path.empty()) {
    Result<std::vector<std::string>> order = ReadArrivalOrder(flags.path);
    if (!order) return tl::unexpected(order.error());
    options->arrival_order = std::move(*order);
  }
  return {};
}

}  // namespace mxstate::cli

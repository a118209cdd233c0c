// Fuzzes room replay: input is {"room_version": "...", "events": [...]} (the
// room suite's shape, events in any order). Cycles in prev_events or
// auth_events, missing and duplicate events must give verdicts and
// problems, never a crash or a hang; every event gets exactly one verdict.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "mxstate/canonical_json.h"
#include "mxstate/room_replay.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mxstate;
  if (size > 200000) return 0;
  auto doc = ParseJson(std::string_view(reinterpret_cast<const char*>(data), size),
                       ParseOptions{NumberPolicy::kLegacyPython});
  if (!doc || !doc->is_object()) return 0;
  const std::string* version = doc->FindString("room_version");
  const RoomVersionRules* rules = version ? FindRoomVersion(*version) : nullptr;
  if (rules == nullptr) rules = FindRoomVersion("10");
  const Json* events = doc->Find("events");
  if (events == nullptr || !events->is_array()) return 0;
  ReplayOptions options;
  options.check_format = size % 2 == 0;  // both with and without receipt step 1
  options.max_events = 2000;
  auto replay = ReplayRoom(events->as_array(), *rules, options);
  if (!replay) {
    if (replay.error().code.empty()) abort();
    return 0;
  }
  // One verdict per event, except identical duplicates, which are merged.
  if (replay->verdicts.size() > events->size()) abort();
  for (const EventVerdict& v : replay->verdicts) {
    if (v.outcome != EventOutcome::kAccepted && v.reason.code.empty()) abort();
  }
  return 0;
}

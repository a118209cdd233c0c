#include "cli/event_files.h"

#include "cli/cli_io.h"
#include "mxstate/canonical_json.h"

namespace mxstate::cli {

Result<std::vector<Json>> ReadEvents(const std::string& path) {
  Result<Input> input = ReadDocuments(path);
  if (!input) return Fail(input.error());
  std::vector<Json> events;
  for (const InputDocument& document : input->documents) {
    Result<Json> value = ParseJson(document.text, InputParseOptions(NumberPolicy::kLegacyPython));
    if (!value) {
      Error e = value.error();
      e.message = path + " (line " + std::to_string(document.line) + "): " + e.message;
      return Fail(std::move(e));
    }
    if (value->is_array()) {
      for (Json& item : value->as_array()) events.push_back(std::move(item));
    } else {
      events.push_back(std::move(*value));
    }
  }
  for (const Json& event : events) {
    if (!event.is_object()) {
      return Fail("event.not_object", "server-server API: PDUs",
                  path + " holds a value that is not an event object");
    }
  }
  return events;
}

Result<Json> ReadOneEvent(const std::string& path) {
  Result<std::vector<Json>> events = ReadEvents(path);
  if (!events) return Fail(events.error());
  if (events->size() != 1) {
    return Fail("input.not_one_event", "mxstate auth",
                path + " holds " + std::to_string(events->size()) + " events; expected one");
  }
  return std::move(events->front());
}

Result<const RoomVersionRules*> ChooseRoomVersion(const std::string& flag,
                                                  const std::vector<Json>& events) {
  if (!flag.empty()) return &RoomVersionOrThrow(flag);
  for (const Json& e : events) {
    const std::string* type = e.FindString("type");
    if (type == nullptr || *type != "m.room.create") continue;
    const Json* content = e.Find("content");
    const std::string* version = content ? content->FindString("room_version") : nullptr;
    return &RoomVersionOrThrow(version ? *version : "1");
  }
  return Fail("input.no_room_version", "mxstate auth",
              "no --room-version given and no create event to read it from");
}

}  // namespace mxstate::cli

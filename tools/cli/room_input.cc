#include "cli/room_input.h"

#include <functional>
#include <unordered_map>
#include <utility>

#include "cli/cli_io.h"
#include "mxstate/canonical_json.h"
#include "vectors/text_util.h"

namespace mxstate::cli {
namespace {

constexpr const char* kRuleInput = "mxstate room: input";

// The response fields whose values are lists of events.
constexpr const char* kEventLists[] = {"pdus", "auth_chain", "state", "events"};

bool LooksLikeEvent(const Json& value) {
  return value.is_object() && value.Find("type") != nullptr;
}

bool LooksLikeResponse(const Json& value) {
  if (!value.is_object() || value.Find("type") != nullptr) return false;
  for (const char* field : kEventLists) {
    const Json* list = value.Find(field);
    if (list != nullptr && list->is_array()) return true;
  }
  return false;
}

class Merger {
 public:
  explicit Merger(RoomInput* out) : out_(out) {}

  // Adds one event unless an identical one is already there.
  void Add(Json event, std::string source) {
    const size_t hash = std::hash<std::string>{}(CanonicalJson(event));
    std::vector<size_t>& same = by_hash_[hash];
    for (size_t i : same) {
      if (out_->events[i] == event) {
        ++out_->duplicates_merged;
        return;
      }
    }
    same.push_back(out_->events.size());
    out_->events.push_back(std::move(event));
    out_->sources.push_back(std::move(source));
  }

  // One parsed document: an event, an array of events, or a response.
  Result<void> AddDocument(Json value, const std::string& where) {
    if (value.is_array()) {
      size_t n = 0;
      for (Json& item : value.as_array()) {
        ++n;
        if (!item.is_object()) {
          return Fail("input.bad_shape", kRuleInput,
                      where + ": element " + std::to_string(n) +
                          " of the array is not an event object");
        }
        Add(std::move(item), where);
      }
      return {};
    }
    if (LooksLikeEvent(value)) {
      Add(std::move(value), where);
      return {};
    }
    if (LooksLikeResponse(value)) {
      for (const char* field : kEventLists) {
        Json* list = value.Find(field);
        if (list == nullptr || !list->is_array()) continue;
        size_t n = 0;
        for (Json& item : list->as_array()) {
          ++n;
          if (!item.is_object()) {
            std::string hint = item.is_string() ? " (event IDs only, as in a /state_ids "
                                                  "response? give the events themselves)"
                                                : "";
            return Fail("input.bad_shape", kRuleInput,
                        where + ": " + field + "[" + std::to_string(n - 1) +
                            "] is not an event object" + hint);
          }
          Add(std::move(item), where);
        }
      }
      // /send_join's own join event.
      if (Json* event = value.Find("event"); event != nullptr && event->is_object()) {
        Add(std::move(*event), where);
      }
      return {};
    }
    return Fail("input.bad_shape", kRuleInput,
                where + ": neither an event (no \"type\"), an array of events, nor a "
                        "federation response with \"pdus\", \"auth_chain\", \"state\" or "
                        "\"events\"");
  }

 private:
  RoomInput* out_;
  std::unordered_map<size_t, std::vector<size_t>> by_hash_;
};

}  // namespace

Result<RoomInput> ReadRoomFiles(const std::vector<std::string>& paths) {
  RoomInput out;
  Merger merger(&out);
  for (const std::string& path : paths) {
    Result<Input> input = ReadDocuments(path);
    if (!input) return Fail(input.error());
    for (const InputDocument& document : input->documents) {
      const std::string where =
          (path.empty() || path == "-" ? std::string("stdin") : path) + ":" +
          std::to_string(document.line);
      Result<Json> value =
          ParseJson(document.text, InputParseOptions(NumberPolicy::kLegacyPython));
      if (!value) {
        Error e = value.error();
        // The last document of a file that stops inside a value.
        const std::string_view whole = *input->text;
        const size_t last = whole.find_last_not_of(" \t\r\n");
        const bool cut = &document == &input->documents.back() &&
                         (last == std::string_view::npos ||
                          (whole[last] != '}' && whole[last] != ']'));
        e.message = where + ": " + e.message + (cut ? " (is the file truncated?)" : "");
        return Fail(std::move(e));
      }
      if (Result<void> added = merger.AddDocument(std::move(*value), where); !added) {
        return Fail(added.error());
      }
    }
  }
  if (out.events.empty()) {
    return Fail("input.empty", kRuleInput, "the input holds no events");
  }
  return out;
}

Result<const RoomVersionRules*> RoomVersionOf(const std::string& flag,
                                              const std::vector<Json>& events) {
  if (!flag.empty()) return &RoomVersionOrThrow(flag);
  for (const Json& e : events) {
    const std::string* type = e.FindString("type");
    if (type == nullptr || *type != "m.room.create") continue;
    const Json* content = e.Find("content");
    const Json* version = content ? content->Find("room_version") : nullptr;
    if (version == nullptr) return &RoomVersionOrThrow("1");
    const RoomVersionRules* rules =
        version->is_string() ? FindRoomVersion(version->as_string()) : nullptr;
    if (rules == nullptr) {
      return Fail("room.unknown_version", "rooms: room versions",
                  "the create event names room version " +
                      vectors::SanitizeUtf8(version->is_string() ? version->as_string()
                                                                 : CanonicalJson(*version)) +
                      ", which this build does not know (`mxstate versions` lists them)");
    }
    return rules;
  }
  return Fail("input.no_room_version", kRuleInput,
              "no --room-version given and no create event to read it from");
}

Json StateJson(const StateMap& state) {
  Json out = Json::EmptyObject();
  for (const auto& [key, id] : state) {
    Json* by_type = out.Find(key.type);
    if (by_type == nullptr) by_type = &out.Set(key.type, Json::EmptyObject());
    by_type->Set(key.state_key, Json(id));
  }
  return out;
}

std::string StateText(const StateMap& state) {
  std::string text;
  for (const auto& [key, id] : state) {
    text += "  " + key.type + " \"" + key.state_key + "\" " + id + "\n";
  }
  return vectors::SanitizeUtf8(text);
}

std::string VerdictText(const EventVerdict& v) {
  std::string line = v.event_id + " " + std::string(ToString(v.outcome));
  if (v.outcome == EventOutcome::kAccepted) {
    if (!v.rule.empty()) line += " (" + v.rule + ")";
  } else {
    if (!v.stage.empty()) line += " " + v.stage + ":";
    if (!v.reason.code.empty()) line += " " + v.reason.ToString();
    if (v.outcome == EventOutcome::kRedacted && !v.rule.empty()) {
      line += "; kept redacted (" + v.rule + ")";
    }
  }
  return vectors::SanitizeUtf8(line);
}

Json VerdictJson(const EventVerdict& v, const RoomInput& input) {
  Json out = Json::EmptyObject();
  out.Set("event_id", vectors::SanitizeUtf8(v.event_id));
  out.Set("input_index", static_cast<int64_t>(v.input_index));
  if (v.input_index < input.sources.size()) {
    out.Set("source", vectors::SanitizeUtf8(input.sources[v.input_index]));
  }
  out.Set("outcome", std::string(ToString(v.outcome)));
  if (!v.stage.empty()) out.Set("stage", v.stage);
  if (!v.reason.code.empty()) out.Set("error", ErrorJson(v.reason));
  if (!v.rule.empty()) out.Set("rule", v.rule);
  return out;
}

}  // namespace mxstate::cli

#include "cli/reset_text.h"

namespace mxstate::cli {
namespace {

std::string Or(const std::string& id) { return id.empty() ? "absent" : id; }
Json IdOrNull(const std::string& id) { return id.empty() ? Json() : Json(id); }

}  // namespace

std::string ResetText(const StateReset& r) {
  std::string s = "at " + (r.merge_event.empty() ? std::string("the forward extremities")
                                                 : r.merge_event) +
                  ": " + r.key.type + " \"" + r.key.state_key + "\"" + " (" + r.category + ") " +
                  std::string(ToString(r.kind)) +
                  (r.kind == ResetKind::kDropped ? std::string(": dropped")
                                                 : " to " + r.resolved) +
                  "; sides:";
  for (size_t i = 0; i < r.sides.size(); ++i) {
    s += (i ? ", " : " ") + r.sides[i] + " -> " + Or(r.side_values[i]);
  }
  if (!r.cause.empty()) s += "; " + r.cause;
  return s;
}

Json ResetJson(const StateReset& r) {
  Json j = Json::EmptyObject();
  j.Set("merge_event", IdOrNull(r.merge_event));
  j.Set("type", r.key.type);
  j.Set("state_key", r.key.state_key);
  j.Set("kind", std::string(ToString(r.kind)));
  j.Set("category", r.category);
  j.Set("resolved", IdOrNull(r.resolved));
  Json::Array sides;
  for (size_t i = 0; i < r.sides.size(); ++i) {
    Json s = Json::EmptyObject();
    s.Set("side", r.sides[i]);
    s.Set("value", IdOrNull(r.side_values[i]));
    sides.push_back(std::move(s));
  }
  j.Set("sides", Json(std::move(sides)));
  j.Set("cause", r.cause);
  return j;
}

}  // namespace mxstate::cli

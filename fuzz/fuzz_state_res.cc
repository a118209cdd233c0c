// Fuzzes state resolution and auth chains on arbitrary DAGs: input is a
// JSON document {"room_version": "...", "events": [...], "state_sets":
// [[ids], ...]} (the state-res suite's shape). Cycles, missing events,
// duplicate IDs, absurd depths and keys must give a resolution or a refusal
// with a code, never a crash or a hang.
#include <cstdint>
#include <cstdlib>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "mxstate/canonical_json.h"
#include "mxstate/event_hashes.h"
#include "mxstate/state_res.h"

namespace {

class Source : public mxstate::EventSource {
 public:
  const mxstate::Json* Find(std::string_view id) const override {
    auto it = events_.find(id);
    return it == events_.end() ? nullptr : it->second;
  }
  bool IsRejected(std::string_view id) const override { return id.size() % 7 == 3; }
  void Add(std::string id, const mxstate::Json* e) { events_.emplace(std::move(id), e); }

 private:
  std::map<std::string, const mxstate::Json*, std::less<>> events_;
};

}  // namespace

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
  const Json* sets = doc->Find("state_sets");
  if (events == nullptr || !events->is_array() || sets == nullptr || !sets->is_array()) return 0;
  Source source;
  for (const Json& e : events->as_array()) {
    if (e.is_object()) source.Add(DeclaredOrComputedEventId(e, *rules), &e);
  }
  std::vector<StateMap> state_sets;
  for (const Json& set : sets->as_array()) {
    StateMap map;
    if (set.is_array()) {
      for (const Json& id : set.as_array()) {
        if (!id.is_string()) continue;
        const Json* e = source.Find(id.as_string());
        const std::string* type = e ? e->FindString("type") : nullptr;
        const std::string* key = e ? e->FindString("state_key") : nullptr;
        // Deliberately also pass mismatched or unknown entries through.
        map[StateKey{type ? *type : "x", key ? *key : ""}] = id.as_string();
      }
    }
    state_sets.push_back(std::move(map));
  }
  StateResOptions options;
  options.max_events = 5000;
  options.explain = true;
  auto resolved = ResolveState(state_sets, source, *rules, options);
  if (!resolved && resolved.error().code.empty()) abort();
  if (resolved) {
    for (const auto& [key, id] : resolved->state) {
      if (source.Find(id) == nullptr) abort();  // resolution invents no event
    }
  }
  for (const Json& e : events->as_array()) {
    if (!e.is_object()) continue;
    auto chain = AuthChain(DeclaredOrComputedEventId(e, *rules), source, *rules, options);
    if (!chain && chain.error().code.empty()) abort();
  }
  return 0;
}

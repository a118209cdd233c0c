// Fuzzes state resolution and auth chains on arbitrary DAGs: input is a
// JSON document {"room_version": "...", "events": [...], "state_sets":
// [[ids], ...]} (the state-res suite's shape). Cycles, missing events,
// duplicate IDs, absurd depths and keys must give a resolution or a refusal
// with a code, never a crash or a hang.
#include <cstdint>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "mxstate/canonical_json.h"
#include "mxstate/event_graph.h"
#include "mxstate/event_hashes.h"
#include "mxstate/state_delta.h"
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
  // The persistent-graph form, on a graph that first took every event in
  // reverse order (so indexing is incremental): same verdict, same state.
  {
    EventGraph graph(*rules, EventGraphOptions{.max_events = options.max_events});
    for (auto it = events->as_array().rbegin(); it != events->as_array().rend(); ++it) {
      if (!it->is_object()) continue;
      auto added = graph.Add(DeclaredOrComputedEventId(*it, *rules), source);
      if (!added && added.error().code.empty()) abort();
    }
    std::vector<GraphState> graph_sets;
    Result<GraphResolution> by_graph = Fail("state_res.input", "fuzz", "not resolved");
    bool sets_ok = true;
    for (size_t i = 0; i < state_sets.size() && sets_ok; ++i) {
      auto s = AddState(state_sets[i], source, graph, i + 1);
      if (!s) {
        sets_ok = false;
        by_graph = tl::unexpected(s.error());
      } else {
        graph_sets.push_back(*std::move(s));
      }
    }
    // One workspace for two resolutions: the second must find it clean
    // (every entry the first wrote reset, whatever the input did).
    StateResWorkspace workspace;
    StateResOptions reused = options;
    reused.workspace = &workspace;
    if (sets_ok) by_graph = ResolveState(graph_sets, graph, reused);
    if (!by_graph && by_graph.error().code.empty()) abort();
    if (sets_ok) {
      auto again = ResolveState(graph_sets, graph, reused);
      if (again.has_value() != by_graph.has_value()) abort();
      if (again && again->state.entries != by_graph->state.entries) abort();
      // With each set's StateReach (the other auth-difference walk) and
      // each way of reading v2's unconflicted state: the same result.
      for (GraphState& set : graph_sets) ComputeStateReach(graph, &set);
      using Base = StateResOptions::UnconflictedBase;
      for (Base base : {Base::kCopy, Base::kLookUp}) {
        reused.unconflicted_base = base;
        auto with_reach = ResolveState(graph_sets, graph, reused);
        if (with_reach.has_value() != by_graph.has_value()) abort();
        if (with_reach && with_reach->state.entries != by_graph->state.entries) abort();
      }
      // The sets as changes to the first set's state (the delta form),
      // with and without their StateReach: the same result.
      if (!graph_sets.empty()) {
        auto base = std::make_shared<const GraphState>(graph_sets[0]);
        std::vector<GraphStateDelta> deltas;
        for (const GraphState& set : graph_sets) deltas.push_back(DeltaOf(base, set));
        for (bool reach : {false, true}) {
          if (reach) {
            for (GraphStateDelta& d : deltas) ComputeStateReach(graph, &d);
          }
          auto by_delta = ResolveState(deltas, graph, reused);
          if (by_delta.has_value() != by_graph.has_value()) abort();
          if (by_delta && Materialize(by_delta->state).entries != by_graph->state.entries) abort();
        }
      }
    }
    // The graph may hold more events than the state sets reach, so only a
    // bound can make the verdicts differ.
    const bool bound = (!resolved && resolved.error().code == "state_res.too_many_events") ||
                       (!by_graph && by_graph.error().code == "state_res.too_many_events");
    if (!bound) {
      if (resolved.has_value() != by_graph.has_value()) abort();
      if (resolved && ToStateMap(graph, by_graph->state) != resolved->state) abort();
    }
  }
  for (const Json& e : events->as_array()) {
    if (!e.is_object()) continue;
    auto chain = AuthChain(DeclaredOrComputedEventId(e, *rules), source, *rules, options);
    if (!chain && chain.error().code.empty()) abort();
  }
  return 0;
}

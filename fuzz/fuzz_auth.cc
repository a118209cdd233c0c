// Fuzz target: the authorization rules. The input is a JSON object in the
// shape of an auth test of spec-vectors ({"room_version", "event",
// "auth_events": [...]}; a whole test object with "input" also works).
// The room version falls back to "10" when missing or unknown. Runs
// AuthorizeWithAuthEvents (IDs from DeclaredOrComputedEventId), then
// AuthorizeAgainstState with a state made of the auth events, plus
// AuthEventSelection and UserPowerLevel, and aborts when a decision has no
// rule, a refusal has no "auth." code, or the trace is empty; and when the
// fields an EventGraph found for the event (what state resolution hands
// the rules, internal::FieldsOf) decide otherwise than the event's JSON.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "auth_internal.h"
#include "mxstate/auth.h"
#include "mxstate/canonical_json.h"
#include "mxstate/event_graph.h"
#include "mxstate/event_hashes.h"
#include "mxstate/json.h"
#include "mxstate/room_version.h"
#include "state_res_internal.h"

namespace {

[[noreturn]] void Die(const char* what, const mxstate::AuthDecision& d,
                      std::string_view version) {
  std::fprintf(stderr, "fuzz_auth: %s (room version %.*s; rule '%s', code '%s')\n", what,
               static_cast<int>(version.size()), version.data(), d.rule.c_str(),
               d.error.code.c_str());
  std::abort();
}

void Check(const mxstate::AuthDecision& d, std::string_view version) {
  if (d.rule.empty()) Die("decision without a rule", d, version);
  if (d.trace.empty()) Die("decision without a trace", d, version);
  if (!d.allowed) {
    if (d.error.code.empty()) Die("refusal without a code", d, version);
    if (d.error.code.rfind("auth.", 0) != 0) Die("refusal code outside auth.*", d, version);
    if (d.error.rule != d.rule) Die("refusal whose error.rule differs from rule", d, version);
  } else if (!d.error.code.empty()) {
    Die("allowed decision with an error code", d, version);
  }
}

// The state the auth events form (the last one wins on a repeated key).
class EventsState : public mxstate::AuthState {
 public:
  void Put(const mxstate::AuthEvent& e) {
    const std::string* type = e.event->FindString("type");
    const std::string* key = e.event->FindString("state_key");
    if (type == nullptr || key == nullptr) return;
    entries_[{*type, *key}] = mxstate::StateEntry{e.event, e.event_id};
  }
  mxstate::StateEntry Get(std::string_view type, std::string_view state_key) const override {
    auto it = entries_.find({std::string(type), std::string(state_key)});
    return it == entries_.end() ? mxstate::StateEntry{} : it->second;
  }

 private:
  std::map<std::pair<std::string, std::string>, mxstate::StateEntry> entries_;
};

// Events by ID for an EventGraph.
class IdSource : public mxstate::EventSource {
 public:
  void Put(std::string id, const mxstate::Json* event) { by_id_[std::move(id)] = event; }
  const mxstate::Json* Find(std::string_view id) const override {
    auto it = by_id_.find(std::string(id));
    return it == by_id_.end() ? nullptr : it->second;
  }

 private:
  std::map<std::string, const mxstate::Json*> by_id_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 70000) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  mxstate::ParseOptions options;
  options.numbers = mxstate::NumberPolicy::kLegacyPython;
  auto parsed = mxstate::ParseJson(text, options);
  if (!parsed || !parsed->is_object()) return 0;
  const mxstate::Json& top = *parsed;
  const mxstate::Json* input = top.Find("input");
  if (input == nullptr || !input->is_object()) input = &top;

  const mxstate::RoomVersionRules* rules = nullptr;
  if (const std::string* v = top.FindString("room_version")) rules = mxstate::FindRoomVersion(*v);
  if (rules == nullptr) rules = mxstate::FindRoomVersion("10");
  if (rules == nullptr) std::abort();

  const mxstate::Json* event = input->Find("event");
  if (event == nullptr || !event->is_object()) return 0;
  std::vector<mxstate::AuthEvent> auth_events;
  if (const mxstate::Json* list = input->Find("auth_events"); list && list->is_array()) {
    for (const mxstate::Json& item : list->as_array()) {
      if (!item.is_object()) continue;
      auth_events.push_back(
          mxstate::AuthEvent{&item, mxstate::DeclaredOrComputedEventId(item, *rules), false});
    }
  }

  const mxstate::AuthDecision with_auth =
      mxstate::AuthorizeWithAuthEvents(*event, auth_events, *rules);
  Check(with_auth, rules->id);

  EventsState state;
  for (const mxstate::AuthEvent& e : auth_events) state.Put(e);
  const mxstate::AuthDecision against_state =
      mxstate::AuthorizeAgainstState(*event, state, *rules);
  Check(against_state, rules->id);

  // The same auth events, all marked rejected by the caller (the paths of
  // the "rejected auth event" rules).
  if (!auth_events.empty()) {
    std::vector<mxstate::AuthEvent> rejected = auth_events;
    for (auto& e : rejected) e.rejected = true;
    const mxstate::AuthDecision d = mxstate::AuthorizeWithAuthEvents(*event, rejected, *rules);
    Check(d, rules->id);
  }

  // The event as state resolution sees it: loaded into a graph, its fields
  // taken from the graph entry. Same verdict, code and rule.
  {
    IdSource source;
    for (const mxstate::AuthEvent& e : auth_events) source.Put(e.event_id, e.event);
    const std::string id = mxstate::DeclaredOrComputedEventId(*event, *rules);
    source.Put(id, event);  // last: an auth event may share its ID
    mxstate::EventGraph graph(*rules);
    auto added = graph.Add(id, source);
    if (added && graph.event(*added).json == event) {
      using mxstate::internal::AuthorizeFieldsAgainstState;
      const mxstate::AuthDecision from_graph =
          AuthorizeFieldsAgainstState(mxstate::internal::FieldsOf(graph.event(*added)), state,
                                      *rules, mxstate::AuthTrace::kVerdictOnly);
      const mxstate::AuthDecision from_json =
          AuthorizeFieldsAgainstState(mxstate::internal::EventFields::Of(*event), state, *rules,
                                      mxstate::AuthTrace::kVerdictOnly);
      if (from_graph.allowed != from_json.allowed || from_graph.rule != from_json.rule ||
          from_graph.error.code != from_json.error.code) {
        Die("the graph's fields decide otherwise than the event", from_graph, rules->id);
      }
    }
  }

  (void)mxstate::AuthEventSelection(*event, *rules);
  if (const std::string* sender = event->FindString("sender")) {
    (void)mxstate::UserPowerLevel(*sender, state, *rules);
  }
  return 0;
}

// State resolution entry points: input validation, the algorithm chosen by
// the room-version table, and auth chains.
#include "mxstate/state_res.h"

#include <algorithm>
#include <memory>

#include "auth_internal.h"
#include "state_res_internal.h"

namespace mxstate {
namespace internal {

KeyIndex KeyOf(const EventGraph& graph, EventIndex event, std::string_view type,
               std::string_view state_key) {
  // The rules ask for the sender's and the target's membership on most
  // checks: the event knows both keys, which spares hashing the strings.
  // The rules pass views of the event's own strings, so equal pointers
  // usually decide without comparing bytes; they are tried for both keys
  // before any bytes, because user IDs of equal length are common and
  // comparing the target's bytes with the sender's was a measurable share
  // of the checks (docs/benchmarks.md).
  auto same_view = [](std::string_view a, std::string_view b) {
    return a.data() == b.data() && a.size() == b.size();
  };
  const GraphEvent& n = graph.event(event);
  if (type == "m.room.member") {
    const bool has_sender = n.sender_key != kNoKey;
    const bool has_target = n.key != kNoKey && n.type == "m.room.member";
    if (has_sender && same_view(state_key, n.sender)) return n.sender_key;
    if (has_target && same_view(state_key, n.state_key)) return n.key;
    if (has_sender && state_key == n.sender) return n.sender_key;
    if (has_target && state_key == n.state_key) return n.key;
  }
  return graph.FindKey(type, state_key);
}

StateEntry EntryOf(const GraphEvent& n) {
  StateEntry entry{n.json, n.id};
  if (n.type == "m.room.member") entry.membership = n.membership;
  return entry;
}

StateEntry IterativeAuthState::Get(std::string_view type, std::string_view state_key) const {
  const EventIndex e = At(KeyOf(graph_, event_, type, state_key));
  return e != kNoEvent ? EntryOf(graph_.event(e)) : StateEntry{};
}

EventIndex IterativeAuthState::At(KeyIndex key) const {
  if (key == kNoKey) return kNoEvent;
  if (EventIndex e = partial_.At(key); e != kNoEvent) return e;
  // "If a (type, state_key) key that is required for checking the
  // authorisation rules is not present in the state, then the appropriate
  // state event from the event's auth_events is used if the auth event is
  // not rejected."
  for (EventIndex a : graph_.auth_events(event_)) {
    const GraphEvent& n = graph_.event(a);
    if (n.json != nullptr && n.key == key && !n.rejected) return a;
  }
  return kNoEvent;
}

EventFields FieldsOf(const GraphEvent& n) {
  // The graph found the fields the rules read on every check when it
  // loaded the event (the same look-ups as EventFields::Of).
  EventFields fields{
      .event = n.json,
      .type = n.type,
      .sender = n.sender,
      .state_key = n.key != kNoKey ? std::optional<std::string_view>(n.state_key) : std::nullopt,
      .content = n.content,
      .member = std::nullopt,
      .sender_is_target = std::nullopt,
      .target_is_first_creator = std::nullopt,
      .powers = nullptr};
  // And what the member rules would search the content for.
  if (n.type == "m.room.member") {
    fields.member = EventFields::MemberContent{
        .membership = (n.member_content & kMembershipIsString)
                          ? std::optional<std::string_view>(n.membership)
                          : std::nullopt,
        .has_authorised_via = (n.member_content & kHasAuthorisedVia) != 0,
        .has_third_party_invite = (n.member_content & kHasThirdPartyInvite) != 0};
    // Both are (m.room.member, user) keys, interned by their exact bytes.
    if (n.key != kNoKey && n.sender_key != kNoKey) fields.sender_is_target = n.key == n.sender_key;
  }
  return fields;
}

EventFields FieldsInState(const EventGraph& graph, EventIndex event,
                          const IterativeAuthState& state, KeyIndex create_key) {
  const GraphEvent& n = graph.event(event);
  EventFields fields = FieldsOf(n);
  // From v11 the first creator is the create event's sender (rooms/v11
  // "Authorization rules", member join rule 1); both keys are
  // (m.room.member, user) keys, interned by their exact bytes.
  if (graph.rules().auth.creator_is_sender && fields.member && n.key != kNoKey) {
    const EventIndex create = state.At(create_key);
    if (create != kNoEvent && graph.event(create).sender_key != kNoKey) {
      fields.target_is_first_creator = graph.event(create).sender_key == n.key;
    }
  }
  return fields;
}

bool CheckAndRecord(const EventGraph& graph, EventIndex event, const EventFields& fields,
                    const AuthState& state, const char* phase, Resolution* out, bool explain) {
  const GraphEvent& n = graph.event(event);
  // Without --explain only the verdict is read: the rules build no text.
  AuthDecision d = AuthorizeFieldsAgainstState(
      fields, state, graph.rules(), explain ? AuthTrace::kVerdictOnly : AuthTrace::kAllowedOnly);
  if (explain) {
    out->checks.push_back(AuthCheckRecord{std::string(n.id), phase, d.allowed, d.rule,
                                          d.allowed ? std::string() : d.error.code});
  }
  return d.allowed;
}

Error MissingAuthEventWarning(const EventGraph& graph, EventIndex cut) {
  return Error{"state_res.missing_auth_event", "state resolution input",
               "auth event " + std::string(graph.event(cut).id) +
                   " is cited but not among the events; its auth chain is cut there"};
}

namespace {

// v1 reads whole states; v2 and v2.1 read either form.
Result<GraphResolution> Dispatch(const StateSets& sets, const EventGraph& graph,
                                 const StateResOptions& options, bool report_cuts) {
  if (graph.rules().state_res == StateResAlgorithm::kV1) {
    return ResolveV1(graph, sets.whole, options);
  }
  if (options.workspace != nullptr) {
    return ResolveV2(graph, sets, graph.rules().state_res == StateResAlgorithm::kV2_1, options,
                     report_cuts, options.workspace->buffers());
  }
  StateResWorkspace temporary;
  return ResolveV2(graph, sets, graph.rules().state_res == StateResAlgorithm::kV2_1, options,
                   report_cuts, temporary.buffers());
}

}  // namespace
}  // namespace internal

StateResWorkspace::StateResWorkspace() : buffers_(std::make_unique<Buffers>()) {}
StateResWorkspace::~StateResWorkspace() = default;

Result<GraphResolution> ResolveState(std::span<const GraphState> state_sets, const EventGraph& graph,
                                     const StateResOptions& options) {
  return internal::Dispatch(internal::StateSets::Whole(state_sets), graph, options,
                            /*report_cuts=*/true);
}

Result<GraphDeltaResolution> ResolveState(std::span<const GraphStateDelta> state_sets,
                                          const EventGraph& graph, const StateResOptions& options) {
  for (const GraphStateDelta& set : state_sets) {
    if (auto valid = ValidateDelta(graph, set); !valid) return tl::unexpected(valid.error());
  }
  GraphDeltaResolution out;
  if (state_sets.empty()) return out;  // the empty state, against the empty base
  out.state.base = state_sets[0].base;
  bool one_base = true;
  for (const GraphStateDelta& set : state_sets) one_base = one_base && set.base == out.state.base;
  if (one_base && graph.rules().state_res != StateResAlgorithm::kV1) {
    auto resolved =
        internal::Dispatch(internal::StateSets::Deltas(state_sets, out.state.base.get()), graph,
                           options, /*report_cuts=*/true);
    if (!resolved) return tl::unexpected(resolved.error());
    out.state.changes = std::move(resolved->state.entries);
    out.details = std::move(resolved->details);
    return out;
  }
  // v1 (which reads whole states), or sets over different bases: resolve
  // the whole states and express the result against the first set's base.
  std::vector<GraphState> whole;
  whole.reserve(state_sets.size());
  for (const GraphStateDelta& set : state_sets) {
    whole.push_back(Materialize(set));
    // The delta's StateReach describes the whole state: keep it, with the
    // whole state's guard, when it is current.
    if (set.reach != nullptr && set.reach->entry_count == StateReachGuard(set)) {
      auto reach = std::make_shared<StateReach>(*set.reach);
      reach->entry_count = whole.back().entries.size();
      whole.back().reach = std::move(reach);
    }
  }
  auto resolved = internal::Dispatch(internal::StateSets::Whole(whole), graph, options,
                                     /*report_cuts=*/true);
  if (!resolved) return tl::unexpected(resolved.error());
  out.state.changes = DeltaOf(out.state.base, resolved->state).changes;
  out.details = std::move(resolved->details);
  return out;
}

Result<Resolution> ResolveState(std::span<const StateMap> state_sets, const EventSource& events,
                                const RoomVersionRules& rules, const StateResOptions& options) {
  // A temporary graph holding the auth closure of every state set.
  EventGraph graph(rules, EventGraphOptions{.max_events = options.max_events});
  std::vector<GraphState> sets;
  sets.reserve(state_sets.size());
  for (size_t i = 0; i < state_sets.size(); ++i) {
    auto set = AddState(state_sets[i], events, graph, i + 1);
    if (!set) return tl::unexpected(set.error());
    sets.push_back(*std::move(set));
  }
  auto resolved =
      internal::Dispatch(internal::StateSets::Whole(sets), graph, options, /*report_cuts=*/false);
  if (!resolved) return tl::unexpected(resolved.error());
  Resolution out = std::move(resolved->details);
  out.state = ToStateMap(graph, resolved->state);
  // Every cut in the closure of the state sets, as before the graph was
  // reusable (the CLI shows them).
  for (EventIndex e = 0; e < graph.size(); ++e) {
    if (graph.event(e).json == nullptr) out.warnings.push_back(internal::MissingAuthEventWarning(graph, e));
  }
  return out;
}

Result<AuthChainResult> AuthChain(std::string_view event_id, const EventSource& events,
                                  const RoomVersionRules& rules, const StateResOptions& options) {
  EventGraph graph(rules, EventGraphOptions{.max_events = options.max_events,
                                            .reachability_index = false});
  auto start = graph.Add(event_id, events);
  if (!start) return tl::unexpected(start.error());
  if (graph.event(*start).json == nullptr) {
    return Fail("state_res.unknown_event", "auth chain input",
                std::string(event_id) + " is not among the events");
  }
  // Breadth first from the event's auth events; the event itself is not
  // part of its auth chain (rooms/fragments/v2-state-res.md).
  std::vector<uint8_t> seen(graph.size(), 0);
  seen[*start] = 1;
  std::vector<EventIndex> frontier = {*start};
  AuthChainResult out;
  while (!frontier.empty()) {
    std::vector<EventIndex> next;
    for (EventIndex n : frontier) {
      for (EventIndex a : graph.auth_events(n)) {
        if (seen[a]) continue;
        seen[a] = 1;
        next.push_back(a);
      }
    }
    std::sort(next.begin(), next.end(), [&](EventIndex x, EventIndex y) {
      return graph.event(x).id < graph.event(y).id;
    });
    for (EventIndex n : next) {
      if (graph.event(n).json == nullptr) {
        out.missing.emplace_back(graph.event(n).id);
      } else {
        out.chain.emplace_back(graph.event(n).id);
      }
    }
    frontier = std::move(next);
  }
  return out;
}

}  // namespace mxstate

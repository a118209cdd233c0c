// Room replay (s2s "Checks performed on receipt of a PDU"; rooms "state
// before an event" as the resolution of the states after its prev_events).
#include "mxstate/room_replay.h"

#include <algorithm>
#include <deque>
#include <memory>
#include <map>
#include <queue>
#include <unordered_map>

#include "mxstate/auth.h"
#include "mxstate/event_format.h"
#include "mxstate/event_graph.h"
#include "mxstate/event_hashes.h"
#include "mxstate/redaction.h"
#include "mxstate/verify_event.h"
#include "parallel_for.h"

namespace mxstate {
namespace {

constexpr const char* kRuleReceipt = "s2s: checks performed on receipt of a PDU";

std::vector<std::string> ReferencedIds(const Json& event, std::string_view field) {
  std::vector<std::string> ids;
  const Json* list = event.Find(field);
  if (list == nullptr || !list->is_array()) return ids;
  for (const Json& item : list->as_array()) {
    const Json* id = item.is_array() && !item.as_array().empty() ? &item.as_array()[0] : &item;
    if (id->is_string()) ids.push_back(id->as_string());
  }
  return ids;
}

class Replayer : public EventSource {
 public:
  Replayer(std::span<const Json> events, const RoomVersionRules& rules,
           const ReplayOptions& options)
      : input_(events),
        rules_(rules),
        options_(options),
        graph_(rules, EventGraphOptions{2 * options.max_events + 16, true}) {}

  const Json* Find(std::string_view id) const override {
    auto it = by_id_.find(std::string(id));
    return it == by_id_.end() ? nullptr : nodes_[it->second].json;
  }
  bool IsRejected(std::string_view id) const override {
    auto it = by_id_.find(std::string(id));
    return it != by_id_.end() && !Counts(nodes_[it->second].verdict.outcome);
  }

  // Runs the replay; when `target` is non-empty, keeps its states.
  Result<RoomReplay> Run(std::string_view target, EventStates* target_states);

 private:
  struct Node {
    const Json* json = nullptr;
    EventVerdict verdict;
    std::vector<uint32_t> prevs;     // present prev events
    std::vector<uint32_t> deps;      // present prev and auth events (and v12 create)
    std::vector<uint32_t> children;  // events listing this one in prev_events
    bool in_dag = false;             // passed format/signature checks
    bool done = false;
    size_t children_left = 0;        // children not yet replayed
    bool followed = false;           // a counted event lists it in prev_events
  };
  // Events whose state after includes them: soft-failed events too, since
  // they are "otherwise handled as usual" (s2s: soft failure).
  static bool Counts(EventOutcome o) {
    return o == EventOutcome::kAccepted || o == EventOutcome::kRedacted ||
           o == EventOutcome::kSoftFailed;
  }
  // Events that may become forward extremities: a soft-failed event is not
  // added to the server's forward extremities (s2s: soft failure).
  static bool Extends(EventOutcome o) {
    return o == EventOutcome::kAccepted || o == EventOutcome::kRedacted;
  }
  void Judge(uint32_t index, RoomReplay* out);
  void CheckSoftFailure(uint32_t index, RoomReplay* out);
  const StateMap* CurrentState(RoomReplay* out);
  std::vector<uint64_t> ArrivalRanks(RoomReplay* out) const;
  // Shared with the parent's state after when the parent is the only known
  // prev event: a state is copied only when a fork writes to it.
  std::shared_ptr<StateMap> StateBefore(uint32_t index, RoomReplay* out);
  void Release(uint32_t index, bool child_extends);
  void NotifyMerge(const std::string& event_id, const std::vector<uint32_t>& sides,
                   const std::vector<const StateMap*>& states, const StateMap& resolved);

  std::span<const Json> input_;
  const RoomVersionRules& rules_;
  const ReplayOptions& options_;
  std::vector<Node> nodes_;
  std::unordered_map<std::string, uint32_t> by_id_;
  std::deque<Json> redacted_;                        // redacted copies (hash mismatch)
  std::unordered_map<uint32_t, std::shared_ptr<StateMap>> state_after_;  // while still needed
  // Every resolution of the replay (merges, soft failure's current state,
  // the final state) runs over this one graph, so each event's auth
  // closure is loaded and indexed once per replay, not once per merge.
  Result<StateMap> Resolve(const std::vector<const StateMap*>& states);
  EventGraph graph_;
  StateResWorkspace workspace_;  // scratch shared by all of this replay's resolutions
  std::string target_;  // StateAtEvent's event, or empty
  EventStates* target_states_ = nullptr;
  // Step 6 (with an arrival order): the forward extremities among the events
  // judged so far, and the current state resolved from them (cached until
  // the extremities change).
  std::vector<uint32_t> live_extremities_;
  StateMap current_;
  bool current_valid_ = false;
};

// Called once per child of `index` after the child was judged. The state
// after `index` is kept until its last child is judged, and for good when
// no child that extends the room follows it (it is then a forward extremity).
void Replayer::Release(uint32_t index, bool child_extends) {
  Node& n = nodes_[index];
  if (child_extends) n.followed = true;
  if (--n.children_left == 0 && n.followed) state_after_.erase(index);
}

std::shared_ptr<StateMap> Replayer::StateBefore(uint32_t index, RoomReplay* out) {
  Node& n = nodes_[index];
  std::vector<const StateMap*> states;
  std::vector<uint32_t> sides;
  std::shared_ptr<StateMap> single;
  for (uint32_t p : n.prevs) {
    auto it = state_after_.find(p);
    if (it != state_after_.end()) {
      if (states.empty()) single = it->second;
      states.push_back(it->second.get());
      sides.push_back(p);
    }
  }
  if (states.empty()) {
    // No prev event is known (an outlier, as after a partial /state): the
    // state before cannot be computed. Its auth events are the best
    // available view of it, and step 5 is not judged (Judge).
    auto approximation = std::make_shared<StateMap>();
    for (const std::string& id : ReferencedIds(*n.json, "auth_events")) {
      auto it = by_id_.find(id);
      if (it == by_id_.end() || !nodes_[it->second].in_dag) continue;
      const Json& a = *nodes_[it->second].json;
      const std::string* type = a.FindString("type");
      const std::string* state_key = a.FindString("state_key");
      if (type && state_key) (*approximation)[StateKey{*type, *state_key}] = id;
    }
    return approximation;
  }
  if (states.size() == 1) return single;
  Result<StateMap> r = Resolve(states);
  if (!r) {
    out->problems.push_back(Error{r.error().code, r.error().rule,
                                  "resolving the state before " + n.verdict.event_id + ": " +
                                      r.error().message});
    return single;
  }
  if (options_.on_merge) NotifyMerge(n.verdict.event_id, sides, states, *r);
  return std::make_shared<StateMap>(*std::move(r));
}

Result<StateMap> Replayer::Resolve(const std::vector<const StateMap*>& states) {
  std::vector<GraphState> sets;
  sets.reserve(states.size());
  for (size_t i = 0; i < states.size(); ++i) {
    Result<GraphState> set = AddState(*states[i], *this, graph_, i + 1);
    if (!set) return tl::unexpected(set.error());
    sets.push_back(*std::move(set));
  }
  StateResOptions options;
  options.workspace = &workspace_;
  Result<GraphResolution> r = ResolveState(sets, graph_, options);
  if (!r) return tl::unexpected(r.error());
  return ToStateMap(graph_, r->state);
}

void Replayer::NotifyMerge(const std::string& event_id, const std::vector<uint32_t>& sides,
                           const std::vector<const StateMap*>& states, const StateMap& resolved) {
  MergeInfo info;
  info.event_id = event_id;
  for (uint32_t s : sides) info.side_ids.push_back(nodes_[s].verdict.event_id);
  info.side_states = states;
  info.resolved = &resolved;
  info.events = this;
  info.rules = &rules_;
  options_.on_merge(info);
}

void Replayer::Judge(uint32_t index, RoomReplay* out) {
  Node& n = nodes_[index];
  const Json& event = *n.json;
  EventVerdict& v = n.verdict;
  // Step 4: auth against the event's own auth events.
  std::vector<AuthEvent> auth_events;
  bool missing = false;
  for (const std::string& id : ReferencedIds(event, "auth_events")) {
    auto it = by_id_.find(id);
    if (it == by_id_.end() || !nodes_[it->second].in_dag) {
      missing = true;
      v.reason = Error{"room.missing_auth_event", kRuleReceipt,
                       "auth event " + id + " is not in the room (or was dropped), so the "
                       "event cannot be authorised"};
      break;
    }
    const Node& a = nodes_[it->second];
    auth_events.push_back(AuthEvent{a.json, id, !Counts(a.verdict.outcome)});
  }
  if (rules_.auth.create_event_implied) {
    const std::string* room_id = event.FindString("room_id");
    if (room_id != nullptr && room_id->size() > 1) {
      std::string create_id = "$" + room_id->substr(1);
      auto it = by_id_.find(create_id);
      if (it != by_id_.end() && nodes_[it->second].in_dag) {
        const Node& c = nodes_[it->second];
        auth_events.push_back(AuthEvent{c.json, create_id, !Counts(c.verdict.outcome)});
      }
    }
  }
  std::shared_ptr<StateMap> before = StateBefore(index, out);
  const std::string* own_type = event.FindString("type");
  bool is_create = own_type != nullptr && *own_type == "m.room.create";
  size_t cited_prevs = ReferencedIds(event, "prev_events").size();
  bool state_unknown = !is_create && n.prevs.empty() && cited_prevs > 0;
  if (!is_create && n.prevs.size() < cited_prevs) {
    out->problems.push_back(Error{
        "room.state_unknown", kRuleReceipt,
        "the state before " + v.event_id + " is " +
            (state_unknown ? "unknown: none of its prev_events is in the room, so only its auth "
                             "events were checked (receipt step 5 not judged)"
                           : "resolved from " + std::to_string(n.prevs.size()) + " of its " +
                                 std::to_string(cited_prevs) + " prev_events (the others are missing)")});
  }
  if (missing) {
    v.outcome = EventOutcome::kNotJudged;
    v.stage = "auth events";
  } else {
    AuthDecision d = AuthorizeWithAuthEvents(event, auth_events, rules_);
    if (!d.allowed) {
      v.outcome = EventOutcome::kRejected;
      v.stage = "auth events";
      v.reason = d.error;
    } else if (state_unknown) {
      v.rule = d.rule;
      v.stage = "auth events only";
    } else {
      // Step 5: auth against the state before the event.
      StateMapView view(*before, *this);
      AuthDecision s = AuthorizeAgainstState(event, view, rules_, AuthTrace::kVerdictOnly);
      if (!s.allowed) {
        v.outcome = EventOutcome::kRejected;
        v.stage = "state before";
        v.reason = s.error;
      } else {
        v.rule = s.rule;
        if (!options_.arrival_order.empty()) CheckSoftFailure(index, out);
      }
    }
  }
  const bool target = target_states_ != nullptr && v.event_id == target_;
  if (target) target_states_->before = *before;
  // Releasing the parents first lets a linear history hand its one state
  // from event to event: the write below copies only at a fork.
  if (!options_.arrival_order.empty() && Extends(v.outcome)) {
    // The event becomes a forward extremity and replaces its prev events.
    std::erase_if(live_extremities_, [&](uint32_t e) {
      return std::find(n.prevs.begin(), n.prevs.end(), e) != n.prevs.end();
    });
    live_extremities_.push_back(index);
    current_valid_ = false;
  }
  for (uint32_t p : n.prevs) Release(p, Extends(v.outcome));
  std::shared_ptr<StateMap> after = std::move(before);
  if (Counts(v.outcome)) {
    const std::string* type = event.FindString("type");
    const std::string* state_key = event.FindString("state_key");
    if (type && state_key) {
      if (after.use_count() > 1) after = std::make_shared<StateMap>(*after);
      (*after)[StateKey{*type, *state_key}] = v.event_id;
    }
  }
  if (target) {
    target_states_->after = *after;
    target_states_->verdict = v;
  }
  state_after_[index] = std::move(after);
}

// The current state of the room: the resolution of the states after the
// forward extremities so far (s2s: soft failure, "the resolved state across
// all forward extremities"). Null before the first event or when the
// resolution fails (reported).
const StateMap* Replayer::CurrentState(RoomReplay* out) {
  if (current_valid_) return &current_;
  if (live_extremities_.empty()) return nullptr;
  std::vector<const StateMap*> sets;
  for (uint32_t e : live_extremities_) {
    auto it = state_after_.find(e);
    if (it != state_after_.end()) sets.push_back(it->second.get());
  }
  if (sets.empty()) return nullptr;
  if (sets.size() == 1) {
    current_ = *sets[0];
  } else {
    Result<StateMap> r = Resolve(sets);
    if (!r) {
      out->problems.push_back(Error{r.error().code, r.error().rule,
                                    "resolving the current state for soft failure: " +
                                        r.error().message});
      return nullptr;
    }
    current_ = *std::move(r);
  }
  current_valid_ = true;
  return &current_;
}

// Step 6: an event that passed steps 1-5 must also pass the authorization
// rules against the current state of the room, otherwise it is soft failed
// (s2s: checks performed on receipt of a PDU, step 6; "Soft failure").
void Replayer::CheckSoftFailure(uint32_t index, RoomReplay* out) {
  EventVerdict& v = nodes_[index].verdict;
  const StateMap* current = CurrentState(out);
  if (current == nullptr) return;  // the create event: no current state yet
  StateMapView view(*current, *this);
  AuthDecision d = AuthorizeAgainstState(*nodes_[index].json, view, rules_,
                                     AuthTrace::kVerdictOnly);
  if (d.allowed) return;
  v.outcome = EventOutcome::kSoftFailed;
  v.stage = "current state";
  v.reason = d.error;
  v.reason.message += " (in the current state when the event arrived; s2s: soft failure)";
}

// Each event's place in the replay order when an arrival order is given:
// the arrival position of the earliest-arriving event that needs it (itself
// or a descendant through prev/auth edges), since a server fetches an
// event's missing ancestors before accepting it. Unnamed events get
// UINT64_MAX and follow in topological order.
std::vector<uint64_t> Replayer::ArrivalRanks(RoomReplay* out) const {
  std::vector<uint64_t> rank(nodes_.size(), UINT64_MAX);
  std::vector<uint32_t> arrived;
  size_t unknown = 0;
  std::string first_unknown;
  for (const std::string& id : options_.arrival_order) {
    auto it = by_id_.find(id);
    if (it == by_id_.end() || !nodes_[it->second].in_dag) {
      if (unknown++ == 0) first_unknown = id;
      continue;
    }
    if (rank[it->second] != UINT64_MAX) continue;  // named twice: the first counts
    rank[it->second] = arrived.size();
    arrived.push_back(it->second);
  }
  if (unknown > 0) {
    out->problems.push_back(Error{
        "room.arrival_unknown_event", kRuleReceipt,
        "the arrival order names " + std::to_string(unknown) + " event(s) not in the room (or "
        "dropped), first " + first_unknown + "; they are ignored"});
  }
  size_t unnamed = 0;
  for (const Node& n : nodes_) unnamed += n.in_dag ? 1 : 0;
  unnamed -= arrived.size();
  if (unnamed > 0) {
    out->problems.push_back(Error{
        "room.arrival_unnamed_events", kRuleReceipt,
        std::to_string(unnamed) + " event(s) of the room are not in the arrival order; they "
        "are taken to arrive after the others, in topological order"});
  }
  // Walk ancestors from each arrival in order; an ancestor already ranked
  // has a smaller (earlier) rank, and so have all its ancestors.
  std::vector<uint32_t> stack;
  for (uint32_t a : arrived) {
    const uint64_t r = rank[a];
    stack.assign(nodes_[a].deps.begin(), nodes_[a].deps.end());
    while (!stack.empty()) {
      uint32_t d = stack.back();
      stack.pop_back();
      if (rank[d] <= r) continue;
      rank[d] = r;
      stack.insert(stack.end(), nodes_[d].deps.begin(), nodes_[d].deps.end());
    }
  }
  return rank;
}

Result<RoomReplay> Replayer::Run(std::string_view target, EventStates* target_states) {
  target_ = std::string(target);
  target_states_ = target_states;
  RoomReplay out;
  out.signatures_checked = options_.keys != nullptr;
  out.soft_failure_checked = !options_.arrival_order.empty();
  if (input_.empty()) return Fail("room.empty", "mxstate room", "the room has no events");
  if (input_.size() > options_.max_events) {
    return Fail("room.too_many_events", "mxstate bound (--max-events)",
                "the room has " + std::to_string(input_.size()) + " events; the bound is " +
                    std::to_string(options_.max_events));
  }
  // Steps 1-3 and IDs.
  nodes_.reserve(input_.size());
  // Steps 1-3 are independent per event, and the signature checks dominate
  // a replay's cost, so they run first on every core (ReplayOptions::threads).
  std::vector<EventVerification> checks;
  if (options_.keys != nullptr) {
    checks.resize(input_.size());
    internal::ParallelFor(input_.size(), options_.threads, [&](size_t i) {
      checks[i] = VerifyEvent(input_[i], rules_, *options_.keys);
    });
  }
  for (size_t i = 0; i < input_.size(); ++i) {
    const Json& event = input_[i];
    Node node;
    node.json = &event;
    node.verdict.input_index = i;
    if (options_.keys != nullptr) {
      EventVerification check = std::move(checks[i]);
      node.verdict.event_id =
          check.event_id.empty() ? DeclaredOrComputedEventId(event, rules_) : check.event_id;
      switch (check.verdict) {
        case Verdict::kValid:
          node.in_dag = true;
          break;
        case Verdict::kHashMismatch:
          // Step 3: keep the redacted form.
          redacted_.push_back(Redact(event, rules_));
          node.json = &redacted_.back();
          node.in_dag = true;
          node.verdict.outcome = EventOutcome::kRedacted;
          node.verdict.stage = "content hash";
          node.verdict.reason = check.problems.front();
          break;
        case Verdict::kUnknownKey:
          node.verdict.outcome = EventOutcome::kNotJudged;
          node.verdict.stage = "signatures";
          node.verdict.reason = check.problems.front();
          break;
        default:
          node.verdict.outcome = EventOutcome::kDropped;
          node.verdict.stage = check.verdict == Verdict::kBadFormat ? "format" : "signatures";
          node.verdict.reason = check.problems.front();
      }
    } else {
      node.verdict.event_id = DeclaredOrComputedEventId(event, rules_);
      Result<void> format = options_.check_format ? CheckPduFormat(event, rules_)
                                                  : Result<void>();
      if (format) {
        node.in_dag = true;
      } else {
        node.verdict.outcome = EventOutcome::kDropped;
        node.verdict.stage = "format";
        node.verdict.reason = format.error();
      }
    }
    if (node.verdict.event_id.empty()) {
      node.in_dag = false;
      node.verdict.outcome = EventOutcome::kDropped;
      node.verdict.stage = "format";
      node.verdict.reason = Error{"event.missing_field", "rooms/v1: event IDs",
                                  "the event has no ID"};
    }
    auto [it, inserted] = by_id_.emplace(node.verdict.event_id, static_cast<uint32_t>(nodes_.size()));
    if (!inserted) {
      Node& first = nodes_[it->second];
      if (input_[first.verdict.input_index] == event) continue;  // the same event twice
      // Two different events under one ID. A copy that fails its own checks
      // keeps its own verdict; between copies that pass, the first in the
      // input stands and the other is reported.
      Node* loser = &node;
      if (!first.in_dag && node.in_dag) {
        std::swap(first, node);  // the passing copy takes the ID
        loser = &node;
      }
      std::string message = "two different events have the ID " + node.verdict.event_id +
                            " (inputs " + std::to_string(first.verdict.input_index + 1) + " and " +
                            std::to_string(loser->verdict.input_index + 1) + "); input " +
                            std::to_string(loser->verdict.input_index + 1) + " is not used";
      out.problems.push_back(Error{"room.duplicate_event", kRuleReceipt, message});
      if (loser->in_dag) {
        loser->in_dag = false;
        loser->verdict.outcome = EventOutcome::kDropped;
        loser->verdict.stage = "identity";
        loser->verdict.reason = out.problems.back();
      }
      out.verdicts.push_back(loser->verdict);
      continue;
    }
    nodes_.push_back(std::move(node));
  }
  // Edges among events that made it into the DAG.
  std::map<std::string, std::vector<std::string>> missing_cited;
  for (uint32_t i = 0; i < nodes_.size(); ++i) {
    Node& n = nodes_[i];
    if (!n.in_dag) continue;
    auto link = [&](const std::string& id, bool is_prev) {
      auto it = by_id_.find(id);
      if (it == by_id_.end() || !nodes_[it->second].in_dag) {
        auto& citers = missing_cited[id];
        if (citers.empty() || citers.back() != n.verdict.event_id) citers.push_back(n.verdict.event_id);
        return;
      }
      uint32_t target = it->second;
      if (target == i) return;
      if (std::find(n.deps.begin(), n.deps.end(), target) == n.deps.end()) n.deps.push_back(target);
      if (is_prev && std::find(n.prevs.begin(), n.prevs.end(), target) == n.prevs.end()) {
        n.prevs.push_back(target);
        nodes_[target].children.push_back(i);
      }
    };
    for (const std::string& id : ReferencedIds(*n.json, "prev_events")) link(id, true);
    for (const std::string& id : ReferencedIds(*n.json, "auth_events")) link(id, false);
    if (rules_.auth.create_event_implied) {
      const std::string* room_id = n.json->FindString("room_id");
      const std::string* type = n.json->FindString("type");
      if (room_id && room_id->size() > 1 && !(type && *type == "m.room.create")) {
        link("$" + room_id->substr(1), false);
      }
    }
  }
  for (const auto& [id, citers] : missing_cited) {
    std::string who = citers.front() + (citers.size() > 1 ? " and " + std::to_string(citers.size() - 1) + " more" : "");
    bool present = by_id_.count(id) > 0;
    out.problems.push_back(Error{"room.missing_event", kRuleReceipt,
                                 id + " is cited by " + who +
                                     (present ? " but was dropped or could not be judged"
                                              : " but is not among the events given")});
  }
  for (Node& n : nodes_) n.children_left = n.children.size();
  // Kahn over prev and auth edges; ties by depth, origin_server_ts, ID.
  std::vector<uint32_t> pending(nodes_.size(), 0);
  std::vector<std::vector<uint32_t>> dependants(nodes_.size());
  for (uint32_t i = 0; i < nodes_.size(); ++i) {
    for (uint32_t d : nodes_[i].deps) {
      ++pending[i];
      dependants[d].push_back(i);
    }
  }
  // With an arrival order, arrival comes first (ArrivalRanks).
  const std::vector<uint64_t> arrival =
      options_.arrival_order.empty() ? std::vector<uint64_t>(nodes_.size(), 0) : ArrivalRanks(&out);
  auto key = [&](uint32_t i) {
    const Json& e = *nodes_[i].json;
    const Json* depth = e.Find("depth");
    const Json* ts = e.Find("origin_server_ts");
    return std::tuple(arrival[i], depth && depth->is_integer() ? depth->as_integer() : 0,
                      ts && ts->is_integer() ? ts->as_integer() : 0,
                      std::string_view(nodes_[i].verdict.event_id));
  };
  auto later = [&](uint32_t a, uint32_t b) { return key(a) > key(b); };
  std::priority_queue<uint32_t, std::vector<uint32_t>, decltype(later)> ready(later);
  for (uint32_t i = 0; i < nodes_.size(); ++i) {
    if (nodes_[i].in_dag && pending[i] == 0) ready.push(i);
  }
  size_t judged = 0, in_dag = 0;
  for (const Node& n : nodes_) in_dag += n.in_dag ? 1 : 0;
  while (!ready.empty()) {
    uint32_t i = ready.top();
    ready.pop();
    nodes_[i].done = true;
    Judge(i, &out);
    if (options_.on_progress && options_.progress_every > 0 &&
        ++judged % options_.progress_every == 0) {
      options_.on_progress(judged, in_dag);
    }
    out.verdicts.push_back(nodes_[i].verdict);
    for (uint32_t d : dependants[i]) {
      if (--pending[d] == 0) ready.push(d);
    }
  }
  for (uint32_t i = 0; i < nodes_.size(); ++i) {
    Node& n = nodes_[i];
    if (!n.in_dag) {
      out.verdicts.push_back(n.verdict);
    } else if (!n.done) {
      n.verdict.outcome = EventOutcome::kNotJudged;
      n.verdict.stage = "ordering";
      n.verdict.reason = Error{"room.cycle", "rooms: the event graph is a DAG",
                               n.verdict.event_id + " lies on or after a cycle of "
                               "prev_events/auth_events"};
      out.verdicts.push_back(n.verdict);
    }
  }
  // Forward extremities: events that extend the room (accepted or redacted,
  // not soft-failed) and that no such event follows.
  std::vector<uint32_t> extremities;
  for (uint32_t i = 0; i < nodes_.size(); ++i) {
    const Node& n = nodes_[i];
    if (!n.done || !Extends(n.verdict.outcome)) continue;
    bool followed = std::any_of(n.children.begin(), n.children.end(), [&](uint32_t c) {
      return nodes_[c].done && Extends(nodes_[c].verdict.outcome);
    });
    if (!followed) extremities.push_back(i);
  }
  std::sort(extremities.begin(), extremities.end(), [&](uint32_t a, uint32_t b) {
    return nodes_[a].verdict.event_id < nodes_[b].verdict.event_id;
  });
  std::vector<const StateMap*> sets;
  std::vector<uint32_t> set_sides;
  for (uint32_t e : extremities) {
    out.forward_extremities.push_back(nodes_[e].verdict.event_id);
    auto it = state_after_.find(e);
    if (it != state_after_.end()) {
      sets.push_back(it->second.get());
      set_sides.push_back(e);
    }
  }
  if (sets.size() == 1) {
    out.current_state = *sets[0];
  } else if (sets.size() > 1) {
    Result<StateMap> r = Resolve(sets);
    if (r) {
      if (options_.on_merge) NotifyMerge("", set_sides, sets, *r);
      out.current_state = *std::move(r);
    } else {
      out.problems.push_back(r.error());
    }
  }
  return out;
}

}  // namespace

StateEntry StateMapView::Get(std::string_view type, std::string_view state_key) const {
  auto it = state_.find(StateKey{std::string(type), std::string(state_key)});
  if (it == state_.end()) return {};
  return StateEntry{events_.Find(it->second), it->second};
}

std::string_view ToString(EventOutcome o) {
  switch (o) {
    case EventOutcome::kAccepted: return "accepted";
    case EventOutcome::kRedacted: return "redacted";
    case EventOutcome::kRejected: return "rejected";
    case EventOutcome::kDropped: return "dropped";
    case EventOutcome::kNotJudged: return "not-judged";
    case EventOutcome::kSoftFailed: return "soft-failed";
  }
  return "?";
}

Result<RoomReplay> ReplayRoom(std::span<const Json> events, const RoomVersionRules& rules,
                              const ReplayOptions& options) {
  Replayer replayer(events, rules, options);
  return replayer.Run({}, nullptr);
}

Result<EventStates> StateAtEvent(std::span<const Json> events, std::string_view event_id,
                                 const RoomVersionRules& rules, const ReplayOptions& options) {
  Replayer replayer(events, rules, options);
  EventStates states;
  states.verdict.event_id = "";
  Result<RoomReplay> replay = replayer.Run(event_id, &states);
  if (!replay) return tl::unexpected(replay.error());
  if (states.verdict.event_id != event_id) {
    for (const EventVerdict& v : replay->verdicts) {
      if (v.event_id == event_id) {
        states.verdict = v;
        return states;  // dropped or not judged: no states
      }
    }
    return Fail("room.unknown_event", "mxstate state-at",
                std::string(event_id) + " is not among the room's events");
  }
  return states;
}

}  // namespace mxstate

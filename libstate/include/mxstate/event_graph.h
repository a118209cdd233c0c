// A room's auth graph, owned by the caller and reused across state
// resolutions (issue 4, docs/architecture.md "Event graph").
//
// Event IDs and (type, state_key) pairs are interned as dense integers; each
// event's facts that resolution needs (type, sender, state key, timestamps,
// membership, rejected flag, its power-levels auth event) are read once from
// the caller's Json when the event is added, and its auth_events become a
// slice of one flat edge array (v12: the create event named by room_id is
// an implied auth event of every other event; rooms/v12, MSC4291).
//
// Events are added one by one with their auth closure, so a caller that
// keeps the graph pays for each event once, not once per resolution. A
// reachability index over the auth edges (reach_index.h) answers "is X in
// the auth chain of Y" without walking chains, so a resolution only walks
// the auth chains of the conflicted events (state_res.h).
//
// The graph keeps pointers to the caller's Json: every event handed over
// by an EventSource must stay alive and unchanged while the graph is used.
// Adding is not thread-safe; a graph that is no longer being added to may
// be read (resolved against) from several threads at once.
#ifndef MXSTATE_EVENT_GRAPH_H_
#define MXSTATE_EVENT_GRAPH_H_

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "mxstate/auth.h"
#include "mxstate/json.h"
#include "mxstate/reach_index.h"
#include "mxstate/room_version.h"
#include "mxstate/status.h"

namespace mxstate {

// Where the graph and state resolution find events by ID. Implementations
// must be usable from the calling thread for the duration of the call.
class EventSource {
 public:
  virtual ~EventSource() = default;
  // The event with this ID, or nullptr when it is not known.
  virtual const Json* Find(std::string_view event_id) const = 0;
  // Whether the event was rejected (failed auth against its auth events).
  // Rejected auth events are never used by the iterative auth checks.
  virtual bool IsRejected(std::string_view event_id) const { return false; }
};

using EventIndex = uint32_t;
using KeyIndex = uint32_t;
inline constexpr EventIndex kNoEvent = UINT32_MAX;
inline constexpr KeyIndex kNoKey = UINT32_MAX;

// What the graph keeps of one event. Views point into the caller's Json or
// the graph's own storage.
//
// The type and membership of the usual event kinds view static strings,
// not the event's Json, so the hot loops of resolution (power-event tests,
// the auth rules' membership look-ups) need not touch the event itself.
struct alignas(64) GraphEvent {
  // First cache line: what the walks over auth edges and the auth checks'
  // look-ups read (a walk touches one line per event).
  const Json* json = nullptr;  // nullptr: the source lacks it (its chain is cut here)
  uint32_t auth_begin = 0;  // auth events: edges()[auth_begin, auth_begin + auth_count)
  uint32_t auth_count = 0;
  KeyIndex key = kNoKey;         // kNoKey: no state_key
  KeyIndex sender_key = kNoKey;  // (m.room.member, sender): the sender's membership key
  EventIndex power_levels_auth = kNoEvent;  // the m.room.power_levels among the auth events
  // A "power event" (rooms/fragments/v2-state-res "Definitions"): power
  // levels, join rules, or a leave or ban whose sender is not its target.
  bool power_event = false;
  bool rejected = false;
  // What the member rules would otherwise search the content for (bits of
  // MemberContent): an m.room.member event's check then opens no content.
  uint8_t member_content = 0;
  int64_t origin_server_ts = 0;
  // The event's `content` (of any JSON kind), nullptr when it has none:
  // the auth checks read it on every check, so it sits on the first line
  // (the depth, which only v1 reads, is kept beside the entries).
  const Json* content = nullptr;
  std::string_view id;
  // Second line.
  std::string_view type;
  std::string_view sender;
  std::string_view state_key;   // meaningful when key != kNoKey
  std::string_view membership;  // content.membership ("" when absent or not a string)
};

static_assert(sizeof(GraphEvent) == 128, "GraphEvent: two cache lines");

// GraphEvent::member_content bits.
enum MemberContent : uint8_t {
  kMembershipIsString = 1,   // content.membership is a string (GraphEvent::membership)
  kHasAuthorisedVia = 2,     // content has join_authorised_via_users_server
  kHasThirdPartyInvite = 4,  // content has third_party_invite
};

struct EventGraphOptions {
  // Upper bound on the events (known or cited) the graph holds; adding
  // beyond it fails with state_res.too_many_events and changes nothing.
  size_t max_events = 5'000'000;
  // Build the reachability index. Without it (or when the graph turns
  // out to have a cycle, or its labels exceed their bound) resolutions
  // walk auth closures instead, with the same results.
  bool reachability_index = true;
};

class EventGraph {
 public:
  explicit EventGraph(const RoomVersionRules& rules, EventGraphOptions options = {});
  EventGraph(const EventGraph&) = delete;
  EventGraph& operator=(const EventGraph&) = delete;
  EventGraph(EventGraph&&) noexcept;
  EventGraph& operator=(EventGraph&&) noexcept;
  ~EventGraph();

  // Adds the event and every event of its auth closure not yet in the
  // graph, asking `source` for each (events the source lacks are kept as
  // cuts and asked for again when a later Add reaches them). Returns the
  // event's index even when the source lacks it (check event(i).json).
  // Error state_res.too_many_events; on error the graph is unchanged.
  Result<EventIndex> Add(std::string_view event_id, const EventSource& source);

  // kNoEvent / kNoKey when never seen.
  EventIndex Find(std::string_view event_id) const;
  KeyIndex FindKey(std::string_view type, std::string_view state_key) const;

  size_t size() const { return events_.size(); }
  size_t key_count() const { return keys_.size(); }
  const GraphEvent& event(EventIndex e) const { return events_[e]; }
  // The event's `depth` (0 when absent or not an integer); only v1 reads it.
  int64_t depth(EventIndex e) const { return depths_[e]; }
  const StateKey& key(KeyIndex k) const { return keys_[k]; }
  std::span<const EventIndex> auth_events(EventIndex e) const {
    const GraphEvent& g = events_[e];
    return {edges_.data() + g.auth_begin, g.auth_count};
  }
  const RoomVersionRules& rules() const { return *rules_; }

  // Whether some cited auth events formed a cycle (auth_events must form a
  // DAG, so such a room is corrupt; resolution still terminates).
  bool has_cycle() const { return has_cycle_; }
  // The reachability index, or nullptr when it is off or unusable.
  const ReachIndex* reach_index() const { return index_ && index_->usable() ? index_.get() : nullptr; }
  // Changes whenever existing events' places in the index change (the
  // index is rebuilt because a missing auth event arrived, or a cycle turned
  // it off), which invalidates every StateReach computed before. Adding new
  // events leaves it alone: they extend chains without changing earlier
  // labels. (While the index is off, resolution uses no StateReach at all.)
  uint64_t index_generation() const { return index_generation_; }
  // Whether `ancestor` is in the auth chain of `e` (reachable through one
  // or more auth edges): the index when usable, else a bounded walk.
  bool InAuthChain(EventIndex e, EventIndex ancestor) const;

  // Approximate heap bytes held (for the benchmarks' memory figures).
  size_t MemoryBytes() const;

 private:
  struct IdTable;
  EventIndex NewEvent(std::string_view id, uint64_t hash);
  Result<EventIndex> Reference(std::string_view id);
  KeyIndex InternKey(std::string_view type, std::string_view state_key);
  // The keys with an empty state_key the auth rules ask for on every check.
  KeyIndex* WellKnownKey(std::string_view type, std::string_view state_key);
  const KeyIndex* WellKnownKey(std::string_view type, std::string_view state_key) const;
  Result<void> Load(EventIndex e, const EventSource& source);
  void SetPowerLevelsAuth(EventIndex e);
  void Rollback(size_t events_before, size_t edges_before, const std::vector<EventIndex>& reloaded);
  void RebuildIndex();
  std::string_view StoreId(std::string_view id);

  const RoomVersionRules* rules_;
  EventGraphOptions options_;
  std::vector<GraphEvent> events_;
  std::vector<int64_t> depths_;    // per event
  std::vector<uint64_t> id_hash_;  // per event, for the open-addressing table
  std::vector<EventIndex> edges_;
  std::unique_ptr<IdTable> ids_;
  std::vector<std::unique_ptr<char[]>> id_blocks_;  // ID bytes; views stay valid
  size_t id_block_used_ = 0;   // in the last block
  size_t id_block_size_ = 0;   // the last block's size
  size_t id_block_bytes_ = 0;  // all blocks
  std::deque<StateKey> keys_;  // deque: stable for the views in key_table_
  std::unique_ptr<IdTable> key_table_;
  std::vector<uint64_t> key_hash_;
  KeyIndex create_key_ = kNoKey, power_levels_key_ = kNoKey, join_rules_key_ = kNoKey;
  std::vector<uint8_t> loaded_;  // per event: asked the source already
  std::vector<uint8_t> color_;   // per event: DFS colour during Add, 0 between calls
  std::unique_ptr<ReachIndex> index_;
  uint64_t index_generation_ = 0;
  bool has_cycle_ = false;
};

// The auth chain of a state's events (the union of their auth chains) in
// the reachability index's terms: event X is in it iff
// seq(X) <= best[chain(X)] (reach_index.h, MaxReach). A resolution whose
// state sets all carry one asks "is X in every set's auth chain" of the
// walked events only, instead of computing the unconflicted events'
// closure on every call, which for a small fork in a big room was a pass
// over every state event's index record (docs/benchmarks.md).
struct StateReach {
  uint64_t index_generation = 0;  // the graph's index_generation() when computed
  size_t entry_count = 0;         // the state's entries.size() then (a cheap guard)
  std::vector<uint32_t> best;     // per chain; chains added since count as 0
};

// A room state over a graph: (key, event) pairs sorted by key, one per key.
struct GraphState {
  std::vector<std::pair<KeyIndex, EventIndex>> entries;
  // Optional (ComputeStateReach). It describes `entries` as they were when
  // computed: code that changes `entries` must reset it. Resolution ignores
  // it when the graph's index has changed since.
  std::shared_ptr<const StateReach> reach;
};

// Sets state->reach from its entries (resets it when the graph has no
// usable index). Cost: one pass over the entries' index labels, and one
// word per chain of the graph kept with the state: worth it for states
// resolved more than once (a server's state groups, the benchmarks).
void ComputeStateReach(const EventGraph& graph, GraphState* state);

// Adds the events of `state` to the graph (with their auth closures) and
// returns it as a GraphState. `set_number` only labels error messages.
// Errors: state_res.unknown_event (an event the source lacks),
// state_res.not_state_event, state_res.key_mismatch (a key mapped to an
// event of another key), state_res.too_many_events.
Result<GraphState> AddState(const std::map<StateKey, std::string>& state, const EventSource& source,
                            EventGraph& graph, size_t set_number = 1);

// The state as (type, state_key) -> event ID.
std::map<StateKey, std::string> ToStateMap(const EventGraph& graph, const GraphState& state);

}  // namespace mxstate

#endif  // MXSTATE_EVENT_GRAPH_H_

#include "mxstate/event_graph.h"

#include <algorithm>
#include <cstring>
#include <functional>
#include <initializer_list>

namespace mxstate {
namespace {

// Event IDs are copied into blocks that never move (the graph hands out
// views of them). Blocks start small and double up to kIdBlock: a graph of
// a few events (every StateMap resolution builds one) used to zero and
// fault in a whole 1 MiB block, ~5 ms on this VM for a 10-event input.
constexpr size_t kFirstIdBlock = 4096;
constexpr size_t kIdBlock = 1 << 20;

std::string_view StringField(const Json& event, std::string_view key) {
  const std::string* s = event.FindString(key);
  return s ? std::string_view(*s) : std::string_view();
}

// `value` as a view of static storage when it is one of `known`, so that
// later reads of it do not touch the event's Json.
std::string_view Static(std::string_view value, std::initializer_list<std::string_view> known) {
  for (std::string_view k : known) {
    if (value == k) return k;
  }
  return value;
}

uint64_t HashId(std::string_view id) { return std::hash<std::string_view>()(id); }

uint64_t HashKey(std::string_view type, std::string_view state_key) {
  return HashId(type) * 0x9E3779B97F4A7C15ull + HashId(state_key);
}

Error TooMany(size_t max) {
  return Error{"state_res.too_many_events", "mxstate bound (max_events)",
               "the graph would hold more than " + std::to_string(max) + " events"};
}

}  // namespace

// Open addressing with linear probing over entry numbers (+1, 0 = empty);
// each entry's hash lives beside the entries, so probing compares hashes
// before bytes and growing needs no rehashing of strings. No per-entry
// allocation (an unordered_map of 1 M string views cost 3 cache misses per
// look-up: docs/benchmarks.md).
struct EventGraph::IdTable {
  std::vector<uint32_t> slots = std::vector<uint32_t>(16, 0);
  size_t count = 0;

  template <typename Equal>
  uint32_t Find(uint64_t hash, const std::vector<uint64_t>& hashes, Equal equal) const {
    const size_t mask = slots.size() - 1;
    for (size_t i = hash & mask;; i = (i + 1) & mask) {
      uint32_t s = slots[i];
      if (s == 0) return UINT32_MAX;
      if (hashes[s - 1] == hash && equal(s - 1)) return s - 1;
    }
  }
  void Insert(uint32_t entry, const std::vector<uint64_t>& hashes) {
    if ((count + 1) * 2 > slots.size()) Rebuild(hashes, count + 1);
    Place(entry, hashes[entry]);
    ++count;
  }
  // Rebuilds for the first `n` entries of `hashes`.
  void Rebuild(const std::vector<uint64_t>& hashes, size_t n) {
    size_t size = 16;
    while (size < n * 2) size *= 2;
    slots.assign(size, 0);
    count = 0;
    for (size_t e = 0; e < n && e < hashes.size(); ++e) {
      Place(static_cast<uint32_t>(e), hashes[e]);
      ++count;
    }
  }
  void Place(uint32_t entry, uint64_t hash) {
    const size_t mask = slots.size() - 1;
    size_t i = hash & mask;
    while (slots[i] != 0) i = (i + 1) & mask;
    slots[i] = entry + 1;
  }
};

EventGraph::EventGraph(const RoomVersionRules& rules, EventGraphOptions options)
    : rules_(&rules),
      options_(options),
      ids_(std::make_unique<IdTable>()),
      key_table_(std::make_unique<IdTable>()),
      index_(options.reachability_index ? std::make_unique<ReachIndex>() : nullptr) {}
EventGraph::EventGraph(EventGraph&&) noexcept = default;
EventGraph& EventGraph::operator=(EventGraph&&) noexcept = default;
EventGraph::~EventGraph() = default;

std::string_view EventGraph::StoreId(std::string_view id) {
  if (id.size() > kIdBlock / 4) {  // a huge ID gets a block of its own
    id_blocks_.push_back(std::make_unique_for_overwrite<char[]>(id.size()));
    id_block_bytes_ += id.size();
    std::memcpy(id_blocks_.back().get(), id.data(), id.size());
    std::string_view out(id_blocks_.back().get(), id.size());
    // Keep filling the previous block: swap the big one behind it.
    if (id_blocks_.size() >= 2) std::swap(id_blocks_[id_blocks_.size() - 2], id_blocks_.back());
    return out;
  }
  if (id_blocks_.empty() || id_block_used_ + id.size() > id_block_size_) {
    // (id_block_size_ is 0 until the first ordinary block: the blocks so
    // far may all be huge IDs' own.)
    id_block_size_ = id_block_size_ == 0 ? kFirstIdBlock : std::min(kIdBlock, 2 * id_block_size_);
    while (id_block_size_ < id.size()) id_block_size_ *= 2;
    id_blocks_.push_back(std::make_unique_for_overwrite<char[]>(id_block_size_));
    id_block_bytes_ += id_block_size_;
    id_block_used_ = 0;
  }
  char* at = id_blocks_.back().get() + id_block_used_;
  std::memcpy(at, id.data(), id.size());
  id_block_used_ += id.size();
  return std::string_view(at, id.size());
}

EventIndex EventGraph::Find(std::string_view event_id) const {
  return ids_->Find(HashId(event_id), id_hash_,
                    [&](uint32_t e) { return events_[e].id == event_id; });
}

KeyIndex* EventGraph::WellKnownKey(std::string_view type, std::string_view state_key) {
  if (!state_key.empty()) return nullptr;
  if (type == "m.room.create") return &create_key_;
  if (type == "m.room.power_levels") return &power_levels_key_;
  if (type == "m.room.join_rules") return &join_rules_key_;
  return nullptr;
}

const KeyIndex* EventGraph::WellKnownKey(std::string_view type, std::string_view state_key) const {
  return const_cast<EventGraph*>(this)->WellKnownKey(type, state_key);
}

KeyIndex EventGraph::FindKey(std::string_view type, std::string_view state_key) const {
  // Each auth check asks for these; a cached index spares a hash and a
  // probe of the key table.
  if (const KeyIndex* known = WellKnownKey(type, state_key)) return *known;
  return key_table_->Find(HashKey(type, state_key), key_hash_, [&](uint32_t k) {
    return keys_[k].type == type && keys_[k].state_key == state_key;
  });
}

KeyIndex EventGraph::InternKey(std::string_view type, std::string_view state_key) {
  const uint64_t hash = HashKey(type, state_key);
  uint32_t k = key_table_->Find(hash, key_hash_, [&](uint32_t k) {
    return keys_[k].type == type && keys_[k].state_key == state_key;
  });
  if (k != UINT32_MAX) return k;
  k = static_cast<KeyIndex>(keys_.size());
  keys_.push_back(StateKey{std::string(type), std::string(state_key)});
  key_hash_.push_back(hash);
  key_table_->Insert(k, key_hash_);
  if (KeyIndex* known = WellKnownKey(type, state_key)) *known = k;
  return k;
}

Result<EventIndex> EventGraph::Reference(std::string_view id) {
  const uint64_t hash = HashId(id);
  EventIndex e = ids_->Find(hash, id_hash_, [&](uint32_t i) { return events_[i].id == id; });
  if (e != kNoEvent) return e;
  if (events_.size() >= options_.max_events) return tl::unexpected(TooMany(options_.max_events));
  e = static_cast<EventIndex>(events_.size());
  events_.emplace_back();
  events_.back().id = StoreId(id);
  depths_.push_back(0);
  id_hash_.push_back(hash);
  loaded_.push_back(0);
  color_.push_back(0);
  ids_->Insert(e, id_hash_);
  return e;
}

Result<void> EventGraph::Load(EventIndex e, const EventSource& source) {
  loaded_[e] = 1;
  depths_[e] = 0;
  GraphEvent g;
  g.id = events_[e].id;
  g.auth_begin = static_cast<uint32_t>(edges_.size());
  const Json* json = source.Find(g.id);
  if (json == nullptr || !json->is_object()) {
    events_[e] = g;
    return {};
  }
  g.json = json;
  g.type = Static(StringField(*json, "type"),
                  {"m.room.member", "m.room.power_levels", "m.room.join_rules", "m.room.create",
                   "m.room.third_party_invite"});
  g.sender = StringField(*json, "sender");
  g.rejected = source.IsRejected(g.id);
  if (const Json* ts = json->Find("origin_server_ts"); ts && ts->is_integer()) {
    g.origin_server_ts = ts->as_integer();
  }
  if (const Json* depth = json->Find("depth"); depth && depth->is_integer()) {
    depths_[e] = depth->as_integer();
  }
  if (const std::string* state_key = json->FindString("state_key")) {
    g.key = InternKey(g.type, *state_key);
    g.state_key = *state_key;
  }
  if (const Json* content = json->Find("content")) {
    g.content = content;
    const std::string* membership = content->FindString("membership");
    g.membership =
        Static(membership != nullptr ? std::string_view(*membership) : std::string_view(),
               {"join", "leave", "invite", "ban", "knock"});
    // The rest of what the member rules search the content for.
    if (g.type == "m.room.member") {
      if (membership != nullptr) g.member_content |= kMembershipIsString;
      if (content->Contains("join_authorised_via_users_server")) {
        g.member_content |= kHasAuthorisedVia;
      }
      if (content->Contains("third_party_invite")) g.member_content |= kHasThirdPartyInvite;
    }
  }
  // Interned even when no membership event of the sender is known yet, so
  // the auth rules' look-up of the sender's membership needs no hashing.
  if (!g.sender.empty()) g.sender_key = InternKey("m.room.member", g.sender);
  // rooms/fragments/v2-state-res "Definitions": power events.
  if (g.key != kNoKey) {
    g.power_event = g.type == "m.room.power_levels" || g.type == "m.room.join_rules" ||
                    (g.type == "m.room.member" && (g.membership == "leave" || g.membership == "ban") &&
                     g.sender != g.state_key);
  }
  // Edges: the listed auth events, then (v12) the implied create event;
  // self-citations and repeats add no edge.
  auto add = [&](std::string_view id) -> Result<void> {
    auto target = Reference(id);
    if (!target) return tl::unexpected(target.error());
    if (*target == e) return {};
    for (size_t i = g.auth_begin; i < edges_.size(); ++i) {
      if (edges_[i] == *target) return {};
    }
    edges_.push_back(*target);
    return {};
  };
  if (const Json* list = json->Find("auth_events"); list && list->is_array()) {
    for (const Json& item : list->as_array()) {
      // v1-2 write [event_id, {hashes}] pairs.
      const Json* id = item.is_array() && !item.as_array().empty() ? &item.as_array()[0] : &item;
      if (!id->is_string()) continue;
      if (auto r = add(id->as_string()); !r) return r;
    }
  }
  // v12: the create event named by room_id is an auth event of every other
  // event of the room (rooms/v12; MSC4291).
  if (rules_->auth.create_event_implied && g.type != "m.room.create") {
    std::string_view room_id = StringField(*json, "room_id");
    if (room_id.size() > 1) {
      std::string create = "$" + std::string(room_id.substr(1));
      if (auto r = add(create); !r) return r;
    }
  }
  g.auth_count = static_cast<uint32_t>(edges_.size() - g.auth_begin);
  events_[e] = g;
  return {};
}

void EventGraph::SetPowerLevelsAuth(EventIndex e) {
  // The m.room.power_levels event among the auth events, for mainline
  // ordering ("the power level event in its auth_events").
  events_[e].power_levels_auth = kNoEvent;
  for (EventIndex a : auth_events(e)) {
    const GraphEvent& t = events_[a];
    if (t.json != nullptr && t.key != kNoKey && t.type == "m.room.power_levels" &&
        keys_[t.key].state_key.empty()) {
      events_[e].power_levels_auth = a;
      return;
    }
  }
}

Result<EventIndex> EventGraph::Add(std::string_view event_id, const EventSource& source) {
  const size_t events_before = events_.size();
  const size_t edges_before = edges_.size();
  const bool cycle_before = has_cycle_;
  std::vector<EventIndex> reloaded;  // cuts the source now has
  std::vector<EventIndex> touched;   // coloured this call
  std::vector<EventIndex> post;      // finished, auth events first
  auto fail = [&](Error error) -> Result<EventIndex> {
    for (EventIndex t : touched) {
      if (t < color_.size()) color_[t] = 0;
    }
    Rollback(events_before, edges_before, reloaded);
    has_cycle_ = cycle_before;
    return tl::unexpected(std::move(error));
  };
  auto root = Reference(event_id);
  if (!root) return tl::unexpected(root.error());
  // Depth-first over events not asked for yet and cuts (asked again once
  // per call), loading on the way down, finishing on the way up.
  std::vector<std::pair<EventIndex, uint32_t>> stack;
  auto enter = [&](EventIndex v) -> Result<void> {
    color_[v] = 1;
    touched.push_back(v);
    stack.emplace_back(v, 0);
    if (!loaded_[v]) return Load(v, source);
    const Json* now = source.Find(events_[v].id);
    if (now == nullptr || !now->is_object()) return {};  // still a cut
    reloaded.push_back(v);
    return Load(v, source);
  };
  auto wanted = [&](EventIndex v) { return !loaded_[v] || events_[v].json == nullptr; };
  if (wanted(*root)) {
    if (auto r = enter(*root); !r) return fail(r.error());
  }
  while (!stack.empty()) {
    auto [v, pos] = stack.back();
    if (pos < events_[v].auth_count) {
      stack.back().second++;
      EventIndex a = edges_[events_[v].auth_begin + pos];
      if (color_[a] == 1) {
        has_cycle_ = true;  // auth_events must form a DAG; keep going without the index
      } else if (color_[a] == 0 && wanted(a)) {
        if (auto r = enter(a); !r) return fail(r.error());
      }
      continue;
    }
    color_[v] = 2;
    post.push_back(v);
    stack.pop_back();
  }
  for (EventIndex t : touched) color_[t] = 0;
  for (EventIndex v : post) SetPowerLevelsAuth(v);
  if (!reloaded.empty()) {
    // Edges appeared below events already indexed: dependants' power-levels
    // auth events and every label may change.
    RebuildIndex();
  } else if (index_ && index_->usable()) {
    if (has_cycle_) {
      index_->Disable();
      ++index_generation_;
    } else {
      for (EventIndex v : post) {
        if (v < events_before) continue;  // an old cut still missing: indexed already
        const KeyIndex key = events_[v].key;
        index_->Add(v, auth_events(v),
                    [&](EventIndex a) { return key != kNoKey && events_[a].key == key; });
      }
    }
  }
  return *root;
}

void EventGraph::Rollback(size_t events_before, size_t edges_before,
                          const std::vector<EventIndex>& reloaded) {
  for (EventIndex v : reloaded) {
    std::string_view id = events_[v].id;
    events_[v] = GraphEvent{};
    events_[v].id = id;
    depths_[v] = 0;
  }
  events_.resize(events_before);
  depths_.resize(events_before);
  id_hash_.resize(events_before);
  loaded_.resize(events_before);
  color_.resize(events_before);
  edges_.resize(edges_before);
  ids_->Rebuild(id_hash_, events_before);
}

void EventGraph::RebuildIndex() {
  for (EventIndex v = 0; v < events_.size(); ++v) SetPowerLevelsAuth(v);
  if (!index_) return;
  ++index_generation_;
  index_ = std::make_unique<ReachIndex>();
  // Post-order over the whole graph; a grey target is a cycle.
  std::vector<uint8_t> color(events_.size(), 0);
  std::vector<std::pair<EventIndex, uint32_t>> stack;
  for (EventIndex start = 0; start < events_.size() && index_->usable(); ++start) {
    if (color[start]) continue;
    color[start] = 1;
    stack.emplace_back(start, 0);
    while (!stack.empty()) {
      auto [v, pos] = stack.back();
      if (pos < events_[v].auth_count) {
        stack.back().second++;
        EventIndex a = edges_[events_[v].auth_begin + pos];
        if (color[a] == 1) has_cycle_ = true;
        if (color[a] == 0) {
          color[a] = 1;
          stack.emplace_back(a, 0);
        }
        continue;
      }
      color[v] = 2;
      stack.pop_back();
      const KeyIndex key = events_[v].key;
      index_->Add(v, auth_events(v),
                  [&](EventIndex a) { return key != kNoKey && events_[a].key == key; });
    }
    if (has_cycle_) index_->Disable();
  }
}

bool EventGraph::InAuthChain(EventIndex e, EventIndex ancestor) const {
  if (const ReachIndex* index = reach_index()) return index->Reaches(e, ancestor);
  std::vector<uint8_t> seen(events_.size(), 0);
  std::vector<EventIndex> stack(auth_events(e).begin(), auth_events(e).end());
  while (!stack.empty()) {
    EventIndex x = stack.back();
    stack.pop_back();
    if (x == ancestor) return true;
    if (seen[x]) continue;
    seen[x] = 1;
    for (EventIndex a : auth_events(x)) stack.push_back(a);
  }
  return false;
}

size_t EventGraph::MemoryBytes() const {
  size_t keys = 0;
  for (const StateKey& k : keys_) keys += sizeof(StateKey) + k.type.capacity() + k.state_key.capacity();
  return events_.capacity() * sizeof(GraphEvent) + depths_.capacity() * sizeof(int64_t) +
         id_hash_.capacity() * 8 + edges_.capacity() * sizeof(EventIndex) + loaded_.capacity() +
         color_.capacity() + id_block_bytes_ + ids_->slots.capacity() * 4 +
         key_table_->slots.capacity() * 4 + key_hash_.capacity() * 8 + keys +
         (index_ ? index_->MemoryBytes() : 0);
}

Result<GraphState> AddState(const std::map<StateKey, std::string>& state, const EventSource& source,
                            EventGraph& graph, size_t set_number) {
  GraphState out;
  out.entries.reserve(state.size());
  for (const auto& [key, id] : state) {
    auto e = graph.Add(id, source);
    if (!e) return tl::unexpected(e.error());
    const GraphEvent& g = graph.event(*e);
    if (g.json == nullptr) {
      return Fail("state_res.unknown_event", "state resolution input",
                  "state set " + std::to_string(set_number) + " names " + id +
                      ", which is not among the events");
    }
    if (g.key == kNoKey) {
      return Fail("state_res.not_state_event", "state resolution input",
                  "state set " + std::to_string(set_number) + " names " + id +
                      ", which has no state_key");
    }
    const StateKey& actual = graph.key(g.key);
    if (!(actual == key)) {
      return Fail("state_res.key_mismatch", "state resolution input",
                  "state set " + std::to_string(set_number) + " maps (" + key.type + ", \"" +
                      key.state_key + "\") to " + id + ", whose key is (" + actual.type + ", \"" +
                      actual.state_key + "\")");
    }
    out.entries.emplace_back(g.key, *e);
  }
  std::sort(out.entries.begin(), out.entries.end());
  return out;
}

void ComputeStateReach(const EventGraph& graph, GraphState* state) {
  state->reach = nullptr;
  const ReachIndex* index = graph.reach_index();
  if (index == nullptr) return;
  std::vector<EventIndex> events(state->entries.size());
  for (size_t i = 0; i < events.size(); ++i) events[i] = state->entries[i].second;
  auto reach = std::make_shared<StateReach>();
  reach->index_generation = graph.index_generation();
  reach->entry_count = state->entries.size();
  index->MaxReach(events, &reach->best);
  state->reach = std::move(reach);
}

std::map<StateKey, std::string> ToStateMap(const EventGraph& graph, const GraphState& state) {
  std::map<StateKey, std::string> out;
  for (auto [k, e] : state.entries) out.emplace(graph.key(k), std::string(graph.event(e).id));
  return out;
}

}  // namespace mxstate

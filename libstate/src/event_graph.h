// Internal: the events one state resolution reaches, interned.
//
// Event IDs and (type, state_key) pairs become dense integers on first
// sight; each event's fields are read once from the caller's Json (never
// copied) into a compact node. Closures over auth_events are iterative and
// bounded, so hostile graphs (cycles, huge fan-out) cannot recurse or run
// unbounded.
#ifndef MXSTATE_SRC_EVENT_GRAPH_H_
#define MXSTATE_SRC_EVENT_GRAPH_H_

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "mxstate/state_res.h"

namespace mxstate::internal {

inline constexpr uint32_t kNone = UINT32_MAX;

struct EventNode {
  const Json* json = nullptr;  // nullptr: the source does not have it
  std::string_view id;         // stable: points into the graph's ID storage
  std::string_view type;
  std::string_view sender;
  std::string_view membership;  // content.membership of member events
  uint32_t key = kNone;         // interned (type, state_key); kNone if not state
  int64_t origin_server_ts = 0;
  int64_t depth = 0;
  std::vector<uint32_t> auth;   // auth events (v12: plus the implied create)
  uint32_t power_levels_auth = kNone;  // the m.room.power_levels among `auth`
  bool rejected = false;
  bool has_state_key = false;
};

class EventGraph {
 public:
  EventGraph(const EventSource& source, const RoomVersionRules& rules, size_t max_events);

  // The node index of `id`, loading the event (and interning, not loading,
  // its auth events) on first sight. Error state_res.too_many_events.
  Result<uint32_t> Intern(std::string_view id);
  // Loads every event reachable from `roots` through auth events.
  Result<void> LoadClosure(const std::vector<uint32_t>& roots);

  const EventNode& node(uint32_t i) const { return nodes_[i]; }
  size_t size() const { return nodes_.size(); }
  const RoomVersionRules& rules() const { return rules_; }
  const EventSource& source() const { return source_; }

  // The interned key of (type, state_key), or kNone if never seen.
  uint32_t FindKey(std::string_view type, std::string_view state_key) const;
  const StateKey& key(uint32_t k) const { return keys_[k]; }

  // Marks in `*mark` (resized to size()) every node reachable from `roots`
  // through auth edges; roots themselves included when `include_roots`.
  // Nodes already marked are not walked again (so a caller can stop a walk
  // at a precomputed set by pre-marking it with another value).
  Result<void> MarkClosure(const std::vector<uint32_t>& roots, bool include_roots,
                           std::vector<uint8_t>* mark, uint8_t value);

  std::vector<Error>& warnings() { return warnings_; }

 private:
  uint32_t InternKey(std::string_view type, std::string_view state_key);
  Result<void> Load(uint32_t index);

  const EventSource& source_;
  const RoomVersionRules& rules_;
  size_t max_events_;
  std::vector<EventNode> nodes_;
  std::vector<uint8_t> loaded_;
  std::deque<std::string> id_storage_;  // deque: stable addresses for the views
  std::unordered_map<std::string_view, uint32_t> by_id_;
  // Keys live in a deque so the views in key_index_ stay valid.
  struct KeyView {
    std::string_view type, state_key;
    bool operator==(const KeyView&) const = default;
  };
  struct KeyViewHash {
    size_t operator()(const KeyView& k) const {
      return std::hash<std::string_view>()(k.type) * 31 + std::hash<std::string_view>()(k.state_key);
    }
  };
  std::deque<StateKey> keys_;
  std::unordered_map<KeyView, uint32_t, KeyViewHash> key_index_;
  std::vector<Error> warnings_;
};

}  // namespace mxstate::internal

#endif  // MXSTATE_SRC_EVENT_GRAPH_H_

#include "event_graph.h"

#include <memory>

namespace mxstate::internal {
namespace {

std::string_view StringField(const Json& event, std::string_view key) {
  const std::string* s = event.FindString(key);
  return s ? std::string_view(*s) : std::string_view();
}

}  // namespace

EventGraph::EventGraph(const EventSource& source, const RoomVersionRules& rules,
                       size_t max_events)
    : source_(source), rules_(rules), max_events_(max_events) {}

uint32_t EventGraph::InternKey(std::string_view type, std::string_view state_key) {
  auto it = key_index_.find(KeyView{type, state_key});
  if (it != key_index_.end()) return it->second;
  uint32_t index = static_cast<uint32_t>(keys_.size());
  keys_.push_back(StateKey{std::string(type), std::string(state_key)});
  key_index_.emplace(KeyView{keys_.back().type, keys_.back().state_key}, index);
  return index;
}

uint32_t EventGraph::FindKey(std::string_view type, std::string_view state_key) const {
  auto it = key_index_.find(KeyView{type, state_key});
  return it == key_index_.end() ? kNone : it->second;
}

Result<uint32_t> EventGraph::Intern(std::string_view id) {
  if (auto it = by_id_.find(id); it != by_id_.end()) {
    if (!loaded_[it->second]) {
      if (auto r = Load(it->second); !r) return tl::unexpected(r.error());
    }
    return it->second;
  }
  if (nodes_.size() >= max_events_) {
    return Fail("state_res.too_many_events", "mxstate bound (StateResOptions::max_events)",
                "the resolution reaches more than " + std::to_string(max_events_) + " events");
  }
  id_storage_.emplace_back(id);
  uint32_t index = static_cast<uint32_t>(nodes_.size());
  nodes_.emplace_back();
  loaded_.push_back(0);
  nodes_.back().id = id_storage_.back();
  by_id_.emplace(nodes_.back().id, index);
  if (auto r = Load(index); !r) return tl::unexpected(r.error());
  return index;
}

Result<void> EventGraph::Load(uint32_t index) {
  loaded_[index] = 1;
  const Json* json = source_.Find(nodes_[index].id);
  if (json == nullptr || !json->is_object()) return {};
  // Read every field first, then intern the auth events (interning may
  // grow nodes_, so no reference into it is held across those calls).
  EventNode fields;
  fields.json = json;
  fields.id = nodes_[index].id;
  fields.type = StringField(*json, "type");
  fields.sender = StringField(*json, "sender");
  fields.rejected = source_.IsRejected(fields.id);
  if (const Json* ts = json->Find("origin_server_ts"); ts && ts->is_integer()) {
    fields.origin_server_ts = ts->as_integer();
  }
  if (const Json* depth = json->Find("depth"); depth && depth->is_integer()) {
    fields.depth = depth->as_integer();
  }
  if (const std::string* state_key = json->FindString("state_key")) {
    fields.has_state_key = true;
    fields.key = InternKey(fields.type, *state_key);
  }
  if (const Json* content = json->Find("content")) {
    fields.membership = StringField(*content, "membership");
  }
  std::vector<std::string_view> auth_ids;
  if (const Json* list = json->Find("auth_events"); list && list->is_array()) {
    for (const Json& item : list->as_array()) {
      // v1-2 write [event_id, {hashes}] pairs.
      const Json* id = item.is_array() && !item.as_array().empty() ? &item.as_array()[0] : &item;
      if (id->is_string()) auth_ids.push_back(id->as_string());
    }
  }
  // v12: the create event named by room_id is an auth event of every other
  // event of the room (rooms/v12; MSC4291).
  std::string implied_create;
  if (rules_.auth.create_event_implied && fields.type != "m.room.create") {
    std::string_view room_id = StringField(*json, "room_id");
    if (room_id.size() > 1) implied_create = "$" + std::string(room_id.substr(1));
  }
  nodes_[index] = fields;
  std::vector<uint32_t> auth;
  auth.reserve(auth_ids.size() + 1);
  auto add = [&](std::string_view id) -> Result<void> {
    uint32_t target;
    if (auto it = by_id_.find(id); it != by_id_.end()) {
      target = it->second;
    } else {
      if (nodes_.size() >= max_events_) {
        return Fail("state_res.too_many_events", "mxstate bound (StateResOptions::max_events)",
                    "the resolution reaches more than " + std::to_string(max_events_) + " events");
      }
      id_storage_.emplace_back(id);
      target = static_cast<uint32_t>(nodes_.size());
      nodes_.emplace_back();
      loaded_.push_back(0);
      nodes_.back().id = id_storage_.back();
      by_id_.emplace(nodes_.back().id, target);
    }
    if (target == index) return {};  // an event citing itself adds no edge
    for (uint32_t a : auth) {
      if (a == target) return {};
    }
    auth.push_back(target);
    return {};
  };
  for (std::string_view id : auth_ids) {
    if (auto r = add(id); !r) return r;
  }
  if (!implied_create.empty()) {
    if (auto r = add(implied_create); !r) return r;
  }
  nodes_[index].auth = std::move(auth);
  return {};
}

Result<void> EventGraph::LoadClosure(const std::vector<uint32_t>& roots) {
  std::vector<uint32_t> stack(roots.begin(), roots.end());
  std::vector<uint8_t> seen(nodes_.size(), 0);
  while (!stack.empty()) {
    uint32_t n = stack.back();
    stack.pop_back();
    if (n >= seen.size()) seen.resize(nodes_.size(), 0);
    if (seen[n]) continue;
    seen[n] = 1;
    if (!loaded_[n]) {
      if (auto r = Load(n); !r) return r;
    }
    for (uint32_t a : nodes_[n].auth) {
      if (a >= seen.size()) seen.resize(nodes_.size(), 0);
      if (!seen[a]) stack.push_back(a);
    }
  }
  // Power-levels auth event of each node, now that the auth events are
  // loaded.
  for (EventNode& node : nodes_) {
    node.power_levels_auth = kNone;
    for (uint32_t a : node.auth) {
      const EventNode& target = nodes_[a];
      if (target.json != nullptr && target.type == "m.room.power_levels" && target.has_state_key &&
          keys_[target.key].state_key.empty()) {
        node.power_levels_auth = a;
        break;
      }
    }
  }
  return {};
}

Result<void> EventGraph::MarkClosure(const std::vector<uint32_t>& roots, bool include_roots,
                                     std::vector<uint8_t>* mark, uint8_t value) {
  mark->resize(nodes_.size(), 0);
  std::vector<uint32_t> stack;
  for (uint32_t r : roots) {
    if (include_roots) {
      if ((*mark)[r]) continue;
      (*mark)[r] = value;
      stack.push_back(r);
    } else {
      stack.push_back(r);
    }
  }
  while (!stack.empty()) {
    uint32_t n = stack.back();
    stack.pop_back();
    for (uint32_t a : nodes_[n].auth) {
      if ((*mark)[a]) continue;
      (*mark)[a] = value;
      stack.push_back(a);
    }
  }
  return {};
}

}  // namespace mxstate::internal

#include "state_res_power_table.h"

#include <algorithm>

#include "auth_internal.h"
#include "state_res_internal.h"

namespace mxstate::internal {
namespace {

// The state formed by an event's own auth events, for "the sender's power
// level ... when looking at their respective auth_events".
class OwnAuthEventsState : public AuthState {
 public:
  OwnAuthEventsState(const EventGraph& graph, EventIndex event) : graph_(graph), event_(event) {}
  StateEntry Get(std::string_view type, std::string_view state_key) const override {
    const EventIndex e = At(KeyOf(graph_, event_, type, state_key));
    return e != kNoEvent ? EntryOf(graph_.event(e)) : StateEntry{};
  }
  // The event Get finds at `key`: the first auth event there.
  EventIndex At(KeyIndex key) const {
    if (key == kNoKey) return kNoEvent;
    for (EventIndex a : graph_.auth_events(event_)) {
      const GraphEvent& n = graph_.event(a);
      if (n.json != nullptr && n.key == key) return a;
    }
    return kNoEvent;
  }

 private:
  const EventGraph& graph_;
  EventIndex event_;
};

// Where a (create, power levels) pair names users: the power levels'
// `users` object, the create event and its additional_creators array (each
// nullptr when absent or of another kind).
struct NamingFields {
  const Json* users = nullptr;
  const Json* create = nullptr;
  const Json* additional_creators = nullptr;
};

NamingFields NamingFieldsOf(const EventGraph& graph, EventIndex create, EventIndex power_levels) {
  NamingFields f;
  if (power_levels != kNoEvent) {
    const Json* content = graph.event(power_levels).json->Find("content");
    const Json* users = content != nullptr ? content->Find("users") : nullptr;
    if (users != nullptr && users->is_object()) f.users = users;
  }
  if (create != kNoEvent) {
    f.create = graph.event(create).json;
    const Json* content = f.create->Find("content");
    const Json* extra = content != nullptr ? content->Find("additional_creators") : nullptr;
    if (extra != nullptr && extra->is_array()) f.additional_creators = extra;
  }
  return f;
}

// A table costs a key look-up and a rules call per named user; asking the
// rules costs about one call. A pair gets its table once it has been asked
// about half as often as it names users.
constexpr size_t kAsksPerNamedUser = 2;

}  // namespace

PowerTable::PowerTable(const EventGraph& graph)
    : graph_(graph), create_key_(graph.FindKey("m.room.create", "")) {}

size_t PowerTable::NamedCount(EventIndex create, EventIndex power_levels) const {
  const NamingFields f = NamingFieldsOf(graph_, create, power_levels);
  return (f.users ? f.users->size() : 0) + (f.create ? 2 : 0) +  // 2: sender, content.creator
         (f.additional_creators ? f.additional_creators->size() : 0);
}

std::vector<std::string_view> PowerTable::NamedUsers(EventIndex create,
                                                     EventIndex power_levels) const {
  const NamingFields f = NamingFieldsOf(graph_, create, power_levels);
  std::vector<std::string_view> named;
  if (f.users) {
    for (const auto& [user, level] : f.users->as_object()) named.push_back(user);
  }
  if (f.create) {
    if (const std::string* sender = f.create->FindString("sender")) named.push_back(*sender);
    const Json* content = f.create->Find("content");
    const std::string* creator = content != nullptr ? content->FindString("creator") : nullptr;
    if (creator != nullptr) named.push_back(*creator);
  }
  if (f.additional_creators) {
    for (const Json& user : f.additional_creators->as_array()) {
      if (user.is_string()) named.push_back(user.as_string());
    }
  }
  return named;
}

void PowerTable::Build(const AuthState& state) {
  by_key_.clear();
  for (std::string_view user : NamedUsers(create_, power_levels_)) {
    // A user without a member key is the sender of no event in the graph,
    // nor the target of any membership.
    const KeyIndex key = graph_.FindKey("m.room.member", user);
    if (key != kNoKey) by_key_.emplace_back(key, PowerLevelOf(user, state, graph_.rules()));
  }
  // A user named twice has one power: the rules gave both the same.
  std::sort(by_key_.begin(), by_key_.end());
  by_key_.erase(std::unique(by_key_.begin(), by_key_.end()), by_key_.end());
  built_ = true;  // last: a throw above leaves the pair asked through the rules
}

int64_t PowerTable::Of(std::string_view user, KeyIndex key, EventIndex create,
                       EventIndex power_levels, const AuthState& state) {
  // A cited event the source lacks is no event to the rules (EntryOf).
  if (create != kNoEvent && graph_.event(create).json == nullptr) create = kNoEvent;
  if (power_levels != kNoEvent && graph_.event(power_levels).json == nullptr) {
    power_levels = kNoEvent;
  }
  if (!seen_ || create != create_ || power_levels != power_levels_) {
    seen_ = true;
    built_ = false;
    create_ = create;
    power_levels_ = power_levels;
    asks_ = 0;
    named_count_ = NamedCount(create, power_levels);
    unnamed_.reset();
  }
  if (key == kNoKey) return PowerLevelOf(user, state, graph_.rules());
  if (!built_) {
    if (++asks_ * kAsksPerNamedUser < named_count_) {
      return PowerLevelOf(user, state, graph_.rules());
    }
    Build(state);
  }
  auto it = std::lower_bound(by_key_.begin(), by_key_.end(), key,
                             [](const auto& entry, KeyIndex k) { return entry.first < k; });
  if (it != by_key_.end() && it->first == key) return it->second;
  if (!unnamed_) unnamed_ = PowerLevelOf(user, state, graph_.rules());
  return *unnamed_;
}

int64_t PowerTable::OfSenderInOwnAuthEvents(EventIndex event) {
  const GraphEvent& n = graph_.event(event);
  const OwnAuthEventsState own(graph_, event);
  return Of(n.sender, n.sender_key, own.At(create_key_), n.power_levels_auth, own);
}

std::optional<int64_t> PowerTableHints::SenderPower() const {
  const GraphEvent& n = graph_.event(event_);
  return table_.Of(n.sender, n.sender_key, state_.At(create_key_), state_.At(power_levels_key_),
                   state_);
}

std::optional<int64_t> PowerTableHints::TargetPower() const {
  const GraphEvent& n = graph_.event(event_);
  if (n.key == kNoKey || n.type != "m.room.member") return std::nullopt;
  return table_.Of(n.state_key, n.key, state_.At(create_key_), state_.At(power_levels_key_),
                   state_);
}

}  // namespace mxstate::internal

#include "state_res_sender_powers.h"

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
    KeyIndex key = KeyOf(graph_, event_, type, state_key);
    if (key == kNoKey) return {};
    for (EventIndex a : graph_.auth_events(event_)) {
      const GraphEvent& n = graph_.event(a);
      if (n.json != nullptr && n.key == key) return EntryOf(n);
    }
    return {};
  }

 private:
  const EventGraph& graph_;
  EventIndex event_;
};

// A table costs a key look-up and a rules call per named user; asking the
// rules costs about one call per event. Built when the events still to come
// for the pair outnumber half its named users.
constexpr size_t kEventsPerNamedUser = 2;

}  // namespace

SenderPowers::SenderPowers(const EventGraph& graph)
    : graph_(graph), create_key_(graph.FindKey("m.room.create", "")) {}

EventIndex SenderPowers::CreateOf(EventIndex event) const {
  if (create_key_ == kNoKey) return kNoEvent;
  for (EventIndex a : graph_.auth_events(event)) {
    const GraphEvent& n = graph_.event(a);
    if (n.json != nullptr && n.key == create_key_) return a;
  }
  return kNoEvent;
}

std::vector<std::string_view> SenderPowers::NamedUsers(EventIndex create,
                                                       EventIndex power_levels) const {
  std::vector<std::string_view> named;
  if (power_levels != kNoEvent) {
    const Json* content = graph_.event(power_levels).json->Find("content");
    const Json* users = content != nullptr ? content->Find("users") : nullptr;
    if (users != nullptr && users->is_object()) {
      for (const auto& [user, level] : users->as_object()) named.push_back(user);
    }
  }
  if (create != kNoEvent) {
    const Json& event = *graph_.event(create).json;
    if (const std::string* sender = event.FindString("sender")) named.push_back(*sender);
    if (const Json* content = event.Find("content")) {
      if (const std::string* creator = content->FindString("creator")) named.push_back(*creator);
      const Json* extra = content->Find("additional_creators");
      if (extra != nullptr && extra->is_array()) {
        for (const Json& user : extra->as_array()) {
          if (user.is_string()) named.push_back(user.as_string());
        }
      }
    }
  }
  return named;
}

void SenderPowers::Build(EventIndex event, EventIndex create, EventIndex power_levels,
                         const std::vector<std::string_view>& named) {
  create_ = create;
  power_levels_ = power_levels;
  mode_ = Mode::kTable;
  by_key_.clear();
  unnamed_.reset();
  const OwnAuthEventsState own(graph_, event);
  for (std::string_view user : named) {
    // A user without a member key is the sender of no event in the graph.
    const KeyIndex key = graph_.FindKey("m.room.member", user);
    if (key != kNoKey) by_key_.emplace_back(key, PowerLevelOf(user, own, graph_.rules()));
  }
  // A user named twice has one power: the rules gave both the same.
  std::sort(by_key_.begin(), by_key_.end());
  by_key_.erase(std::unique(by_key_.begin(), by_key_.end()), by_key_.end());
}

int64_t SenderPowers::AskTheRules(EventIndex event) const {
  const OwnAuthEventsState own(graph_, event);
  return PowerLevelOf(graph_.event(event).sender, own, graph_.rules());
}

int64_t SenderPowers::Of(EventIndex event, size_t later_citing) {
  const GraphEvent& n = graph_.event(event);
  if (n.sender_key == kNoKey) return AskTheRules(event);
  const EventIndex create = CreateOf(event);
  if (mode_ == Mode::kNone || create != create_ || n.power_levels_auth != power_levels_) {
    std::vector<std::string_view> named = NamedUsers(create, n.power_levels_auth);
    if (named.size() > kEventsPerNamedUser * (later_citing + 1)) {
      // Remembered, so that the pair's other events do not list its users again.
      create_ = create;
      power_levels_ = n.power_levels_auth;
      mode_ = Mode::kAsk;
    } else {
      Build(event, create, n.power_levels_auth, named);
    }
  }
  if (mode_ == Mode::kAsk) return AskTheRules(event);
  auto it = std::lower_bound(by_key_.begin(), by_key_.end(), n.sender_key,
                             [](const auto& entry, KeyIndex k) { return entry.first < k; });
  if (it != by_key_.end() && it->first == n.sender_key) return it->second;
  if (!unnamed_) unnamed_ = AskTheRules(event);
  return *unnamed_;
}

}  // namespace mxstate::internal

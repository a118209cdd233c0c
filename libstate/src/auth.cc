// Authorization entry points: the create rules, the checks on an event's
// auth_events list, and auth events selection (rooms/vN "Authorization
// rules" 1-2 (v12: 1-3); s2s "Auth events selection").
#include "mxstate/auth.h"

#include <algorithm>
#include <array>
#include <map>

#include "auth_internal.h"
#include "auth_rule_numbers.h"
#include "mxstate/event_format.h"

namespace mxstate {
namespace {

using internal::AuthRuleNumbers;

AuthDecision Decide(bool allowed, std::string code, std::string rule, std::string why,
                    std::vector<std::string> trace = {}) {
  AuthDecision d;
  d.allowed = allowed;
  trace.push_back(rule + ": " + why + (allowed ? ": allow" : ": reject"));
  d.trace = std::move(trace);
  if (!allowed) d.error = Error{std::move(code), rule, std::move(why)};
  d.rule = std::move(rule);
  return d;
}

// Rule 1, the create event (all its sub-rules; nothing else applies).
AuthDecision CreateRules(const Json& event, const RoomVersionRules& rules,
                         const AuthRuleNumbers& n) {
  const Json* prev = event.Find("prev_events");
  if (prev != nullptr && prev->size() > 0) {
    return Decide(false, "auth.create.has_prev_events", n.Rule(1, 1),
                  "the create event has " + std::to_string(prev->size()) + " prev_events");
  }
  int sub = 2;
  const std::string* sender = event.FindString("sender");
  std::string_view sender_server = sender ? ServerNameOf(*sender) : std::string_view();
  if (rules.auth.create_domain_must_match) {
    // v1-11 1.2: room_id's domain is the sender's.
    const std::string* room_id = event.FindString("room_id");
    std::string_view room_server = room_id ? ServerNameOf(*room_id) : std::string_view();
    if (room_id == nullptr || room_server != sender_server) {
      return Decide(false, "auth.create.room_id_domain", n.Rule(1, sub),
                    "room_id domain '" + std::string(room_server) +
                        "' is not the sender's domain '" + std::string(sender_server) + "'");
    }
    ++sub;
  }
  if (rules.auth.create_event_implied) {
    // v12 1.2: the create event has no room_id; its ID makes the room ID.
    if (event.Contains("room_id")) {
      return Decide(false, "auth.create.has_room_id", n.Rule(1, sub),
                    "a room version " + std::string(rules.id) +
                        " create event must not have room_id");
    }
    ++sub;
  }
  const Json* content = event.Find("content");
  if (const Json* version = content ? content->Find("room_version") : nullptr) {
    if (!version->is_string() || FindRoomVersion(version->as_string()) == nullptr) {
      return Decide(false, "auth.create.unknown_room_version", n.Rule(1, sub),
                    "content.room_version " +
                        (version->is_string() ? "'" + version->as_string() + "'"
                                              : std::string("(not a string)")) +
                        " is not a known room version");
    }
  }
  ++sub;
  if (rules.auth.create_requires_creator) {
    // v1-10 1.4: content.creator must be present.
    if (content == nullptr || !content->Contains("creator")) {
      return Decide(false, "auth.create.missing_creator", n.Rule(1, sub),
                    "content has no `creator`");
    }
    ++sub;
  }
  if (rules.auth.privileged_creators) {
    // v12 1.4: additional_creators, if present, are user IDs passing "the
    // same user ID validation applied to sender", which includes the
    // 255-byte limit (appendices "User Identifiers"; s2s PDU size limits).
    if (const Json* extra = content ? content->Find("additional_creators") : nullptr) {
      bool ok = extra->is_array();
      if (ok) {
        for (const Json& c : extra->as_array()) {
          if (!c.is_string() || c.as_string().size() > kMaxIdentifierBytes ||
              !IsValidUserId(c.as_string())) {
            ok = false;
          }
        }
      }
      if (!ok) {
        return Decide(false, "auth.create.bad_additional_creators", n.Rule(1, sub),
                      "content.additional_creators is not an array of valid user IDs");
      }
    }
    ++sub;
  }
  return Decide(true, "", n.Rule(1, sub), "the create event passes the create rules");
}

// A state made of an event's auth events: at most a dozen entries, so a
// linear scan over views beats any map and allocates nothing.
class AuthEventsState : public AuthState {
 public:
  void Put(const AuthEvent& e) {
    const std::string* type = e.event->FindString("type");
    const std::string* state_key = e.event->FindString("state_key");
    if (type == nullptr || state_key == nullptr) return;
    for (Entry& entry : entries_) {
      if (entry.type == *type && entry.state_key == *state_key) {
        entry.value = StateEntry{e.event, e.event_id};
        return;
      }
    }
    entries_.push_back(Entry{*type, *state_key, StateEntry{e.event, e.event_id}});
  }
  StateEntry Get(std::string_view type, std::string_view state_key) const override {
    for (const Entry& entry : entries_) {
      if (entry.type == type && entry.state_key == state_key) return entry.value;
    }
    return {};
  }

 private:
  struct Entry {
    std::string_view type;
    std::string_view state_key;
    StateEntry value;
  };
  std::vector<Entry> entries_;
};

// The IDs named by the event's auth_events field (v1-2: [id, hashes]).
std::vector<std::string_view> ListedIds(const Json& event) {
  std::vector<std::string_view> ids;
  const Json* list = event.Find("auth_events");
  if (list == nullptr || !list->is_array()) return ids;
  for (const Json& item : list->as_array()) {
    const Json* id = item.is_array() && !item.as_array().empty() ? &item.as_array()[0] : &item;
    if (id->is_string()) ids.push_back(id->as_string());
  }
  return ids;
}

// Calls f(type, state_key) for each key the auth events selection picks
// (s2s "Auth events selection"), possibly more than once per key.
template <typename F>
void VisitSelection(const Json& event, const RoomVersionRules& rules, F&& f) {
  const std::string* type = event.FindString("type");
  if (type != nullptr && *type == "m.room.create") return;  // "empty for the create event"
  // Changed in spec v1.16: the create event only where the version selects it.
  if (!rules.auth.create_event_implied) f("m.room.create", "");
  f("m.room.power_levels", "");
  if (const std::string* sender = event.FindString("sender")) f("m.room.member", *sender);
  if (type == nullptr || *type != "m.room.member") return;
  const std::string* state_key = event.FindString("state_key");
  const Json* content = event.Find("content");
  const std::string* membership = content ? content->FindString("membership") : nullptr;
  if (state_key) f("m.room.member", *state_key);
  if (membership && (*membership == "join" || *membership == "invite" || *membership == "knock")) {
    f("m.room.join_rules", "");
  }
  if (membership && *membership == "invite") {
    const Json* tpi = content->Find("third_party_invite");
    const Json* signed_block = tpi ? tpi->Find("signed") : nullptr;
    if (const std::string* token = signed_block ? signed_block->FindString("token") : nullptr) {
      f("m.room.third_party_invite", *token);
    }
  }
  if (membership && *membership == "join" && rules.auth.restricted_join) {
    if (const std::string* via = content->FindString("join_authorised_via_users_server")) {
      f("m.room.member", *via);
    }
  }
}

// The selected keys as views into the event, without allocating (the
// selection has at most seven keys).
class SelectedKeys {
 public:
  SelectedKeys(const Json& event, const RoomVersionRules& rules) {
    VisitSelection(event, rules, [this](std::string_view t, std::string_view k) {
      if (count_ < keys_.size()) keys_[count_++] = {t, k};
    });
  }
  bool Contains(std::string_view type, std::string_view state_key) const {
    for (size_t i = 0; i < count_; ++i) {
      if (keys_[i].first == type && keys_[i].second == state_key) return true;
    }
    return false;
  }

 private:
  std::array<std::pair<std::string_view, std::string_view>, 8> keys_;
  size_t count_ = 0;
};

}  // namespace

std::vector<StateKey> AuthEventSelection(const Json& event, const RoomVersionRules& rules) {
  std::vector<StateKey> keys;
  VisitSelection(event, rules, [&keys](std::string_view t, std::string_view k) {
    StateKey key{std::string(t), std::string(k)};
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(std::move(key));
  });
  return keys;
}

AuthDecision AuthorizeAgainstState(const Json& event, const AuthState& state,
                                   const RoomVersionRules& rules, AuthTrace trace) {
  return internal::AuthorizeFieldsAgainstState(internal::EventFields::Of(event), state, rules,
                                               trace);
}

namespace internal {

AuthDecision AuthorizeFieldsAgainstState(const EventFields& event, const AuthState& state,
                                         const RoomVersionRules& rules, AuthTrace trace) {
  if (event.type == "m.room.create") {
    return CreateRules(*event.event, rules, AuthRuleNumbers(rules));
  }
  return RunStateRules(event, state, rules, trace);
}

}  // namespace internal

AuthDecision AuthorizeWithAuthEvents(const Json& event, std::span<const AuthEvent> auth_events,
                                     const RoomVersionRules& rules) {
  AuthRuleNumbers n(rules);
  const std::string* type = event.FindString("type");
  if (type != nullptr && *type == "m.room.create") return CreateRules(event, rules, n);

  std::vector<std::string> trace;
  const std::string* room_id = event.FindString("room_id");
  std::string_view own_room = room_id ? std::string_view(*room_id) : std::string_view();
  AuthEventsState state;

  // v12 rule 2: room_id names an accepted create event.
  if (rules.auth.create_event_implied) {
    const AuthEvent* create = nullptr;
    for (const AuthEvent& e : auth_events) {
      const std::string* t = e.event ? e.event->FindString("type") : nullptr;
      const std::string* k = e.event ? e.event->FindString("state_key") : nullptr;
      // room_id is the create event's ID with '!' for its sigil.
      if (t && *t == "m.room.create" && k && k->empty() && !e.event_id.empty() &&
          own_room.size() == e.event_id.size() && own_room.front() == '!' &&
          own_room.substr(1) == std::string_view(e.event_id).substr(1)) {
        create = &e;
      }
    }
    if (create == nullptr) {
      return Decide(false, "auth.room_id_not_create", n.Rule(n.room_id_is_create),
                    "room_id " + std::string(own_room) + " names no create event supplied");
    }
    // "an accepted (not rejected) create event": rejected by the caller,
    // or failing the create rules, which depend on nothing but itself.
    AuthDecision create_ok = CreateRules(*create->event, rules, n);
    if (create->rejected || !create_ok.allowed) {
      return Decide(false, "auth.room_id_not_create", n.Rule(n.room_id_is_create),
                    "the create event " + create->event_id + " named by room_id was rejected" +
                        (create_ok.allowed ? std::string()
                                           : " (" + create_ok.error.code + ", " +
                                                 create_ok.rule + ")"));
    }
    trace.push_back(n.Rule(n.room_id_is_create) + ": room_id names create event " +
                    create->event_id);
    state.Put(*create);
  }

  // The auth_events list itself.
  const int a = n.auth_events;
  std::vector<const AuthEvent*> listed;
  for (std::string_view id : ListedIds(event)) {
    auto it = std::find_if(auth_events.begin(), auth_events.end(),
                           [&](const AuthEvent& e) { return e.event_id == id && e.event; });
    if (it == auth_events.end()) {
      return Decide(false, "auth.auth_events.missing", n.Rule(a),
                    "auth event " + std::string(id) + " is cited but was not supplied",
                    std::move(trace));
    }
    listed.push_back(&*it);
  }
  const SelectedKeys selected(event, rules);
  std::vector<std::pair<std::string_view, std::string_view>> seen;
  seen.reserve(listed.size());
  for (const AuthEvent* e : listed) {
    const std::string* t = e->event->FindString("type");
    const std::string* k = e->event->FindString("state_key");
    std::pair<std::string_view, std::string_view> key{t ? std::string_view(*t) : std::string_view(),
                                                      k ? std::string_view(*k) : std::string_view()};
    auto key_text = [&] {
      std::string text = "(";
      text.append(key.first).append(", \"").append(key.second).append("\")");
      return text;
    };
    if (std::find(seen.begin(), seen.end(), key) != seen.end()) {
      return Decide(false, "auth.auth_events.duplicate", n.Rule(a, 1),
                    "two auth events have the key " + key_text(), std::move(trace));
    }
    seen.push_back(key);
    if (t == nullptr || k == nullptr || !selected.Contains(key.first, key.second)) {
      return Decide(false, "auth.auth_events.not_selected", n.Rule(a, 2),
                    "auth event " + e->event_id + " " + key_text() +
                        " is not one the auth events selection picks for this event",
                    std::move(trace));
    }
  }
  for (const AuthEvent* e : listed) {
    if (e->rejected) {
      return Decide(false, "auth.auth_events.rejected", n.Rule(a, 3),
                    "auth event " + e->event_id + " was rejected", std::move(trace));
    }
  }
  if (!rules.auth.create_event_implied) {
    bool has_create = std::any_of(listed.begin(), listed.end(), [](const AuthEvent* e) {
      const std::string* t = e->event->FindString("type");
      return t && *t == "m.room.create";
    });
    if (!has_create) {
      return Decide(false, "auth.auth_events.no_create", n.Rule(a, 4),
                    "no m.room.create event among the auth events", std::move(trace));
    }
  }
  for (const AuthEvent* e : listed) {
    const std::string* other_room = e->event->FindString("room_id");
    if (other_room == nullptr || *other_room != own_room) {
      return Decide(false, "auth.auth_events.wrong_room", n.Rule(a, 5),
                    "auth event " + e->event_id + " is in room " +
                        (other_room ? *other_room : std::string("(none)")) + ", not " +
                        std::string(own_room),
                    std::move(trace));
    }
  }
  trace.push_back(n.Rule(a) + ": " + std::to_string(listed.size()) +
                  " auth events: no duplicates, all selected, none rejected, same room");
  for (const AuthEvent* e : listed) state.Put(*e);

  AuthDecision decision = internal::RunStateRules(event, state, rules);
  trace.insert(trace.end(), decision.trace.begin(), decision.trace.end());
  decision.trace = std::move(trace);
  return decision;
}

}  // namespace mxstate

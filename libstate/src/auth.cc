// Authorization entry points: the create rules, the checks on an event's
// auth_events list, and auth events selection (rooms/vN "Authorization
// rules" 1-2 (v12: 1-3); s2s "Auth events selection").
#include "mxstate/auth.h"

#include <algorithm>
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
    // v12 1.4: additional_creators, if present, are valid user IDs.
    if (const Json* extra = content ? content->Find("additional_creators") : nullptr) {
      bool ok = extra->is_array();
      if (ok) {
        for (const Json& c : extra->as_array()) {
          if (!c.is_string() || !IsValidUserId(c.as_string())) ok = false;
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

// A state made of an event's auth events, keyed by (type, state_key).
class AuthEventsState : public AuthState {
 public:
  void Put(const AuthEvent& e) {
    const std::string* type = e.event->FindString("type");
    const std::string* state_key = e.event->FindString("state_key");
    if (type == nullptr || state_key == nullptr) return;
    entries_[{*type, *state_key}] = StateEntry{e.event, e.event_id};
  }
  StateEntry Get(std::string_view type, std::string_view state_key) const override {
    auto it = entries_.find(std::pair<std::string, std::string>(type, state_key));
    return it == entries_.end() ? StateEntry{} : it->second;
  }

 private:
  std::map<std::pair<std::string, std::string>, StateEntry> entries_;
};

// The IDs named by the event's auth_events field (v1-2: [id, hashes]).
std::vector<std::string> ListedIds(const Json& event) {
  std::vector<std::string> ids;
  const Json* list = event.Find("auth_events");
  if (list == nullptr || !list->is_array()) return ids;
  for (const Json& item : list->as_array()) {
    const Json* id = item.is_array() && !item.as_array().empty() ? &item.as_array()[0] : &item;
    if (id->is_string()) ids.push_back(id->as_string());
  }
  return ids;
}

std::string KeyText(const StateKey& k) { return "(" + k.type + ", \"" + k.state_key + "\")"; }

}  // namespace

std::vector<StateKey> AuthEventSelection(const Json& event, const RoomVersionRules& rules) {
  std::vector<StateKey> keys;
  const std::string* type = event.FindString("type");
  if (type != nullptr && *type == "m.room.create") return keys;  // "empty for the create event"
  auto add = [&keys](std::string t, std::string k) {
    StateKey key{std::move(t), std::move(k)};
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(std::move(key));
  };
  // Changed in spec v1.16: the create event only where the version selects it.
  if (!rules.auth.create_event_implied) add("m.room.create", "");
  add("m.room.power_levels", "");
  if (const std::string* sender = event.FindString("sender")) add("m.room.member", *sender);
  if (type != nullptr && *type == "m.room.member") {
    const std::string* state_key = event.FindString("state_key");
    const Json* content = event.Find("content");
    const std::string* membership = content ? content->FindString("membership") : nullptr;
    if (state_key) add("m.room.member", *state_key);
    if (membership && (*membership == "join" || *membership == "invite" || *membership == "knock")) {
      add("m.room.join_rules", "");
    }
    if (membership && *membership == "invite") {
      const Json* tpi = content->Find("third_party_invite");
      const Json* signed_block = tpi ? tpi->Find("signed") : nullptr;
      if (const std::string* token = signed_block ? signed_block->FindString("token") : nullptr) {
        add("m.room.third_party_invite", *token);
      }
    }
    if (membership && *membership == "join" && rules.auth.restricted_join) {
      if (const std::string* via = content->FindString("join_authorised_via_users_server")) {
        add("m.room.member", *via);
      }
    }
  }
  return keys;
}

AuthDecision AuthorizeAgainstState(const Json& event, const AuthState& state,
                                   const RoomVersionRules& rules) {
  AuthRuleNumbers n(rules);
  const std::string* type = event.FindString("type");
  if (type != nullptr && *type == "m.room.create") return CreateRules(event, rules, n);
  return internal::RunStateRules(event, state, rules);
}

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
      if (t && *t == "m.room.create" && k && k->empty() && !e.event_id.empty() &&
          own_room == "!" + e.event_id.substr(1)) {
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
  for (const std::string& id : ListedIds(event)) {
    auto it = std::find_if(auth_events.begin(), auth_events.end(),
                           [&](const AuthEvent& e) { return e.event_id == id && e.event; });
    if (it == auth_events.end()) {
      return Decide(false, "auth.auth_events.missing", n.Rule(a),
                    "auth event " + id + " is cited but was not supplied", std::move(trace));
    }
    listed.push_back(&*it);
  }
  std::vector<StateKey> allowed_keys = AuthEventSelection(event, rules);
  std::vector<StateKey> seen;
  for (const AuthEvent* e : listed) {
    StateKey key{std::string(e->event->FindString("type") ? *e->event->FindString("type") : ""),
                 std::string(e->event->FindString("state_key") ? *e->event->FindString("state_key")
                                                              : "")};
    bool is_state = e->event->FindString("type") && e->event->FindString("state_key");
    if (std::find(seen.begin(), seen.end(), key) != seen.end()) {
      return Decide(false, "auth.auth_events.duplicate", n.Rule(a, 1),
                    "two auth events have the key " + KeyText(key), std::move(trace));
    }
    seen.push_back(key);
    if (!is_state || std::find(allowed_keys.begin(), allowed_keys.end(), key) == allowed_keys.end()) {
      return Decide(false, "auth.auth_events.not_selected", n.Rule(a, 2),
                    "auth event " + e->event_id + " " + KeyText(key) +
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

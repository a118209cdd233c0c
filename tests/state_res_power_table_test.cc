// PowerTable (libstate/src/state_res_power_table.h) must give, for every
// event, the power the auth rules give its sender in the state formed by the
// event's own auth events ("Reverse topological power ordering": "the
// sender's power level ... when looking at their respective auth_events").
// The expected value is the public UserPowerLevel over a state built here
// straight from the spec's wording: for each (type, state_key), the first
// listed auth event with it (in v12, the create event named by room_id).
//
// Rooms are random: creators named by content.creator (a string or not),
// the create sender, additional_creators (with non-strings); power levels
// whose `users` hold integers, strings, floats, booleans or is no object;
// senders named nowhere, and events citing no power levels, two of them, or
// a second create event. A pair asked about fewer times than half the users
// it names is answered by the rules, then from its table: the random numbers
// of events per power-levels event and of users named try both.
#include "state_res_power_table.h"

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "mxstate/auth.h"
#include "mxstate/event_graph.h"
#include "mxstate/room_version.h"
#include "test_util.h"

namespace mxstate::internal {
namespace {

using testing::MapSource;

const std::vector<std::string> kUsers = {"@a:x", "@b:x", "@c:x", "@d:x", "@e:x", "@f:x"};

Json IdList(const std::vector<std::string>& ids) {
  Json::Array list;
  for (const std::string& id : ids) list.emplace_back(id);
  return Json(std::move(list));
}

Json Event(const std::string& type, const std::string& sender, const std::string& state_key,
           Json content, const std::vector<std::string>& auth, int64_t ts) {
  Json e = Json::EmptyObject();
  e.Set("type", type);
  e.Set("sender", sender);
  e.Set("state_key", state_key);
  e.Set("room_id", "!C1");
  e.Set("origin_server_ts", ts);
  e.Set("content", std::move(content));
  e.Set("auth_events", IdList(auth));
  e.Set("prev_events", IdList({}));
  return e;
}

// A value the `users` map or users_default may hold.
Json LevelValue() {
  switch (*rc::gen::inRange(0, 6)) {
    case 0:
      return Json(static_cast<int64_t>(*rc::gen::inRange(-5, 200)));
    case 1:
      return Json(std::string("50"));  // a string: v1-9 accept it, v10+ do not
    case 2:
      return Json(true);
    case 3:
      return Json(INT64_MAX);
    default:
      return Json(static_cast<int64_t>(*rc::gen::element(0, 50, 100)));
  }
}

Json CreateContent(const RoomVersionRules& rules, const std::string& version) {
  Json content = Json::EmptyObject();
  content.Set("room_version", version);
  switch (*rc::gen::inRange(0, 3)) {
    case 0:
      content.Set("creator", *rc::gen::elementOf(kUsers));
      break;
    case 1:
      content.Set("creator", static_cast<int64_t>(7));  // not a string
      break;
    default:
      break;  // none
  }
  if (rules.auth.privileged_creators && *rc::gen::arbitrary<bool>()) {
    Json::Array extra;
    for (const std::string& u : kUsers) {
      if (*rc::gen::inRange(0, 4) == 0) extra.emplace_back(u);
    }
    if (*rc::gen::arbitrary<bool>()) extra.emplace_back(static_cast<int64_t>(1));
    content.Set("additional_creators", Json(std::move(extra)));
  }
  return content;
}

Json PowerLevelsContent() {
  Json content = Json::EmptyObject();
  if (*rc::gen::inRange(0, 8) == 0) {
    content.Set("users", IdList({"@a:x"}));  // not an object
  } else {
    Json users = Json::EmptyObject();
    for (const std::string& u : kUsers) {
      if (*rc::gen::arbitrary<bool>()) users.Set(u, LevelValue());
    }
    content.Set("users", std::move(users));
  }
  if (*rc::gen::arbitrary<bool>()) content.Set("users_default", LevelValue());
  return content;
}

// The state of an event's own auth events, read from the events themselves.
class ListedAuthEventsState : public AuthState {
 public:
  ListedAuthEventsState(const MapSource& source, const Json& event, bool create_implied)
      : source_(source), event_(event), create_implied_(create_implied) {}
  StateEntry Get(std::string_view type, std::string_view state_key) const override {
    std::vector<std::string> ids;
    for (const Json& id : event_.Find("auth_events")->as_array()) ids.push_back(id.as_string());
    if (create_implied_) ids.push_back("$C1");  // rooms/v12: room_id names the create event
    for (const std::string& id : ids) {
      const Json* e = source_.Find(id);
      if (e == nullptr) continue;
      const std::string* t = e->FindString("type");
      const std::string* k = e->FindString("state_key");
      if (t && k && *t == type && *k == state_key) return StateEntry(e, id);
    }
    return {};
  }

 private:
  const MapSource& source_;
  const Json& event_;
  bool create_implied_;
};

RC_GTEST_PROP(PowerTable, GivesTheRulesPowerOfEachSender, ()) {
  const std::string version = *rc::gen::element<std::string>("6", "10", "11", "12");
  const RoomVersionRules& rules = *FindRoomVersion(version);
  const bool implied = rules.auth.create_event_implied;
  MapSource source;
  int64_t ts = 1;
  source.events["$C1"] = Event("m.room.create", *rc::gen::elementOf(kUsers), "",
                               CreateContent(rules, version), {}, ts++);
  // A second create event that some events cite (before v12, where the
  // room ID names the only one).
  const bool second_create = !implied && *rc::gen::arbitrary<bool>();
  if (second_create) {
    source.events["$C2"] = Event("m.room.create", *rc::gen::elementOf(kUsers), "",
                                 CreateContent(rules, version), {}, ts++);
  }
  const std::vector<std::string> creates =
      second_create ? std::vector<std::string>{"$C1", "$C2"} : std::vector<std::string>{"$C1"};
  const int pl_count = *rc::gen::inRange(0, 4);
  std::vector<std::string> pls;
  for (int i = 0; i < pl_count; ++i) {
    const std::string id = "$PL" + std::to_string(i);
    std::vector<std::string> auth;
    if (!implied) auth.push_back("$C1");
    source.events[id] =
        Event("m.room.power_levels", kUsers[0], "", PowerLevelsContent(), auth, ts++);
    pls.push_back(id);
  }
  const int event_count = *rc::gen::inRange(1, 40);
  std::vector<std::string> ids;
  for (int i = 0; i < event_count; ++i) {
    std::vector<std::string> auth;
    if (!implied && *rc::gen::inRange(0, 6) != 0) auth.push_back(*rc::gen::elementOf(creates));
    for (int k = *rc::gen::inRange(0, 3); k > 0 && !pls.empty(); --k) {
      auth.push_back(*rc::gen::elementOf(pls));
    }
    const std::string sender = *rc::gen::inRange(0, 4) == 0
                                   ? "@stranger" + std::to_string(i) + ":x"  // named nowhere
                                   : *rc::gen::elementOf(kUsers);
    const std::string id = "$E" + std::to_string(i);
    source.events[id] = Event("m.room.topic", sender, "", Json::EmptyObject(), auth, ts++);
    ids.push_back(id);
  }

  EventGraph graph(rules);
  std::vector<EventIndex> events;
  for (const std::string& id : ids) {
    auto added = graph.Add(id, source);
    RC_ASSERT(added.has_value());
    events.push_back(*added);
  }
  // Visited as resolution does, grouped by their power-levels auth event.
  std::stable_sort(events.begin(), events.end(), [&](EventIndex a, EventIndex b) {
    return graph.event(a).power_levels_auth < graph.event(b).power_levels_auth;
  });
  PowerTable powers(graph);
  for (EventIndex e : events) {
    const std::string id(graph.event(e).id);
    const Json& json = source.events.at(id);
    const ListedAuthEventsState own(source, json, implied);
    const int64_t expected = UserPowerLevel(*json.FindString("sender"), own, rules);
    RC_ASSERT(powers.OfSenderInOwnAuthEvents(e) == expected);
  }
}

}  // namespace
}  // namespace mxstate::internal

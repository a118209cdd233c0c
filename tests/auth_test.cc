// Unit tests of the authorization rules (auth.h) on hand-built events:
// one allowed and one rejected case per top-level rule, in the numbering of
// the version under test; auth events selection per membership; power levels
// without and with an m.room.power_levels event.
//
// Rule numbers are read off the spec's rooms/vN pages (v1 fragment: 1 create,
// 2 auth_events, 3 m.federate, 4 aliases (v1-5), 5 member, 6 sender joined,
// 7 third-party invite, 8 required power, 9 @-state keys, 10 power levels,
// 11 redaction (v1-2), 12 otherwise; v6 drops 4 and later 11; v12 inserts
// 2 "room_id names the create event").
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "mxstate/auth.h"
#include "mxstate/json.h"
#include "mxstate/room_version.h"
#include "test_util.h"

namespace mxstate {
namespace {

using testing::J;
using testing::Rules;

constexpr const char* kAlice = "@alice:example.org";  // room creator
constexpr const char* kBob = "@bob:example.org";      // moderator (50)
constexpr const char* kCarol = "@carol:example.org";  // plain member (0)
constexpr const char* kDave = "@dave:example.org";    // not in the room
constexpr const char* kEve = "@eve:remote.example.net";

// ---------------------------------------------------------------------------
// Builder.

// One event, built field by field.
class Ev {
 public:
  Ev(std::string id, std::string type, std::string sender) : j_(Json::EmptyObject()) {
    j_.Set("event_id", Json(std::move(id)));
    j_.Set("type", Json(std::move(type)));
    j_.Set("sender", Json(std::move(sender)));
    j_.Set("content", Json::EmptyObject());
    j_.Set("origin_server_ts", Json(int64_t{1700000000000}));
    j_.Set("depth", Json(int64_t{10}));
    j_.Set("auth_events", Json::EmptyArray());
    j_.Set("prev_events", Json(Json::Array{Json("$prev")}));
  }
  Ev& Key(std::string state_key) {
    j_.Set("state_key", Json(std::move(state_key)));
    return *this;
  }
  Ev& Content(std::string_view json_text) {
    j_.Set("content", J(json_text, NumberPolicy::kLegacyPython));
    return *this;
  }
  Ev& Room(std::string room_id) {
    j_.Set("room_id", Json(std::move(room_id)));
    return *this;
  }
  Ev& Prev(std::vector<std::string> ids) {
    Json::Array a;
    for (auto& id : ids) a.push_back(Json(std::move(id)));
    j_.Set("prev_events", Json(std::move(a)));
    return *this;
  }
  Ev& Set(std::string_view key, Json value) {
    j_.Set(key, std::move(value));
    return *this;
  }
  Ev& Erase(std::string_view key) {
    j_.Erase(key);
    return *this;
  }
  const Json& json() const { return j_; }
  Json Take() { return std::move(j_); }

 private:
  Json j_;
};

Ev Member(std::string id, std::string sender, std::string target, std::string membership) {
  Ev e(std::move(id), "m.room.member", std::move(sender));
  e.Key(std::move(target)).Content(R"({"membership":")" + membership + R"("})");
  return e;
}

// A room of one version: a state map (also an AuthState) plus helpers to
// judge an event against it the two ways.
class TestRoom : public AuthState {
 public:
  // `join_rule` empty: no m.room.join_rules event. `pl_content` empty: no
  // m.room.power_levels event.
  explicit TestRoom(std::string_view version, std::string join_rule = "invite",
                    std::string pl_content = "default")
      : rules_(Rules(version)) {
    const bool v12 = rules_.auth.create_event_implied;
    room_id_ = v12 ? "!create" : "!room:example.org";
    Ev create("$create", "m.room.create", kAlice);
    create.Key("").Prev({});
    std::string c = R"({"room_version":")" + std::string(version) + R"(")";
    if (rules_.auth.create_requires_creator) c += R"(,"creator":"@alice:example.org")";
    create.Content(c + "}");
    if (!v12) create.Room(room_id_);
    Put(create.Take());
    if (pl_content == "default") {
      pl_content = v12 ? R"({"users":{"@bob:example.org":50}})"
                       : R"({"users":{"@alice:example.org":100,"@bob:example.org":50}})";
    }
    if (!pl_content.empty()) {
      Put(StateEv("$pl", "m.room.power_levels", kAlice, "").Content(pl_content).Take());
    }
    if (!join_rule.empty()) {
      Put(StateEv("$jr", "m.room.join_rules", kAlice, "")
              .Content(R"({"join_rule":")" + join_rule + R"("})")
              .Take());
    }
    for (const char* user : {kAlice, kBob, kCarol}) {
      std::string id = "$join-" + std::string(user).substr(1, std::string(user).find(':') - 1);
      Put(Member(id, user, user, "join").Room(room_id_).Take());
    }
  }

  const RoomVersionRules& rules() const { return rules_; }
  const std::string& room_id() const { return room_id_; }

  // A state event of this room (not yet in the state).
  Ev StateEv(std::string id, std::string type, std::string sender, std::string key) const {
    Ev e(std::move(id), std::move(type), std::move(sender));
    e.Key(std::move(key)).Room(room_id_);
    return e;
  }
  Ev MemberEv(std::string id, std::string sender, std::string target,
              std::string membership) const {
    Ev e = Member(std::move(id), std::move(sender), std::move(target), std::move(membership));
    e.Room(room_id_);
    return e;
  }
  Ev Message(std::string id, std::string sender) const {
    Ev e(std::move(id), "m.room.message", std::move(sender));
    e.Room(room_id_).Content(R"({"msgtype":"m.text","body":"hi"})");
    return e;
  }

  // Adds (or replaces) a state event; its ID is its event_id field.
  void Put(Json event) {
    std::string type = *event.FindString("type");
    std::string key = *event.FindString("state_key");
    std::string id = *event.FindString("event_id");
    auto stored = std::make_unique<Json>(std::move(event));
    entries_[{type, key}] = {stored.get(), id};
    storage_.push_back(std::move(stored));
  }
  void Remove(const std::string& type, const std::string& key) { entries_.erase({type, key}); }

  StateEntry Get(std::string_view type, std::string_view state_key) const override {
    auto it = entries_.find({std::string(type), std::string(state_key)});
    if (it == entries_.end()) return {};
    return StateEntry{it->second.first, it->second.second};
  }

  // Receipt step 4: the event's auth_events are set to the IDs of the state
  // events its selection picks (v12: plus the create event, supplied but not
  // cited), then AuthorizeWithAuthEvents.
  AuthDecision WithAuthEvents(Json event) const {
    std::vector<AuthEvent> supplied;
    Json::Array cited;
    for (const StateKey& key : AuthEventSelection(event, rules_)) {
      StateEntry e = Get(key.type, key.state_key);
      if (e.event == nullptr) continue;
      cited.push_back(Json(std::string(e.event_id)));
      supplied.push_back(AuthEvent{e.event, std::string(e.event_id), false});
    }
    if (rules_.auth.create_event_implied) {
      StateEntry c = Get("m.room.create", "");
      if (c.event) supplied.push_back(AuthEvent{c.event, std::string(c.event_id), false});
    }
    event.Set("auth_events", Json(std::move(cited)));
    return AuthorizeWithAuthEvents(event, supplied, rules_);
  }
  AuthDecision AgainstState(const Json& event) const {
    return AuthorizeAgainstState(event, *this, rules_);
  }

 private:
  const RoomVersionRules& rules_;
  std::string room_id_;
  std::map<std::pair<std::string, std::string>, std::pair<const Json*, std::string>> entries_;
  std::vector<std::unique_ptr<Json>> storage_;
};

// Checks a decision: outcome, code, rule, and that the trace ends with the
// deciding rule (for both outcomes).
void ExpectDecision(const AuthDecision& d, bool allowed, const std::string& code,
                    const std::string& rule) {
  std::string all;
  for (const auto& t : d.trace) all += "\n    " + t;
  SCOPED_TRACE("trace:" + all + "\n  error: " + d.error.code + " / " + d.error.message);
  EXPECT_EQ(d.allowed, allowed);
  EXPECT_EQ(d.rule, rule);
  if (allowed) {
    EXPECT_TRUE(d.error.code.empty()) << d.error.code;
  } else {
    EXPECT_EQ(d.error.code, code);
    EXPECT_EQ(d.error.rule, rule);
    EXPECT_FALSE(d.error.message.empty());
  }
  ASSERT_FALSE(d.trace.empty());
  EXPECT_EQ(d.trace.back().rfind(rule + ": ", 0), 0u) << d.trace.back();
  EXPECT_NE(d.trace.back().find(allowed ? ": allow" : ": reject"), std::string::npos)
      << d.trace.back();
}

void ExpectAllowed(const AuthDecision& d, const std::string& rule) {
  ExpectDecision(d, true, "", rule);
}
void ExpectRejected(const AuthDecision& d, const std::string& code, const std::string& rule) {
  ExpectDecision(d, false, code, rule);
}

bool TraceMentions(const AuthDecision& d, const std::string& rule) {
  for (const auto& t : d.trace) {
    if (t.rfind(rule + ": ", 0) == 0) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------
// Rule 1: the create event.

TEST(AuthCreate, AllowedInEachNumbering) {
  for (auto [version, rule] : std::vector<std::pair<std::string, std::string>>{
           {"1", "v1 auth rule 1.5"}, {"10", "v10 auth rule 1.5"},
           {"11", "v11 auth rule 1.4"}, {"12", "v12 auth rule 1.5"}}) {
    SCOPED_TRACE(version);
    TestRoom room(version);
    const Json& create = *room.Get("m.room.create", "").event;
    ExpectAllowed(AuthorizeWithAuthEvents(create, {}, room.rules()), rule);
    ExpectAllowed(room.AgainstState(create), rule);
  }
}

TEST(AuthCreate, Rejected) {
  {
    Ev e("$c", "m.room.create", kAlice);
    e.Key("").Room("!room:example.org").Content(R"({"creator":"@alice:example.org"})");
    ExpectRejected(AuthorizeWithAuthEvents(e.json(), {}, Rules("1")),
                   "auth.create.has_prev_events", "v1 auth rule 1.1");
    e.Prev({}).Room("!room:other.example");
    ExpectRejected(AuthorizeWithAuthEvents(e.json(), {}, Rules("1")),
                   "auth.create.room_id_domain", "v1 auth rule 1.2");
    e.Room("!room:example.org").Content(R"({"creator":"@alice:example.org","room_version":"99"})");
    ExpectRejected(AuthorizeWithAuthEvents(e.json(), {}, Rules("6")),
                   "auth.create.unknown_room_version", "v6 auth rule 1.3");
    e.Content("{}");
    ExpectRejected(AuthorizeWithAuthEvents(e.json(), {}, Rules("10")),
                   "auth.create.missing_creator", "v10 auth rule 1.4");
    // v11 no longer needs content.creator.
    ExpectAllowed(AuthorizeWithAuthEvents(e.json(), {}, Rules("11")), "v11 auth rule 1.4");
  }
  {
    Ev e("$c", "m.room.create", kAlice);
    e.Key("").Prev({}).Room("!create").Content(R"({"room_version":"12"})");
    ExpectRejected(AuthorizeWithAuthEvents(e.json(), {}, Rules("12")),
                   "auth.create.has_room_id", "v12 auth rule 1.2");
    e.Erase("room_id").Content(R"({"room_version":"12","additional_creators":["not a user"]})");
    ExpectRejected(AuthorizeAgainstState(e.json(), TestRoom("12"), Rules("12")),
                   "auth.create.bad_additional_creators", "v12 auth rule 1.4");
  }
}

// ---------------------------------------------------------------------------
// v12 rule 2: room_id names the create event.

TEST(AuthRoomIdIsCreate, V12) {
  TestRoom room("12");
  Json msg = room.Message("$m", kCarol).Take();
  AuthDecision ok = room.WithAuthEvents(msg);
  ExpectAllowed(ok, "v12 auth rule 11");
  EXPECT_TRUE(TraceMentions(ok, "v12 auth rule 2"));
  EXPECT_TRUE(TraceMentions(ok, "v12 auth rule 3"));

  // The create event not supplied.
  Json other = room.Message("$m", kCarol).Room("!some-other-room").Take();
  ExpectRejected(room.WithAuthEvents(other), "auth.room_id_not_create", "v12 auth rule 2");
  // Supplied but rejected.
  std::vector<AuthEvent> supplied = {
      {room.Get("m.room.create", "").event, "$create", true},
      {room.Get("m.room.power_levels", "").event, "$pl", false},
      {room.Get("m.room.member", kCarol).event, "$join-carol", false}};
  msg.Set("auth_events", Json(Json::Array{Json("$pl"), Json("$join-carol")}));
  ExpectRejected(AuthorizeWithAuthEvents(msg, supplied, room.rules()),
                 "auth.room_id_not_create", "v12 auth rule 2");
}

// ---------------------------------------------------------------------------
// Rule 2 (v12: 3): the auth_events list.

TEST(AuthAuthEvents, ListChecks) {
  TestRoom room("1");
  const RoomVersionRules& r = room.rules();
  const Json* create = room.Get("m.room.create", "").event;
  const Json* pl = room.Get("m.room.power_levels", "").event;
  const Json* carol = room.Get("m.room.member", kCarol).event;
  const Json* jr = room.Get("m.room.join_rules", "").event;
  Json msg = room.Message("$m", kCarol).Take();
  auto cite = [&msg](std::vector<std::string> ids) {
    Json::Array a;
    for (auto& id : ids) a.push_back(Json(Json::Array{Json(id), J(R"({"sha256":"x"})")}));
    msg.Set("auth_events", Json(std::move(a)));
  };
  std::vector<AuthEvent> all = {{create, "$create", false},
                                {pl, "$pl", false},
                                {carol, "$join-carol", false},
                                {jr, "$jr", false}};

  cite({"$create", "$pl", "$join-carol"});
  ExpectAllowed(AuthorizeWithAuthEvents(msg, all, r), "v1 auth rule 12");

  cite({"$create", "$pl", "$join-carol", "$missing"});
  ExpectRejected(AuthorizeWithAuthEvents(msg, all, r), "auth.auth_events.missing",
                 "v1 auth rule 2");

  Json carol2 = *carol;
  carol2.Set("event_id", Json("$join-carol-2"));
  std::vector<AuthEvent> dup = all;
  dup.push_back({&carol2, "$join-carol-2", false});
  cite({"$create", "$pl", "$join-carol", "$join-carol-2"});
  ExpectRejected(AuthorizeWithAuthEvents(msg, dup, r), "auth.auth_events.duplicate",
                 "v1 auth rule 2.1");

  cite({"$create", "$pl", "$join-carol", "$jr"});  // join rules: not for a message
  ExpectRejected(AuthorizeWithAuthEvents(msg, all, r), "auth.auth_events.not_selected",
                 "v1 auth rule 2.2");

  std::vector<AuthEvent> rejected = all;
  rejected[1].rejected = true;
  cite({"$create", "$pl", "$join-carol"});
  ExpectRejected(AuthorizeWithAuthEvents(msg, rejected, r), "auth.auth_events.rejected",
                 "v1 auth rule 2.3");

  cite({"$pl", "$join-carol"});
  ExpectRejected(AuthorizeWithAuthEvents(msg, all, r), "auth.auth_events.no_create",
                 "v1 auth rule 2.4");

  Json pl_elsewhere = *pl;
  pl_elsewhere.Set("room_id", Json("!elsewhere:example.org"));
  std::vector<AuthEvent> wrong_room = all;
  wrong_room[1].event = &pl_elsewhere;
  cite({"$create", "$pl", "$join-carol"});
  ExpectRejected(AuthorizeWithAuthEvents(msg, wrong_room, r), "auth.auth_events.wrong_room",
                 "v1 auth rule 2.5");
}

TEST(AuthAuthEvents, V12NumberingAndCreateNeverCited) {
  TestRoom room("12");
  Json msg = room.Message("$m", kCarol).Take();
  msg.Set("auth_events", Json(Json::Array{Json("$create"), Json("$pl"), Json("$join-carol")}));
  std::vector<AuthEvent> supplied = {
      {room.Get("m.room.create", "").event, "$create", false},
      {room.Get("m.room.power_levels", "").event, "$pl", false},
      {room.Get("m.room.member", kCarol).event, "$join-carol", false}};
  ExpectRejected(AuthorizeWithAuthEvents(msg, supplied, room.rules()),
                 "auth.auth_events.not_selected", "v12 auth rule 3.2");
  msg.Set("auth_events", Json(Json::Array{Json("$pl"), Json("$join-carol")}));
  ExpectAllowed(AuthorizeWithAuthEvents(msg, supplied, room.rules()), "v12 auth rule 11");
}

// ---------------------------------------------------------------------------
// Rule 3 (v12: 4): m.federate.

TEST(AuthFederate, FalseRefusesOtherServers) {
  for (auto [version, rule] : std::vector<std::pair<std::string, std::string>>{
           {"1", "v1 auth rule 3"}, {"6", "v6 auth rule 3"}, {"12", "v12 auth rule 4"}}) {
    SCOPED_TRACE(version);
    TestRoom room(version, "public");
    Json create = *room.Get("m.room.create", "").event;
    create.Find("content")->Set("m.federate", Json(false));
    room.Put(std::move(create));
    room.Put(room.MemberEv("$join-eve", kEve, kEve, "join").Take());
    ExpectRejected(room.WithAuthEvents(room.Message("$m", kEve).Take()), "auth.federate", rule);
    // Same server as the creator: allowed (by the last rule).
    AuthDecision ok = room.WithAuthEvents(room.Message("$m", kCarol).Take());
    EXPECT_TRUE(ok.allowed) << ok.error.code;
  }
}

// ---------------------------------------------------------------------------
// Rule 4 (v1-5): m.room.aliases.

TEST(AuthAliases, V1ToV5) {
  TestRoom room("5");
  Json ok = room.StateEv("$a", "m.room.aliases", kEve, "remote.example.net")
                .Content(R"({"aliases":["#x:remote.example.net"]})")
                .Take();
  // The sender need not even be in the room.
  ExpectAllowed(room.WithAuthEvents(ok), "v5 auth rule 4.3");
  Json bad = room.StateEv("$a", "m.room.aliases", kEve, "example.org").Take();
  ExpectRejected(room.WithAuthEvents(bad), "auth.aliases.wrong_server", "v5 auth rule 4.2");
  Json no_key = room.StateEv("$a", "m.room.aliases", kEve, "x").Erase("state_key").Take();
  ExpectRejected(room.AgainstState(no_key), "auth.aliases.no_state_key", "v5 auth rule 4.1");
  // From v6 aliases are an ordinary state event: Eve is not joined.
  TestRoom v6("6");
  ExpectRejected(v6.WithAuthEvents(ok), "auth.sender_not_joined", "v6 auth rule 5");
}

// ---------------------------------------------------------------------------
// Rule 5 (v6: 4, v12: 5): m.room.member.

TEST(AuthMember, BadContentAndUnknownMembership) {
  TestRoom room("1");
  Json no_membership = room.MemberEv("$m", kDave, kDave, "join").Content("{}").Take();
  ExpectRejected(room.AgainstState(no_membership), "auth.member.bad_content", "v1 auth rule 5.1");
  ExpectRejected(room.WithAuthEvents(room.MemberEv("$m", kDave, kDave, "knock").Take()),
                 "auth.member.unknown_membership", "v1 auth rule 5.6");
  TestRoom v7("7", "knock");
  ExpectRejected(v7.WithAuthEvents(v7.MemberEv("$m", kDave, kDave, "dance").Take()),
                 "auth.member.unknown_membership", "v7 auth rule 4.7");
}

TEST(AuthMember, JoinUnderInviteRule) {
  TestRoom v1("1", "invite");
  ExpectRejected(v1.WithAuthEvents(v1.MemberEv("$m", kDave, kDave, "join").Take()),
                 "auth.member.join.not_invited", "v1 auth rule 5.2.4");
  v1.Put(v1.MemberEv("$inv-dave", kBob, kDave, "invite").Take());
  ExpectAllowed(v1.WithAuthEvents(v1.MemberEv("$m", kDave, kDave, "join").Take()),
                "v1 auth rule 5.2.4");

  TestRoom v6("6", "invite");
  ExpectRejected(v6.WithAuthEvents(v6.MemberEv("$m", kDave, kDave, "join").Take()),
                 "auth.member.join.not_invited", "v6 auth rule 4.2.4");
  v6.Put(v6.MemberEv("$inv-dave", kBob, kDave, "invite").Take());
  ExpectAllowed(v6.WithAuthEvents(v6.MemberEv("$m", kDave, kDave, "join").Take()),
                "v6 auth rule 4.2.4");
}

TEST(AuthMember, JoinOtherRules) {
  TestRoom room("10", "public");
  ExpectAllowed(room.WithAuthEvents(room.MemberEv("$m", kDave, kDave, "join").Take()),
                "v10 auth rule 4.3.6");
  ExpectRejected(room.WithAuthEvents(room.MemberEv("$m", kBob, kDave, "join").Take()),
                 "auth.member.join.not_self", "v10 auth rule 4.3.2");
  room.Put(room.MemberEv("$ban-dave", kBob, kDave, "ban").Take());
  ExpectRejected(room.WithAuthEvents(room.MemberEv("$m", kDave, kDave, "join").Take()),
                 "auth.member.join.banned", "v10 auth rule 4.3.3");
  TestRoom priv("10", "private");
  ExpectRejected(priv.WithAuthEvents(priv.MemberEv("$m", kDave, kDave, "join").Take()),
                 "auth.member.join.forbidden", "v10 auth rule 4.3.7");
}

TEST(AuthMember, CreatorFirstJoin) {
  for (auto [version, rule] : std::vector<std::pair<std::string, std::string>>{
           {"1", "v1 auth rule 5.2.1"}, {"12", "v12 auth rule 5.3.1"}}) {
    SCOPED_TRACE(version);
    TestRoom room(version, "", "");
    room.Remove("m.room.member", kAlice);
    Json join = room.MemberEv("$m", kAlice, kAlice, "join").Prev({"$create"}).Take();
    ExpectAllowed(room.WithAuthEvents(join), rule);
    // Someone else's "first join" is not the creator's.
    Json other = room.MemberEv("$m", kDave, kDave, "join").Prev({"$create"}).Take();
    EXPECT_FALSE(room.WithAuthEvents(other).allowed);
  }
}

TEST(AuthMember, RestrictedJoinV8) {
  TestRoom room("8", "restricted");
  Json via_bob =
      room.MemberEv("$m", kDave, kDave, "join")
          .Content(R"({"membership":"join","join_authorised_via_users_server":"@bob:example.org"})")
          .Take();
  AuthDecision ok = room.WithAuthEvents(via_bob);
  ExpectAllowed(ok, "v8 auth rule 4.3.5.3");
  EXPECT_TRUE(TraceMentions(ok, "v8 auth rule 4.2"));  // the authorised-via note
  // Carol (power 0) may not authorise: the invite level is 0 by default, so
  // raise it.
  TestRoom strict("8", "restricted",
                  R"({"invite":50,"users":{"@alice:example.org":100,"@bob:example.org":50}})");
  Json via_carol =
      strict.MemberEv("$m", kDave, kDave, "join")
          .Content(
              R"({"membership":"join","join_authorised_via_users_server":"@carol:example.org"})")
          .Take();
  ExpectRejected(strict.WithAuthEvents(via_carol), "auth.member.join.bad_authoriser",
                 "v8 auth rule 4.3.5.2");
  ExpectRejected(room.WithAuthEvents(room.MemberEv("$m", kDave, kDave, "join").Take()),
                 "auth.member.join.bad_authoriser", "v8 auth rule 4.3.5.2");
  // v7 has no restricted rule: the join rule admits nothing.
  TestRoom v7("7", "restricted");
  ExpectRejected(v7.WithAuthEvents(v7.MemberEv("$m", kDave, kDave, "join").Take()),
                 "auth.member.join.forbidden", "v7 auth rule 4.2.6");
}

TEST(AuthMember, Invite) {
  TestRoom room("6", "invite");
  ExpectAllowed(room.WithAuthEvents(room.MemberEv("$m", kCarol, kDave, "invite").Take()),
                "v6 auth rule 4.3.4");
  ExpectRejected(room.WithAuthEvents(room.MemberEv("$m", kCarol, kBob, "invite").Take()),
                 "auth.member.invite.target_joined_or_banned", "v6 auth rule 4.3.3");
  ExpectRejected(room.WithAuthEvents(room.MemberEv("$m", kEve, kDave, "invite").Take()),
                 "auth.member.invite.sender_not_joined", "v6 auth rule 4.3.2");
  TestRoom high("6", "invite",
                R"({"invite":10,"users":{"@alice:example.org":100,"@bob:example.org":50}})");
  ExpectRejected(high.WithAuthEvents(high.MemberEv("$m", kCarol, kDave, "invite").Take()),
                 "auth.member.invite.insufficient_power", "v6 auth rule 4.3.5");
  // Third-party invite without a matching m.room.third_party_invite.
  Json tpi = room.MemberEv("$m", kCarol, kDave, "invite")
                 .Content(R"({"membership":"invite","third_party_invite":{"display_name":"d",
                     "signed":{"mxid":"@dave:example.org","token":"tok","signatures":{}}}})")
                 .Take();
  ExpectRejected(room.WithAuthEvents(tpi), "auth.member.invite.no_third_party_invite",
                 "v6 auth rule 4.3.1.5");
}

TEST(AuthMember, LeaveAndKick) {
  TestRoom room("1");
  ExpectAllowed(room.WithAuthEvents(room.MemberEv("$m", kCarol, kCarol, "leave").Take()),
                "v1 auth rule 5.4.1");
  ExpectRejected(room.WithAuthEvents(room.MemberEv("$m", kDave, kDave, "leave").Take()),
                 "auth.member.leave.not_member", "v1 auth rule 5.4.1");
  ExpectAllowed(room.WithAuthEvents(room.MemberEv("$m", kBob, kCarol, "leave").Take()),
                "v1 auth rule 5.4.4");
  ExpectRejected(room.WithAuthEvents(room.MemberEv("$m", kCarol, kBob, "leave").Take()),
                 "auth.member.leave.insufficient_power", "v1 auth rule 5.4.5");
  ExpectRejected(room.WithAuthEvents(room.MemberEv("$m", kEve, kCarol, "leave").Take()),
                 "auth.member.leave.sender_not_joined", "v1 auth rule 5.4.2");
  TestRoom unban("1", "invite",
                 R"({"ban":60,"users":{"@alice:example.org":100,"@bob:example.org":50}})");
  unban.Put(unban.MemberEv("$ban-dave", kAlice, kDave, "ban").Take());
  ExpectRejected(unban.WithAuthEvents(unban.MemberEv("$m", kBob, kDave, "leave").Take()),
                 "auth.member.leave.unban_insufficient_power", "v1 auth rule 5.4.3");
}

TEST(AuthMember, Ban) {
  TestRoom room("12");
  ExpectAllowed(room.WithAuthEvents(room.MemberEv("$m", kBob, kCarol, "ban").Take()),
                "v12 auth rule 5.6.2");
  // A v12 creator cannot be banned, not even by a 100-power user.
  ExpectRejected(room.WithAuthEvents(room.MemberEv("$m", kBob, kAlice, "ban").Take()),
                 "auth.member.ban.insufficient_power", "v12 auth rule 5.6.3");
  ExpectRejected(room.WithAuthEvents(room.MemberEv("$m", kEve, kCarol, "ban").Take()),
                 "auth.member.ban.sender_not_joined", "v12 auth rule 5.6.1");
}

TEST(AuthMember, Knock) {
  TestRoom room("7", "knock");
  ExpectAllowed(room.WithAuthEvents(room.MemberEv("$m", kDave, kDave, "knock").Take()),
                "v7 auth rule 4.6.3");
  ExpectRejected(room.WithAuthEvents(room.MemberEv("$m", kBob, kDave, "knock").Take()),
                 "auth.member.knock.not_self", "v7 auth rule 4.6.2");
  ExpectRejected(room.WithAuthEvents(room.MemberEv("$m", kCarol, kCarol, "knock").Take()),
                 "auth.member.knock.bad_membership", "v7 auth rule 4.6.4");
  TestRoom inv("7", "invite");
  ExpectRejected(inv.WithAuthEvents(inv.MemberEv("$m", kDave, kDave, "knock").Take()),
                 "auth.member.knock.join_rule", "v7 auth rule 4.6.1");
  // v10 knock_restricted admits knocks; v8 knock is member rule x.7.
  TestRoom v10("10", "knock_restricted");
  ExpectAllowed(v10.WithAuthEvents(v10.MemberEv("$m", kDave, kDave, "knock").Take()),
                "v10 auth rule 4.7.3");
}

// ---------------------------------------------------------------------------
// Rule 6 (v6: 5, v12: 6): the sender must be joined.

TEST(AuthSenderJoined, NonMemberMessage) {
  TestRoom room("1");
  ExpectRejected(room.WithAuthEvents(room.Message("$m", kDave).Take()), "auth.sender_not_joined",
                 "v1 auth rule 6");
  room.Put(room.MemberEv("$inv-dave", kBob, kDave, "invite").Take());
  ExpectRejected(room.WithAuthEvents(room.Message("$m", kDave).Take()), "auth.sender_not_joined",
                 "v1 auth rule 6");
  AuthDecision ok = room.WithAuthEvents(room.Message("$m", kCarol).Take());
  ExpectAllowed(ok, "v1 auth rule 12");
  TestRoom v12("12");
  ExpectRejected(v12.WithAuthEvents(v12.Message("$m", kDave).Take()), "auth.sender_not_joined",
                 "v12 auth rule 6");
}

// ---------------------------------------------------------------------------
// Rule 7 (v6: 6): m.room.third_party_invite.

TEST(AuthThirdPartyInviteEvent, InviteLevel) {
  TestRoom room("1");
  Json tpi = room.StateEv("$t", "m.room.third_party_invite", kCarol, "tok")
                 .Content(R"({"display_name":"d","public_key":"abc"})")
                 .Take();
  ExpectAllowed(room.WithAuthEvents(tpi), "v1 auth rule 7.1");
  TestRoom high("6", "invite",
                R"({"invite":1,"users":{"@alice:example.org":100,"@bob:example.org":50}})");
  ExpectRejected(high.WithAuthEvents(tpi), "auth.third_party_invite.insufficient_power",
                 "v6 auth rule 6.1");
}

// ---------------------------------------------------------------------------
// Rule 8 (v6: 7): the required power level.

TEST(AuthRequiredPower, StateDefault) {
  TestRoom room("1");
  Json topic = room.StateEv("$t", "m.room.topic", kCarol, "").Content(R"({"topic":"x"})").Take();
  ExpectRejected(room.WithAuthEvents(topic), "auth.insufficient_power", "v1 auth rule 8");
  topic.Set("sender", Json(kBob));
  AuthDecision ok = room.WithAuthEvents(topic);
  ExpectAllowed(ok, "v1 auth rule 12");
  EXPECT_TRUE(TraceMentions(ok, "v1 auth rule 8"));
  TestRoom v6("6", "invite",
              R"({"events":{"m.room.message":10},"users":{"@alice:example.org":100}})");
  ExpectRejected(v6.WithAuthEvents(v6.Message("$m", kCarol).Take()), "auth.insufficient_power",
                 "v6 auth rule 7");
}

// ---------------------------------------------------------------------------
// Rule 9 (v6: 8): state keys starting with @.

TEST(AuthStateKeyUser, Impersonation) {
  TestRoom room("6");
  Json other = room.StateEv("$s", "m.custom", kBob, kCarol).Take();
  ExpectRejected(room.WithAuthEvents(other), "auth.state_key_impersonation", "v6 auth rule 8");
  Json own = room.StateEv("$s", "m.custom", kBob, kBob).Take();
  ExpectAllowed(room.WithAuthEvents(own), "v6 auth rule 10");
}

// ---------------------------------------------------------------------------
// Rule 10 (v6: 9, v12: 10): m.room.power_levels.

TEST(AuthPowerLevels, NoPreviousAndChanges) {
  TestRoom none("1", "invite", "");
  Json first = none.StateEv("$p", "m.room.power_levels", kAlice, "")
                   .Content(R"({"users":{"@alice:example.org":100}})")
                   .Take();
  ExpectAllowed(none.WithAuthEvents(first), "v1 auth rule 10.2");

  TestRoom room("1");
  Json raise = room.StateEv("$p", "m.room.power_levels", kBob, "")
                   .Content(R"({"users_default":60,
                       "users":{"@alice:example.org":100,"@bob:example.org":50}})")
                   .Take();
  ExpectRejected(room.WithAuthEvents(raise), "auth.power_levels.level_above_sender",
                 "v1 auth rule 10.3.2");
  Json demote_alice = room.StateEv("$p", "m.room.power_levels", kBob, "")
                          .Content(R"({"users":{"@alice:example.org":0,"@bob:example.org":50}})")
                          .Take();
  ExpectRejected(room.WithAuthEvents(demote_alice), "auth.power_levels.user_not_below_sender",
                 "v1 auth rule 10.6.1");
  Json promote_carol =
      room.StateEv("$p", "m.room.power_levels", kBob, "")
          .Content(
              R"({"users":{"@alice:example.org":100,"@bob:example.org":50,"@carol:example.org":"50"}})")
          .Take();
  ExpectAllowed(room.WithAuthEvents(promote_carol), "v1 auth rule 10.8");
}

TEST(AuthPowerLevels, V10IntegersOnly) {
  TestRoom room("10");
  Json stringy = room.StateEv("$p", "m.room.power_levels", kAlice, "")
                     .Content(R"({"ban":"50","users":{"@alice:example.org":100}})")
                     .Take();
  ExpectRejected(room.WithAuthEvents(stringy), "auth.power_levels.bad_value", "v10 auth rule 9.1");
  Json ok = room.StateEv("$p", "m.room.power_levels", kAlice, "")
                .Content(R"({"ban":50,"users":{"@alice:example.org":100}})")
                .Take();
  ExpectAllowed(room.WithAuthEvents(ok), "v10 auth rule 9.10");
  // The same string value is fine in v9.
  TestRoom v9("9");
  ExpectAllowed(v9.WithAuthEvents(stringy), "v9 auth rule 9.8");
}

TEST(AuthPowerLevels, V12CreatorsNotInUsers) {
  TestRoom room("12");
  Json listed = room.StateEv("$p", "m.room.power_levels", kAlice, "")
                    .Content(R"({"users":{"@alice:example.org":100}})")
                    .Take();
  ExpectRejected(room.WithAuthEvents(listed), "auth.power_levels.creator_in_users",
                 "v12 auth rule 10.4");
  Json ok = room.StateEv("$p", "m.room.power_levels", kAlice, "")
                .Content(R"({"users":{"@bob:example.org":99}})")
                .Take();
  ExpectAllowed(room.WithAuthEvents(ok), "v12 auth rule 10.11");
}

// ---------------------------------------------------------------------------
// Rule 11 (v1-2): m.room.redaction.

TEST(AuthRedaction, V1ToV2) {
  TestRoom room("2");
  Json same_server = room.Message("$r:example.org", kCarol).Take();
  same_server.Set("type", Json("m.room.redaction"));
  same_server.Set("redacts", Json("$target:example.org"));
  ExpectAllowed(room.WithAuthEvents(same_server), "v2 auth rule 11.2");
  Json other_server = same_server;
  other_server.Set("redacts", Json("$target:remote.example.net"));
  ExpectRejected(room.WithAuthEvents(other_server), "auth.redaction.insufficient_power",
                 "v2 auth rule 11.3");
  other_server.Set("sender", Json(kBob));
  ExpectAllowed(room.WithAuthEvents(other_server), "v2 auth rule 11.1");
  // From v3 redactions go by the last rule (checked after the fact).
  TestRoom v3("3");
  ExpectAllowed(v3.WithAuthEvents(same_server), "v3 auth rule 11");
}

// ---------------------------------------------------------------------------
// The last rule: otherwise, allow.

TEST(AuthOtherwise, NumberPerVersion) {
  for (auto [version, rule] : std::vector<std::pair<std::string, std::string>>{
           {"1", "v1 auth rule 12"}, {"2", "v2 auth rule 12"}, {"3", "v3 auth rule 11"},
           {"5", "v5 auth rule 11"}, {"6", "v6 auth rule 10"}, {"11", "v11 auth rule 10"},
           {"12", "v12 auth rule 11"}, {"org.matrix.hydra.11", "org.matrix.hydra.11 auth rule 11"}}) {
    SCOPED_TRACE(version);
    TestRoom room(version);
    Json msg = room.Message("$m", kCarol).Take();
    ExpectAllowed(room.WithAuthEvents(msg), rule);
    ExpectAllowed(room.AgainstState(msg), rule);
  }
}

// ---------------------------------------------------------------------------
// AuthEventSelection.

std::vector<StateKey> Keys(std::vector<std::pair<std::string, std::string>> pairs) {
  std::vector<StateKey> out;
  for (auto& [t, k] : pairs) out.push_back(StateKey{t, k});
  return out;
}

TEST(AuthEventSelectionTest, PerMembership) {
  const RoomVersionRules& v10 = Rules("10");
  for (std::string m : {"join", "invite", "knock"}) {
    SCOPED_TRACE(m);
    Json e = Member("$m", kBob, kDave, m).Take();
    EXPECT_EQ(AuthEventSelection(e, v10),
              Keys({{"m.room.create", ""},
                    {"m.room.power_levels", ""},
                    {"m.room.member", kBob},
                    {"m.room.member", kDave},
                    {"m.room.join_rules", ""}}));
  }
  for (std::string m : {"leave", "ban"}) {
    SCOPED_TRACE(m);
    Json e = Member("$m", kBob, kDave, m).Take();
    EXPECT_EQ(AuthEventSelection(e, v10), Keys({{"m.room.create", ""},
                                                {"m.room.power_levels", ""},
                                                {"m.room.member", kBob},
                                                {"m.room.member", kDave}}));
  }
  // Self-targeted: the member key appears once.
  Json self = Member("$m", kDave, kDave, "leave").Take();
  EXPECT_EQ(AuthEventSelection(self, v10),
            Keys({{"m.room.create", ""}, {"m.room.power_levels", ""}, {"m.room.member", kDave}}));
}

TEST(AuthEventSelectionTest, ThirdPartyInviteToken) {
  Json e = Member("$m", kBob, kDave, "invite")
               .Content(R"({"membership":"invite","third_party_invite":{
                   "signed":{"mxid":"@dave:example.org","token":"abc"}}})")
               .Take();
  std::vector<StateKey> keys = AuthEventSelection(e, Rules("6"));
  ASSERT_FALSE(keys.empty());
  EXPECT_EQ(keys.back(), (StateKey{"m.room.third_party_invite", "abc"}));
  // Only for invites.
  e.Find("content")->Set("membership", Json("join"));
  for (const StateKey& k : AuthEventSelection(e, Rules("6")))
    EXPECT_NE(k.type, "m.room.third_party_invite");
}

TEST(AuthEventSelectionTest, RestrictedAuthoriserOnlyJoinAndV8Plus) {
  auto with_via = [](std::string membership) {
    return Member("$m", kDave, kDave, membership)
        .Content(R"({"membership":")" + membership +
                 R"(","join_authorised_via_users_server":"@bob:example.org"})")
        .Take();
  };
  const StateKey authoriser{"m.room.member", kBob};
  for (const RoomVersionRules& rules : AllRoomVersions()) {
    SCOPED_TRACE(std::string(rules.id));
    auto join_keys = AuthEventSelection(with_via("join"), rules);
    bool has = std::find(join_keys.begin(), join_keys.end(), authoriser) != join_keys.end();
    EXPECT_EQ(has, rules.auth.restricted_join);
    auto knock_keys = AuthEventSelection(with_via("knock"), rules);
    EXPECT_EQ(std::find(knock_keys.begin(), knock_keys.end(), authoriser), knock_keys.end());
    auto leave_keys = AuthEventSelection(with_via("leave"), rules);
    EXPECT_EQ(std::find(leave_keys.begin(), leave_keys.end(), authoriser), leave_keys.end());
  }
  EXPECT_FALSE(Rules("7").auth.restricted_join);
  EXPECT_TRUE(Rules("8").auth.restricted_join);
}

TEST(AuthEventSelectionTest, CreateIncludedV1To11NeverV12) {
  const StateKey create{"m.room.create", ""};
  for (const std::string& v : testing::StableVersions()) {
    SCOPED_TRACE(v);
    Json msg = Ev("$m", "m.room.message", kCarol).Take();
    auto keys = AuthEventSelection(msg, Rules(v));
    bool has = std::find(keys.begin(), keys.end(), create) != keys.end();
    EXPECT_EQ(has, v != "12");
    if (v != "12") {
      EXPECT_EQ(keys.front(), create);
    }
  }
  Json msg = Ev("$m", "m.room.message", kCarol).Take();
  EXPECT_EQ(AuthEventSelection(msg, Rules("12")),
            Keys({{"m.room.power_levels", ""}, {"m.room.member", kCarol}}));
  // The create event itself selects nothing.
  Json create_event = Ev("$c", "m.room.create", kAlice).Key("").Take();
  EXPECT_TRUE(AuthEventSelection(create_event, Rules("1")).empty());
  EXPECT_TRUE(AuthEventSelection(create_event, Rules("12")).empty());
}

// ---------------------------------------------------------------------------
// UserPowerLevel.

// A create event whose sender (@alice) differs from content.creator (@carol).
TestRoom RoomWithCreator(std::string version) {
  TestRoom room(version, "invite", "");
  Json create = *room.Get("m.room.create", "").event;
  Json content = *create.Find("content");
  content.Set("creator", Json(kCarol));
  create.Set("content", std::move(content));
  room.Put(std::move(create));
  return room;
}

TEST(UserPowerLevelTest, NoPowerLevelsEvent) {
  for (std::string v : {"1", "5", "10"}) {
    SCOPED_TRACE(v);
    TestRoom room = RoomWithCreator(v);
    EXPECT_EQ(UserPowerLevel(kCarol, room, room.rules()), 100);  // content.creator
    EXPECT_EQ(UserPowerLevel(kAlice, room, room.rules()), 0);
    EXPECT_EQ(UserPowerLevel(kDave, room, room.rules()), 0);
  }
  TestRoom v11 = RoomWithCreator("11");
  EXPECT_EQ(UserPowerLevel(kAlice, v11, v11.rules()), 100);  // the sender from v11
  EXPECT_EQ(UserPowerLevel(kCarol, v11, v11.rules()), 0);

  TestRoom v12("12", "invite", "");
  Json create = *v12.Get("m.room.create", "").event;
  create.Set("content", J(R"({"room_version":"12","additional_creators":["@dan:example.org"]})"));
  v12.Put(std::move(create));
  EXPECT_EQ(UserPowerLevel(kAlice, v12, v12.rules()), kInfinitePower);
  EXPECT_EQ(UserPowerLevel("@dan:example.org", v12, v12.rules()), kInfinitePower);
  EXPECT_EQ(UserPowerLevel(kCarol, v12, v12.rules()), 0);
  // No create event at all: nobody is a creator.
  TestRoom bare("10", "invite", "");
  bare.Remove("m.room.create", "");
  EXPECT_EQ(UserPowerLevel(kAlice, bare, bare.rules()), 0);
}

TEST(UserPowerLevelTest, WithPowerLevelsEvent) {
  TestRoom room("10", "invite",
                R"({"users_default":7,"users":{"@bob:example.org":50,"@alice:example.org":100}})");
  EXPECT_EQ(UserPowerLevel(kBob, room, room.rules()), 50);
  EXPECT_EQ(UserPowerLevel(kCarol, room, room.rules()), 7);
  // v1-9 read string values; v1-5 floats (truncated).
  TestRoom v5("5", "invite", R"({"users":{"@bob:example.org":" 42 ","@carol:example.org":3.9}})");
  EXPECT_EQ(UserPowerLevel(kBob, v5, v5.rules()), 42);
  EXPECT_EQ(UserPowerLevel(kCarol, v5, v5.rules()), 3);
  // v12: creators stay infinite whatever the event says.
  TestRoom v12("12", "invite", R"({"users_default":5,"users":{"@alice:example.org":1}})");
  EXPECT_EQ(UserPowerLevel(kAlice, v12, v12.rules()), kInfinitePower);
  EXPECT_EQ(UserPowerLevel(kCarol, v12, v12.rules()), 5);
  // A value beyond v6+ canonical JSON (the format checks refuse such an
  // event) is unreadable, so it falls back to users_default: 2^63-1 must
  // never read as a creator's infinite power.
  TestRoom huge("12", "invite",
                R"({"users_default":5,"users":{"@bob:example.org":9223372036854775807}})");
  EXPECT_EQ(UserPowerLevel(kBob, huge, huge.rules()), 5);
  // v1-5 do not enforce canonical JSON: the value is read as it is.
  TestRoom v5_huge("5", "invite", R"({"users":{"@bob:example.org":9007199254740993}})");
  EXPECT_EQ(UserPowerLevel(kBob, v5_huge, v5_huge.rules()), 9007199254740993);
}

}  // namespace
}  // namespace mxstate

// RapidCheck properties of the authorization rules:
//  * the verdict (allowed, code, rule) of every auth vector of the corpus
//    does not depend on the order in which its auth events are supplied;
//  * a room version string outside the table is refused by LookupRoomVersion;
//  * random membership events against random small room states never crash
//    AuthorizeAgainstState, always name a rule and, when refused, carry an
//    "auth." code; AuthTrace::kVerdictOnly gives the same verdict, rule and
//    error without the trace, and kAllowedOnly the same verdict alone;
//  * the fields an EventGraph found when it loaded an event (what state
//    resolution hands the rules, internal::FieldsOf) decide every auth
//    vector as the event's own JSON does (a white-box check: it includes
//    the library's internal headers).
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "mxstate/auth.h"
#include "mxstate/canonical_json.h"
#include "mxstate/event_graph.h"
#include "mxstate/event_hashes.h"
#include "mxstate/json.h"
#include "mxstate/room_version.h"
#include "state_res_internal.h"

#ifndef MXSTATE_SOURCE_DIR
#error "MXSTATE_SOURCE_DIR must name the source tree (tests/CMakeLists.txt sets it)"
#endif

namespace mxstate {
namespace {

// ---------------------------------------------------------------------------
// The auth vectors of the corpus.

struct AuthVector {
  std::string id;
  const RoomVersionRules* rules = nullptr;
  std::shared_ptr<Json> file;  // keeps `event` and the auth events alive
  const Json* event = nullptr;
  std::vector<AuthEvent> auth_events;
};

const std::vector<AuthVector>& AuthVectors() {
  static const std::vector<AuthVector> vectors = [] {
    std::vector<AuthVector> out;
    std::vector<std::filesystem::path> paths;
    for (const auto& entry :
         std::filesystem::directory_iterator(std::string(MXSTATE_SOURCE_DIR) + "/spec-vectors/auth")) {
      if (entry.path().extension() == ".json") paths.push_back(entry.path());
    }
    std::sort(paths.begin(), paths.end());
    for (const auto& path : paths) {
      std::ifstream in(path, std::ios::binary);
      std::stringstream text;
      text << in.rdbuf();
      ParseOptions options;
      options.numbers = NumberPolicy::kLegacyPython;
      auto parsed = ParseJson(text.str(), options);
      if (!parsed) {
        ADD_FAILURE() << path << ": " << parsed.error().ToString();
        continue;
      }
      auto file = std::make_shared<Json>(*std::move(parsed));
      const Json* tests = file->Find("tests");
      if (tests == nullptr || !tests->is_array()) continue;
      for (const Json& test : tests->as_array()) {
        AuthVector v;
        v.file = file;
        v.id = test.FindString("id") ? *test.FindString("id") : "?";
        const std::string* version = test.FindString("room_version");
        v.rules = version ? FindRoomVersion(*version) : nullptr;
        const Json* input = test.Find("input");
        v.event = input ? input->Find("event") : nullptr;
        const Json* list = input ? input->Find("auth_events") : nullptr;
        if (v.rules == nullptr || v.event == nullptr || list == nullptr || !list->is_array()) {
          ADD_FAILURE() << v.id << ": unexpected vector shape";
          continue;
        }
        for (const Json& item : list->as_array()) {
          v.auth_events.push_back(
              AuthEvent{&item, DeclaredOrComputedEventId(item, *v.rules), false});
        }
        out.push_back(std::move(v));
      }
    }
    return out;
  }();
  return vectors;
}

struct Verdict {
  bool allowed;
  std::string code;
  std::string rule;
  friend bool operator==(const Verdict&, const Verdict&) = default;
};

std::ostream& operator<<(std::ostream& os, const Verdict& v) {
  return os << (v.allowed ? "allowed" : "rejected") << " code=" << v.code << " rule=" << v.rule;
}

Verdict Judge(const AuthVector& v, const std::vector<AuthEvent>& auth_events) {
  AuthDecision d = AuthorizeWithAuthEvents(*v.event, auth_events, *v.rules);
  return Verdict{d.allowed, d.error.code, d.rule};
}

TEST(AuthVectors, AllLoaded) {
  // 859 when these tests were written; the suite only grows.
  EXPECT_GE(AuthVectors().size(), 859u);
}

// Deterministic companion of the property below: every vector, reversed and
// rotated by one.
TEST(AuthVectors, VerdictIndependentOfReversalAndRotation) {
  for (const AuthVector& v : AuthVectors()) {
    SCOPED_TRACE(v.id);
    const Verdict base = Judge(v, v.auth_events);
    std::vector<AuthEvent> reversed(v.auth_events.rbegin(), v.auth_events.rend());
    EXPECT_EQ(Judge(v, reversed), base);
    if (v.auth_events.size() > 1) {
      std::vector<AuthEvent> rotated = v.auth_events;
      std::rotate(rotated.begin(), rotated.begin() + 1, rotated.end());
      EXPECT_EQ(Judge(v, rotated), base);
    }
  }
}

RC_GTEST_PROP(AuthProperties, VerdictIndependentOfAuthEventOrder, ()) {
  const auto& vectors = AuthVectors();
  RC_PRE(!vectors.empty());
  const size_t index = *rc::gen::inRange<size_t>(0, vectors.size()).as("vector index");
  const AuthVector& v = vectors[index];
  RC_TAG(v.rules->id);
  // A random permutation: sort the positions by random keys.
  const auto keys = *rc::gen::container<std::vector<uint32_t>>(v.auth_events.size(),
                                                              rc::gen::arbitrary<uint32_t>());
  std::vector<size_t> order(v.auth_events.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&keys](size_t a, size_t b) { return keys[a] < keys[b]; });
  std::vector<AuthEvent> shuffled;
  for (size_t i : order) shuffled.push_back(v.auth_events[i]);
  const Verdict base = Judge(v, v.auth_events);
  const Verdict permuted = Judge(v, shuffled);
  RC_LOG() << v.id << "\n";
  RC_ASSERT(permuted == base);
}

// ---------------------------------------------------------------------------
// Room version strings outside the table.

bool InTable(std::string_view id) {
  for (const RoomVersionRules& r : AllRoomVersions()) {
    if (r.id == id) return true;
  }
  return false;
}

rc::Gen<std::string> GenVersionLike() {
  std::vector<std::string> known;
  for (const RoomVersionRules& r : AllRoomVersions()) known.emplace_back(r.id);
  return rc::gen::oneOf(
      rc::gen::arbitrary<std::string>(),
      rc::gen::map(rc::gen::inRange<int64_t>(-5, 100000), [](int64_t n) { return std::to_string(n); }),
      // A known ID with something added: "10 ", "v10", "010", "12\0", "1.0", ...
      rc::gen::apply(
          [](std::string id, std::string prefix, std::string suffix) {
            return prefix + id + suffix;
          },
          rc::gen::elementOf(known),
          rc::gen::elementOf(std::vector<std::string>{"", "", "v", "0", " ", "+", "V"}),
          rc::gen::elementOf(std::vector<std::string>{"", ".0", " ", "\n", std::string(1, '\0'),
                                                      "a", "0", ".11", "-"})),
      // Known IDs in upper case and with one character changed.
      rc::gen::map(rc::gen::elementOf(known), [](std::string id) {
        std::transform(id.begin(), id.end(), id.begin(),
                       [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
        return id;
      }));
}

RC_GTEST_PROP(AuthProperties, UnknownRoomVersionsAreRefused, ()) {
  const std::string id = *GenVersionLike();
  RC_PRE(!InTable(id));
  auto looked_up = LookupRoomVersion(id);
  RC_ASSERT(!looked_up.has_value());
  RC_ASSERT(looked_up.error().code == "room_version.unknown");
  RC_ASSERT(FindRoomVersion(id) == nullptr);
}

// The vector's event and auth events by ID, for an EventGraph; and its
// auth events as the state the rules look at.
class VectorEvents : public EventSource, public AuthState {
 public:
  explicit VectorEvents(const AuthVector& v) {
    for (const AuthEvent& a : v.auth_events) {
      by_id_[std::string(a.event_id)] = a.event;
      const std::string* type = a.event->FindString("type");
      const std::string* key = a.event->FindString("state_key");
      if (type && key) state_[{*type, *key}] = StateEntry(a.event, a.event_id);
    }
    // Last: some vectors' auth events share the event's ID (a create
    // event checked against a copy of itself, say).
    by_id_[DeclaredOrComputedEventId(*v.event, *v.rules)] = v.event;
  }
  const Json* Find(std::string_view id) const override {
    auto it = by_id_.find(std::string(id));
    return it == by_id_.end() ? nullptr : it->second;
  }
  StateEntry Get(std::string_view type, std::string_view state_key) const override {
    auto it = state_.find({std::string(type), std::string(state_key)});
    return it == state_.end() ? StateEntry() : it->second;
  }

 private:
  std::map<std::string, const Json*> by_id_;
  std::map<std::pair<std::string, std::string>, StateEntry> state_;
};

TEST(AuthVectors, GraphFieldsDecideAsTheEventDoes) {
  int compared = 0, third_party = 0, authorised_via = 0, no_membership = 0;
  int self_member = 0, other_member = 0;  // FieldsOf's sender_is_target, both ways
  for (const AuthVector& v : AuthVectors()) {
    SCOPED_TRACE(v.id);
    VectorEvents events(v);
    EventGraph graph(*v.rules);
    auto added = graph.Add(DeclaredOrComputedEventId(*v.event, *v.rules), events);
    if (!added || graph.event(*added).json == nullptr) continue;  // not a graph event
    const GraphEvent& n = graph.event(*added);
    const internal::EventFields graph_fields = internal::FieldsOf(n);
    const AuthDecision from_graph = internal::AuthorizeFieldsAgainstState(
        graph_fields, events, *v.rules, AuthTrace::kVerdictOnly);
    const AuthDecision from_json = internal::AuthorizeFieldsAgainstState(
        internal::EventFields::Of(*v.event), events, *v.rules, AuthTrace::kVerdictOnly);
    EXPECT_EQ((Verdict{from_graph.allowed, from_graph.error.code, from_graph.rule}),
              (Verdict{from_json.allowed, from_json.error.code, from_json.rule}));
    ++compared;
    if (n.type == "m.room.member") {
      third_party += (n.member_content & kHasThirdPartyInvite) != 0;
      authorised_via += (n.member_content & kHasAuthorisedVia) != 0;
      no_membership += (n.member_content & kMembershipIsString) == 0;
      self_member += graph_fields.sender_is_target == true;
      other_member += graph_fields.sender_is_target == false;
    }
  }
  // Most vectors are graph events, and the member facts the graph keeps
  // are exercised both ways.
  EXPECT_GE(compared, 800);
  EXPECT_GT(third_party, 0);
  EXPECT_GT(authorised_via, 0);
  EXPECT_GT(no_membership, 0);
  EXPECT_GT(self_member, 0);
  EXPECT_GT(other_member, 0);
  std::printf(
      "[graph fields] %d vectors compared: %d with third_party_invite, %d with "
      "join_authorised_via_users_server, %d member events without a string membership, "
      "%d by their target and %d by another sender\n",
      compared, third_party, authorised_via, no_membership, self_member, other_member);
}

TEST(AuthProperties, EveryTableVersionIsFound) {
  for (const RoomVersionRules& r : AllRoomVersions()) {
    auto looked_up = LookupRoomVersion(r.id);
    ASSERT_TRUE(looked_up.has_value()) << r.id;
    EXPECT_EQ((*looked_up)->id, r.id);
  }
}

// ---------------------------------------------------------------------------
// Random membership events against random small states.

const std::vector<std::string>& Users() {
  static const std::vector<std::string> users = {"@a:one.example", "@b:one.example",
                                                 "@c:two.example", "@d:two.example"};
  return users;
}

class MapState : public AuthState {
 public:
  void Put(std::string type, std::string key, Json event, std::string id) {
    auto stored = std::make_unique<Json>(std::move(event));
    entries_[{std::move(type), std::move(key)}] = {stored.get(), std::move(id)};
    storage_.push_back(std::move(stored));
  }
  StateEntry Get(std::string_view type, std::string_view state_key) const override {
    auto it = entries_.find({std::string(type), std::string(state_key)});
    if (it == entries_.end()) return {};
    return StateEntry{it->second.first, it->second.second};
  }

 private:
  std::map<std::pair<std::string, std::string>, std::pair<const Json*, std::string>> entries_;
  std::vector<std::unique_ptr<Json>> storage_;
};

Json Event(std::string type, std::string sender, std::string state_key, Json content) {
  Json e = Json::EmptyObject();
  e.Set("type", Json(std::move(type)));
  e.Set("sender", Json(std::move(sender)));
  e.Set("state_key", Json(std::move(state_key)));
  e.Set("content", std::move(content));
  e.Set("room_id", Json("!r:one.example"));
  return e;
}

const std::vector<std::string> kMemberships = {"", "join", "invite", "leave", "ban", "knock", "dance"};
const std::vector<std::string> kJoinRules = {"", "public", "invite", "knock", "restricted",
                                             "knock_restricted", "private", "bogus"};
const std::vector<int64_t> kLevels = {-1, 0, 1, 50, 100};

RC_GTEST_PROP(AuthProperties, RandomMembershipEventsAlwaysNameARule, ()) {
  const auto versions = AllRoomVersions();
  const RoomVersionRules& rules =
      versions[*rc::gen::inRange<size_t>(0, versions.size()).as("version index")];
  RC_TAG(rules.id);
  const auto& users = Users();
  auto user = rc::gen::elementOf(users);
  MapState state;

  // Create event (sometimes absent, sometimes not federating).
  if (*rc::gen::weightedElement<bool>({{9, true}, {1, false}})) {
    const std::string creator = *user;
    Json content = Json::EmptyObject();
    content.Set("room_version", Json(std::string(rules.id)));
    content.Set("creator", Json(creator));
    if (*rc::gen::weightedElement<bool>({{4, false}, {1, true}}))
      content.Set("m.federate", Json(false));
    if (*rc::gen::weightedElement<bool>({{4, false}, {1, true}}))
      content.Set("additional_creators", Json(Json::Array{Json(*user)}));
    state.Put("m.room.create", "", Event("m.room.create", creator, "", std::move(content)),
              "$create");
  }
  // Power levels (sometimes absent).
  if (*rc::gen::weightedElement<bool>({{4, true}, {1, false}})) {
    Json content = Json::EmptyObject();
    for (const char* key : {"ban", "kick", "invite", "users_default", "state_default"}) {
      if (*rc::gen::arbitrary<bool>()) content.Set(key, Json(*rc::gen::elementOf(kLevels)));
    }
    Json levels = Json::EmptyObject();
    for (const auto& u : users) {
      if (*rc::gen::arbitrary<bool>()) levels.Set(u, Json(*rc::gen::elementOf(kLevels)));
    }
    content.Set("users", std::move(levels));
    state.Put("m.room.power_levels", "",
              Event("m.room.power_levels", users[0], "", std::move(content)), "$pl");
  }
  // Join rules.
  const std::string join_rule = *rc::gen::elementOf(kJoinRules);
  if (!join_rule.empty()) {
    Json content = Json::EmptyObject();
    content.Set("join_rule", Json(join_rule));
    state.Put("m.room.join_rules", "", Event("m.room.join_rules", users[0], "", content), "$jr");
  }
  // Memberships.
  for (size_t i = 0; i < users.size(); ++i) {
    const std::string m = *rc::gen::elementOf(kMemberships);
    if (m.empty()) continue;
    Json content = Json::EmptyObject();
    content.Set("membership", Json(m));
    state.Put("m.room.member", users[i], Event("m.room.member", users[i], users[i], content),
              "$member" + std::to_string(i));
  }

  // The event.
  const std::string sender = *user;
  const std::string target = *rc::gen::weightedOneOf<std::string>(
      {{6, user}, {1, rc::gen::just(std::string("@x:y"))}, {1, rc::gen::just(std::string(""))}});
  const std::string membership = *rc::gen::elementOf(kMemberships);
  Json content = Json::EmptyObject();
  if (!membership.empty() || *rc::gen::arbitrary<bool>()) content.Set("membership", Json(membership));
  if (*rc::gen::weightedElement<bool>({{3, false}, {1, true}}))
    content.Set("join_authorised_via_users_server", Json(*user));
  if (*rc::gen::weightedElement<bool>({{5, false}, {1, true}})) {
    content.Set("third_party_invite",
                Json::MakeObject({{"signed", Json::MakeObject({{"mxid", Json(target)},
                                                               {"token", Json("t")}})}}));
  }
  Json event = Event("m.room.member", sender, target, std::move(content));
  if (*rc::gen::weightedElement<bool>({{3, false}, {1, true}})) event.Erase("state_key");
  event.Set("prev_events", *rc::gen::arbitrary<bool>() ? Json(Json::Array{Json("$create")})
                                                       : Json(Json::Array{Json("$other")}));

  const AuthDecision d = AuthorizeAgainstState(event, state, rules);
  RC_LOG() << "allowed=" << d.allowed << " rule=" << d.rule << " code=" << d.error.code << "\n";
  RC_ASSERT(!d.rule.empty());
  RC_ASSERT(!d.trace.empty());
  if (!d.allowed) {
    RC_ASSERT(d.error.code.rfind("auth.", 0) == 0);
    RC_ASSERT(d.error.rule == d.rule);
  }
  // The decision does not depend on whether the rules are asked twice.
  const AuthDecision again = AuthorizeAgainstState(event, state, rules);
  RC_ASSERT(again.allowed == d.allowed);
  RC_ASSERT(again.rule == d.rule);
  // Without the trace, the same verdict, rule and error.
  const AuthDecision quiet = AuthorizeAgainstState(event, state, rules, AuthTrace::kVerdictOnly);
  RC_ASSERT(quiet.allowed == d.allowed);
  RC_ASSERT(quiet.rule == d.rule);
  RC_ASSERT(quiet.error.code == d.error.code);
  RC_ASSERT(quiet.error.rule == d.error.rule);
  RC_ASSERT(quiet.error.message == d.error.message);
  RC_ASSERT(quiet.trace.empty());
  // The verdict alone (state resolution): the same `allowed`, no text.
  const AuthDecision bare = AuthorizeAgainstState(event, state, rules, AuthTrace::kAllowedOnly);
  RC_ASSERT(bare.allowed == d.allowed);
  RC_ASSERT(bare.rule.empty());
  RC_ASSERT(bare.error.code.empty());
  RC_ASSERT(bare.trace.empty());
}

}  // namespace
}  // namespace mxstate

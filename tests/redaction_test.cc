// Redaction per room version. Expected values are hand-worked from the
// redaction rules: content/rooms/v1.md (v1-5), v6.md, v8.md, v9.md, v11.md
// (summarised in shared/spec-digest.md section 4.4).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "mxstate/canonical_json.h"
#include "mxstate/redaction.h"
#include "test_util.h"

namespace mxstate {
namespace {

using testing::J;
using testing::Rules;

int Num(const std::string& v) { return std::stoi(v); }

// Every top-level key any version keeps, plus some that none keeps.
Json Sink(std::string_view type, std::string_view content) {
  Json ev = J(R"({
    "event_id": "$e:x", "room_id": "!r:x", "sender": "@a:x", "state_key": "",
    "hashes": {"sha256": "abc"}, "signatures": {"x": {"ed25519:1": "sig"}},
    "depth": 4, "prev_events": ["$p"], "prev_state": [], "auth_events": ["$a"],
    "origin": "x", "origin_server_ts": 1234, "membership": "join",
    "unsigned": {"age": 1}, "redacts": "$t", "age_ts": 99, "foo": {"bar": 1}
  })");
  ev.Set("type", Json(type));
  ev.Set("content", J(content));
  return ev;
}

std::string Top(const std::string& v, std::string_view type,
                std::string_view content) {
  // Keys in sorted order with the values Sink() gives them.
  std::string s = R"({"auth_events":["$a"],"content":)" + std::string(content) +
                  R"(,"depth":4,"event_id":"$e:x","hashes":{"sha256":"abc"},)";
  if (Num(v) <= 10) s += R"("membership":"join","origin":"x",)";
  s += R"("origin_server_ts":1234,"prev_events":["$p"],)";
  if (Num(v) <= 10) s += R"("prev_state":[],)";
  s += R"("room_id":"!r:x","sender":"@a:x","signatures":{"x":{"ed25519:1":"sig"}},"state_key":"","type":")" +
       std::string(type) + "\"}";
  return s;
}

struct TypeCase {
  const char* type;
  const char* content;
  // Expected kept content for versions 1-5, 6-7, 8, 9-10, 11-12.
  const char* v1_5;
  const char* v6_7;
  const char* v8;
  const char* v9_10;
  const char* v11_12;
};

const TypeCase kTypes[] = {
    {"m.room.member",
     R"({"membership":"join","displayname":"A","avatar_url":"mxc://x/y",
         "join_authorised_via_users_server":"@b:y",
         "third_party_invite":{"display_name":"d","signed":{"mxid":"@a:x","token":"t","signatures":{}}}})",
     R"({"membership":"join"})", R"({"membership":"join"})",
     R"({"membership":"join"})",
     R"({"join_authorised_via_users_server":"@b:y","membership":"join"})",
     R"({"join_authorised_via_users_server":"@b:y","membership":"join","third_party_invite":{"signed":{"mxid":"@a:x","signatures":{},"token":"t"}}})"},
    {"m.room.create",
     R"({"creator":"@a:x","room_version":"3","m.federate":false,"predecessor":{"room_id":"!o:x"}})",
     R"({"creator":"@a:x"})", R"({"creator":"@a:x"})", R"({"creator":"@a:x"})",
     R"({"creator":"@a:x"})",
     R"({"creator":"@a:x","m.federate":false,"predecessor":{"room_id":"!o:x"},"room_version":"3"})"},
    {"m.room.join_rules",
     R"({"join_rule":"restricted","allow":[{"type":"m.room_membership","room_id":"!o:x"}],"foo":1})",
     R"({"join_rule":"restricted"})", R"({"join_rule":"restricted"})",
     R"({"allow":[{"room_id":"!o:x","type":"m.room_membership"}],"join_rule":"restricted"})",
     R"({"allow":[{"room_id":"!o:x","type":"m.room_membership"}],"join_rule":"restricted"})",
     R"({"allow":[{"room_id":"!o:x","type":"m.room_membership"}],"join_rule":"restricted"})"},
    {"m.room.power_levels",
     R"({"ban":50,"events":{"m.room.name":100},"events_default":0,"kick":50,"redact":50,
         "state_default":50,"users":{"@a:x":100},"users_default":0,"invite":0,
         "notifications":{"room":50},"historical":100})",
     R"({"ban":50,"events":{"m.room.name":100},"events_default":0,"kick":50,"redact":50,"state_default":50,"users":{"@a:x":100},"users_default":0})",
     R"({"ban":50,"events":{"m.room.name":100},"events_default":0,"kick":50,"redact":50,"state_default":50,"users":{"@a:x":100},"users_default":0})",
     R"({"ban":50,"events":{"m.room.name":100},"events_default":0,"kick":50,"redact":50,"state_default":50,"users":{"@a:x":100},"users_default":0})",
     R"({"ban":50,"events":{"m.room.name":100},"events_default":0,"kick":50,"redact":50,"state_default":50,"users":{"@a:x":100},"users_default":0})",
     R"({"ban":50,"events":{"m.room.name":100},"events_default":0,"invite":0,"kick":50,"redact":50,"state_default":50,"users":{"@a:x":100},"users_default":0})"},
    {"m.room.aliases", R"({"aliases":["#a:x"],"foo":1})", R"({"aliases":["#a:x"]})",
     "{}", "{}", "{}", "{}"},
    {"m.room.history_visibility", R"({"history_visibility":"shared","foo":1})",
     R"({"history_visibility":"shared"})", R"({"history_visibility":"shared"})",
     R"({"history_visibility":"shared"})", R"({"history_visibility":"shared"})",
     R"({"history_visibility":"shared"})"},
    {"m.room.redaction", R"({"redacts":"$t","reason":"spam"})", "{}", "{}", "{}",
     "{}", R"({"redacts":"$t"})"},
    {"m.room.message", R"({"body":"hello","msgtype":"m.text","membership":"join"})",
     "{}", "{}", "{}", "{}", "{}"},
    {"m.room.name", R"({"name":"N"})", "{}", "{}", "{}", "{}", "{}"},
    {"m.room.topic", R"({"topic":"T","join_rule":"public"})", "{}", "{}", "{}",
     "{}", "{}"},
};

const char* ExpectedContent(const TypeCase& c, int v) {
  if (v <= 5) return c.v1_5;
  if (v <= 7) return c.v6_7;
  if (v == 8) return c.v8;
  if (v <= 10) return c.v9_10;
  return c.v11_12;
}

class RedactionByVersion : public ::testing::TestWithParam<std::string> {};

TEST_P(RedactionByVersion, KeepsExactlyTheVersionsKeys) {
  const std::string v = GetParam();
  const RoomVersionRules& rules = Rules(v);
  for (const auto& c : kTypes) {
    SCOPED_TRACE(std::string("v") + v + " " + c.type);
    Json ev = Sink(c.type, c.content);
    Json red = Redact(ev, rules);
    std::string want_content = CanonicalJson(J(ExpectedContent(c, Num(v))));
    EXPECT_EQ(CanonicalJson(red), Top(v, c.type, want_content));
    // Idempotent.
    EXPECT_EQ(Redact(red, rules), red);
    // The input is untouched.
    EXPECT_EQ(ev, Sink(c.type, c.content));
  }
}

TEST_P(RedactionByVersion, MissingContentIsNotAdded) {
  const RoomVersionRules& rules = Rules(GetParam());
  Json ev = J(R"({"type":"m.room.member","sender":"@a:x","unsigned":{}})");
  EXPECT_EQ(CanonicalJson(Redact(ev, rules)),
            R"({"sender":"@a:x","type":"m.room.member"})");
}

TEST_P(RedactionByVersion, NonObjectUnchanged) {
  const RoomVersionRules& rules = Rules(GetParam());
  for (const char* text : {"[1,2]", "\"s\"", "null", "3"}) {
    Json v = J(text);
    EXPECT_EQ(Redact(v, rules), v);
  }
}

INSTANTIATE_TEST_SUITE_P(All, RedactionByVersion,
                         ::testing::Values("1", "2", "3", "4", "5", "6", "7",
                                           "8", "9", "10", "11", "12"),
                         [](const auto& info) { return "v" + info.param; });

TEST(Redaction, HydraRedactsLikeV12) {
  for (const auto& c : kTypes) {
    Json ev = Sink(c.type, c.content);
    EXPECT_EQ(Redact(ev, Rules("org.matrix.hydra.11")), Redact(ev, Rules("12")))
        << c.type;
  }
}

TEST(Redaction, AppendixEventMinimal) {
  // The spec appendix event-signing input; with v1-v10 redaction only
  // `unsigned` goes away (hand-worked).
  Json ev = J(R"({"room_id":"!x:domain","sender":"@a:domain","origin":"domain",
      "origin_server_ts":1000000,"signatures":{},"hashes":{},"type":"X",
      "content":{},"prev_events":[],"auth_events":[],"depth":3,
      "unsigned":{"age_ts":1000000}})");
  EXPECT_EQ(CanonicalJson(Redact(ev, Rules("10"))),
            R"({"auth_events":[],"content":{},"depth":3,"hashes":{},"origin":"domain","origin_server_ts":1000000,"prev_events":[],"room_id":"!x:domain","sender":"@a:domain","signatures":{},"type":"X"})");
  EXPECT_EQ(CanonicalJson(Redact(ev, Rules("11"))),
            R"({"auth_events":[],"content":{},"depth":3,"hashes":{},"origin_server_ts":1000000,"prev_events":[],"room_id":"!x:domain","sender":"@a:domain","signatures":{},"type":"X"})");
}

}  // namespace
}  // namespace mxstate

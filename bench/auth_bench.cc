// Cost of the authorization rules (receipt step 4, AuthorizeWithAuthEvents)
// on realistic room-v10 events, next to the cost of parsing the same event
// text, so the ratio check/parse can be read off one run:
//   join_invite   m.room.member join under join rule `invite` (the joiner was
//                 invited); 4 auth events: create, power levels, join rules,
//                 the joiner's invite.
//   kick          m.room.member leave of another user by a moderator;
//                 4 auth events: create, power levels, sender's and target's
//                 member events.
//   power_levels  m.room.power_levels change (one user's level raised) in a
//                 room whose power levels list 20 users; 3 auth events.
// Events are signed-looking PDUs (hashes, signatures, 43-character event
// IDs) of about 0.7-1.3 KiB. Only the auth decision is timed in BM_Authorize
// (events parsed once up front); BM_ParseJson times ParseJson (strict
// numbers, as for v10) of the event's text.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "mxstate/auth.h"
#include "mxstate/canonical_json.h"
#include "mxstate/json.h"
#include "mxstate/room_version.h"

namespace {

using mxstate::Json;

std::string FakeId(unsigned salt) {
  static const char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string id = "$";
  unsigned x = salt * 2654435761u + 12345u;
  for (int k = 0; k < 43; ++k) {
    x = x * 1103515245u + 12345u;
    id += kAlphabet[(x >> 16) & 63];
  }
  return id;
}

const std::string kRoom = "!OGEhHVWSdvArJzumhm:matrix.example.org";
const std::string kAlice = "@alice:matrix.example.org";   // creator, 100
const std::string kMod = "@moderator:matrix.example.org";  // 50
const std::string kCarol = "@carol:other.example.net";     // member, 0
const std::string kDave = "@dave:third.example.com";       // invited

// A PDU's text with the fields every v10 PDU has.
std::string Pdu(const std::string& type, const std::string& sender, const std::string* state_key,
                const std::string& content, const std::vector<std::string>& auth,
                int depth) {
  std::string s = "{\"auth_events\":[";
  for (size_t i = 0; i < auth.size(); ++i) s += (i ? ",\"" : "\"") + auth[i] + "\"";
  s += "],\"content\":" + content + ",\"depth\":" + std::to_string(depth) +
       ",\"hashes\":{\"sha256\":\"Zt1PRmZt6mHhlKxxR2UhsqQX+uVxvA8y6mrtYwUZJ0Q\"}" +
       ",\"origin\":\"" + sender.substr(sender.find(':') + 1) + "\"" +
       ",\"origin_server_ts\":" + std::to_string(1718000000000 + depth * 1000) +
       ",\"prev_events\":[\"" + FakeId(900 + depth) + "\"],\"room_id\":\"" + kRoom + "\"" +
       ",\"sender\":\"" + sender + "\",\"signatures\":{\"" + sender.substr(sender.find(':') + 1) +
       "\":{\"ed25519:a_Xyz1\":\"lY5/i4Tj6ZBtuoxsu4yJuCU2v+Im+SJZsl33MfYHlnSIBzwwUaiiv7Ddbr7XrPiCWcxDwCCLL0kyvcsNDr0LDQ\"}}";
  if (state_key) s += ",\"state_key\":\"" + *state_key + "\"";
  s += ",\"type\":\"" + type + "\",\"unsigned\":{\"age_ts\":1718000000123}}";
  return s;
}

struct Case {
  std::string text;                // the event being checked
  std::vector<std::string> auth_texts;
  std::vector<std::string> auth_ids;
};

Case MakeCase(const std::string& which) {
  const std::string empty;
  const std::string id_create = FakeId(1), id_pl = FakeId(2), id_jr = FakeId(3),
                    id_alice = FakeId(4), id_mod = FakeId(5), id_carol = FakeId(6),
                    id_dave_invite = FakeId(7);
  std::string users = "{\"" + kAlice + "\":100,\"" + kMod + "\":50";
  for (int i = 0; i < 18; ++i) {
    users += ",\"@user" + std::to_string(i) + ":server" + std::to_string(i % 5) +
             ".example.org\":" + std::to_string(i % 3 == 0 ? 10 : 0);
  }
  users += "}";
  const std::string pl_content =
      "{\"ban\":50,\"events\":{\"m.room.avatar\":50,\"m.room.canonical_alias\":50,"
      "\"m.room.encryption\":100,\"m.room.history_visibility\":100,\"m.room.name\":50,"
      "\"m.room.power_levels\":100,\"m.room.server_acl\":100,\"m.room.tombstone\":100},"
      "\"events_default\":0,\"historical\":100,\"invite\":0,\"kick\":50,"
      "\"notifications\":{\"room\":50},\"redact\":50,\"state_default\":50,\"users\":" +
      users + ",\"users_default\":0}";
  const std::string create =
      Pdu("m.room.create", kAlice, &empty,
          "{\"creator\":\"" + kAlice + "\",\"room_version\":\"10\"}", {}, 1);
  const std::string pl = Pdu("m.room.power_levels", kAlice, &empty, pl_content,
                             {id_create, id_alice}, 3);
  const std::string jr = Pdu("m.room.join_rules", kAlice, &empty, "{\"join_rule\":\"invite\"}",
                             {id_create, id_pl, id_alice}, 4);
  auto member = [&](const std::string& sender, const std::string& target,
                    const std::string& membership, const std::vector<std::string>& auth,
                    int depth) {
    return Pdu("m.room.member", sender, &target,
               "{\"avatar_url\":\"mxc://matrix.example.org/AbCdEfGhIjKlMnOpQrStUvWx\","
               "\"displayname\":\"\xC3\x9C" "n\xC3\xAF" "code user \xF0\x9F\x8E\x89\",\"membership\":\"" +
                   membership + "\"}",
               auth, depth);
  };
  const std::string mod_join = member(kMod, kMod, "join", {id_create, id_pl, id_jr}, 10);
  const std::string carol_join = member(kCarol, kCarol, "join", {id_create, id_pl, id_jr}, 11);
  const std::string alice_join = member(kAlice, kAlice, "join", {id_create}, 2);
  const std::string dave_invite =
      member(kAlice, kDave, "invite", {id_create, id_pl, id_jr, id_alice}, 12);

  Case c;
  if (which == "join_invite") {
    c.text = member(kDave, kDave, "join", {id_create, id_pl, id_jr, id_dave_invite}, 13);
    c.auth_texts = {create, pl, jr, dave_invite};
    c.auth_ids = {id_create, id_pl, id_jr, id_dave_invite};
  } else if (which == "kick") {
    c.text = member(kMod, kCarol, "leave", {id_create, id_pl, id_mod, id_carol}, 14);
    c.auth_texts = {create, pl, mod_join, carol_join};
    c.auth_ids = {id_create, id_pl, id_mod, id_carol};
  } else {
    std::string new_content = pl_content;
    new_content.replace(new_content.find("\"@user1:server1.example.org\":0"),
                        std::string("\"@user1:server1.example.org\":0").size(),
                        "\"@user1:server1.example.org\":25");
    c.text = Pdu("m.room.power_levels", kAlice, &empty, new_content, {id_create, id_pl, id_alice},
                 15);
    c.auth_texts = {create, pl, alice_join};
    c.auth_ids = {id_create, id_pl, id_alice};
  }
  return c;
}

Json Parse(const std::string& text) {
  mxstate::ParseOptions options;
  options.numbers = mxstate::NumberPolicy::kStrict;
  auto parsed = mxstate::ParseJson(text, options);
  if (!parsed) {
    std::fprintf(stderr, "auth_bench: bad fixture: %s\n", parsed.error().ToString().c_str());
    std::abort();
  }
  return *std::move(parsed);
}

void BM_Authorize(benchmark::State& state, const std::string& which) {
  const mxstate::RoomVersionRules* rules = mxstate::FindRoomVersion("10");
  if (rules == nullptr) std::abort();
  const Case c = MakeCase(which);
  const Json event = Parse(c.text);
  std::vector<Json> auth_jsons;
  for (const auto& t : c.auth_texts) auth_jsons.push_back(Parse(t));
  std::vector<mxstate::AuthEvent> auth;
  for (size_t i = 0; i < auth_jsons.size(); ++i)
    auth.push_back(mxstate::AuthEvent{&auth_jsons[i], c.auth_ids[i], false});
  {
    mxstate::AuthDecision d = mxstate::AuthorizeWithAuthEvents(event, auth, *rules);
    if (!d.allowed) {
      std::fprintf(stderr, "auth_bench: %s fixture refused: %s %s: %s\n", which.c_str(),
                   d.error.code.c_str(), d.rule.c_str(), d.error.message.c_str());
      std::abort();
    }
    state.SetLabel(d.rule);
  }
  for (auto _ : state) {
    mxstate::AuthDecision d = mxstate::AuthorizeWithAuthEvents(event, auth, *rules);
    benchmark::DoNotOptimize(d);
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_ParseJson(benchmark::State& state, const std::string& which) {
  const Case c = MakeCase(which);
  mxstate::ParseOptions options;
  options.numbers = mxstate::NumberPolicy::kStrict;
  for (auto _ : state) {
    auto parsed = mxstate::ParseJson(c.text, options);
    benchmark::DoNotOptimize(parsed);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(c.text.size()));
  state.SetLabel(std::to_string(c.text.size()) + " bytes");
}

BENCHMARK_CAPTURE(BM_Authorize, join_invite, std::string("join_invite"));
BENCHMARK_CAPTURE(BM_ParseJson, join_invite, std::string("join_invite"));
BENCHMARK_CAPTURE(BM_Authorize, kick, std::string("kick"));
BENCHMARK_CAPTURE(BM_ParseJson, kick, std::string("kick"));
BENCHMARK_CAPTURE(BM_Authorize, power_levels, std::string("power_levels"));
BENCHMARK_CAPTURE(BM_ParseJson, power_levels, std::string("power_levels"));

}  // namespace

BENCHMARK_MAIN();

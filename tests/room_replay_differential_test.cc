// Room replay against the torture generator's own bookkeeping
// (room_generator.h): the generator keeps the state after every event,
// computed with the slow reference resolution (state_res_reference.h) at
// every merge, and marks events that fail auth against their auth events.
// ReplayRoom must reach the same states and reject the same events, event
// by event, in every room version. This checks the replay's incremental,
// shared state (a state is copied only when a fork writes to it) against an
// implementation that keeps a full copy per event.
//
// Also: the signature checks run on several threads and give the same
// verdicts as one thread.
#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "mxstate/room_replay.h"
#include "mxstate/room_version.h"
#include "mxstate/server_keys.h"
#include "mxstate/signing.h"
#include "room_generator.h"

namespace mxstate::testing {
namespace {

constexpr int kSeeds = 40;

std::vector<Json> EventsInOrder(const GeneratedRoom& room) {
  std::vector<Json> events;
  for (const std::string& id : room.order) events.push_back(room.events.at(id));
  return events;
}

class ReplayDifferential : public ::testing::TestWithParam<std::string> {};

TEST_P(ReplayDifferential, StatesAndRejectionsMatchTheReferenceBookkeeping) {
  const RoomVersionRules& rules = *FindRoomVersion(GetParam());
  int compared = 0, skipped = 0;
  for (uint64_t seed = 1; seed <= kSeeds; ++seed) {
    GeneratorOptions options;
    options.steps = 20 + static_cast<int>(seed % 25);
    GeneratedRoom room = GenerateRoom(seed, rules, options);
    std::vector<Json> events = EventsInOrder(room);
    ReplayOptions replay_options;
    replay_options.check_format = false;  // readable IDs and placeholder hashes
    // The generator's events are given in creation order; reversing them
    // checks that the replay orders them itself.
    std::vector<Json> reversed(events.rbegin(), events.rend());
    auto replay = ReplayRoom(reversed, rules, replay_options);
    ASSERT_TRUE(replay) << replay.error().ToString();
    std::set<std::string> rejected;
    bool rejected_by_state_before = false;
    for (const EventVerdict& v : replay->verdicts) {
      ASSERT_NE(v.outcome, EventOutcome::kDropped) << v.event_id;
      ASSERT_NE(v.outcome, EventOutcome::kNotJudged) << v.event_id;
      if (v.outcome == EventOutcome::kRejected) {
        rejected.insert(v.event_id);
        rejected_by_state_before |= v.stage == "state before";
      }
    }
    // The generator judges events against their auth events only (receipt
    // step 4). Where the replay also rejects an event against the state
    // before it (step 5), the two histories legitimately part, so such
    // rooms are counted and left out of the comparison.
    if (rejected_by_state_before) {
      ++skipped;
      continue;
    }
    ++compared;
    ASSERT_EQ(rejected, room.rejected) << "seed " << seed << "\n" << room.Describe();
    // The state after each event: a replay per event is quadratic, so check
    // every third event and the last one.
    for (size_t i = 0; i < room.order.size(); ++i) {
      if (i % 3 != 0 && i + 1 != room.order.size()) continue;
      const std::string& id = room.order[i];
      auto states = StateAtEvent(events, id, rules, replay_options);
      ASSERT_TRUE(states) << states.error().ToString();
      if (states->verdict.outcome != EventOutcome::kAccepted) continue;
      EXPECT_EQ(StateMapText(states->after), StateMapText(room.state_after.at(id)))
          << "seed " << seed << ", state after " << id << "\n" << room.Describe();
    }
  }
  std::printf("version %s: %d rooms compared, %d with step-5 rejections left out\n",
              GetParam().c_str(), compared, skipped);
  EXPECT_GE(compared, kSeeds / 2) << "too few rooms without step-5 rejections to compare";
}

INSTANTIATE_TEST_SUITE_P(Versions, ReplayDifferential,
                         ::testing::Values("1", "2", "6", "10", "11", "12"));

// Gives the generator's readable v1-2 IDs ("$e17") the domain the v1 ID
// format requires (the sender's server, which must then sign: s2s
// "Validating hashes and signatures on received events"), wherever they occur.
void QualifyIds(Json* value, const std::map<std::string, std::string>& domain_of) {
  if (value->is_string()) {
    auto it = domain_of.find(value->as_string());
    if (it != domain_of.end()) *value = Json(it->first + ":" + it->second);
  } else if (value->is_array()) {
    for (Json& item : value->as_array()) QualifyIds(&item, domain_of);
  } else if (value->is_object()) {
    for (auto& member : value->mutable_object()) QualifyIds(&member.second, domain_of);
  }
}

std::string ServerOfSender(const Json& event) {
  const std::string& sender = *event.FindString("sender");
  return sender.substr(sender.find(':') + 1);
}

// Room version 2 keeps declared event IDs, so the generator's events can be
// signed for real without changing any reference.
TEST(ReplayThreads, ParallelSignatureChecksGiveTheSameVerdicts) {
  const RoomVersionRules& rules = *FindRoomVersion("2");
  GeneratorOptions options;
  options.steps = 300;
  GeneratedRoom room = GenerateRoom(7, rules, options);
  std::vector<Json> events = EventsInOrder(room);
  KeyRing ring;
  std::map<std::string, SigningKey> keys;
  std::set<std::string> tampered;
  std::map<std::string, std::string> domain_of;
  for (const Json& e : events) domain_of[*e.FindString("event_id")] = ServerOfSender(e);
  for (size_t i = 0; i < events.size(); ++i) {
    Json& e = events[i];
    std::string origin = ServerOfSender(e);  // the server that must sign
    auto it = keys.find(origin);
    if (it == keys.end()) {
      std::array<uint8_t, 32> seed{};
      seed[0] = static_cast<uint8_t>(keys.size() + 1);
      auto key = SigningKey::FromSeed(seed, origin, "ed25519:t");
      ASSERT_TRUE(key);
      ring.Add(origin, "ed25519:t", VerifyKey{key->public_key()});
      it = keys.emplace(origin, *std::move(key)).first;
    }
    e.Erase("signatures");
    QualifyIds(&e, domain_of);
    ASSERT_TRUE(SignEvent(&e, it->second, rules));
    if (i > 10 && i % 37 == 0) {  // a forged signature: the event is dropped (step 2)
      e.Set("signatures", Json::MakeObject({{origin, Json::MakeObject({{"ed25519:t",
                          Json("AAAA" + std::string(82, 'A'))}})}}));
      tampered.insert(*e.FindString("event_id"));
    }
  }
  ASSERT_FALSE(tampered.empty());
  auto run = [&](unsigned threads) {
    ReplayOptions o;
    o.keys = &ring;
    o.threads = threads;
    auto r = ReplayRoom(events, rules, o);
    EXPECT_TRUE(r);
    std::vector<std::string> lines;
    for (const EventVerdict& v : r->verdicts) {
      lines.push_back(v.event_id + " " + std::string(ToString(v.outcome)) + " " + v.stage + " " +
                      v.reason.code + " " + v.reason.message);
    }
    return lines;
  };
  std::vector<std::string> one = run(1);
  EXPECT_EQ(one, run(4));
  size_t accepted = 0;
  for (const std::string& line : one) {
    std::string id = line.substr(0, line.find(' '));
    if (tampered.count(id)) {
      EXPECT_NE(line.find(" dropped signatures signature.bad"), std::string::npos) << line;
    } else {
      std::string outcome = line.substr(id.size() + 1, line.find(' ', id.size() + 1) - id.size() - 1);
      EXPECT_NE(outcome, "dropped") << line;
      accepted += line.find(" accepted") != std::string::npos;
    }
  }
  EXPECT_GT(accepted, 20u);  // events citing a dropped one are not judged
}

}  // namespace
}  // namespace mxstate::testing

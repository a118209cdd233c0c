// Room replay on a big signed room, against its parts measured alone
// (issue 5's goal: replaying with every signature checked costs at most 1.5
// times the sum of the signature checks and the state resolutions the replay
// performs, each measured on its own).
//
// Phases, each with wall time, CPU time and peak RSS:
//   generate   the synthetic room of bench/room_shapes.h
//   sign       real ed25519 keys per server; every event re-hashed, signed
//              and given its true reference-hash ID (references, state sets
//              and, in v12, the room ID follow)
//   parse      canonical JSON text of every event parsed back (strict
//              numbers); the replay reads these parsed events
//   verify     VerifyEvent of every event on one thread (the "signature
//              checks measured alone")
//   resolve    the resolutions the replay performs (captured through
//              ReplayOptions::on_merge in an untimed replay), re-run alone
//   replay     ReplayRoom with the key ring (every signature checked)
// Usage: replay_scale [--events N] [--sets K] [--conflicted C] [--version V]
//                     [--seed S] [--threads T] [--skip-alone]
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <unordered_map>
#include <vector>

#include "mxstate/canonical_json.h"
#include "mxstate/event_hashes.h"
#include "mxstate/room_replay.h"
#include "mxstate/server_keys.h"
#include "mxstate/signing.h"
#include "mxstate/state_res.h"
#include "mxstate/verify_event.h"
#include "room_shapes.h"

namespace {

using Clock = std::chrono::steady_clock;

double PeakMiB() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_maxrss) / 1024.0;
}

double CpuMs() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
         (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

struct Timer {
  Clock::time_point wall = Clock::now();
  double cpu = CpuMs();
  double WallMs() const { return std::chrono::duration<double, std::milli>(Clock::now() - wall).count(); }
  double CpuSpentMs() const { return CpuMs() - cpu; }
};

void Report(const char* phase, const Timer& t, const std::string& extra) {
  std::printf("%-8s wall %9.1f ms  cpu %9.1f ms  peak_rss %7.1f MiB  %s\n", phase, t.WallMs(),
              t.CpuSpentMs(), PeakMiB(), extra.c_str());
  std::fflush(stdout);
}

[[noreturn]] void Die(const std::string& what, const mxstate::Error& e) {
  std::fprintf(stderr, "%s: %s\n", what.c_str(), e.ToString().c_str());
  std::exit(1);
}

// Replaces every ID in a list of event IDs through `ids`.
void RemapList(mxstate::Json* event, std::string_view field,
               const std::unordered_map<std::string, std::string>& ids) {
  mxstate::Json* list = const_cast<mxstate::Json*>(event->Find(field));
  if (list == nullptr || !list->is_array()) return;
  for (mxstate::Json& item : list->as_array()) {
    auto it = ids.find(item.as_string());
    if (it != ids.end()) item = mxstate::Json(it->second);
  }
}

// Turns the generator's readable, unsigned room into a genuinely signed one
// (see the file comment). Returns the key ring that verifies it.
mxstate::KeyRing SignRoom(mxstate::bench::Room* room) {
  const mxstate::RoomVersionRules& rules = *room->rules;
  std::unordered_map<std::string, mxstate::SigningKey> keys;
  mxstate::KeyRing ring;
  std::unordered_map<std::string, std::string> new_ids;
  std::string new_room_id;
  for (size_t i = 0; i < room->events.size(); ++i) {
    mxstate::Json& e = room->events[i];
    std::string server = e.FindString("origin") ? *e.FindString("origin") : "hq.example.org";
    auto key = keys.find(server);
    if (key == keys.end()) {
      std::array<uint8_t, 32> seed{};
      for (size_t b = 0; b < server.size(); ++b) seed[b % 32] ^= static_cast<uint8_t>(server[b] + b);
      auto made = mxstate::SigningKey::FromSeed(seed, server, "ed25519:bench");
      if (!made) Die("key", made.error());
      mxstate::VerifyKey vk;
      vk.public_key = made->public_key();
      ring.Add(server, "ed25519:bench", vk);
      key = keys.emplace(server, *std::move(made)).first;
    }
    e.Erase("event_id");
    e.Erase("signatures");
    RemapList(&e, "prev_events", new_ids);
    RemapList(&e, "auth_events", new_ids);
    if (!new_room_id.empty() && e.Find("room_id") != nullptr) e.Set("room_id", mxstate::Json(new_room_id));
    if (auto signed_ok = mxstate::SignEvent(&e, key->second, rules); !signed_ok) {
      Die("sign", signed_ok.error());
    }
    auto id = mxstate::EventId(e, rules);
    if (!id) Die("event id", id.error());
    if (i == 0 && rules.room_id_format == mxstate::RoomIdFormat::kCreateEventHash) {
      auto room_id = mxstate::RoomIdFromCreateEvent(e, rules);
      if (!room_id) Die("room id", room_id.error());
      new_room_id = *room_id;
    }
    new_ids[room->ids[i]] = *id;
    room->ids[i] = *id;
  }
  for (mxstate::StateMap& set : room->state_sets) {
    for (auto& [key, id] : set) id = new_ids.at(id);
  }
  return ring;
}

// The room's events by ID, for re-running the captured resolutions.
class MapSource : public mxstate::EventSource {
 public:
  explicit MapSource(const mxstate::bench::Room& room) {
    for (size_t i = 0; i < room.events.size(); ++i) by_id_.emplace(room.ids[i], &room.events[i]);
  }
  const mxstate::Json* Find(std::string_view id) const override {
    auto it = by_id_.find(std::string(id));
    return it == by_id_.end() ? nullptr : it->second;
  }

 private:
  std::unordered_map<std::string, const mxstate::Json*> by_id_;
};

}  // namespace

int main(int argc, char** argv) {
  mxstate::bench::RoomShape shape;
  shape.total_events = 100'000;
  shape.state_sets = 2;
  shape.conflicted_keys = 100;
  shape.room_version = "10";
  shape.seed = 42;
  unsigned threads = 0;
  bool alone = true;
  for (int i = 1; i < argc; ++i) {
    auto next = [&]() -> const char* {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "missing value for %s\n", argv[i]);
        std::exit(2);
      }
      return argv[++i];
    };
    if (!std::strcmp(argv[i], "--events")) shape.total_events = std::strtoull(next(), nullptr, 10);
    else if (!std::strcmp(argv[i], "--sets")) shape.state_sets = std::atoi(next());
    else if (!std::strcmp(argv[i], "--conflicted")) shape.conflicted_keys = std::strtoull(next(), nullptr, 10);
    else if (!std::strcmp(argv[i], "--version")) shape.room_version = next();
    else if (!std::strcmp(argv[i], "--seed")) shape.seed = std::strtoull(next(), nullptr, 10);
    else if (!std::strcmp(argv[i], "--threads")) threads = static_cast<unsigned>(std::atoi(next()));
    else if (!std::strcmp(argv[i], "--skip-alone")) alone = false;
    else {
      std::fprintf(stderr, "usage: %s [--events N] [--sets K] [--conflicted C] [--version V] "
                           "[--seed S] [--threads T] [--skip-alone]\n", argv[0]);
      return 2;
    }
  }
  std::printf("shape: %s\n", mxstate::bench::DescribeShape(shape).c_str());

  Timer t;
  mxstate::bench::Room room = mxstate::bench::GenerateRoom(shape);
  Report("generate", t, mxstate::bench::DescribeStats(room.stats));

  t = Timer();
  mxstate::KeyRing ring = SignRoom(&room);
  Report("sign", t, std::to_string(ring.size()) + " server keys");

  t = Timer();
  {
    std::vector<std::string> text = mxstate::bench::SerialiseEvents(room);
    room.events.clear();
    room.events.shrink_to_fit();
    mxstate::ParseOptions options;
    options.numbers = mxstate::NumberPolicy::kStrict;
    room.events.reserve(text.size());
    for (const std::string& s : text) {
      auto parsed = mxstate::ParseJson(s, options);
      if (!parsed) Die("parse", parsed.error());
      room.events.push_back(*std::move(parsed));
    }
  }
  Report("parse", t, std::to_string(room.events.size()) + " events (text included)");
  const mxstate::RoomVersionRules& rules = *room.rules;

  double alone_ms = 0;
  if (alone) {
    t = Timer();
    size_t valid = 0;
    for (const mxstate::Json& e : room.events) {
      valid += mxstate::VerifyEvent(e, rules, ring).verdict == mxstate::Verdict::kValid;
    }
    double verify_cpu = t.CpuSpentMs();
    Report("verify", t, std::to_string(valid) + " valid, one thread");
    if (valid != room.events.size()) {
      std::fprintf(stderr, "expected every event to verify\n");
      return 1;
    }

    // Capture the replay's resolutions (untimed), then run them alone.
    std::vector<std::vector<mxstate::StateMap>> merges;
    mxstate::ReplayOptions capture;
    capture.check_format = false;
    capture.on_merge = [&](const mxstate::MergeInfo& m) {
      std::vector<mxstate::StateMap> sides;
      for (const mxstate::StateMap* s : m.side_states) sides.push_back(*s);
      merges.push_back(std::move(sides));
    };
    if (auto r = mxstate::ReplayRoom(room.events, rules, capture); !r) Die("replay", r.error());
    MapSource source(room);
    t = Timer();
    for (const auto& sides : merges) {
      if (auto r = mxstate::ResolveState(sides, source, rules); !r) Die("resolve", r.error());
    }
    double resolve_cpu = t.CpuSpentMs();
    Report("resolve", t, std::to_string(merges.size()) + " resolutions");
    alone_ms = verify_cpu + resolve_cpu;
  }

  mxstate::ReplayOptions options;
  options.keys = &ring;
  options.threads = threads;
  t = Timer();
  auto replay = mxstate::ReplayRoom(room.events, rules, options);
  if (!replay) Die("replay", replay.error());
  double wall = t.WallMs();
  size_t accepted = 0;
  for (const auto& v : replay->verdicts) accepted += v.outcome == mxstate::EventOutcome::kAccepted;
  Report("replay", t, std::to_string(accepted) + "/" + std::to_string(replay->verdicts.size()) +
                          " accepted, state " + std::to_string(replay->current_state.size()) +
                          " keys, threads " + std::to_string(threads));
  if (alone) {
    std::printf("ratio    replay wall / (verify + resolve CPU alone) = %.2f\n", wall / alone_ms);
  }
  return 0;
}

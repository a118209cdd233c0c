// A seeded generator of realistic signed Matrix rooms (`mxstate synth`), for
// demos, tests and benchmarks. Pure: no I/O, no global state; the same
// options give the same bytes on every platform (std::mt19937_64's output is
// fixed by the standard, and no std:: distribution is used).
//
// A room has several servers, each with an ed25519 key derived from the seed
// and its name, and many members spread over them. It grows in forks and
// merges: branches are extended independently, as servers that have not yet
// seen each other's events would, and merges cite several branch heads
// (their state before is the state resolution of the heads' states, through
// libstate). Every event is built, checked against the state before it with
// libstate's authorization rules, given the auth events the spec's selection
// names in that state, hashed and signed for the room version; an event that
// would be rejected is not emitted, so a replay accepts every event.
//
// Scripted episodes make the rooms interesting:
// - ban races a power-level change (at the first fork): on one branch the
//   admin demotes a moderator, on the other the moderator bans a member;
// - state reset (with_reset): an admin bans a member; a second admin on a
//   server with a slow clock unbans her, citing her stale join instead of
//   the ban in auth_events (matrix-org/synapse#6520); meanwhile another
//   branch carries on from the ban. The merge of both branches resolves the
//   member back to the ban: the unban is lost.
#ifndef MXSTATE_TOOLS_SYNTH_ROOM_SYNTH_H_
#define MXSTATE_TOOLS_SYNTH_ROOM_SYNTH_H_

#include <cstdint>
#include <string>
#include <vector>

#include "mxstate/json.h"
#include "mxstate/room_version.h"
#include "mxstate/signing.h"
#include "mxstate/status.h"

namespace mxstate::synth {

struct SynthOptions {
  const RoomVersionRules* rules = nullptr;
  uint64_t seed = 1;
  size_t events = 200;   // about this many events (scripted episodes may add a few)
  size_t servers = 3;    // 1..26
  size_t members = 12;   // users besides the creator, spread over the servers
  size_t forks = 3;      // how many times the room forks
  bool with_reset = false;
};

// Bounds on the options (synth.bad_option beyond them).
inline constexpr size_t kMaxSynthEvents = 1'000'000;
inline constexpr size_t kMaxSynthServers = 26;
inline constexpr size_t kMaxSynthMembers = 100'000;

struct SynthServer {
  std::string name;
  SigningKey key;
  Json key_document;  // federation key document, self-signed (s2s: Retrieving server keys)
};

// What the scripted state reset is made of.
struct SynthReset {
  std::string merge_event;  // the merge whose resolution loses the unban
  std::string ban_event;    // the older event the key goes back to
  std::string unban_event;  // the newer event that is lost
  std::string member;       // the state key (the banned member)
};

struct SynthRoom {
  std::string room_id;
  std::vector<Json> events;  // in creation order (each after its prev and auth events)
  std::vector<std::string> event_ids;
  std::vector<SynthServer> servers;
  size_t fork_count = 0, merge_count = 0;
  std::vector<std::string> notes;  // one line per scripted episode
  bool has_reset = false;
  SynthReset reset;
};

// Errors: synth.bad_option; synth.no_reset when the reset episode does not
// reset the member under this version's state resolution (reported, never
// silently omitted).
Result<SynthRoom> SynthesizeRoom(const SynthOptions& options);

}  // namespace mxstate::synth

#endif  // MXSTATE_TOOLS_SYNTH_ROOM_SYNTH_H_

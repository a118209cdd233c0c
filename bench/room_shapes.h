// Seeded generator of large synthetic Matrix rooms for the state-resolution
// benchmarks (bench/state_res_bench.cc, bench/state_res_scale.cc).
//
// Shape (docs/benchmarks.md, "State resolution"):
//   base timeline  create, creator join, power levels, join rules (public),
//                  admin and moderator joins, then N members joining (each
//                  join cites create, PL, join rules and the joiner's prior
//                  membership), leave/rejoin churn of a few users (deep
//                  per-user membership chains, synapse#8622/#15245), PL
//                  changes every so often (each citing the previous PL: a
//                  mainline of M PL events) and topic changes;
//   forks          k forks from the end of the base; each adds conflicting
//                  state for C keys (competing joins, self-leaves, kicks,
//                  bans, leave+rejoin, PL edits, topic edits);
//   state sets     the full state at the end of each fork, so every
//                  resolution also carries ~N unconflicted keys.
// Events are mxstate::Json PDUs (~0.6-0.8 KiB canonical JSON with hashes and
// a signature) carrying an `event_id` field. IDs are readable:
//   "$<index>.<what>.<who>", e.g. "$1042.join.u977" — the index is the
// position in Room::events, so RoomSource finds an event without hashing.
// Room versions: any version >= 3 of the table (tested with 10, 11, 12); in
// v12 the create event's ID is "$" + room_id[1:] and auth_events omit it.
#ifndef MXSTATE_BENCH_ROOM_SHAPES_H_
#define MXSTATE_BENCH_ROOM_SHAPES_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "mxstate/json.h"
#include "mxstate/room_version.h"
#include "mxstate/state_res.h"

namespace mxstate::bench {

struct RoomShape {
  std::string room_version = "10";
  uint64_t seed = 1;
  size_t total_events = 10'000;  // base + forks (approximately: +-1%)
  int state_sets = 2;            // forks, 2..
  size_t conflicted_keys = 100;  // keys whose value differs between sets
  // Churn: `churn_users` users each leave and rejoin `churn_depth` times in
  // the base timeline (2 * depth membership events chained per user).
  // 0 users: max(4, total_events / 2000).
  size_t churn_users = 0;
  size_t churn_depth = 20;
  // PL changes in the base (the mainline length). 0: 5 + total/20000.
  size_t pl_changes = 0;
  // Extra: one user leaving/rejoining this many times in *every* fork
  // (2 * fork_churn events per fork, all in the auth difference).
  size_t fork_churn = 0;
};

struct RoomStats {
  size_t events = 0, base_events = 0, fork_events = 0;
  size_t members = 0;            // distinct users with a membership
  size_t state_size = 0;         // entries of the first state set
  size_t conflicted_keys = 0;    // measured over the produced state sets
  size_t max_membership_chain = 0;
  size_t mainline_length = 0;    // PL events in the base
};

struct Room {
  const RoomVersionRules* rules = nullptr;
  std::string room_id;
  std::vector<Json> events;          // index = the number in the event ID
  std::vector<std::string> ids;      // ids[i] == events[i]["event_id"]
  std::vector<StateMap> state_sets;  // one per fork
  RoomStats stats;
};

// Builds the room. Aborts on an unknown room version.
Room GenerateRoom(const RoomShape& shape);

// The room's events by ID: parses the index out of "$<index>." and checks
// the ID, so a look-up costs a few instructions and no hashing.
class RoomSource : public EventSource {
 public:
  RoomSource(const std::vector<Json>* events, const std::vector<std::string>* ids)
      : events_(events), ids_(ids) {}
  const Json* Find(std::string_view event_id) const override;

 private:
  const std::vector<Json>* events_;
  const std::vector<std::string>* ids_;
};

// Canonical JSON of every event (what a store or the network would hand
// over), in index order.
std::vector<std::string> SerialiseEvents(const Room& room);

std::string DescribeShape(const RoomShape& shape);
std::string DescribeStats(const RoomStats& stats);

}  // namespace mxstate::bench

#endif  // MXSTATE_BENCH_ROOM_SHAPES_H_

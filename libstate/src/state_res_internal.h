// Internal pieces shared by the state resolution algorithms.
#ifndef MXSTATE_SRC_STATE_RES_INTERNAL_H_
#define MXSTATE_SRC_STATE_RES_INTERNAL_H_

#include <algorithm>
#include <bit>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "auth_internal.h"
#include "mxstate/event_graph.h"
#include "mxstate/state_res.h"

namespace mxstate::internal {

// A state during resolution, dense over the graph's keys: key -> event
// (kNoEvent when absent).
using KeyedState = std::vector<EventIndex>;

// The storage of a Region (state_res_region.h): `local` and `below` are
// graph-sized, all Region::kNone and all 0 between calls; the rest is per
// call, cleared at its start and kept with its capacity.
struct RegionBuffers {
  std::vector<uint32_t> local;
  std::vector<EventIndex> nodes;
  std::vector<uint8_t> flags;
  std::vector<uint32_t> stamp;
  std::vector<uint32_t> reached_by;
  std::vector<uint64_t> below;  // a bit per graph event (SubgraphOf)
};

// One event of the reverse topological power ordering, without its event
// ID (v2 step 1): the sender's power level and origin_server_ts.
struct PowerSortKey {
  int64_t power;
  int64_t ts;
};

// One event of the mainline ordering with its sort key (v2 step 3).
struct MainlineRanked {
  int64_t position;  // INT64_MAX for the spec's infinity
  int64_t ts;
  std::string_view id;
  EventIndex e;
};

}  // namespace mxstate::internal

namespace mxstate {

// Between calls every entry of `region.local` is Region::kNone, every
// entry of `partial` is kNoEvent and every entry of `p_best` is 0; `dirty`
// says a call did not finish (an exception) and the next must clear them
// in full.
struct StateResWorkspace::Buffers {
  internal::RegionBuffers region;
  internal::KeyedState partial;
  std::vector<uint32_t> u_best, p_best;
  std::vector<EventIndex> unconflicted_events;
  std::vector<std::pair<KeyIndex, EventIndex>> unconflicted;  // the split's, per call
  std::vector<uint32_t> chain_lowest;  // UINT32_MAX between calls
  // Per call, cleared at its start: their capacity is kept because at
  // 1 M events they hold hundreds of thousands of entries, and fresh
  // memory for them cost a tenth of a big resolution in page faults.
  std::vector<std::vector<EventIndex>> conflicted_of;
  std::vector<EventIndex> conflicted, fcs, work, rest;
  std::vector<uint32_t> touched, xpos;
  std::vector<KeyIndex> written;
  std::vector<internal::MainlineRanked> ranked;
  std::vector<internal::PowerSortKey> power_keys;
  std::vector<uint64_t> key_bits;  // a bit per key, to sort the written keys
  std::vector<std::pair<EventIndex, uint32_t>> by_power_levels;  // (power levels auth, X index)
  std::vector<EventIndex> by_power_levels_events;
  std::vector<std::pair<uint32_t, uint32_t>> x_edges;  // auth edges inside X (citing, cited)
  bool dirty = false;
};

}  // namespace mxstate

namespace mxstate::internal {

// Sorts `keys` (each < key_count) and drops repeats. Many keys (a big
// conflict writes hundreds of thousands) are set as bits and read back in
// one scan of key_count / 64 words, which costs a tenth of sorting them;
// few keys are sorted.
inline void SortUniqueKeys(std::vector<KeyIndex>* keys, size_t key_count,
                           std::vector<uint64_t>* bits) {
  if (keys->size() < key_count / 64) {
    std::sort(keys->begin(), keys->end());
    keys->erase(std::unique(keys->begin(), keys->end()), keys->end());
    return;
  }
  bits->assign((key_count + 63) / 64, 0);
  for (KeyIndex k : *keys) (*bits)[k / 64] |= uint64_t{1} << (k % 64);
  keys->clear();
  for (size_t w = 0; w < bits->size(); ++w) {
    for (uint64_t word = (*bits)[w]; word != 0; word &= word - 1) {
      keys->push_back(static_cast<KeyIndex>(w * 64 + std::countr_zero(word)));
    }
  }
}

// The first position from `from` on whose key is not below `key`, in
// entries sorted by key: by doubling steps from `from`, then a binary
// search, so a key near `from` costs a few reads however long the rest.
inline size_t FirstAtOrAfter(std::span<const std::pair<KeyIndex, EventIndex>> entries, size_t from,
                             KeyIndex key) {
  size_t lo = from, step = 1, hi = from;
  while (hi < entries.size() && entries[hi].first < key) {
    lo = hi + 1;
    hi = from + step;
    step *= 2;
  }
  hi = std::min(hi, entries.size());
  return std::lower_bound(entries.begin() + lo, entries.begin() + hi, key,
                          [](const auto& entry, KeyIndex k) { return entry.first < k; }) -
         entries.begin();
}

// The partial state of the iterative auth checks: the keys the checks
// wrote (`written`, dense by key), over an optional `base` (sorted by key)
// that stands for the keys not written. v2 starts from the unconflicted
// state: for a few checks against a big state, looking the base up costs
// less than copying it into `written` and clearing it again.
//
// When the state sets are changes to a shared base (state_delta.h), the
// unconflicted state is that base under an `overlay`: the keys some set
// changed, each with its unconflicted event or kNoEvent (conflicted, or
// removed by every set), which hides the base's entry.
struct PartialState {
  const KeyedState* written = nullptr;  // may be nullptr: only the auth events count
  std::span<const std::pair<KeyIndex, EventIndex>> base;
  std::span<const std::pair<KeyIndex, EventIndex>> overlay;  // sorted by key

  // The event at `key`, kNoEvent when none.
  EventIndex At(KeyIndex key) const {
    if (written != nullptr && key < written->size() && (*written)[key] != kNoEvent) {
      return (*written)[key];
    }
    if (!overlay.empty()) {
      auto it = std::lower_bound(overlay.begin(), overlay.end(), key,
                                 [](const auto& entry, KeyIndex k) { return entry.first < k; });
      if (it != overlay.end() && it->first == key) return it->second;
    }
    return FindInBase(key);
  }

 private:
  // Keys are dense integers and a big base holds most of the graph's keys,
  // so a key sits near its proportional place: look there, then widen by
  // doubling steps and finish by binary search. A plain binary search
  // missed the cache on most of its ~17 steps over a 100 k-entry base.
  EventIndex FindInBase(KeyIndex key) const {
    if (base.empty()) return kNoEvent;
    const int64_t n = static_cast<int64_t>(base.size());
    const uint64_t span = static_cast<uint64_t>(base.back().first) + 1;
    const int64_t guess =
        std::min<int64_t>(n - 1, static_cast<int64_t>(static_cast<uint64_t>(key) * n / span));
    if (base[guess].first == key) return base[guess].second;
    if (base[guess].first < key) {
      const size_t at = FirstAtOrAfter(base, static_cast<size_t>(guess) + 1, key);
      return at < base.size() && base[at].first == key ? base[at].second : kNoEvent;
    }
    // Below the guess: the same steps downwards. The key, if present, lies
    // in [lo, hi).
    int64_t hi = guess;
    int64_t probe = guess - 1;
    for (int64_t step = 1; probe >= 0 && base[probe].first > key; step *= 2) {
      hi = probe;
      probe -= step;
    }
    const int64_t lo = std::max<int64_t>(probe, 0);
    auto it = std::lower_bound(base.begin() + lo, base.begin() + hi, key,
                               [](const auto& entry, KeyIndex k) { return entry.first < k; });
    return it != base.begin() + hi && it->first == key ? it->second : kNoEvent;
  }
};

// The state the auth rules see for `event` during iterative auth checks:
// the partial state first, then the event's own auth events that are not
// rejected ("Iterative auth checks"); in v12 the implied create event is
// among the auth events (event_graph.cc).
class IterativeAuthState : public AuthState {
 public:
  IterativeAuthState(const EventGraph& graph, PartialState partial, EventIndex event)
      : graph_(graph), partial_(partial), event_(event) {}
  StateEntry Get(std::string_view type, std::string_view state_key) const override;
  // The event Get finds at `key`, kNoEvent when none.
  EventIndex At(KeyIndex key) const;

 private:
  const EventGraph& graph_;
  PartialState partial_;
  EventIndex event_;
};

// A hint that `e`'s graph entry will be read soon (the walks and passes
// of resolution fetch entries ahead of their scattered reads).
inline void PrefetchEntry(const EventGraph& graph, EventIndex e) {
  __builtin_prefetch(&graph.event(e), 0, 3);
}

// The key (type, state_key) as asked by the auth rules checking `event`
// (kNoKey when the graph has none).
KeyIndex KeyOf(const EventGraph& graph, EventIndex event, std::string_view type,
               std::string_view state_key);
// A graph event as a state entry for the auth rules, with its membership.
StateEntry EntryOf(const GraphEvent& n);

// The fields the auth rules read, as the graph found them when it loaded
// the event (tests/auth_properties_test.cc,
// AuthVectors.GraphFieldsDecideAsTheEventDoes: they decide as
// EventFields::Of).
EventFields FieldsOf(const GraphEvent& n);
// FieldsOf, and for a member event whether its target is the room's first
// creator in `state` (from v11, the create event's sender), decided by the
// two member keys: a join's check then reads no user ID. `create_key` is
// the graph's (m.room.create, "") key, found once by the caller.
EventFields FieldsInState(const EventGraph& graph, EventIndex event,
                          const IterativeAuthState& state, KeyIndex create_key);

// Runs the auth rules for `event` against `state`, records the check when
// explaining, and returns whether it was allowed.
bool CheckAndRecord(const EventGraph& graph, EventIndex event, const EventFields& fields,
                    const AuthState& state, const char* phase, Resolution* out, bool explain);

// The state sets as ResolveV2 reads them: whole, or as changes to one
// shared base (every delta's base is `base`; nullptr: the empty state).
struct StateSets {
  std::span<const GraphState> whole;
  std::span<const GraphStateDelta> deltas;
  const GraphState* base = nullptr;
  bool delta_form = false;

  static StateSets Whole(std::span<const GraphState> sets) {
    StateSets s;
    s.whole = sets;
    return s;
  }
  static StateSets Deltas(std::span<const GraphStateDelta> sets, const GraphState* base) {
    StateSets s;
    s.deltas = sets;
    s.base = base;
    s.delta_form = true;
    return s;
  }

  size_t size() const { return delta_form ? deltas.size() : whole.size(); }
  const std::shared_ptr<const StateReach>& reach(size_t i) const {
    return delta_form ? deltas[i].reach : whole[i].reach;
  }
  // What StateReach::entry_count holds for set i when its reach is current.
  size_t reach_guard(size_t i) const {
    return delta_form ? StateReachGuard(deltas[i]) : whole[i].entries.size();
  }
};

// The two algorithms, on state sets validated by AddState (and
// ValidateDelta). `report_cuts`: warn about missing auth events met on the
// way. In the delta form ResolveV2 returns in `state.entries` the changes
// to the base (GraphDeltaResolution's contract), not the whole state.
Result<GraphResolution> ResolveV2(const EventGraph& graph, const StateSets& sets, bool v2_1,
                                  const StateResOptions& options, bool report_cuts,
                                  StateResWorkspace::Buffers& scratch);
Result<GraphResolution> ResolveV1(const EventGraph& graph, std::span<const GraphState> sets,
                                  const StateResOptions& options);

// The warning for an auth event the graph does not have.
Error MissingAuthEventWarning(const EventGraph& graph, EventIndex cut);

}  // namespace mxstate::internal

#endif  // MXSTATE_SRC_STATE_RES_INTERNAL_H_

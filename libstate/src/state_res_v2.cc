// State resolution v2 (rooms/fragments/v2-state-res.md) and v2.1
// (rooms/v12 "State resolution", MSC4297): the conflicted subgraph joins the
// full conflicted set, and the first iterative auth checks start from an
// empty state.
//
// Cost: one merge over the state sets (O(entries), integers only, runs of
// identical entries compared as blocks of bytes and never copied), then
// walks over the auth chains of the conflicted events only. Where those
// walks may stop (events in every C_i) is asked of the graph's
// reachability index: of each set's own StateReach when all sets carry
// one, else of the unconflicted events' closure computed per call; without
// a usable index (option off, or a cycle) that closure is walked instead.
// Per-event scratch lives in a Region that numbers only the events walked.
// Given as changes to a shared base (state_delta.h), the sets are merged
// over their changes only, and the result is the changes to the base.
#include <algorithm>
#include <cstring>
#include <queue>
#include <span>
#include <type_traits>
#include <unordered_map>

#include "event_prefetch.h"
#include "state_res_difference.h"
#include "state_res_internal.h"
#include "state_res_power_table.h"
#include "state_res_region.h"

namespace mxstate::internal {
namespace {

// How many places ahead the passes over the conflicted events, the auth
// difference and the full conflicted set fetch the graph entry of an
// event, with the index record or Region slot the pass reads beside it. In
// a big conflict these passes read ~300,000 entries scattered over the
// graph; fetched ahead, they cost ~7 % less in all (docs/benchmarks.md,
// ninth round).
constexpr size_t kPassAhead = 16;

// Calls visit(item) for each of `items` in order, having called
// fetch(item) kPassAhead places earlier.
template <typename Item, typename Fetch, typename Visit>
void ForEachFetchingAhead(const std::vector<Item>& items, Fetch fetch, Visit visit) {
  for (size_t t = 0; t < items.size(); ++t) {
    if (t + kPassAhead < items.size()) fetch(items[t + kPassAhead]);
    visit(items[t]);
  }
}

bool IsPowerEvent(const GraphEvent& n) { return n.json != nullptr && n.power_event; }

// Iterative auth checks: applies each allowed event of `order` to the
// partial state (`state` over `below`, which stands for the keys not
// written), noting the keys written.
void IterativeAuthChecks(const EventGraph& graph, const std::vector<EventIndex>& order,
                         KeyedState* state, PartialState below, std::vector<KeyIndex>* written,
                         const char* phase, Resolution* out, bool explain) {
  const EventPrefetch prefetch(graph, order, state);
  PartialState partial = below;
  partial.written = state;
  PowerTable powers(graph);
  const KeyIndex create_key = graph.FindKey("m.room.create", "");
  const KeyIndex power_levels_key = graph.FindKey("m.room.power_levels", "");
  for (size_t i = 0; i < order.size(); ++i) {
    prefetch.Ahead(i);
    const EventIndex e = order[i];
    const GraphEvent& n = graph.event(e);
    if (n.json == nullptr || n.key == kNoKey) continue;
    IterativeAuthState auth_state(graph, partial, e);
    const PowerTableHints hints(graph, e, auth_state, powers, create_key, power_levels_key);
    EventFields fields = FieldsInState(graph, e, auth_state, create_key);
    fields.powers = &hints;
    if (CheckAndRecord(graph, e, fields, auth_state, phase, out, explain)) {
      (*state)[n.key] = e;
      written->push_back(n.key);
    }
  }
}

using Entry = std::pair<KeyIndex, EventIndex>;

// The unconflicted state map and the conflicted state set, by one merge of
// the state sets (each sorted by key): a key is unconflicted when every set
// has it with the same event.
// The unconflicted state is `base` under the overlay `unconflicted` (an
// overlay entry with kNoEvent hides the base's). For whole states the base
// is the first set, which holds every unconflicted key with its event, and
// the overlay hides its conflicted keys: the unconflicted entries are not
// copied (for a small fork of a big room that copy was a quarter of the
// cost, besides the copy the result needs anyway). In the delta form the
// base is the sets' shared base, and the overlay the changed keys.
// `unconflicted` is the workspace's buffer (its capacity kept across
// calls: fresh memory for it cost page faults on every call).
struct Split {
  std::span<const Entry> base;
  std::vector<Entry>& unconflicted;
  std::vector<std::vector<EventIndex>>& conflicted_of;  // per set: its events at conflicted keys
};

// Calls fn(key, event) for each entry of the unconflicted state, in key
// order: the base's entries under the overlay. (A pass over the whole
// state: used only where the whole form would pass over it anyway.)
template <typename Fn>
void ForEachUnconflicted(const Split& split, Fn fn) {
  const std::span<const Entry> base = split.base;
  const std::vector<Entry>& overlay = split.unconflicted;
  size_t i = 0, j = 0;
  while (i < base.size() || j < overlay.size()) {
    if (j == overlay.size() || (i < base.size() && base[i].first < overlay[j].first)) {
      fn(base[i].first, base[i].second);
      ++i;
      continue;
    }
    if (i < base.size() && base[i].first == overlay[j].first) ++i;  // hidden by the overlay
    if (overlay[j].second != kNoEvent) fn(overlay[j].first, overlay[j].second);
    ++j;
  }
}

// The whole state of the base, as a PartialState without written keys.
PartialState BaseOf(const StateSets& sets) {
  PartialState p;
  if (sets.base != nullptr) p.base = sets.base->entries;
  return p;
}

// The split in the delta form: one merge of the sets' changes only. A key
// no set changed has the base's event in every set, so it is unconflicted
// and stays in the base; a changed key takes, in each set, its change or
// else the base's event.
Split SplitDeltas(const EventGraph& graph, const StateSets& sets, Resolution* out, bool explain,
                  StateResWorkspace::Buffers& scratch) {
  const size_t k = sets.size();
  const PartialState base = BaseOf(sets);
  Split split{base.base, scratch.unconflicted, scratch.conflicted_of};
  split.unconflicted.clear();
  split.conflicted_of.resize(k);
  for (std::vector<EventIndex>& events : split.conflicted_of) events.clear();
  std::vector<size_t> pos(k, 0);
  std::vector<EventIndex> values(k);
  while (true) {
    KeyIndex key = kNoKey;
    for (size_t i = 0; i < k; ++i) {
      const auto& changes = sets.deltas[i].changes;
      if (pos[i] < changes.size()) key = std::min(key, changes[pos[i]].first);
    }
    if (key == kNoKey) break;
    EventIndex in_base = kNoEvent;
    bool looked_up = false;
    bool same = true;
    for (size_t i = 0; i < k; ++i) {
      const auto& changes = sets.deltas[i].changes;
      if (pos[i] < changes.size() && changes[pos[i]].first == key) {
        values[i] = changes[pos[i]++].second;
      } else {
        if (!looked_up) in_base = base.At(key);
        looked_up = true;
        values[i] = in_base;
      }
      same = same && values[i] == values[0];
    }
    // Unconflicted (kNoEvent when every set removed the key), or
    // conflicted and so hidden from the unconflicted state.
    split.unconflicted.emplace_back(key, same ? values[0] : kNoEvent);
    if (same) continue;
    if (explain) out->conflicted_keys.push_back(graph.key(key));
    for (size_t i = 0; i < k; ++i) {
      if (values[i] != kNoEvent) split.conflicted_of[i].push_back(values[i]);
    }
  }
  if (explain) {
    ForEachUnconflicted(
        split, [&](KeyIndex key, EventIndex) { out->unconflicted_keys.push_back(graph.key(key)); });
  }
  return split;
}

// How many entries from the start `a` and `b` hold alike, up to `limit`.
// Blocks are compared with memcmp, which is vectorised: comparing pair by
// pair was half of a small fork's time in a room of a million state events.
size_t MatchingPrefix(const Entry* a, const Entry* b, size_t limit) {
  // Two integers and no padding: equal bytes mean equal entries.
  static_assert(std::is_integral_v<KeyIndex> && std::is_integral_v<EventIndex> &&
                sizeof(Entry) == sizeof(KeyIndex) + sizeof(EventIndex));
  constexpr size_t kBlock = 32;  // entries: 256 bytes
  size_t n = 0;
  while (n + kBlock <= limit && std::memcmp(a + n, b + n, kBlock * sizeof(Entry)) == 0) {
    n += kBlock;
  }
  while (n < limit && a[n] == b[n]) ++n;
  return n;
}

Split SplitStates(const EventGraph& graph, std::span<const GraphState> sets, Resolution* out,
                  bool explain, StateResWorkspace::Buffers& scratch) {
  const size_t k = sets.size();
  Split split{{}, scratch.unconflicted, scratch.conflicted_of};
  split.unconflicted.clear();
  split.conflicted_of.resize(k);
  for (std::vector<EventIndex>& events : split.conflicted_of) events.clear();
  if (k == 0) return split;  // no state sets: the empty state
  split.base = sets[0].entries;
  std::vector<size_t> pos(k, 0);
  // Per set: how many entries from pos[i] on are known to equal the first
  // set's from pos[0] on (a lower bound; exact once measured). Kept across
  // iterations so that a set compared far ahead is not compared again at
  // every key another set conflicts on: with 10 sets that repeated most of
  // the merge.
  std::vector<size_t> known(k, 0);
  std::vector<EventIndex> values(k);
  while (true) {
    // Fast path: a run where every set holds the same (key, event) entries
    // in the same order, as for most keys of a small fork. Sorted entries
    // with one entry per key make such a run unconflicted as a whole, and
    // the first set already holds it: it is measured by comparing the sets
    // side by side and skipped at once, with no minimum search and no
    // per-set values.
    size_t run = sets[0].entries.size() - pos[0];
    for (size_t i = 1; i < k && run > 0; ++i) {
      if (known[i] < run) {  // measure set i up to its first difference
        const size_t limit =
            std::min(sets[0].entries.size() - pos[0], sets[i].entries.size() - pos[i]);
        known[i] += MatchingPrefix(sets[0].entries.data() + pos[0] + known[i],
                                   sets[i].entries.data() + pos[i] + known[i], limit - known[i]);
      }
      run = std::min(run, known[i]);
    }
    if (run > 0) {
      if (explain) {
        const Entry* a = sets[0].entries.data() + pos[0];
        for (size_t n = 0; n < run; ++n) out->unconflicted_keys.push_back(graph.key(a[n].first));
      }
      for (size_t j = 0; j < k; ++j) {
        pos[j] += run;
        known[j] -= j == 0 ? 0 : run;
      }
      continue;
    }
    KeyIndex key = kNoKey;
    for (size_t i = 0; i < k; ++i) {
      if (pos[i] < sets[i].entries.size()) key = std::min(key, sets[i].entries[pos[i]].first);
    }
    if (key == kNoKey) break;
    bool same = true;
    for (size_t i = 0; i < k; ++i) {
      const auto& entries = sets[i].entries;
      const bool has_key = pos[i] < entries.size() && entries[pos[i]].first == key;
      values[i] = has_key ? entries[pos[i]++].second : kNoEvent;
      same = same && values[i] == values[0];
      // A set known to match the first holds the same key here, so both
      // step past it or neither does: the match shortens by what was used.
      if (i > 0 && has_key && known[i] > 0) --known[i];
    }
    if (same) {  // unconflicted, and in the first set (the key came from some set)
      if (explain) out->unconflicted_keys.push_back(graph.key(key));
      continue;
    }
    if (explain) out->conflicted_keys.push_back(graph.key(key));
    if (values[0] != kNoEvent) split.unconflicted.emplace_back(key, kNoEvent);  // hide it
    for (size_t i = 0; i < k; ++i) {
      if (values[i] != kNoEvent) split.conflicted_of[i].push_back(values[i]);
    }
  }
  return split;
}

// Whether every set carries a StateReach that still describes it.
bool EverySetCarriesReach(const EventGraph& graph, const StateSets& sets) {
  for (size_t i = 0; i < sets.size(); ++i) {
    const std::shared_ptr<const StateReach>& reach = sets.reach(i);
    if (reach == nullptr || reach->index_generation != graph.index_generation() ||
        reach->entry_count != sets.reach_guard(i)) {
      return false;
    }
  }
  return true;
}

// The resolved state in the delta form: the changes to the base, exactly
// the keys whose resolved event differs from the base's. Only keys in the
// overlay or written by the checks can differ: every other key is
// unconflicted with the base's event, and the unconflicted state wins.
void DeltaResult(const StateSets& sets, const Split& split, const std::vector<KeyIndex>& written,
                 const KeyedState& partial, std::vector<std::pair<KeyIndex, EventIndex>>* changes) {
  const PartialState base = BaseOf(sets);
  const auto& overlay = split.unconflicted;
  auto emit = [&](KeyIndex key, EventIndex unconflicted, bool was_written) {
    const EventIndex resolved =
        unconflicted != kNoEvent ? unconflicted : (was_written ? partial[key] : kNoEvent);
    if (resolved != base.At(key)) changes->emplace_back(key, resolved);
  };
  size_t i = 0, j = 0;
  while (i < overlay.size() || j < written.size()) {
    if (j == written.size() || (i < overlay.size() && overlay[i].first < written[j])) {
      emit(overlay[i].first, overlay[i].second, false);
      ++i;
    } else if (i == overlay.size() || written[j] < overlay[i].first) {
      emit(written[j], base.At(written[j]), true);
      ++j;
    } else {
      emit(overlay[i].first, overlay[i].second, true);
      ++i;
      ++j;
    }
  }
}

// The resolved state as a whole state (rooms/fragments/v2-state-res.md,
// step 5: the unconflicted state map wins): the split's base under its
// overlay, with each key the checks wrote that the unconflicted state
// lacks. For whole sets the overlay only hides the base's conflicted keys.
// One merge of the base with the sorted overlay and written keys; the
// runs of base entries between them are copied at once.
void WholeResult(const Split& split, const std::vector<KeyIndex>& written,
                 const KeyedState& partial, std::vector<Entry>* state) {
  const std::span<const Entry> base = split.base;
  const std::vector<Entry>& overlay = split.unconflicted;
  state->clear();
  state->reserve(base.size() + overlay.size() + written.size());
  size_t b = 0, o = 0, w = 0;
  while (o < overlay.size() || w < written.size()) {
    const KeyIndex key = w == written.size()   ? overlay[o].first
                         : o == overlay.size() ? written[w]
                                               : std::min(overlay[o].first, written[w]);
    // Overlay and written keys are near each other when many keys are
    // conflicted, far apart (a long run to copy) when few are.
    const size_t at = FirstAtOrAfter(base, b, key);
    state->insert(state->end(), base.begin() + b, base.begin() + at);
    b = at;
    const bool in_base = b < base.size() && base[b].first == key;
    const bool in_overlay = o < overlay.size() && overlay[o].first == key;
    const bool was_written = w < written.size() && written[w] == key;
    o += in_overlay;
    w += was_written;
    EventIndex unconflicted = in_base ? base[b].second : kNoEvent;
    if (in_overlay) unconflicted = overlay[o - 1].second;
    b += in_base;
    if (unconflicted != kNoEvent) {
      state->emplace_back(key, unconflicted);
    } else if (was_written) {
      state->emplace_back(key, partial[key]);
    }
  }
  state->insert(state->end(), base.begin() + b, base.end());
}

}  // namespace

Result<GraphResolution> ResolveV2(const EventGraph& graph, const StateSets& sets, bool v2_1,
                                  const StateResOptions& options, bool report_cuts,
                                  StateResWorkspace::Buffers& scratch) {
  GraphResolution resolved;
  Resolution& out = resolved.details;
  const bool explain = options.explain;
  const size_t key_count = graph.key_count();

  // A call that ended by an exception left the workspace unclean.
  if (scratch.dirty) {
    std::fill(scratch.partial.begin(), scratch.partial.end(), kNoEvent);
    std::fill(scratch.chain_lowest.begin(), scratch.chain_lowest.end(), UINT32_MAX);
    std::fill(scratch.p_best.begin(), scratch.p_best.end(), 0);
  }
  scratch.dirty = true;
  Split split = sets.delta_form ? SplitDeltas(graph, sets, &out, explain, scratch)
                                : SplitStates(graph, sets.whole, &out, explain, scratch);
  Region region(graph, report_cuts ? &out.warnings : nullptr, &scratch.region);
  std::vector<EventIndex>& conflicted = scratch.conflicted;
  conflicted.clear();
  auto fetch_entry_and_slot = [&](EventIndex e) {
    PrefetchEntry(graph, e);
    region.Prefetch(e);
  };
  for (const auto& events : split.conflicted_of) {
    ForEachFetchingAhead(events, fetch_entry_and_slot, [&](EventIndex e) {
      uint32_t l = region.Add(e);
      if (region.flags[l] & Region::kConflicted) return;
      region.flags[l] |= Region::kConflicted | Region::kInFcs;
      conflicted.push_back(e);
    });
  }
  if (conflicted.empty()) {
    if (sets.delta_form) {
      DeltaResult(sets, split, {}, scratch.partial, &resolved.state.entries);
    } else {
      WholeResult(split, {}, scratch.partial, &resolved.state.entries);
    }
    scratch.dirty = false;
    return resolved;
  }

  // Auth difference: the events in some C_i (the auth chain of S_i) but
  // not in all, found by walking down from the conflicted events; every
  // other event of a C_i lies below the unconflicted events, which every
  // S_i holds. Two ways to know where a walk may stop:
  const ReachIndex* index = graph.reach_index();
  std::vector<uint32_t>& touched = scratch.touched;  // region numbers of the difference
  touched.clear();
  std::vector<EventIndex>& work = scratch.work;  // the walks clear it before use
  std::vector<EventIndex>& fcs = scratch.fcs;  // the full conflicted set
  fcs.assign(conflicted.begin(), conflicted.end());
  auto add_to_difference = [&](uint32_t l) {
    EventIndex x = region.nodes[l];
    if (graph.event(x).json == nullptr) return;  // a cut, not an event
    if (explain) out.auth_difference.emplace_back(graph.event(x).id);
    if (!(region.flags[l] & Region::kInFcs)) {
      region.flags[l] |= Region::kInFcs;
      fcs.push_back(x);
    }
  };
  if (index != nullptr && EverySetCarriesReach(graph, sets)) {
    // (a) Each set carries its C_i (StateReach): one walk stops at their
    // intersection. Cost: the walked events times the number of sets.
    std::vector<const std::vector<uint32_t>*> chains_of_sets;
    for (size_t i = 0; i < sets.size(); ++i) chains_of_sets.push_back(&sets.reach(i)->best);
    DifferenceByStateReach(graph, region, conflicted, *index, chains_of_sets, work, &touched);
  } else {
    // (b) Walks down from the conflicted events that stop at U, the auth
    // closure of the unconflicted events, computed here per call: one pass
    // over the unconflicted events (state_res_difference.h).
    std::vector<EventIndex>& unconflicted_events = scratch.unconflicted_events;
    unconflicted_events.clear();
    ForEachUnconflicted(split, [&](KeyIndex, EventIndex e) { unconflicted_events.push_back(e); });
    std::vector<uint8_t> u_marks;
    const UnconflictedClosure u =
        ClosureOfUnconflicted(graph, unconflicted_events, &scratch.u_best, &u_marks);
    DifferenceBySetWalks(graph, region, split.conflicted_of, u, work, &touched);
  }
  ForEachFetchingAhead(
      touched, [&](uint32_t l) { PrefetchEntry(graph, region.nodes[l]); }, add_to_difference);

  // v2.1: the conflicted state subgraph, the events on auth paths between
  // conflicted events: below some conflicted event and above another.
  if (v2_1) {
    const std::vector<EventIndex> subgraph =
        index != nullptr ? region.SubgraphOf(conflicted, *index, &scratch.chain_lowest)
                         : region.SubgraphOf(conflicted);
    for (EventIndex x : subgraph) {
      uint32_t l = region.Of(x);
      if (explain) out.conflicted_subgraph.emplace_back(graph.event(x).id);
      if (!(region.flags[l] & Region::kInFcs)) {
        region.flags[l] |= Region::kInFcs;
        fcs.push_back(x);
      }
    }
  }

  // Step 1: the power events of the full conflicted set and the events of
  // the full conflicted set in their auth chains (X).
  std::vector<EventIndex> power_roots;
  for (EventIndex x : fcs) {
    if (IsPowerEvent(graph.event(x))) power_roots.push_back(x);
  }
  std::vector<EventIndex> x_events;
  {
    // p_best is all 0 between calls; the power roots are few next to the
    // chains, so they clear what they raised instead of a full reset.
    std::vector<uint32_t>& p_best = scratch.p_best;
    if (index != nullptr) {
      if (p_best.size() < index->chain_count()) p_best.resize(index->chain_count(), 0);
      index->RaiseReach(power_roots, p_best);
    } else {
      region.MarkClosure(power_roots, Region::kPowerClosure);
    }
    auto fetch_entry_and_record = [&](EventIndex x) {
      PrefetchEntry(graph, x);
      if (index != nullptr) index->Prefetch(x);
    };
    ForEachFetchingAhead(fcs, fetch_entry_and_record, [&](EventIndex x) {
      if (graph.event(x).json == nullptr) return;
      bool in = index != nullptr ? (IsPowerEvent(graph.event(x)) ||
                                    index->seq(x) <= p_best[index->chain(x)])
                                 : (region.flags[region.Of(x)] & Region::kPowerClosure) != 0;
      if (!in) return;
      region.flags[region.Of(x)] |= Region::kInX;
      x_events.push_back(x);
    });
    if (index != nullptr) index->ClearReach(power_roots, p_best);
  }
  // Reverse topological power ordering: Kahn over the auth edges among X,
  // taking the smallest by (greater sender power, smaller
  // origin_server_ts, smaller event_id).
  const uint32_t nx = static_cast<uint32_t>(x_events.size());
  std::vector<uint32_t>& xpos = scratch.xpos;
  xpos.assign(region.nodes.size(), UINT32_MAX);
  for (uint32_t i = 0; i < nx; ++i) xpos[region.Of(x_events[i])] = i;
  // The sort key of each X event beside the others: the Kahn queue's
  // comparisons read it, and go to the (scattered) graph entries only for
  // the event IDs of a tie.
  std::vector<PowerSortKey>& keys = scratch.power_keys;
  keys.resize(nx);
  {
    // The sender's power from the event's own auth events. Taken in the
    // order of their power-levels auth event, so that the events citing
    // one are answered from one table (PowerTable: a big conflict cites
    // hundreds of power-levels events). Only the order of the computations
    // changes.
    std::vector<std::pair<EventIndex, uint32_t>>& by_pl = scratch.by_power_levels;
    by_pl.resize(nx);
    for (uint32_t i = 0; i < nx; ++i) by_pl[i] = {graph.event(x_events[i]).power_levels_auth, i};
    std::sort(by_pl.begin(), by_pl.end());
    std::vector<EventIndex>& order = scratch.by_power_levels_events;
    order.resize(nx);
    for (uint32_t j = 0; j < nx; ++j) order[j] = x_events[by_pl[j].second];
    PowerTable powers(graph);
    for (uint32_t j = 0; j < nx; ++j) {
      // What PowerTable reads: the entry, its auth edges and their
      // entries (to find the create event); a sender's bytes only once
      // per pair. (EventPrefetch, made for the checks, also fetched the
      // user IDs and the content: measured 1-2 % slower.)
      if (j + 16 < nx) PrefetchEntry(graph, order[j + 16]);
      if (j + 12 < nx) {
        std::span<const EventIndex> auth = graph.auth_events(order[j + 12]);
        if (!auth.empty()) __builtin_prefetch(auth.data(), 0, 3);
      }
      if (j + 8 < nx) {
        for (EventIndex a : graph.auth_events(order[j + 8])) PrefetchEntry(graph, a);
      }
      const GraphEvent& n = graph.event(order[j]);
      keys[by_pl[j].second] = {powers.OfSenderInOwnAuthEvents(order[j]), n.origin_server_ts};
    }
  }
  auto later = [&](uint32_t a, uint32_t b) {  // priority_queue: top is smallest
    if (keys[a].power != keys[b].power) return keys[a].power < keys[b].power;
    if (keys[a].ts != keys[b].ts) return keys[a].ts > keys[b].ts;
    return graph.event(x_events[a]).id > graph.event(x_events[b]).id;
  };
  // Dependants in one flat array (CSR): a's dependants are the X events
  // citing a.
  std::vector<uint32_t> pending(nx, 0), dep_begin(nx + 1, 0), deps;
  auto x_of = [&](EventIndex a) {
    uint32_t l = region.Of(a);
    return l == Region::kNone ? UINT32_MAX : xpos[l];
  };
  // One pass over the X events' auth edges notes each edge inside X
  // (citing, cited); the CSR is filled from that list, so each cited
  // event's region slot is read once (scattered reads, most of them
  // cache misses in a big conflict).
  std::vector<std::pair<uint32_t, uint32_t>>& inside = scratch.x_edges;
  inside.clear();
  for (uint32_t i = 0; i < nx; ++i) {
    // Three stages: the entry, then its auth edges, then their slots.
    if (i + 3 * kPassAhead < nx) PrefetchEntry(graph, x_events[i + 3 * kPassAhead]);
    if (i + 2 * kPassAhead < nx) {
      std::span<const EventIndex> auth = graph.auth_events(x_events[i + 2 * kPassAhead]);
      if (!auth.empty()) __builtin_prefetch(auth.data(), 0, 3);
    }
    if (i + kPassAhead < nx) {
      for (EventIndex a : graph.auth_events(x_events[i + kPassAhead])) region.Prefetch(a);
    }
    for (EventIndex a : graph.auth_events(x_events[i])) {
      uint32_t j = x_of(a);
      if (j != UINT32_MAX) {
        ++pending[i];
        ++dep_begin[j + 1];
        inside.emplace_back(i, j);
      }
    }
  }
  for (uint32_t i = 0; i < nx; ++i) dep_begin[i + 1] += dep_begin[i];
  deps.resize(dep_begin[nx]);
  std::vector<uint32_t> fill(dep_begin.begin(), dep_begin.end() - 1);
  for (const auto& [i, j] : inside) deps[fill[j]++] = i;
  std::priority_queue<uint32_t, std::vector<uint32_t>, decltype(later)> ready(later);
  for (uint32_t i = 0; i < nx; ++i) {
    if (pending[i] == 0) ready.push(i);
  }
  std::vector<EventIndex> power_order;
  power_order.reserve(nx);
  while (!ready.empty()) {
    uint32_t i = ready.top();
    ready.pop();
    power_order.push_back(x_events[i]);
    if (explain) {
      out.power_order.push_back(PowerOrderEntry{std::string(graph.event(x_events[i]).id),
                                                keys[i].power,
                                                graph.event(x_events[i]).origin_server_ts});
    }
    for (uint32_t d = dep_begin[i]; d < dep_begin[i + 1]; ++d) {
      if (--pending[deps[d]] == 0) ready.push(deps[d]);
    }
  }
  if (power_order.size() != x_events.size()) {
    scratch.dirty = false;  // the partial state is untouched so far; the Region resets its map
    return Fail("state_res.cycle", "rooms: auth events form a DAG",
                std::to_string(x_events.size() - power_order.size()) +
                    " power events lie on a cycle of auth_events");
  }

  // Step 2: iterative auth checks from the unconflicted state (v2) or from
  // an empty state (v2.1).
  // The partial state lives in the workspace: all kNoEvent between calls,
  // so only the keys this call sets are reset at the end.
  KeyedState& partial = scratch.partial;
  if (partial.size() < key_count) partial.resize(key_count, kNoEvent);
  // v2 starts from the unconflicted state: copied into `partial` (and
  // cleared again at the end) when many events are checked, looked up
  // (binary search) when few are checked against a big state, as in a
  // small fork of a big room. Each check asks ~5 keys.
  // In the delta form the unconflicted state is the base under the overlay.
  PartialState base;
  using Base = StateResOptions::UnconflictedBase;
  // The unconflicted state's size, give or take the overlay's.
  const size_t unconflicted_size = split.base.size() + split.unconflicted.size();
  const bool copy_base =
      !v2_1 && (options.unconflicted_base == Base::kCopy ||
                (options.unconflicted_base == Base::kAuto && fcs.size() * 64 >= unconflicted_size));
  if (copy_base) {
    ForEachUnconflicted(split, [&](KeyIndex key, EventIndex e) { partial[key] = e; });
  } else if (!v2_1) {
    base.base = split.base;
    base.overlay = split.unconflicted;
  }
  std::vector<KeyIndex>& written = scratch.written;
  written.clear();
  IterativeAuthChecks(graph, power_order, &partial, base, &written, "power events", &out,
                      explain);

  // Step 3: mainline ordering of the rest, based on the partial state's
  // power levels event.
  std::unordered_map<EventIndex, int64_t> mainline_index;
  KeyIndex pl_key = graph.FindKey("m.room.power_levels", "");
  PartialState after_power = base;
  after_power.written = &partial;
  const EventIndex current_pl = pl_key != kNoKey ? after_power.At(pl_key) : kNoEvent;
  if (current_pl != kNoEvent) {
    int64_t i = 0;
    for (EventIndex p = current_pl; p != kNoEvent && !mainline_index.count(p);
         p = graph.event(p).power_levels_auth) {
      mainline_index.emplace(p, i++);
      if (explain) out.mainline.emplace_back(graph.event(p).id);
    }
  }
  // Mainline position of the first mainline event at or below a power
  // levels event, memoised; -1 for the spec's infinity.
  std::unordered_map<EventIndex, int64_t> position_from;
  auto position_of = [&](EventIndex e) -> int64_t {
    std::vector<EventIndex> path;
    EventIndex p = graph.event(e).power_levels_auth;  // e itself is not counted
    int64_t found = -1;
    while (p != kNoEvent) {
      if (auto it = position_from.find(p); it != position_from.end()) {
        found = it->second;
        break;
      }
      if (auto it = mainline_index.find(p); it != mainline_index.end()) {
        found = it->second;
        break;
      }
      position_from[p] = -1;  // provisional: also stops a cycle
      path.push_back(p);
      p = graph.event(p).power_levels_auth;
    }
    for (EventIndex q : path) position_from[q] = found;
    return found;
  };
  using Ranked = MainlineRanked;
  std::vector<Ranked>& ranked = scratch.ranked;
  ranked.clear();
  ForEachFetchingAhead(fcs, fetch_entry_and_slot, [&](EventIndex x) {
    if ((region.flags[region.Of(x)] & Region::kInX) || graph.event(x).json == nullptr) return;
    int64_t p = position_of(x);
    ranked.push_back(Ranked{p < 0 ? INT64_MAX : p, graph.event(x).origin_server_ts,
                            graph.event(x).id, x});
  });
  std::sort(ranked.begin(), ranked.end(), [](const Ranked& a, const Ranked& b) {
    // Greater position first, with infinity before everything.
    if (a.position != b.position) return a.position > b.position;
    if (a.ts != b.ts) return a.ts < b.ts;
    return a.id < b.id;
  });
  std::vector<EventIndex>& rest = scratch.rest;
  rest.clear();
  rest.reserve(ranked.size());
  for (const Ranked& r : ranked) {
    rest.push_back(r.e);
    if (explain) {
      out.mainline_order.push_back(MainlineOrderEntry{
          std::string(r.id), r.position == INT64_MAX ? -1 : r.position, r.ts});
    }
  }

  // Step 4: iterative auth checks on the rest.
  IterativeAuthChecks(graph, rest, &partial, base, &written, "mainline", &out, explain);

  // Step 5: the unconflicted state map wins. The result is the unconflicted
  // state plus the keys the checks wrote that it lacks.
  SortUniqueKeys(&written, key_count, &scratch.key_bits);
  std::vector<Entry>& state = resolved.state.entries;
  if (sets.delta_form) {
    DeltaResult(sets, split, written, partial, &state);
  } else {
    WholeResult(split, written, partial, &state);
  }
  // Every key set in `partial` was written, or unconflicted and copied in.
  if (copy_base) {
    ForEachUnconflicted(split, [&](KeyIndex key, EventIndex) { partial[key] = kNoEvent; });
  }
  for (KeyIndex key : written) partial[key] = kNoEvent;
  scratch.dirty = false;
  out.events_walked = region.nodes.size();
  return resolved;
}

}  // namespace mxstate::internal

#include "state_res_difference.h"

#include <algorithm>
#include <array>

namespace mxstate::internal {
namespace {

// How many roots ahead the walks fetch their graph entries.
constexpr size_t kRootsAhead = 16;

// The walks use a queue, not a stack, so that an event is popped long
// after it was pushed: the push fetches its index record, graph entry and
// Region slot, and this many places before the head reaches the event,
// once those are in the cache, the walk fetches what they name (its auth
// edges; its entry of U's `best` or of the sets' `best`). A stack pops
// most events right after their push, before the fetches land.
constexpr size_t kQueueSecondAhead = 8;

// Events a walk found it stops at (in U, or in every set's chain), kept in
// a small direct-mapped table and skipped when pushed. Most auth edges of
// conflicted events lead to a few such events (the create event, the
// power levels and join rules, the senders' memberships): in a big
// conflict over 10 sets, 85 % of the pops were of events in U. Skipping
// them at the push saves their queue entry and its fetches; an event the
// table has forgotten is pushed and tested at the pop as before. The stop
// test does not change during a call, so the table holds across walks.
class KnownStops {
 public:
  KnownStops() { slots_.fill(kNoEvent); }
  bool Has(EventIndex e) const { return slots_[e % kSlots] == e; }
  void Note(EventIndex e) { slots_[e % kSlots] = e; }

 private:
  static constexpr size_t kSlots = 1024;
  std::array<EventIndex, kSlots> slots_;
};

// Appends x's auth events to the queue, each with the first stage of its
// fetches: its index record (`index` may be null), graph entry and Region
// slot.
void EnqueueAuthEvents(const EventGraph& graph, const Region& region, const ReachIndex* index,
                       const KnownStops& stops, EventIndex x, std::vector<EventIndex>& queue) {
  for (EventIndex a : graph.auth_events(x)) {
    if (stops.Has(a)) continue;
    if (index != nullptr) index->Prefetch(a);
    PrefetchEntry(graph, a);
    region.Prefetch(a);
    queue.push_back(a);
  }
}

// Starts a walk: the auth events of the roots (a root is not in its own
// auth chain), fetching the roots' graph entries and auth edges ahead.
void EnqueueRoots(const EventGraph& graph, const Region& region, const ReachIndex* index,
                  const KnownStops& stops, const std::vector<EventIndex>& roots,
                  std::vector<EventIndex>& queue) {
  queue.clear();
  for (size_t j = 0; j < roots.size(); ++j) {
    if (j + kRootsAhead < roots.size()) PrefetchEntry(graph, roots[j + kRootsAhead]);
    // Then, once the entry is in, the auth edges it names.
    if (j + kRootsAhead / 2 < roots.size()) {
      std::span<const EventIndex> auth = graph.auth_events(roots[j + kRootsAhead / 2]);
      if (!auth.empty()) __builtin_prefetch(auth.data(), 0, 3);
    }
    EnqueueAuthEvents(graph, region, index, stops, roots[j], queue);
  }
}

// Marks (graph-sized) the auth closure of `roots`, roots excluded unless
// reached from another root: the walk used when there is no index.
std::vector<uint8_t> ClosureMarks(const EventGraph& graph, const std::vector<EventIndex>& roots) {
  std::vector<uint8_t> mark(graph.size(), 0);
  std::vector<EventIndex> stack;
  for (EventIndex r : roots) {
    for (EventIndex a : graph.auth_events(r)) stack.push_back(a);
  }
  while (!stack.empty()) {
    EventIndex x = stack.back();
    stack.pop_back();
    if (mark[x]) continue;
    mark[x] = 1;
    for (EventIndex a : graph.auth_events(x)) stack.push_back(a);
  }
  return mark;
}

}  // namespace

UnconflictedClosure ClosureOfUnconflicted(const EventGraph& graph,
                                          const std::vector<EventIndex>& events,
                                          std::vector<uint32_t>* best,
                                          std::vector<uint8_t>* marks) {
  if (const ReachIndex* index = graph.reach_index()) {
    index->MaxReach(events, best);
    return UnconflictedClosure(*index, *best);
  }
  *marks = ClosureMarks(graph, events);
  return UnconflictedClosure(*marks);
}

void DifferenceBySetWalks(const EventGraph& graph, Region& region,
                          std::span<const std::vector<EventIndex>> conflicted_of,
                          const UnconflictedClosure& u, std::vector<EventIndex>& work,
                          std::vector<uint32_t>* difference) {
  const size_t k = conflicted_of.size();
  const size_t first = difference->size();
  KnownStops in_u;
  for (uint32_t i = 0; i < k; ++i) {
    EnqueueRoots(graph, region, u.index(), in_u, conflicted_of[i], work);
    for (size_t head = 0; head < work.size(); ++head) {
      if (head + kQueueSecondAhead < work.size()) {
        const EventIndex ahead = work[head + kQueueSecondAhead];
        u.PrefetchBest(ahead);
        __builtin_prefetch(graph.auth_events(ahead).data(), 0, 3);
      }
      const EventIndex x = work[head];
      if (u.Contains(x)) {
        in_u.Note(x);
        continue;
      }
      uint32_t l = region.Add(x);
      if (region.stamp[l] == i) continue;
      region.stamp[l] = i;
      if (region.reached_by[l]++ == 0) difference->push_back(l);
      EnqueueAuthEvents(graph, region, u.index(), in_u, x, work);
    }
  }
  work.clear();
  // Reached by every walk: in every D_i.
  difference->erase(std::remove_if(difference->begin() + first, difference->end(),
                                   [&](uint32_t l) { return region.reached_by[l] >= k; }),
                    difference->end());
}

void DifferenceByStateReach(const EventGraph& graph, Region& region,
                            const std::vector<EventIndex>& conflicted, const ReachIndex& index,
                            std::span<const std::vector<uint32_t>* const> best_of_sets,
                            std::vector<EventIndex>& work, std::vector<uint32_t>* difference) {
  auto in_every_chain = [&](EventIndex x) {
    const uint32_t c = index.chain(x);
    const uint32_t q = index.seq(x);
    for (const std::vector<uint32_t>* best : best_of_sets) {
      if (c >= best->size() || (*best)[c] < q) return false;
    }
    return true;
  };
  KnownStops in_every;
  EnqueueRoots(graph, region, &index, in_every, conflicted, work);
  for (size_t head = 0; head < work.size(); ++head) {
    if (head + kQueueSecondAhead < work.size()) {
      const EventIndex ahead = work[head + kQueueSecondAhead];
      const uint32_t c = index.chain(ahead);
      for (const std::vector<uint32_t>* best : best_of_sets) {
        if (c < best->size()) __builtin_prefetch(best->data() + c, 0, 3);
      }
      __builtin_prefetch(graph.auth_events(ahead).data(), 0, 3);
    }
    const EventIndex x = work[head];
    const uint32_t seen = region.Of(x);
    if (seen != Region::kNone && region.stamp[seen] == 0) continue;
    if (in_every_chain(x)) {
      in_every.Note(x);
      continue;
    }
    const uint32_t l = region.Add(x);
    region.stamp[l] = 0;
    difference->push_back(l);
    EnqueueAuthEvents(graph, region, &index, in_every, x, work);
  }
  work.clear();
}

}  // namespace mxstate::internal

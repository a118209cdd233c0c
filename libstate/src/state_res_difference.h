// Internal: the auth difference of state resolution v2 and v2.1
// (rooms/fragments/v2-state-res.md, "Auth difference"): the events in the
// auth chain C_i of some state set but not in every one.
//
// C_i = U ∪ D_i, where U is the auth closure of the unconflicted events
// (every set holds them, so U lies in every C_i) and D_i the auth closure
// of set i's events at conflicted keys. So the difference is the events
// outside U that some D_i reaches and another does not, and the walks
// down from the conflicted events stop at U.
#ifndef MXSTATE_SRC_STATE_RES_DIFFERENCE_H_
#define MXSTATE_SRC_STATE_RES_DIFFERENCE_H_

#include <cstdint>
#include <span>
#include <vector>

#include "mxstate/reach_index.h"
#include "state_res_region.h"

namespace mxstate::internal {

// U: from the reachability index (`best` as ReachIndex::MaxReach leaves
// it for the unconflicted events), or without an index from graph-sized
// marks of the closure.
class UnconflictedClosure {
 public:
  UnconflictedClosure(const ReachIndex& index, const std::vector<uint32_t>& best)
      : index_(&index), best_(&best) {}
  explicit UnconflictedClosure(const std::vector<uint8_t>& marks) : marks_(&marks) {}

  bool Contains(EventIndex x) const {
    return index_ != nullptr ? index_->seq(x) <= (*best_)[index_->chain(x)] : (*marks_)[x] != 0;
  }
  // The index, or nullptr when U is marked without one.
  const ReachIndex* index() const { return index_; }
  // A hint that Contains(x) will be asked soon, once the index record of x
  // is in the cache (ReachIndex::Prefetch): fetches the entry of `best` it
  // names.
  void PrefetchBest(EventIndex x) const {
    if (index_ != nullptr) __builtin_prefetch(&(*best_)[index_->chain(x)], 0, 3);
  }

 private:
  const ReachIndex* index_ = nullptr;
  const std::vector<uint32_t>* best_ = nullptr;
  const std::vector<uint8_t>* marks_ = nullptr;
};

// U for `events`, the unconflicted events: with the graph's reachability
// index, `best` (chain-sized) is filled by ReachIndex::MaxReach; without
// one, `marks` (graph-sized) by a walk of the closure. The result reads
// whichever was filled, so both must outlive it.
UnconflictedClosure ClosureOfUnconflicted(const EventGraph& graph,
                                          const std::vector<EventIndex>& events,
                                          std::vector<uint32_t>* best, std::vector<uint8_t>* marks);

// Appends to `difference` the region numbers of the events outside U that
// the walk down from some set's conflicted events reaches and the walk
// from another set's does not: one walk per set, which stamps what it
// visited (so a cycle of auth events ends it). Uses the Region's `stamp`
// and `reached_by`; `work` is scratch, cleared before each walk.
void DifferenceBySetWalks(const EventGraph& graph, Region& region,
                          std::span<const std::vector<EventIndex>> conflicted_of,
                          const UnconflictedClosure& u, std::vector<EventIndex>& work,
                          std::vector<uint32_t>* difference);

// Appends to `difference` the region numbers of the events below the
// conflicted events that some set's auth chain lacks, when every set
// carries its chain (StateReach: `best_of_sets[i]` is set i's `best`). The
// intersection of the chains is closed under auth edges, so one walk from
// every conflicted event stops there, and every event it passes is in the
// difference. Uses the Region's `stamp`; `work` is scratch, cleared first.
void DifferenceByStateReach(const EventGraph& graph, Region& region,
                            const std::vector<EventIndex>& conflicted, const ReachIndex& index,
                            std::span<const std::vector<uint32_t>* const> best_of_sets,
                            std::vector<EventIndex>& work, std::vector<uint32_t>* difference);

}  // namespace mxstate::internal

#endif  // MXSTATE_SRC_STATE_RES_DIFFERENCE_H_

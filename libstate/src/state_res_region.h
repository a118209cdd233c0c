// Internal: the events one v2 resolution walks, numbered densely, with the
// per-event scratch the algorithm needs. Only the numbering map (4 bytes per
// event) and the subgraph walk's bit set (1 bit) are as large as the graph,
// and they live in the caller's workspace: the Region resets the entries it
// set when it ends. Everything else grows
// with the events walked, so a resolution over a big persistent graph does
// not pay for the whole room in scratch.
#ifndef MXSTATE_SRC_STATE_RES_REGION_H_
#define MXSTATE_SRC_STATE_RES_REGION_H_

#include <cstdint>
#include <vector>

#include "state_res_internal.h"

namespace mxstate::internal {

class Region {
 public:
  static constexpr uint32_t kNone = UINT32_MAX;
  enum Flag : uint8_t {
    kConflicted = 1,
    kInFcs = 2,        // in the full conflicted set
    kInX = 4,          // step 1's X
    kPowerClosure = 8,
    kBelow = 16,       // in the auth closure of the conflicted events (v2.1)
    kAbove = 32,       // a conflicted event is in its auth closure, or it is one (v2.1)
  };

  // `warnings` (may be null) receives one warning per missing auth event
  // walked over.
  // `buffers->local` maps graph index -> region number; all kNone on entry
  // and on exit (it is grown to the graph's size here). The per-event
  // vectors are cleared here, keeping their capacity.
  Region(const EventGraph& graph, std::vector<Error>* warnings, RegionBuffers* buffers)
      : nodes(buffers->nodes),
        flags(buffers->flags),
        stamp(buffers->stamp),
        reached_by(buffers->reached_by),
        graph_(graph),
        local_(buffers->local),
        below_(buffers->below),
        warnings_(warnings) {
    if (local_.size() < graph.size()) local_.resize(graph.size(), kNone);
    if (below_.size() < (graph.size() + 63) / 64) below_.resize((graph.size() + 63) / 64, 0);
    nodes.clear();
    flags.clear();
    stamp.clear();
    reached_by.clear();
  }
  ~Region() {
    // Only nodes have bits in below_, so this clears all of them.
    for (EventIndex e : nodes) {
      local_[e] = kNone;
      below_[e / 64] = 0;
    }
  }
  Region(const Region&) = delete;
  Region& operator=(const Region&) = delete;

  // The region number of `e`, adding it on first sight.
  uint32_t Add(EventIndex e) {
    uint32_t& l = local_[e];
    if (l == kNone) {
      l = static_cast<uint32_t>(nodes.size());
      nodes.push_back(e);
      flags.push_back(0);
      stamp.push_back(UINT32_MAX);
      reached_by.push_back(0);
      if (warnings_ != nullptr && graph_.event(e).json == nullptr) {
        warnings_->push_back(MissingAuthEventWarning(graph_, e));
      }
    }
    return l;
  }
  // kNone when not walked.
  uint32_t Of(EventIndex e) const { return local_[e]; }
  // A hint that Add(e) or Of(e) will be asked soon.
  void Prefetch(EventIndex e) const { __builtin_prefetch(&local_[e], 1, 3); }

  // Sets `flag` on `roots` and their auth closures; returns the region
  // numbers newly flagged.
  std::vector<uint32_t> MarkClosure(const std::vector<EventIndex>& roots, uint8_t flag);

  // v2.1's conflicted state subgraph without the conflicted events
  // themselves: the known events below one conflicted event and above
  // another (rooms/v12 "State resolution").
  std::vector<EventIndex> SubgraphOf(const std::vector<EventIndex>& conflicted);
  // The same with the reachability index: the walk down from the
  // conflicted events goes on only through events that reach some
  // conflicted event (one that reaches none cannot be above one, nor can
  // anything in its auth chain), so it covers the subgraph and its edge
  // instead of the conflicted events' whole auth closure. `lowest` is
  // chain-sized scratch, all UINT32_MAX on entry and on exit. REQUIRES:
  // the conflicted events are in the region.
  std::vector<EventIndex> SubgraphOf(const std::vector<EventIndex>& conflicted,
                                     const ReachIndex& index, std::vector<uint32_t>* lowest);

  // Per region number.
  std::vector<EventIndex>& nodes;
  std::vector<uint8_t>& flags;
  std::vector<uint32_t>& stamp;       // last D_i walk that reached it
  std::vector<uint32_t>& reached_by;  // how many D_i reach it

 private:
  const EventGraph& graph_;
  std::vector<uint32_t>& local_;  // graph index -> region number
  std::vector<uint64_t>& below_;  // SubgraphOf's walked events; bits of nodes only
  std::vector<Error>* warnings_;
};

}  // namespace mxstate::internal

#endif  // MXSTATE_SRC_STATE_RES_REGION_H_

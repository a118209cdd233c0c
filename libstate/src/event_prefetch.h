// Internal: software prefetching for loops over graph events.
//
// Resolution visits events in an order unrelated to where their Json lives.
// In a room larger than the cache, each auth check starts with a chain of
// dependent misses: the graph entry, the event's content node, then the
// content's members. The sender's and target's membership
// entries in the partial state miss as well. Issuing those loads a few
// iterations ahead overlaps them with the current check. It is only a
// hint: prefetching never changes what the loop computes, and a stale
// guess (the state changes as the loop writes to it) costs nothing but
// bandwidth.
#ifndef MXSTATE_SRC_EVENT_PREFETCH_H_
#define MXSTATE_SRC_EVENT_PREFETCH_H_

#include <span>

#include "state_res_internal.h"

namespace mxstate::internal {

class EventPrefetch {
 public:
  // `state` may be nullptr (no membership look-ups to prefetch).
  EventPrefetch(const EventGraph& graph, std::span<const EventIndex> order,
                const KeyedState* state)
      : graph_(graph), order_(order), state_(state) {}

  // Call at the top of iteration i of a loop over `order`.
  void Ahead(size_t i) const;

 private:
  const EventGraph& graph_;
  std::span<const EventIndex> order_;
  const KeyedState* state_;
};

}  // namespace mxstate::internal

#endif  // MXSTATE_SRC_EVENT_PREFETCH_H_

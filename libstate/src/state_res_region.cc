#include "state_res_region.h"

#include <algorithm>

namespace mxstate::internal {

std::vector<uint32_t> Region::MarkClosure(const std::vector<EventIndex>& roots, uint8_t flag) {
  std::vector<uint32_t> marked;
  std::vector<EventIndex> stack;
  auto visit = [&](EventIndex e) {
    uint32_t l = Add(e);
    if (flags[l] & flag) return;
    flags[l] |= flag;
    marked.push_back(l);
    stack.push_back(e);
  };
  for (EventIndex r : roots) visit(r);
  while (!stack.empty()) {
    EventIndex x = stack.back();
    stack.pop_back();
    for (EventIndex a : graph_.auth_events(x)) visit(a);
  }
  return marked;
}

std::vector<EventIndex> Region::SubgraphOf(const std::vector<EventIndex>& conflicted) {
  const std::vector<uint32_t> below = MarkClosure(conflicted, kBelow);
  // Reverse auth edges inside `below` (flat, CSR), then walk up from the
  // conflicted events.
  const size_t m = nodes.size();
  std::vector<uint32_t> up_begin(m + 1, 0);
  for (uint32_t l : below) {
    for (EventIndex a : graph_.auth_events(nodes[l])) ++up_begin[Of(a) + 1];
  }
  for (size_t i = 0; i < m; ++i) up_begin[i + 1] += up_begin[i];
  std::vector<uint32_t> up(up_begin[m]);
  std::vector<uint32_t> fill(up_begin.begin(), up_begin.end() - 1);
  for (uint32_t l : below) {
    for (EventIndex a : graph_.auth_events(nodes[l])) up[fill[Of(a)]++] = l;
  }
  std::vector<uint32_t> work;
  for (EventIndex c : conflicted) {
    uint32_t l = Of(c);
    if (!(flags[l] & kAbove)) {
      flags[l] |= kAbove;
      work.push_back(l);
    }
  }
  while (!work.empty()) {
    uint32_t l = work.back();
    work.pop_back();
    for (uint32_t i = up_begin[l]; i < up_begin[l + 1]; ++i) {
      if (!(flags[up[i]] & kAbove)) {
        flags[up[i]] |= kAbove;
        work.push_back(up[i]);
      }
    }
  }
  std::vector<EventIndex> out;
  for (uint32_t l : below) {
    if ((flags[l] & kAbove) && !(flags[l] & kConflicted) && graph_.event(nodes[l]).json != nullptr) {
      out.push_back(nodes[l]);
    }
  }
  return out;
}

std::vector<EventIndex> Region::SubgraphOf(const std::vector<EventIndex>& conflicted,
                                           const ReachIndex& index,
                                           std::vector<uint32_t>* lowest) {
  if (lowest->size() < index.chain_count()) lowest->resize(index.chain_count(), UINT32_MAX);
  // A big conflict has hundreds of thousands of conflicted events spread
  // over the graph: the passes over them fetch each one's index record,
  // graph entry and auth edges kAhead events ahead.
  constexpr size_t kAhead = 16;
  std::vector<uint32_t> chains;  // entries of `lowest` to reset
  for (size_t t = 0; t < conflicted.size(); ++t) {
    if (t + kAhead < conflicted.size()) index.Prefetch(conflicted[t + kAhead]);
    const EventIndex c = conflicted[t];
    if (c >= graph_.size() || index.chain(c) >= lowest->size()) continue;
    uint32_t& low = (*lowest)[index.chain(c)];
    if (low == UINT32_MAX) chains.push_back(index.chain(c));
    low = std::min(low, index.seq(c));
  }
  // "Walked" is a bit per graph event (below_): most of the walk's ~1 M
  // pushes in a big conflict are events already walked (the create, power
  // levels and join rules events every event cites, other conflicted
  // events), and a 128 KB bit set answers them from the cache where the
  // region's 4 MB map and flags did not.
  auto walked = [&](EventIndex e) { return (below_[e / 64] >> (e % 64)) & 1; };
  auto mark = [&](EventIndex e) { below_[e / 64] |= uint64_t{1} << (e % 64); };
  std::vector<EventIndex> out;
  std::vector<EventIndex> stack;
  for (size_t t = 0; t < conflicted.size(); ++t) {
    if (t + kAhead < conflicted.size()) __builtin_prefetch(&graph_.event(conflicted[t + kAhead]));
    if (t + kAhead / 2 < conflicted.size()) {
      std::span<const EventIndex> auth = graph_.auth_events(conflicted[t + kAhead / 2]);
      if (!auth.empty()) __builtin_prefetch(auth.data());
    }
    const EventIndex c = conflicted[t];
    mark(c);  // in the region already: the caller numbered the conflicted events
    for (EventIndex a : graph_.auth_events(c)) {
      if (!walked(a)) stack.push_back(a);
    }
  }
  while (!stack.empty()) {
    EventIndex x = stack.back();
    stack.pop_back();
    if (walked(x)) continue;
    uint32_t l = Add(x);  // before the bit: every marked event is a node, see ~Region
    mark(x);
    if (!index.ReachesAnyOf(x, *lowest)) continue;
    // Below a conflicted event (the walk came from one) and above another.
    if (!(flags[l] & kConflicted) && graph_.event(x).json != nullptr) out.push_back(x);
    for (EventIndex a : graph_.auth_events(x)) {
      if (!walked(a)) stack.push_back(a);
    }
  }
  for (uint32_t c : chains) (*lowest)[c] = UINT32_MAX;
  return out;
}

}  // namespace mxstate::internal

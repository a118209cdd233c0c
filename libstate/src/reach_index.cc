#include "mxstate/reach_index.h"

#include <algorithm>

namespace mxstate {

void ReachIndex::AddWithChain(uint32_t e, std::span<const uint32_t> auth, uint32_t extend) {
  uint32_t c;
  uint32_t s;
  if (extend != UINT32_MAX) {
    c = node_[extend].chain;
    s = node_[extend].seq + 1;
    tail_[c] = e;
  } else {
    c = static_cast<uint32_t>(tail_.size());
    s = 1;
    tail_.push_back(e);
    scratch_.push_back(0);
  }
  if (e >= node_.size()) node_.resize(e + 1);
  node_[e].chain = c;
  node_[e].seq = s;
  ++added_;
  // Label: the per-chain maxima over the auth events themselves and their
  // labels. Entries on e's own chain are dropped: e reaches every earlier
  // event of its chain already (an auth event cannot reach a later one
  // without a cycle).
  auto note = [&](uint32_t chain, uint32_t seq) {
    if (chain == c) return;
    uint32_t& best = scratch_[chain];
    if (best == 0) touched_.push_back(chain);
    if (seq > best) best = seq;
  };
  for (uint32_t a : auth) {
    note(node_[a].chain, node_[a].seq);
    for (const Entry& entry : label(a)) note(entry.chain, entry.seq);
  }
  std::sort(touched_.begin(), touched_.end());
  node_[e].label_begin = static_cast<uint32_t>(labels_.size());
  node_[e].label_size = static_cast<uint32_t>(touched_.size());
  for (uint32_t chain : touched_) {
    labels_.push_back(Entry{chain, scratch_[chain]});
    scratch_[chain] = 0;
  }
  const size_t label_size = touched_.size();
  touched_.clear();
  // Bounded memory and work on hostile (very wide) graphs.
  if (label_size > kMaxLabel || labels_.size() > kMaxAverageLabel * added_ + 65536) {
    Disable();
  }
}

bool ReachIndex::Reaches(uint32_t e, uint32_t ancestor) const {
  const uint32_t c = node_[ancestor].chain;
  if (c == node_[e].chain) return node_[ancestor].seq < node_[e].seq;
  std::span<const Entry> l = label(e);
  auto it = std::lower_bound(l.begin(), l.end(), c,
                             [](const Entry& entry, uint32_t chain) { return entry.chain < chain; });
  return it != l.end() && it->chain == c && it->seq >= node_[ancestor].seq;
}

void ReachIndex::MaxReach(std::span<const uint32_t> roots, std::vector<uint32_t>* best) const {
  best->assign(tail_.size(), 0);
  RaiseReach(roots, *best);
}

void ReachIndex::RaiseReach(std::span<const uint32_t> roots, std::span<uint32_t> best) const {
  uint32_t* b = best.data();
  // The roots (a state's events, in key order) are scattered over node_
  // and labels_: fetch a root's record kFar iterations ahead and its label
  // kNear ahead, so the loop does not wait on two misses per root.
  constexpr size_t kFar = 16, kNear = 8;
  const size_t count = roots.size();
  for (size_t i = 0; i < count; ++i) {
    if (i + kFar < count) __builtin_prefetch(&node_[roots[i + kFar]]);
    if (i + kNear < count) __builtin_prefetch(labels_.data() + node_[roots[i + kNear]].label_begin);
    // Strictly below r on its own chain, then its label.
    const Node& n = node_[roots[i]];
    uint32_t below = n.seq - 1;
    if (below > b[n.chain]) b[n.chain] = below;
    for (const Entry& entry : label(roots[i])) {
      if (entry.seq > b[entry.chain]) b[entry.chain] = entry.seq;
    }
  }
}

void ReachIndex::ClearReach(std::span<const uint32_t> roots, std::span<uint32_t> best) const {
  for (uint32_t r : roots) {
    best[node_[r].chain] = 0;
    for (const Entry& entry : label(r)) best[entry.chain] = 0;
  }
}

bool ReachIndex::ReachesAnyOf(uint32_t e, std::span<const uint32_t> lowest) const {
  if (e >= node_.size() || node_[e].chain == kUnset) return false;
  // Below e on its own chain: seqs 1 .. seq(e) - 1.
  if (lowest[node_[e].chain] < node_[e].seq) return true;
  for (const Entry& entry : label(e)) {
    if (lowest[entry.chain] <= entry.seq) return true;
  }
  return false;
}

void ReachIndex::Disable() {
  usable_ = false;
  node_ = {};
  labels_ = {};
  tail_ = {};
  scratch_ = {};
  touched_ = {};
}

size_t ReachIndex::MemoryBytes() const {
  return node_.capacity() * sizeof(Node) +
         (tail_.capacity() + scratch_.capacity()) * sizeof(uint32_t) +
         labels_.capacity() * sizeof(Entry);
}

}  // namespace mxstate

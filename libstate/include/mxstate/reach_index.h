// Reachability over auth edges by chain cover (the idea behind Synapse's
// "chain cover index", synapse#8622; this design and code are mxstate's).
//
// Events are partitioned into chains: paths in the auth DAG where every
// event has the previous one among its auth events, so an event reaches
// every earlier event of its own chain. Each event gets (chain, seq), seq
// counting from 1 up its chain, and a label: for every *other* chain it
// reaches, the highest seq it reaches there. Since reaching one event of a
// chain means reaching all earlier ones, "is X in the auth chain of Y" is
//   chain(X) == chain(Y) ? seq(X) < seq(Y) : label(Y)[chain(X)] >= seq(X),
// one binary search. For a *set* of events the per-chain maxima of their
// labels answer the same question for the union of their auth chains
// (MaxReach), which is how resolution tests membership in the auth closure
// of the unconflicted state without walking it.
//
// An event only extends the chain of an auth event with the same state key
// whose chain still ends there (a user's membership chain, the power-levels
// mainline, ...), so in a Matrix room each event reaches only a few chains
// (create, power levels, join rules, a few members) and labels stay short.
//
// Cost: adding an event merges its auth events' labels (sum of their
// sizes, a dense scratch array, one sort); memory 16 B per event plus 8 B
// per label entry. Bounds: a label over kMaxLabel entries, or more than
// kMaxAverageLabel entries per event on average (+ slack), turns the index
// off (usable() false) and frees it; callers then walk closures instead.
// Events must be added in topological order (auth events first); their
// numbers (the graph's event indices) need not be in that order.
#ifndef MXSTATE_REACH_INDEX_H_
#define MXSTATE_REACH_INDEX_H_

#include <cstdint>
#include <span>
#include <vector>

namespace mxstate {

class ReachIndex {
 public:
  static constexpr size_t kMaxLabel = 4096;
  static constexpr size_t kMaxAverageLabel = 64;

  struct Entry {
    uint32_t chain;
    uint32_t seq;
  };

  // Adds event `e` (not yet added) whose auth events, already added, are
  // `auth`; `same_key(a)` says whether auth
  // event a has the same state key as e (chains follow state keys).
  template <typename SameKey>
  void Add(uint32_t e, std::span<const uint32_t> auth, SameKey same_key) {
    if (!usable_) return;
    uint32_t extend = UINT32_MAX;
    for (uint32_t a : auth) {
      if (tail_[node_[a].chain] == a && same_key(a)) {
        extend = a;
        break;
      }
    }
    AddWithChain(e, auth, extend);
  }

  bool usable() const { return usable_; }
  size_t chain_count() const { return tail_.size(); }
  size_t label_entries() const { return labels_.size(); }
  uint32_t chain(uint32_t e) const { return node_[e].chain; }
  uint32_t seq(uint32_t e) const { return node_[e].seq; }
  // A hint that chain(e) and seq(e) will be asked soon (walks issue it
  // when they push an event, so the record's cache miss overlaps the
  // events popped before it).
  void Prefetch(uint32_t e) const {
    if (e < node_.size()) __builtin_prefetch(&node_[e], 0, 3);
  }
  std::span<const Entry> label(uint32_t e) const {
    return {labels_.data() + node_[e].label_begin, node_[e].label_size};
  }

  // Whether `ancestor` is in the auth chain of `e` (strictly below it).
  bool Reaches(uint32_t e, uint32_t ancestor) const;

  // For the union of the auth chains of `roots` (roots themselves only
  // when reached from another root): (*best)[c] = the highest seq reached
  // on chain c, 0 for none; `best` is resized to chain_count(). Then X is
  // in that union iff seq(X) <= (*best)[chain(X)].
  void MaxReach(std::span<const uint32_t> roots, std::vector<uint32_t>* best) const;
  // MaxReach without the reset: raises best[c] where the roots reach
  // higher (`best` has chain_count() entries). ClearReach sets back to 0
  // every entry the same roots touched, so a caller with few roots can keep
  // one zeroed array instead of clearing every chain on every call.
  void RaiseReach(std::span<const uint32_t> roots, std::span<uint32_t> best) const;
  void ClearReach(std::span<const uint32_t> roots, std::span<uint32_t> best) const;

  // Whether some event strictly below `e` is a target, where the targets
  // on chain c are those with seq >= lowest[c] (UINT32_MAX: none; `lowest`
  // has chain_count() entries). One pass over e's label.
  bool ReachesAnyOf(uint32_t e, std::span<const uint32_t> lowest) const;

  // Turns the index off and frees it.
  void Disable();
  size_t MemoryBytes() const;

 private:
  void AddWithChain(uint32_t e, std::span<const uint32_t> auth, uint32_t extend);

  static constexpr uint32_t kUnset = UINT32_MAX;
  bool usable_ = true;
  // Per event index (chain kUnset before it is added): its chain, seq and
  // label labels_[label_begin, + label_size). One record, so a walk that
  // asks "chain and seq of X" or reads X's label misses the cache once.
  struct Node {
    uint32_t chain = kUnset;
    uint32_t seq = 0;
    uint32_t label_begin = 0;
    uint32_t label_size = 0;
  };
  std::vector<Node> node_;
  size_t added_ = 0;
  std::vector<Entry> labels_;                // sorted by chain within a label
  std::vector<uint32_t> tail_;               // per chain: its last event
  std::vector<uint32_t> scratch_;            // per chain, 0 between Adds
  std::vector<uint32_t> touched_;
};

}  // namespace mxstate

#endif  // MXSTATE_REACH_INDEX_H_

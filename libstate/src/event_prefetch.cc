#include "event_prefetch.h"

namespace mxstate::internal {
namespace {

// Iterations between the stages of the chain; the stages run at 4, 3 and
// 2 times this distance ahead, each reading what the previous one
// fetched. Measured on the 100 k-room benchmarks (docs/benchmarks.md).
constexpr size_t kStep = 4;
constexpr size_t kLine = 64;

void Fetch(const void* p) { __builtin_prefetch(p, 0, 3); }

void FetchRange(const void* begin, size_t bytes) {
  const char* p = static_cast<const char*>(begin);
  for (size_t off = 0; off < bytes; off += kLine) Fetch(p + off);
}

bool IsMember(const GraphEvent& g) { return g.type == "m.room.member"; }

const Json::Object* MembersOf(const Json* json) {
  return json != nullptr && json->is_object() ? &json->as_object() : nullptr;
}

}  // namespace

void EventPrefetch::Ahead(size_t i) const {
  const size_t n = order_.size();
  // Stage 1: the graph entry.
  if (i + 4 * kStep < n) FetchRange(&graph_.event(order_[i + 4 * kStep]), sizeof(GraphEvent));
  // Stage 2: the content node, the bytes of the sender and the state_key,
  // the auth edges, and the partial-state slots of the sender's and the
  // target's membership. (The rules take type, sender and state_key from
  // the graph entry, so the event's top-level object is not fetched.)
  if (i + 3 * kStep < n) {
    const EventIndex e = order_[i + 3 * kStep];
    const GraphEvent& g = graph_.event(e);
    // A member event's check reads its content's facts from the graph entry.
    if (g.content != nullptr && !IsMember(g)) Fetch(g.content);
    // A member event's check reads neither user ID's bytes: the graph's
    // member keys answer the comparisons (EventFields::sender_is_target,
    // from v11 target_is_first_creator) and the membership look-ups, and
    // the powers come from the checks' PowerTableHints. So its user IDs
    // are not fetched: each such fetch was a TLB miss that stalled the
    // loop. Other events' rules still compare the sender with user IDs
    // (power levels' users, a redaction's or alias's server).
    if (!IsMember(g)) {
      if (!g.sender.empty()) Fetch(g.sender.data());
      if (g.key != kNoKey && !g.state_key.empty()) Fetch(g.state_key.data());
    }
    std::span<const EventIndex> auth = graph_.auth_events(e);
    if (!auth.empty()) Fetch(auth.data());
    if (state_ != nullptr) {
      if (g.sender_key < state_->size()) Fetch(&(*state_)[g.sender_key]);
      if (g.key < state_->size()) Fetch(&(*state_)[g.key]);
    }
  }
  // Stage 3: the content's members, the graph entries of the auth events
  // and of those memberships.
  if (i + 2 * kStep < n) {
    const EventIndex e = order_[i + 2 * kStep];
    const GraphEvent& g = graph_.event(e);
    for (EventIndex a : graph_.auth_events(e)) Fetch(&graph_.event(a));
    if (const Json::Object* content = IsMember(g) ? nullptr : MembersOf(g.content)) {
      FetchRange(content->data(), content->size() * sizeof(Json::Member));
    }
    if (state_ != nullptr) {
      for (KeyIndex k : {g.sender_key, g.key}) {
        if (k < state_->size() && (*state_)[k] != kNoEvent) Fetch(&graph_.event((*state_)[k]));
      }
    }
  }
}

}  // namespace mxstate::internal

#include "event_prefetch.h"

namespace mxstate::internal {
namespace {

// Iterations between the stages of the chain; the stages run at 4, 3, 2
// and 1 times this distance ahead, each reading what the previous one
// fetched. Measured on the 100 k-room benchmarks (docs/benchmarks.md).
constexpr size_t kStep = 4;
constexpr size_t kLine = 64;

void Fetch(const void* p) { __builtin_prefetch(p, 0, 3); }

void FetchRange(const void* begin, size_t bytes) {
  const char* p = static_cast<const char*>(begin);
  for (size_t off = 0; off < bytes; off += kLine) Fetch(p + off);
}

const Json::Object* MembersOf(const Json* json) {
  return json != nullptr && json->is_object() ? &json->as_object() : nullptr;
}

}  // namespace

void EventPrefetch::Ahead(size_t i) const {
  const size_t n = order_.size();
  // Stage 1: the graph entry.
  if (i + 4 * kStep < n) FetchRange(&graph_.event(order_[i + 4 * kStep]), sizeof(GraphEvent));
  // Stage 2: the Json node, the sender's bytes, the auth edges, and the
  // partial-state slots of the sender's and the target's membership.
  if (i + 3 * kStep < n) {
    const GraphEvent& g = graph_.event(order_[i + 3 * kStep]);
    if (g.json != nullptr) Fetch(g.json);
    if (!g.sender.empty()) Fetch(g.sender.data());
    std::span<const EventIndex> auth = graph_.auth_events(order_[i + 3 * kStep]);
    if (!auth.empty()) Fetch(auth.data());
    if (state_ != nullptr) {
      if (g.sender_key < state_->size()) Fetch(&(*state_)[g.sender_key]);
      if (g.key < state_->size()) Fetch(&(*state_)[g.key]);
    }
  }
  // Stage 3: the member array, the graph entries of the auth events and
  // of those memberships.
  if (i + 2 * kStep < n) {
    const GraphEvent& g = graph_.event(order_[i + 2 * kStep]);
    for (EventIndex a : graph_.auth_events(order_[i + 2 * kStep])) Fetch(&graph_.event(a));
    if (const Json::Object* members = MembersOf(g.json)) {
      FetchRange(members->data(), members->size() * sizeof(Json::Member));
    }
    if (state_ != nullptr) {
      for (KeyIndex k : {g.sender_key, g.key}) {
        if (k < state_->size() && (*state_)[k] != kNoEvent) Fetch(&graph_.event((*state_)[k]));
      }
    }
  }
  // Stage 4: the content's members.
  if (i + kStep < n) {
    const GraphEvent& g = graph_.event(order_[i + kStep]);
    if (g.json != nullptr) {
      if (const Json::Object* content = MembersOf(g.json->Find("content"))) {
        FetchRange(content->data(), content->size() * sizeof(Json::Member));
      }
    }
  }
}

}  // namespace mxstate::internal

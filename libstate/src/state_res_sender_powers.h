// Internal: step 1's sender powers, answered by member key.
//
// The reverse topological power ordering (rooms/fragments/v2-state-res
// "Reverse topological power ordering") sorts by "the sender's power level
// ... when looking at their respective auth_events". The X events of a big
// conflict cite a few hundred power-levels events between them, ~160 X
// events each in the 1 M-event benchmark. Asking the rules for each event
// searched the power levels' `users` map with the sender's bytes, cold
// memory read once per event.
//
// SenderPowers computes, for one (create, power levels) pair, the power of
// every user that pair names (the users map, the creators) with the rules'
// own PowerLevelOf, and files it under the user's interned member key. A
// sender whose member key is not in the table is named by neither event, so
// its power is the same as any other such sender's: computed once, for the
// first one asked about. The answers are therefore exactly the rules'.
#ifndef MXSTATE_SRC_STATE_RES_SENDER_POWERS_H_
#define MXSTATE_SRC_STATE_RES_SENDER_POWERS_H_

#include <optional>
#include <utility>
#include <vector>

#include "mxstate/event_graph.h"

namespace mxstate::internal {

class SenderPowers {
 public:
  explicit SenderPowers(const EventGraph& graph);

  // The power of `event`'s sender in the state formed by its own auth
  // events. `later_citing` is how many events after this one cite the same
  // power-levels event (the caller visits them in that order): a table is
  // built only when it would be used often enough to pay for itself.
  int64_t Of(EventIndex event, size_t later_citing);

 private:
  // The first of the event's auth events at (m.room.create, ""), as
  // OwnAuthEventsState finds it; kNoEvent when none.
  EventIndex CreateOf(EventIndex event) const;
  // The user IDs the pair names: the keys of the power levels' `users`,
  // the create event's sender, content.creator and additional_creators.
  // Every user whose power may differ from a user named nowhere is here.
  std::vector<std::string_view> NamedUsers(EventIndex create, EventIndex power_levels) const;
  void Build(EventIndex event, EventIndex create, EventIndex power_levels,
             const std::vector<std::string_view>& named);
  int64_t AskTheRules(EventIndex event) const;

  const EventGraph& graph_;
  KeyIndex create_key_;
  // The pair last seen, and whether its events are answered from the
  // table or by asking the rules (too few of them to pay for a table).
  enum class Mode { kNone, kTable, kAsk };
  Mode mode_ = Mode::kNone;
  EventIndex create_ = kNoEvent;
  EventIndex power_levels_ = kNoEvent;
  std::vector<std::pair<KeyIndex, int64_t>> by_key_;  // sorted by key
  std::optional<int64_t> unnamed_;                    // a user named nowhere
};

}  // namespace mxstate::internal

#endif  // MXSTATE_SRC_STATE_RES_SENDER_POWERS_H_

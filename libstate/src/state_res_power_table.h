// Internal: users' powers during a resolution, answered by member key.
//
// Resolution asks for users' powers hundreds of thousands of times in a big
// conflict: step 1 sorts by "the sender's power level ... when looking at
// their respective auth_events" (rooms/fragments/v2-state-res "Reverse
// topological power ordering"), and the iterative auth checks compare the
// sender's and the target's powers (kicks, bans, power levels, redactions).
// Asking the rules searched the power levels' `users` map with the user's
// bytes: cold memory, read once per question.
//
// Yet the answers depend on little: a user's power is fixed by the state's
// create and power-levels events (rooms/v12: creators' power; otherwise the
// `users` map, then users_default). PowerTable computes, for one such pair,
// the power of every user the pair names (the users map, the creators) with
// the rules' own PowerLevelOf, and files it under the user's interned member
// key. A user whose member key is not in the table is named by neither
// event, so its power is the same as any other such user's: computed once,
// for the first one asked about. The answers are therefore exactly the
// rules'. A pair is asked through the rules until it has been asked about
// half as often as it names users, then answered from a table.
#ifndef MXSTATE_SRC_STATE_RES_POWER_TABLE_H_
#define MXSTATE_SRC_STATE_RES_POWER_TABLE_H_

#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "auth_internal.h"
#include "mxstate/auth.h"
#include "mxstate/event_graph.h"
#include "state_res_internal.h"

namespace mxstate::internal {

class PowerTable {
 public:
  explicit PowerTable(const EventGraph& graph);

  // The power the rules give `user`, whose member key is `key` (kNoKey:
  // none), in `state`, whose create and power-levels events are `create`
  // and `power_levels` (kNoEvent when absent).
  int64_t Of(std::string_view user, KeyIndex key, EventIndex create, EventIndex power_levels,
             const AuthState& state);

  // Step 1's question: the power of `event`'s sender in the state formed by
  // its own auth events.
  int64_t OfSenderInOwnAuthEvents(EventIndex event);

 private:
  // How many users the pair names, and who they are: the keys of the power
  // levels' `users`, the create event's sender, content.creator and
  // additional_creators. Every user whose power may differ from a user named
  // nowhere is among them.
  size_t NamedCount(EventIndex create, EventIndex power_levels) const;
  std::vector<std::string_view> NamedUsers(EventIndex create, EventIndex power_levels) const;
  void Build(const AuthState& state);

  const EventGraph& graph_;
  KeyIndex create_key_;
  // The pair last asked about, how often, and whether its table is built.
  EventIndex create_ = kNoEvent;
  EventIndex power_levels_ = kNoEvent;
  bool seen_ = false;
  bool built_ = false;
  size_t asks_ = 0;
  size_t named_count_ = 0;
  std::vector<std::pair<KeyIndex, int64_t>> by_key_;  // sorted by key
  std::optional<int64_t> unnamed_;                    // a user named nowhere
};

// The iterative auth checks' answers for one event, from a PowerTable:
// its sender's and (a membership) its target's power in the state it is
// checked against, whose create and power-levels events are those at the
// keys given.
class PowerTableHints : public PowerHints {
 public:
  PowerTableHints(const EventGraph& graph, EventIndex event, const IterativeAuthState& state,
                  PowerTable& table, KeyIndex create_key, KeyIndex power_levels_key)
      : graph_(graph),
        event_(event),
        state_(state),
        table_(table),
        create_key_(create_key),
        power_levels_key_(power_levels_key) {}
  std::optional<int64_t> SenderPower() const override;
  std::optional<int64_t> TargetPower() const override;

 private:
  const EventGraph& graph_;
  EventIndex event_;
  const IterativeAuthState& state_;
  PowerTable& table_;
  KeyIndex create_key_;
  KeyIndex power_levels_key_;
};

}  // namespace mxstate::internal

#endif  // MXSTATE_SRC_STATE_RES_POWER_TABLE_H_

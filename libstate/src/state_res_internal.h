// Internal pieces shared by the state resolution algorithms.
#ifndef MXSTATE_SRC_STATE_RES_INTERNAL_H_
#define MXSTATE_SRC_STATE_RES_INTERNAL_H_

#include <vector>

#include "event_graph.h"
#include "mxstate/state_res.h"

namespace mxstate::internal {

// A state during resolution: key index -> node index (kNone when absent).
using KeyedState = std::vector<uint32_t>;

// The state the auth rules see for `event` during iterative auth checks:
// the partial state first, then the event's own auth events that are not
// rejected ("Iterative auth checks"); in v12 the implied create event is
// among the auth events (event_graph.cc).
class IterativeAuthState : public AuthState {
 public:
  IterativeAuthState(const EventGraph& graph, const KeyedState* partial, uint32_t event)
      : graph_(graph), partial_(partial), event_(event) {}
  StateEntry Get(std::string_view type, std::string_view state_key) const override;

 private:
  const EventGraph& graph_;
  const KeyedState* partial_;  // may be nullptr: only the auth events count
  uint32_t event_;
};

// Runs the auth rules for `event` against `state`, records the check when
// explaining, and returns whether it was allowed.
bool CheckAndRecord(const EventGraph& graph, uint32_t event, const AuthState& state,
                    const char* phase, Resolution* out, bool explain);

// The two algorithms. `sets` are the state sets as keyed states over
// `graph` (validated by the caller).
Result<Resolution> ResolveV2(EventGraph& graph, const std::vector<KeyedState>& sets,
                             bool v2_1, const StateResOptions& options);
Result<Resolution> ResolveV1(EventGraph& graph, const std::vector<KeyedState>& sets,
                             const StateResOptions& options);

// Converts a keyed state to the public form.
StateMap ToStateMap(const EventGraph& graph, const KeyedState& state);

}  // namespace mxstate::internal

#endif  // MXSTATE_SRC_STATE_RES_INTERNAL_H_

// Internal: the numbers of the auth rules in each room version's own text.
//
// The rules keep their order across versions; versions insert or remove
// whole rules, which shifts the numbers. Computing the numbers from the
// same flags that switch the rules on keeps the references in every
// rejection true to the version's page without a table per version.
#ifndef MXSTATE_SRC_AUTH_RULE_NUMBERS_H_
#define MXSTATE_SRC_AUTH_RULE_NUMBERS_H_

#include <initializer_list>
#include <string>

#include "mxstate/room_version.h"

namespace mxstate::internal {

struct AuthRuleNumbers {
  explicit AuthRuleNumbers(const RoomVersionRules& rules);

  std::string prefix;  // "v10 auth rule "
  // Top level.
  int create = 1;
  int room_id_is_create = 0;  // v12 rule 2; 0 when absent
  int auth_events;
  int federate;
  int aliases = 0;            // v1-5 rule 4; 0 when absent
  int member;
  int sender_joined;
  int third_party_invite;
  int required_power;
  int state_key_user;
  int power_levels;
  int redaction = 0;          // v1-2 rule 11; 0 when absent
  int otherwise;
  // Inside the member rule.
  int member_authorised_via = 0;  // v8+ x.2
  int join, invite, leave, ban, knock = 0, unknown_membership;
  // Inside the join rule (v8+ adds restricted at .5).
  int join_restricted = 0, join_public, join_otherwise;
  // Inside the power levels rule.
  int pl_creators_in_users = 0;  // v12 10.4
  int pl_no_previous, pl_top_level, pl_events_old, pl_events_new, pl_users_old, pl_users_new,
      pl_otherwise;

  // "v10 auth rule 4.3.4". Every decision names its rule, so this runs once
  // per check: one allocation, no temporaries.
  std::string Rule(int n) const { return Format({n}); }
  std::string Rule(int n, int m) const { return Format({n, m}); }
  std::string Rule(int n, int m, int k) const { return Format({n, m, k}); }
  std::string Rule(int n, int m, int k, int l) const { return Format({n, m, k, l}); }

 private:
  std::string Format(std::initializer_list<int> parts) const;
};

}  // namespace mxstate::internal

#endif  // MXSTATE_SRC_AUTH_RULE_NUMBERS_H_

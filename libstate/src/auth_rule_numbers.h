// Internal: the numbers of the auth rules in each room version's own text.
//
// The rules keep their order across versions; versions insert or remove
// whole rules, which shifts the numbers. Computing the numbers from the
// same flags that switch the rules on keeps the references in every
// rejection true to the version's page without a table per version.
#ifndef MXSTATE_SRC_AUTH_RULE_NUMBERS_H_
#define MXSTATE_SRC_AUTH_RULE_NUMBERS_H_

#include <string>

#include "mxstate/room_version.h"

namespace mxstate::internal {

// A rule's number as parts ({4, 3, 4} for "4.3.4"), turned into text only
// when a decision is shown: state resolution checks thousands of events and
// asks for the verdict alone.
struct RuleRef {
  int parts[4] = {};
  int size = 0;
};

struct AuthRuleNumbers {
  // `rules` must outlive the numbers (room versions live in a static table
  // or in the caller's EventGraph).
  explicit AuthRuleNumbers(const RoomVersionRules& rules);

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

  // The reference without its text.
  static RuleRef Ref(int n) { return RuleRef{{n}, 1}; }
  static RuleRef Ref(int n, int m) { return RuleRef{{n, m}, 2}; }
  static RuleRef Ref(int n, int m, int k) { return RuleRef{{n, m, k}, 3}; }
  static RuleRef Ref(int n, int m, int k, int l) { return RuleRef{{n, m, k, l}, 4}; }

  // "v10 auth rule 4.3.4": one allocation, no temporaries.
  std::string Text(const RuleRef& ref) const;
  std::string Rule(int n) const { return Text(Ref(n)); }
  std::string Rule(int n, int m) const { return Text(Ref(n, m)); }
  std::string Rule(int n, int m, int k) const { return Text(Ref(n, m, k)); }
  std::string Rule(int n, int m, int k, int l) const { return Text(Ref(n, m, k, l)); }

 private:
  const RoomVersionRules* rules_;
};

}  // namespace mxstate::internal

#endif  // MXSTATE_SRC_AUTH_RULE_NUMBERS_H_

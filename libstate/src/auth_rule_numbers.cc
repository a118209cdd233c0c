#include "auth_rule_numbers.h"

#include <charconv>
#include <string_view>

namespace mxstate::internal {

AuthRuleNumbers::AuthRuleNumbers(const RoomVersionRules& rules) : rules_(&rules) {
  const AuthRuleFlags& f = rules.auth;
  int n = 2;
  if (f.create_event_implied) room_id_is_create = n++;  // v12 rule 2
  auth_events = n++;
  federate = n++;
  if (f.special_case_aliases) aliases = n++;  // v1-5 rule 4
  member = n++;
  sender_joined = n++;
  third_party_invite = n++;
  required_power = n++;
  state_key_user = n++;
  power_levels = n++;
  if (f.special_case_redaction) redaction = n++;  // v1-2 rule 11
  otherwise = n;

  int m = 2;
  if (f.restricted_join) member_authorised_via = m++;  // v8+ x.2
  join = m++;
  invite = m++;
  leave = m++;
  ban = m++;
  if (f.knocking) knock = m++;  // v7+
  unknown_membership = m;

  int j = 5;
  if (f.restricted_join) join_restricted = j++;  // v8+ x.y.5
  join_public = j++;
  join_otherwise = j;

  int p = f.integer_power_levels ? 4 : 2;  // v10+ adds three type checks
  if (f.privileged_creators) pl_creators_in_users = p++;  // v12 10.4
  pl_no_previous = p++;
  pl_top_level = p++;
  pl_events_old = p++;
  pl_events_new = p++;
  pl_users_old = p++;
  pl_users_new = p++;
  pl_otherwise = p;
}

std::string AuthRuleNumbers::Text(const RuleRef& ref) const {
  static constexpr std::string_view kWords = " auth rule ";
  std::string out;
  out.reserve(1 + rules_->id.size() + kWords.size() + 4 * ref.size);
  // Unstable identifiers ("org.matrix.hydra.11") are not prefixed with v.
  if (rules_->stable) out += 'v';
  out += rules_->id;
  out += kWords;
  for (int i = 0; i < ref.size; ++i) {
    if (i != 0) out += '.';
    char digits[12];
    char* end = std::to_chars(digits, digits + sizeof digits, ref.parts[i]).ptr;
    out.append(digits, end);
  }
  return out;
}

}  // namespace mxstate::internal

// DecideRestrictedJoin (restricted_join.h). The order of the checks is the
// order a resident server meets them: the join rules of the version (auth
// rules), the user's own membership in the target room, the allow
// conditions (client-server API "Restricted rooms"), then the authorising
// user (auth rule "If the join_rule is restricted or knock_restricted").
#include "mxstate/restricted_join.h"

#include <algorithm>

#include "auth_rule_numbers.h"
#include "mxstate/event_format.h"
#include "power_levels.h"

namespace mxstate {
namespace {

constexpr const char* kCsConditions = "client-server API: restricted rooms, conditions";
constexpr const char* kSsRestricted = "server-server API: restricted rooms";

std::string PowerText(int64_t power) {
  return power == kInfinitePower ? "infinite (room creator)" : std::to_string(power);
}

std::string Shown(std::string_view membership) {
  return membership.empty() ? "none" : std::string(membership);
}

class Decider {
 public:
  Decider(const RestrictedJoinQuery& q, const RoomVersionRules& rules)
      : q_(q), rules_(rules), n_(rules) {}

  RestrictedJoinDecision Run();

 private:
  RestrictedJoinDecision Finish(RestrictedJoinVerdict verdict, std::string rule) {
    d_.verdict = verdict;
    d_.rule = std::move(rule);
    return std::move(d_);
  }
  RestrictedJoinDecision Refuse(RestrictedJoinVerdict verdict, std::string code, std::string rule,
                                std::string message) {
    d_.trace.push_back(rule + ": " + message);
    d_.error = Error{std::move(code), rule, std::move(message)};
    return Finish(verdict, std::move(rule));
  }
  std::string JoinRule(int k) const { return n_.Rule(n_.member, n_.join, k); }
  std::string RestrictedRule(int k) const {
    return n_.Rule(n_.member, n_.join, n_.join_restricted, k);
  }
  void CheckConditions();
  void CheckAuthoriser(int64_t invite_level);
  void ListCandidates(int64_t invite_level);

  const RestrictedJoinQuery& q_;
  const RoomVersionRules& rules_;
  internal::AuthRuleNumbers n_;
  RestrictedJoinDecision d_;
};

RestrictedJoinDecision Decider::Run() {
  const RoomState& room = *q_.room;
  d_.room_version = std::string(rules_.id);
  d_.join_rule = std::string(ContentString(room.Get("m.room.join_rules", "").event, "join_rule"));
  const std::string& jr = d_.join_rule;
  const bool restricted = (rules_.auth.restricted_join && jr == "restricted") ||
                          (rules_.auth.knock_restricted && jr == "knock_restricted");
  const std::string_view membership = room.Membership(q_.user_id);

  // Auth rule "If membership is join", x.3: a banned user cannot join.
  if (membership == "ban") {
    return Refuse(RestrictedJoinVerdict::kRefused, "restricted_join.banned", JoinRule(3),
                  std::string(q_.user_id) + " is banned from the room");
  }
  if (!restricted) {
    if (jr == "restricted" || jr == "knock_restricted") {
      // The version's auth rules have no such join rule: "Otherwise, reject".
      return Refuse(RestrictedJoinVerdict::kRefused, "restricted_join.unsupported",
                    JoinRule(n_.join_otherwise),
                    "join rule '" + jr + "' is not supported in room version " +
                        std::string(rules_.id) + " (restricted from v8, knock_restricted " +
                        "from v10: rooms feature matrix); no join without invite succeeds");
    }
    if (jr == "public") {
      d_.conditions_needed = false;
      d_.trace.push_back(JoinRule(n_.join_public) + ": join rule is public");
      return Finish(RestrictedJoinVerdict::kAllowed, JoinRule(n_.join_public));
    }
    const bool invite_like = jr == "invite" || (rules_.auth.knocking && jr == "knock");
    if (invite_like && (membership == "invite" || membership == "join")) {
      // Auth rule x.4: invite (or knock) rooms admit the invited and the joined.
      d_.conditions_needed = false;
      d_.trace.push_back(JoinRule(4) + ": join rule is " + jr + " and the user is " +
                         std::string(membership));
      return Finish(RestrictedJoinVerdict::kAllowed, JoinRule(4));
    }
    return Refuse(RestrictedJoinVerdict::kRefused, "restricted_join.not_restricted",
                  JoinRule(invite_like ? 4 : n_.join_otherwise),
                  "join rule is '" + (jr.empty() ? std::string("none") : jr) +
                      "', not restricted: allow conditions do not apply and " +
                      std::string(q_.user_id) + " has no invite");
  }
  // v8 redaction drops join_authorised_via_users_server (rooms/v9 fixed it).
  if (!rules_.redaction.keep_join_authorised_via) {
    d_.notes.push_back("room version " + std::string(rules_.id) +
                       " redacts join_authorised_via_users_server from join events "
                       "(kept from v9: rooms/v9 redactions)");
  }
  if (jr == "knock_restricted") {
    d_.notes.push_back("knock_restricted: a user who meets no condition may still knock "
                       "(client-server API: restricted rooms)");
  }
  // Auth rule x.5.1: "If membership state is join or invite, allow"; the
  // client-server API: "If the user has an invite to the room then the
  // restrictions will not affect them."
  if (membership == "join" || membership == "invite") {
    d_.conditions_needed = false;
    d_.trace.push_back(RestrictedRule(1) + ": the user's membership is " +
                       std::string(membership) + ": no condition or authoriser needed");
    return Finish(RestrictedJoinVerdict::kAllowed, RestrictedRule(1));
  }
  CheckConditions();
  const auto* levels_event = room.Get("m.room.power_levels", "").event;
  const internal::PowerLevels levels(levels_event ? levels_event->Find("content") : nullptr,
                                     rules_);
  const int64_t invite_level = levels.Get("invite");
  ListCandidates(invite_level);
  if (!d_.matched) {
    if (d_.conditions.empty()) {
      return Refuse(RestrictedJoinVerdict::kRefused, "restricted_join.no_conditions",
                    "m.room.join_rules schema: allow",
                    "the join rule has no usable allow list: the room is effectively "
                    "invite-only");
    }
    const bool unverifiable =
        std::any_of(d_.conditions.begin(), d_.conditions.end(), [](const ConditionCheck& c) {
          return c.outcome == ConditionOutcome::kRoomNotGiven;
        });
    if (unverifiable) {
      return Refuse(RestrictedJoinVerdict::kUnableToAuthorise, "restricted_join.unverifiable",
                    std::string(kSsRestricted) + " (M_UNABLE_TO_AUTHORISE_JOIN)",
                    "no condition is satisfied and some name rooms whose state was not "
                    "given, so they cannot be confirmed");
    }
    return Refuse(RestrictedJoinVerdict::kRefused, "restricted_join.no_condition_met",
                  std::string(kSsRestricted) + " (M_FORBIDDEN)",
                  std::string(q_.user_id) + " satisfies none of the " +
                      std::to_string(d_.conditions.size()) + " allow conditions");
  }
  if (q_.authoriser.empty()) {
    return Finish(RestrictedJoinVerdict::kAllowed, kCsConditions);
  }
  CheckAuthoriser(invite_level);
  if (!d_.authoriser->can_sign) {
    const AuthoriserCheck& a = *d_.authoriser;
    std::string why = a.membership != "join"
                          ? "authorising user " + a.user_id + " is not joined (membership " +
                                Shown(a.membership) + ")"
                          : "authorising user " + a.user_id + " has power " +
                                PowerText(a.power) + " < invite level " +
                                std::to_string(a.invite_level);
    return Refuse(RestrictedJoinVerdict::kUnableToGrant,
                  a.membership != "join" ? "restricted_join.authoriser_not_joined"
                                         : "restricted_join.authoriser_power",
                  RestrictedRule(2), why + "; the join would be rejected (M_UNABLE_TO_GRANT_JOIN)");
  }
  // Auth rule x.2.1: the join must be signed by the authoriser's server.
  d_.notes.push_back("the join event must name " + d_.authoriser->user_id +
                     " in join_authorised_via_users_server and be signed by " +
                     std::string(ServerNameOf(d_.authoriser->user_id)) + " (" +
                     n_.Rule(n_.member, n_.member_authorised_via, 1) + ")");
  d_.trace.push_back(RestrictedRule(3) + ": authorising user " + d_.authoriser->user_id +
                     " is joined with power " + PowerText(d_.authoriser->power) +
                     " >= invite level " + std::to_string(invite_level));
  return Finish(RestrictedJoinVerdict::kAllowed, RestrictedRule(3));
}

void Decider::CheckConditions() {
  const Json* jr_event = q_.room->Get("m.room.join_rules", "").event;
  const Json* content = jr_event ? jr_event->Find("content") : nullptr;
  const Json* allow = content ? content->Find("allow") : nullptr;
  if (allow == nullptr || !allow->is_array()) {
    d_.trace.push_back("m.room.join_rules schema: allow is " +
                       std::string(allow ? "not an array" : "absent"));
    return;
  }
  const Json::Array& items = allow->as_array();
  for (size_t i = 0; i < items.size() && i < kMaxAllowConditions; ++i) {
    ConditionCheck c;
    c.index = i;
    const Json& item = items[i];
    const std::string* type = item.FindString("type");
    const std::string* room_id = item.FindString("room_id");
    if (type) c.type = *type;
    if (room_id) c.room_id = *room_id;
    if (!item.is_object() || type == nullptr) {
      c.outcome = ConditionOutcome::kMalformed;
      c.reference = "m.room.join_rules schema: AllowCondition requires type";
    } else if (*type != "m.room_membership") {
      // Only m.room_membership is defined; others cannot be confirmed.
      c.outcome = ConditionOutcome::kUnknownType;
      c.reference = "m.room.join_rules schema: AllowCondition type enum";
    } else if (room_id == nullptr) {
      c.outcome = ConditionOutcome::kMalformed;
      c.reference = "m.room.join_rules schema: room_id required for m.room_membership";
    } else if (const RoomState* other = FindRoom(q_.other_rooms, *room_id); other == nullptr) {
      c.outcome = ConditionOutcome::kRoomNotGiven;
      c.reference = kSsRestricted;
    } else {
      c.membership = std::string(other->Membership(q_.user_id));
      // "the user satisfies the condition if they are joined to the referenced room"
      c.outcome = c.membership == "join" ? ConditionOutcome::kMatched : ConditionOutcome::kNotJoined;
      c.reference = kCsConditions;
    }
    d_.trace.push_back("allow[" + std::to_string(i) + "] " + c.type + " " + c.room_id + ": " +
                       std::string(ToString(c.outcome)) +
                       (c.outcome == ConditionOutcome::kNotJoined
                            ? " (membership " + Shown(c.membership) + ")"
                            : ""));
    if (c.outcome == ConditionOutcome::kMatched && !d_.matched) d_.matched = d_.conditions.size();
    d_.conditions.push_back(std::move(c));
  }
}

void Decider::CheckAuthoriser(int64_t invite_level) {
  AuthoriserCheck a;
  a.user_id = std::string(q_.authoriser);
  a.membership = std::string(q_.room->Membership(q_.authoriser));
  a.power = UserPowerLevel(q_.authoriser, *q_.room, rules_);
  a.invite_level = invite_level;
  a.can_sign = a.membership == "join" && a.power >= invite_level;
  d_.authoriser = std::move(a);
}

void Decider::ListCandidates(int64_t invite_level) {
  for (std::string_view user : q_.room->UsersWith("join")) {
    if (d_.candidate_authorisers.size() >= kMaxCandidates) break;
    if (UserPowerLevel(user, *q_.room, rules_) >= invite_level) {
      d_.candidate_authorisers.emplace_back(user);
    }
  }
}

}  // namespace

std::string_view ToString(ConditionOutcome o) {
  switch (o) {
    case ConditionOutcome::kMatched: return "matched";
    case ConditionOutcome::kNotJoined: return "not-joined";
    case ConditionOutcome::kRoomNotGiven: return "room-not-given";
    case ConditionOutcome::kUnknownType: return "unknown-type";
    case ConditionOutcome::kMalformed: return "malformed";
  }
  return "?";
}

std::string_view ToString(RestrictedJoinVerdict v) {
  switch (v) {
    case RestrictedJoinVerdict::kAllowed: return "allowed";
    case RestrictedJoinVerdict::kRefused: return "refused";
    case RestrictedJoinVerdict::kUnableToAuthorise: return "unable-to-authorise";
    case RestrictedJoinVerdict::kUnableToGrant: return "unable-to-grant";
  }
  return "?";
}

RestrictedJoinDecision DecideRestrictedJoin(const RestrictedJoinQuery& query,
                                            const RoomVersionRules& rules) {
  if (query.room == nullptr) {
    RestrictedJoinDecision d;
    d.error = Error{"restricted_join.no_room", "mxstate API", "no target room state given"};
    return d;
  }
  return Decider(query, rules).Run();
}

}  // namespace mxstate

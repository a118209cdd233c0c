// The authorization rules against a room state (rooms/vN "Authorization
// rules", rules from m.federate onwards, plus the create rules). Numbering
// follows each version's text (auth_rule_numbers.h); switches come from
// RoomVersionRules::auth.
#include <algorithm>
#include <type_traits>
#include <utility>

#include "auth_internal.h"
#include "auth_rule_numbers.h"
#include "mxstate/auth.h"
#include "mxstate/base64.h"
#include "mxstate/canonical_json.h"
#include "mxstate/event_format.h"
#include "mxstate/signing.h"
#include "power_levels.h"

namespace mxstate {
namespace internal {
namespace {

std::string_view StringOr(const Json* object, std::string_view key, std::string_view fallback) {
  const std::string* s = object ? object->FindString(key) : nullptr;
  return s ? std::string_view(*s) : fallback;
}

std::string PowerText(int64_t power) {
  return power == kInfinitePower ? "infinite (room creator)" : std::to_string(power);
}

// One evaluation of the rules: the event, its room version and the state
// it is judged against, with the decision being built.
class RuleRunner {
 public:
  RuleRunner(const EventFields& event, const AuthState& state, const RoomVersionRules& rules,
             AuthTrace detail)
      : event_(*event.event),
        state_(state),
        rules_(rules),
        n_(rules),
        type_(event.type),
        sender_(event.sender),
        state_key_(event.state_key),
        content_(event.content),
        member_(event.member),
        sender_is_target_(event.sender_is_target),
        target_is_first_creator_(event.target_is_first_creator),
        powers_(event.powers),
        levels_(rules),
        detail_(detail) {
    create_ = state.Get("m.room.create", "").event;
    pl_entry_ = state.Get("m.room.power_levels", "");
    if (pl_entry_.event != nullptr) levels_ = PowerLevels(pl_entry_.event->Find("content"), rules);
  }

  AuthDecision Run();

  // Pieces shared with the create rules and UserPowerLevel.
  int64_t PowerOf(std::string_view user) const;
  // PowerOf the sender, and of a membership's target (its state_key), as
  // the caller's hints answer when they do.
  int64_t SenderPower() const;
  int64_t TargetPower(std::string_view target) const;

 private:
  // A decision's explanation is a string literal, or a callable that builds
  // the text: it runs only when the caller asked for more than the verdict
  // (AuthTrace), so the thousands of checks of a resolution allocate none.
  // A few rejections inside loops over structured bindings pass a built
  // string instead: clang 14 cannot capture bindings in a lambda.
  template <typename Why>
  static std::string Say(Why&& why) {
    if constexpr (std::is_invocable_v<Why>) {
      return std::string(why());
    } else {
      return std::string(std::forward<Why>(why));
    }
  }
  bool Verbose() const { return detail_ != AuthTrace::kAllowedOnly; }

  template <typename Why>
  AuthDecision Allow(const RuleRef& rule, Why&& why) {
    decision_.allowed = true;
    if (!Verbose()) return std::move(decision_);
    decision_.rule = n_.Text(rule);
    if (detail_ == AuthTrace::kFull) {
      decision_.trace.push_back(decision_.rule + ": " + Say(std::forward<Why>(why)) + ": allow");
    }
    return std::move(decision_);
  }
  template <typename Why>
  AuthDecision Reject(const char* code, const RuleRef& rule, Why&& why) {
    decision_.allowed = false;
    if (!Verbose()) return std::move(decision_);
    std::string text = n_.Text(rule);
    std::string message = Say(std::forward<Why>(why));
    if (detail_ == AuthTrace::kFull) decision_.trace.push_back(text + ": " + message + ": reject");
    decision_.error = Error{code, text, std::move(message)};
    decision_.rule = std::move(text);
    return std::move(decision_);
  }
  template <typename Why>
  void Note(const RuleRef& rule, Why&& why) {
    if (detail_ == AuthTrace::kFull) {
      decision_.trace.push_back(n_.Text(rule) + ": " + Say(std::forward<Why>(why)));
    }
  }

  std::string_view MembershipOf(std::string_view user) const {
    StateEntry member = state_.Get("m.room.member", user);
    if (member.event != nullptr && member.membership) return *member.membership;
    return StringOr(member.event ? member.event->Find("content") : nullptr, "membership", "");
  }
  std::string_view JoinRule() const {
    const Json* jr = state_.Get("m.room.join_rules", "").event;
    return StringOr(jr ? jr->Find("content") : nullptr, "join_rule", "");
  }
  bool IsCreator(std::string_view user) const;
  std::string_view FirstCreator() const;
  // Whether the sender is `target`, the event's state_key.
  bool SenderIsTarget(std::string_view target) const {
    return sender_is_target_ ? *sender_is_target_ : sender_ == target;
  }

  AuthDecision MemberRules();
  AuthDecision Join(std::string_view target, std::string_view membership_now);
  AuthDecision Invite(std::string_view target);
  AuthDecision ThirdPartyInvite(std::string_view target, const Json& tpi);
  AuthDecision Leave(std::string_view target);
  AuthDecision Ban(std::string_view target);
  AuthDecision Knock(std::string_view target);
  AuthDecision PowerLevelRules();
  AuthDecision RedactionRule();

  const Json& event_;  // for the fields EventFields leaves out
  const AuthState& state_;
  const RoomVersionRules& rules_;
  AuthRuleNumbers n_;
  std::string_view type_;
  std::string_view sender_;
  std::optional<std::string_view> state_key_;
  const Json* content_;
  std::optional<EventFields::MemberContent> member_;  // what the caller found in content_
  std::optional<bool> sender_is_target_;              // when the caller knows it
  std::optional<bool> target_is_first_creator_;       // likewise
  const PowerHints* powers_;                          // likewise (may be null)
  const Json* create_;
  StateEntry pl_entry_;
  PowerLevels levels_;
  AuthTrace detail_;
  AuthDecision decision_;
};

bool RuleRunner::IsCreator(std::string_view user) const {
  if (create_ == nullptr) return false;
  if (rules_.auth.privileged_creators) {
    // v12: the create sender and content.additional_creators.
    if (StringOr(create_, "sender", "") == user) return true;
    const Json* extra = create_->Find("content") ? create_->Find("content")->Find("additional_creators")
                                                : nullptr;
    if (extra && extra->is_array()) {
      for (const Json& c : extra->as_array()) {
        if (c.is_string() && c.as_string() == user) return true;
      }
    }
    return false;
  }
  return FirstCreator() == user;
}

std::string_view RuleRunner::FirstCreator() const {
  if (create_ == nullptr) return {};
  // v1-10: content.creator; v11+: the create event's sender.
  if (rules_.auth.creator_is_sender) return StringOr(create_, "sender", "");
  return StringOr(create_->Find("content"), "creator", "");
}

int64_t RuleRunner::SenderPower() const {
  if (powers_ != nullptr) {
    if (std::optional<int64_t> power = powers_->SenderPower()) return *power;
  }
  return PowerOf(sender_);
}

int64_t RuleRunner::TargetPower(std::string_view target) const {
  if (powers_ != nullptr) {
    if (std::optional<int64_t> power = powers_->TargetPower()) return *power;
  }
  return PowerOf(target);
}

int64_t RuleRunner::PowerOf(std::string_view user) const {
  // v12: creators' power is infinite, always.
  if (rules_.auth.privileged_creators && IsCreator(user)) return kInfinitePower;
  if (pl_entry_.event != nullptr) {
    if (auto level = levels_.Entry("users", user)) return *level;
    return levels_.Get("users_default");
  }
  // No power levels event (v1-11): the creator has 100, everyone else 0.
  if (!rules_.auth.privileged_creators && IsCreator(user)) return 100;
  return 0;
}

AuthDecision RuleRunner::Run() {
  // m.federate: only a literal `false` stops other servers.
  if (create_ != nullptr) {
    const Json* federate = create_->Find("content") ? create_->Find("content")->Find("m.federate")
                                                    : nullptr;
    if (federate && federate->is_bool() && !federate->as_bool() &&
        ServerNameOf(sender_) != ServerNameOf(StringOr(create_, "sender", ""))) {
      return Reject("auth.federate", n_.Ref(n_.federate), [&] {
        return "the room does not federate (m.federate is false) and sender " +
               std::string(sender_) + " is not on the create event's server " +
               std::string(ServerNameOf(StringOr(create_, "sender", "")));
      });
    }
  }
  // v1-5: m.room.aliases.
  if (n_.aliases != 0 && type_ == "m.room.aliases") {
    if (!state_key_) {
      return Reject("auth.aliases.no_state_key", n_.Ref(n_.aliases, 1),
                    "m.room.aliases has no state_key");
    }
    if (*state_key_ != ServerNameOf(sender_)) {
      return Reject("auth.aliases.wrong_server", n_.Ref(n_.aliases, 2), [&] {
        return "state_key '" + std::string(*state_key_) + "' is not the sender's server '" +
               std::string(ServerNameOf(sender_)) + "'";
      });
    }
    return Allow(n_.Ref(n_.aliases, 3), "state_key is the sender's server");
  }
  if (type_ == "m.room.member") return MemberRules();

  // The sender must be joined.
  std::string_view membership = MembershipOf(sender_);
  if (membership != "join") {
    return Reject("auth.sender_not_joined", n_.Ref(n_.sender_joined), [&] {
      return "sender " + std::string(sender_) + "'s membership is '" +
             std::string(membership.empty() ? "none" : membership) + "', not join";
    });
  }
  int64_t sender_power = SenderPower();
  if (type_ == "m.room.third_party_invite") {
    int64_t invite = levels_.Get("invite");
    if (sender_power >= invite) {
      return Allow(n_.Ref(n_.third_party_invite, 1), [&] {
        return "sender power " + PowerText(sender_power) + " >= invite level " +
               std::to_string(invite);
      });
    }
    return Reject("auth.third_party_invite.insufficient_power", n_.Ref(n_.third_party_invite, 1),
                  [&] {
                    return "sender power " + PowerText(sender_power) + " < invite level " +
                           std::to_string(invite);
                  });
  }
  // Required power level of the event type ("Definitions").
  int64_t required;
  const char* default_name = nullptr;  // set when no `events` entry applies
  if (auto level = levels_.Entry("events", type_)) {
    required = *level;
  } else if (state_key_) {
    default_name = "state_default";
    required = levels_.Get(default_name);
  } else {
    default_name = "events_default";
    required = levels_.Get(default_name);
  }
  auto required_text = [&] {
    std::string from =
        default_name ? std::string(default_name) : "events[\"" + std::string(type_) + "\"]";
    return from + " " + std::to_string(required);
  };
  if (required > sender_power) {
    return Reject("auth.insufficient_power", n_.Ref(n_.required_power), [&] {
      return "sender power " + PowerText(sender_power) + " < required " + required_text();
    });
  }
  Note(n_.Ref(n_.required_power), [&] {
    return "sender power " + PowerText(sender_power) + " >= required " + required_text();
  });
  if (state_key_ && !state_key_->empty() && state_key_->front() == '@' && *state_key_ != sender_) {
    return Reject("auth.state_key_impersonation", n_.Ref(n_.state_key_user), [&] {
      return "state_key '" + std::string(*state_key_) + "' starts with @ and is not the sender " +
             std::string(sender_);
    });
  }
  if (type_ == "m.room.power_levels") return PowerLevelRules();
  if (n_.redaction != 0 && type_ == "m.room.redaction") return RedactionRule();
  return Allow(n_.Ref(n_.otherwise), "no rule refuses the event");
}

AuthDecision RuleRunner::MemberRules() {
  std::optional<std::string_view> membership;
  if (member_) {
    membership = member_->membership;
  } else if (const std::string* m = content_ ? content_->FindString("membership") : nullptr) {
    membership = *m;
  }
  if (!state_key_ || !membership) {
    return Reject("auth.member.bad_content", n_.Ref(n_.member, 1), [&] {
      return !state_key_ ? "the member event has no state_key"
                         : "content.membership is missing or not a string";
    });
  }
  // v8+ x.2 (signature of the authorising server): checked by VerifyEvent
  // with the other event signatures; nothing is left to decide here.
  if (n_.member_authorised_via != 0 &&
      (member_ ? member_->has_authorised_via
               : content_->Contains("join_authorised_via_users_server"))) {
    Note(n_.Ref(n_.member, n_.member_authorised_via), [&] {
      return "join_authorised_via_users_server present: its server's signature is an event "
             "signature (checked by verify)";
    });
  }
  std::string_view target = *state_key_;
  if (*membership == "join") return Join(target, MembershipOf(target));
  if (*membership == "invite") return Invite(target);
  if (*membership == "leave") return Leave(target);
  if (*membership == "ban") return Ban(target);
  if (n_.knock != 0 && *membership == "knock") return Knock(target);
  return Reject("auth.member.unknown_membership", n_.Ref(n_.member, n_.unknown_membership), [&] {
    return "membership '" + std::string(*membership) + "' is not one this room version knows";
  });
}

AuthDecision RuleRunner::Join(std::string_view target, std::string_view current) {
  const int j = n_.join;
  // x.y.1: the creator's first join, right after the create event. The
  // target is compared first: it is at hand, while prev_events would be
  // the only field of the event's top-level object most checks read.
  const bool target_is_creator =
      create_ != nullptr &&
      (target_is_first_creator_ ? *target_is_first_creator_ : target == FirstCreator());
  const Json* prev = target_is_creator ? event_.Find("prev_events") : nullptr;
  if (prev && prev->is_array() && prev->size() == 1) {
    const Json& only = prev->as_array()[0];
    const Json* id = only.is_array() && !only.as_array().empty() ? &only.as_array()[0] : &only;
    std::string_view create_id = state_.Get("m.room.create", "").event_id;
    if (id->is_string() && !create_id.empty() && id->as_string() == create_id) {
      return Allow(n_.Ref(n_.member, j, 1), [&] {
        return "the only previous event is the create event and " + std::string(target) +
               " is its creator";
      });
    }
  }
  if (!SenderIsTarget(target)) {
    return Reject("auth.member.join.not_self", n_.Ref(n_.member, j, 2), [&] {
      return "sender " + std::string(sender_) + " does not match state_key " + std::string(target);
    });
  }
  if (current == "ban") {
    return Reject("auth.member.join.banned", n_.Ref(n_.member, j, 3),
                  [&] { return std::string(sender_) + " is banned"; });
  }
  std::string_view join_rule = JoinRule();
  bool invite_like = join_rule == "invite" || (rules_.auth.knocking && join_rule == "knock");
  if (invite_like) {
    if (current == "invite" || current == "join") {
      return Allow(n_.Ref(n_.member, j, 4), [&] {
        return "join rule is " + std::string(join_rule) + " and the sender's membership is " +
               std::string(current);
      });
    }
    return Reject("auth.member.join.not_invited", n_.Ref(n_.member, j, 4), [&] {
      return "join rule is " + std::string(join_rule) + " and the sender's membership is '" +
             std::string(current.empty() ? "none" : current) + "', not invite or join";
    });
  }
  bool restricted = (rules_.auth.restricted_join && join_rule == "restricted") ||
                    (rules_.auth.knock_restricted && join_rule == "knock_restricted");
  if (restricted) {
    const int r = n_.join_restricted;
    if (current == "join" || current == "invite") {
      return Allow(n_.Ref(n_.member, j, r, 1), [&] {
        return "join rule is " + std::string(join_rule) + " and the sender is already " +
               std::string(current);
      });
    }
    const std::string* via = member_ && !member_->has_authorised_via
                                 ? nullptr
                                 : content_->FindString("join_authorised_via_users_server");
    if (via == nullptr) {
      return Reject("auth.member.join.bad_authoriser", n_.Ref(n_.member, j, r, 2), [&] {
        return "join rule is " + std::string(join_rule) +
               " and content.join_authorised_via_users_server is missing";
      });
    }
    if (MembershipOf(*via) != "join") {
      return Reject("auth.member.join.bad_authoriser", n_.Ref(n_.member, j, r, 2),
                    [&] { return "authorising user " + *via + " is not a joined member"; });
    }
    int64_t power = PowerOf(*via);
    int64_t invite = levels_.Get("invite");
    if (power < invite) {
      return Reject("auth.member.join.bad_authoriser", n_.Ref(n_.member, j, r, 2), [&] {
        return "authorising user " + *via + " has power " + PowerText(power) + " < invite level " +
               std::to_string(invite);
      });
    }
    return Allow(n_.Ref(n_.member, j, r, 3), [&] {
      return "authorising user " + *via + " is joined with power " + PowerText(power) +
             " >= invite level " + std::to_string(invite);
    });
  }
  if (join_rule == "public") {
    return Allow(n_.Ref(n_.member, j, n_.join_public), "join rule is public");
  }
  return Reject("auth.member.join.forbidden", n_.Ref(n_.member, j, n_.join_otherwise), [&] {
    return join_rule.empty()
               ? std::string("the room has no join rule that admits this join")
               : "join rule '" + std::string(join_rule) + "' does not admit this join";
  });
}

AuthDecision RuleRunner::Invite(std::string_view target) {
  const int i = n_.invite;
  const Json* tpi =
      member_ && !member_->has_third_party_invite ? nullptr : content_->Find("third_party_invite");
  if (tpi != nullptr) return ThirdPartyInvite(target, *tpi);
  std::string_view sender_membership = MembershipOf(sender_);
  if (sender_membership != "join") {
    return Reject("auth.member.invite.sender_not_joined", n_.Ref(n_.member, i, 2), [&] {
      return "sender's membership is '" +
             std::string(sender_membership.empty() ? "none" : sender_membership) + "', not join";
    });
  }
  std::string_view target_membership = MembershipOf(target);
  if (target_membership == "join" || target_membership == "ban") {
    return Reject("auth.member.invite.target_joined_or_banned", n_.Ref(n_.member, i, 3), [&] {
      return "target " + std::string(target) + " is already " + std::string(target_membership);
    });
  }
  int64_t power = SenderPower();
  int64_t invite = levels_.Get("invite");
  if (power >= invite) {
    return Allow(n_.Ref(n_.member, i, 4), [&] {
      return "sender power " + PowerText(power) + " >= invite level " + std::to_string(invite);
    });
  }
  return Reject("auth.member.invite.insufficient_power", n_.Ref(n_.member, i, 5), [&] {
    return "sender power " + PowerText(power) + " < invite level " + std::to_string(invite);
  });
}

AuthDecision RuleRunner::ThirdPartyInvite(std::string_view target, const Json& tpi) {
  const int i = n_.invite;
  if (MembershipOf(target) == "ban") {
    return Reject("auth.member.invite.target_banned", n_.Ref(n_.member, i, 1, 1),
                  [&] { return "target " + std::string(target) + " is banned"; });
  }
  const Json* signed_block = tpi.Find("signed");
  if (signed_block == nullptr || !signed_block->is_object()) {
    return Reject("auth.member.invite.no_signed", n_.Ref(n_.member, i, 1, 2),
                  "content.third_party_invite has no `signed` object");
  }
  const std::string* mxid = signed_block->FindString("mxid");
  const std::string* token = signed_block->FindString("token");
  if (mxid == nullptr || token == nullptr) {
    return Reject("auth.member.invite.bad_signed", n_.Ref(n_.member, i, 1, 3),
                  "`signed` lacks a string `mxid` or `token`");
  }
  if (*mxid != target) {
    return Reject("auth.member.invite.mxid_mismatch", n_.Ref(n_.member, i, 1, 4), [&] {
      return "signed.mxid " + *mxid + " does not match state_key " + std::string(target);
    });
  }
  const Json* invite_event = state_.Get("m.room.third_party_invite", *token).event;
  if (invite_event == nullptr) {
    return Reject("auth.member.invite.no_third_party_invite", n_.Ref(n_.member, i, 1, 5), [&] {
      return "no m.room.third_party_invite with state_key '" + *token + "' in the state";
    });
  }
  if (StringOr(invite_event, "sender", "") != sender_) {
    return Reject("auth.member.invite.sender_mismatch", n_.Ref(n_.member, i, 1, 6), [&] {
      return "sender " + std::string(sender_) + " is not the third-party invite's sender " +
             std::string(StringOr(invite_event, "sender", ""));
    });
  }
  // x.y.1.7: any signature in `signed` by any public key of the invite
  // (content.public_key and content.public_keys[].public_key; base64 of
  // either alphabet).
  std::vector<Ed25519PublicKey> keys;
  auto add_key = [&keys](const Json* value) {
    if (value == nullptr || !value->is_string()) return;
    auto raw = DecodeBase64AnyAlphabet(value->as_string());
    if (raw && raw->size() == 32) {
      Ed25519PublicKey key;
      std::copy(raw->begin(), raw->end(), key.begin());
      keys.push_back(key);
    }
  };
  const Json* invite_content = invite_event->Find("content");
  if (invite_content) {
    add_key(invite_content->Find("public_key"));
    if (const Json* list = invite_content->Find("public_keys"); list && list->is_array()) {
      for (const Json& entry : list->as_array()) add_key(entry.Find("public_key"));
    }
  }
  std::string signed_bytes = SignableBytes(*signed_block);
  if (const Json* signatures = signed_block->Find("signatures"); signatures && signatures->is_object()) {
    for (const auto& [server, by_key] : signatures->as_object()) {
      if (!by_key.is_object()) continue;
      for (const auto& [key_id, signature] : by_key.as_object()) {
        if (!signature.is_string()) continue;
        auto raw = DecodeBase64AnyAlphabet(signature.as_string());
        if (!raw) continue;
        for (const Ed25519PublicKey& key : keys) {
          if (VerifyEd25519(signed_bytes, *raw, key)) {
            return Allow(n_.Ref(n_.member, i, 1, 7),
                         "the signature of " + server + " (" + key_id +
                             ") in `signed` verifies under a public key of the third-party invite");
          }
        }
      }
    }
  }
  return Reject("auth.member.invite.bad_signature", n_.Ref(n_.member, i, 1, 8), [&] {
    return "no signature in `signed` verifies under the " + std::to_string(keys.size()) +
           " public key(s) of the third-party invite";
  });
}

AuthDecision RuleRunner::Leave(std::string_view target) {
  const int l = n_.leave;
  std::string_view sender_membership = MembershipOf(sender_);
  if (SenderIsTarget(target)) {
    bool may_leave = sender_membership == "invite" || sender_membership == "join" ||
                     (rules_.auth.knocking && sender_membership == "knock");
    if (may_leave) {
      return Allow(n_.Ref(n_.member, l, 1), [&] {
        return "the sender leaves from membership " + std::string(sender_membership);
      });
    }
    return Reject("auth.member.leave.not_member", n_.Ref(n_.member, l, 1), [&] {
      return "the sender's membership is '" +
             std::string(sender_membership.empty() ? "none" : sender_membership) +
             "', from which one cannot leave";
    });
  }
  if (sender_membership != "join") {
    return Reject("auth.member.leave.sender_not_joined", n_.Ref(n_.member, l, 2), [&] {
      return "sender's membership is '" +
             std::string(sender_membership.empty() ? "none" : sender_membership) + "', not join";
    });
  }
  int64_t sender_power = SenderPower();
  if (MembershipOf(target) == "ban") {
    int64_t ban = levels_.Get("ban");
    if (sender_power < ban) {
      return Reject("auth.member.leave.unban_insufficient_power", n_.Ref(n_.member, l, 3), [&] {
        return "target is banned and sender power " + PowerText(sender_power) + " < ban level " +
               std::to_string(ban);
      });
    }
  }
  int64_t kick = levels_.Get("kick");
  int64_t target_power = TargetPower(target);
  if (sender_power >= kick && target_power < sender_power) {
    return Allow(n_.Ref(n_.member, l, 4), [&] {
      return "sender power " + PowerText(sender_power) + " >= kick level " + std::to_string(kick) +
             " and target power " + PowerText(target_power) + " < sender power";
    });
  }
  return Reject("auth.member.leave.insufficient_power", n_.Ref(n_.member, l, 5), [&] {
    return "sender power " + PowerText(sender_power) + ", kick level " + std::to_string(kick) +
           ", target power " + PowerText(target_power);
  });
}

AuthDecision RuleRunner::Ban(std::string_view target) {
  const int b = n_.ban;
  std::string_view sender_membership = MembershipOf(sender_);
  if (sender_membership != "join") {
    return Reject("auth.member.ban.sender_not_joined", n_.Ref(n_.member, b, 1), [&] {
      return "sender's membership is '" +
             std::string(sender_membership.empty() ? "none" : sender_membership) + "', not join";
    });
  }
  int64_t sender_power = SenderPower();
  int64_t ban = levels_.Get("ban");
  int64_t target_power = TargetPower(target);
  if (sender_power >= ban && target_power < sender_power) {
    return Allow(n_.Ref(n_.member, b, 2), [&] {
      return "sender power " + PowerText(sender_power) + " >= ban level " + std::to_string(ban) +
             " and target power " + PowerText(target_power) + " < sender power";
    });
  }
  return Reject("auth.member.ban.insufficient_power", n_.Ref(n_.member, b, 3), [&] {
    return "sender power " + PowerText(sender_power) + ", ban level " + std::to_string(ban) +
           ", target power " + PowerText(target_power);
  });
}

AuthDecision RuleRunner::Knock(std::string_view target) {
  const int k = n_.knock;
  std::string_view join_rule = JoinRule();
  bool knockable = join_rule == "knock" ||
                   (rules_.auth.knock_restricted && join_rule == "knock_restricted");
  if (!knockable) {
    return Reject("auth.member.knock.join_rule", n_.Ref(n_.member, k, 1), [&] {
      return "join rule '" + std::string(join_rule.empty() ? "none" : join_rule) +
             "' does not allow knocking";
    });
  }
  if (!SenderIsTarget(target)) {
    return Reject("auth.member.knock.not_self", n_.Ref(n_.member, k, 2), [&] {
      return "sender " + std::string(sender_) + " does not match state_key " + std::string(target);
    });
  }
  std::string_view current = MembershipOf(sender_);
  if (current != "ban" && current != "invite" && current != "join") {
    return Allow(n_.Ref(n_.member, k, 3), [&] {
      return "the sender's membership is '" + std::string(current.empty() ? "none" : current) + "'";
    });
  }
  return Reject("auth.member.knock.bad_membership", n_.Ref(n_.member, k, 4),
                [&] { return "the sender is already " + std::string(current); });
}

AuthDecision RuleRunner::PowerLevelRules() {
  const int p = n_.power_levels;
  static const Json kEmpty = Json::EmptyObject();
  const Json& content = content_ && content_->is_object() ? *content_ : kEmpty;
  if (auto valid = ValidatePowerLevels(content, rules_, n_.Rule(p)); !valid) {
    decision_.allowed = false;
    if (!Verbose()) return std::move(decision_);
    if (detail_ == AuthTrace::kFull) {
      decision_.trace.push_back(valid.error().rule + ": " + valid.error().message + ": reject");
    }
    decision_.rule = valid.error().rule;
    decision_.error = valid.error();
    return std::move(decision_);
  }
  const PowerLevels updated(&content, rules_);
  // v12 10.4: creators may not appear in `users`.
  if (n_.pl_creators_in_users != 0) {
    if (const Json* users = updated.Map("users")) {
      for (const auto& [user, level] : users->as_object()) {
        if (IsCreator(user)) {
          return Reject("auth.power_levels.creator_in_users", n_.Ref(p, n_.pl_creators_in_users),
                        "`users` lists room creator " + user);
        }
      }
    }
  }
  if (pl_entry_.event == nullptr) {
    return Allow(n_.Ref(p, n_.pl_no_previous), "there is no previous power levels event");
  }
  const PowerLevels& old = levels_;
  int64_t sender_power = SenderPower();
  auto above = [&](int64_t value) { return value > sender_power; };
  // Top-level properties added, changed or removed: neither the old nor the
  // new value may exceed the sender's power.
  for (const char* key : kPowerLevelKeys) {
    std::optional<int64_t> before = old.Top(key), after = updated.Top(key);
    if (before == after) continue;
    if (before && above(*before)) {
      return Reject("auth.power_levels.level_above_sender", n_.Ref(p, n_.pl_top_level, 1),
                    std::string("`") + key + "` changes from " + std::to_string(*before) +
                        ", above sender power " + PowerText(sender_power));
    }
    if (after && above(*after)) {
      return Reject("auth.power_levels.level_above_sender", n_.Ref(p, n_.pl_top_level, 2),
                    std::string("`") + key + "` changes to " + std::to_string(*after) +
                        ", above sender power " + PowerText(sender_power));
    }
  }
  // `events` (and from v6 `notifications`) entries.
  std::vector<const char*> maps = {"events"};
  if (rules_.auth.notifications_power_levels) maps.push_back("notifications");
  for (const char* name : maps) {
    if (const Json* before_map = old.Map(name)) {
      for (const auto& [key, raw] : before_map->as_object()) {
        std::optional<int64_t> value = old.Value(raw);
        if (!value) continue;
        bool changed_or_removed = updated.Entry(name, key) != value;
        if (changed_or_removed && above(*value)) {
          return Reject("auth.power_levels.level_above_sender", n_.Ref(p, n_.pl_events_old, 1),
                        std::string("`") + name + "." + key + "` was " + std::to_string(*value) +
                            ", above sender power " + PowerText(sender_power));
        }
      }
    }
    if (const Json* after_map = updated.Map(name)) {
      for (const auto& [key, raw] : after_map->as_object()) {
        std::optional<int64_t> value = updated.Value(raw);
        if (!value) continue;
        bool added_or_changed = old.Entry(name, key) != value;
        if (added_or_changed && above(*value)) {
          return Reject("auth.power_levels.level_above_sender", n_.Ref(p, n_.pl_events_new, 1),
                        std::string("`") + name + "." + key + "` becomes " +
                            std::to_string(*value) + ", above sender power " +
                            PowerText(sender_power));
        }
      }
    }
  }
  // `users`: others' entries changed or removed need old < sender power.
  if (const Json* before_users = old.Map("users")) {
    for (const auto& [user, raw] : before_users->as_object()) {
      std::optional<int64_t> value = old.Value(raw);
      if (!value || user == sender_) continue;
      bool changed_or_removed = updated.Entry("users", user) != value;
      if (changed_or_removed && *value >= sender_power) {
        return Reject("auth.power_levels.user_not_below_sender", n_.Ref(p, n_.pl_users_old, 1),
                      "`users." + user + "` was " + std::to_string(*value) +
                          ", not below sender power " + PowerText(sender_power));
      }
    }
  }
  if (const Json* after_users = updated.Map("users")) {
    for (const auto& [user, raw] : after_users->as_object()) {
      std::optional<int64_t> value = updated.Value(raw);
      if (!value) continue;
      bool added_or_changed = old.Entry("users", user) != value;
      if (added_or_changed && above(*value)) {
        return Reject("auth.power_levels.new_user_level_above_sender",
                      n_.Ref(p, n_.pl_users_new, 1),
                      "`users." + user + "` becomes " + std::to_string(*value) +
                          ", above sender power " + PowerText(sender_power));
      }
    }
  }
  return Allow(n_.Ref(p, n_.pl_otherwise), [&] {
    return "every change is within the sender's power " + PowerText(sender_power);
  });
}

AuthDecision RuleRunner::RedactionRule() {
  const int r = n_.redaction;
  int64_t sender_power = SenderPower();
  int64_t redact = levels_.Get("redact");
  if (sender_power >= redact) {
    return Allow(n_.Ref(r, 1), [&] {
      return "sender power " + PowerText(sender_power) + " >= redact level " +
             std::to_string(redact);
    });
  }
  // v1-2: same server as the redacted event's event_id.
  std::string_view redacts = StringOr(&event_, "redacts", "");
  std::string_view own_id = StringOr(&event_, "event_id", "");
  if (!redacts.empty() && !ServerNameOf(redacts).empty() &&
      ServerNameOf(redacts) == ServerNameOf(own_id)) {
    return Allow(n_.Ref(r, 2), [&] {
      return "the redacted event " + std::string(redacts) +
             " comes from the redaction's own server";
    });
  }
  return Reject("auth.redaction.insufficient_power", n_.Ref(r, 3), [&] {
    return "sender power " + PowerText(sender_power) + " < redact level " + std::to_string(redact) +
           " and the redacted event " + std::string(redacts) + " is from another server";
  });
}

}  // namespace

EventFields EventFields::Of(const Json& event) {
  const std::string* state_key = event.FindString("state_key");
  return EventFields{
      .event = &event,
      .type = StringOr(&event, "type", ""),
      .sender = StringOr(&event, "sender", ""),
      .state_key = state_key ? std::optional<std::string_view>(*state_key) : std::nullopt,
      .content = event.Find("content"),
      .member = std::nullopt,
      .sender_is_target = std::nullopt,
      .target_is_first_creator = std::nullopt,
      .powers = nullptr};
}

AuthDecision RunStateRules(const EventFields& event, const AuthState& state,
                           const RoomVersionRules& rules, AuthTrace detail) {
  return RuleRunner(event, state, rules, detail).Run();
}

AuthDecision RunStateRules(const Json& event, const AuthState& state, const RoomVersionRules& rules,
                           AuthTrace detail) {
  return RunStateRules(EventFields::Of(event), state, rules, detail);
}

int64_t PowerLevelOf(std::string_view user, const AuthState& state, const RoomVersionRules& rules) {
  static const Json kEmpty = Json::EmptyObject();
  EventFields none;
  none.event = &kEmpty;
  return RuleRunner(none, state, rules, AuthTrace::kAllowedOnly).PowerOf(user);
}

}  // namespace internal

int64_t UserPowerLevel(std::string_view user_id, const AuthState& state,
                       const RoomVersionRules& rules) {
  return internal::PowerLevelOf(user_id, state, rules);
}

}  // namespace mxstate

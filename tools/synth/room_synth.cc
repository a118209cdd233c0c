// The room generator of `mxstate synth` (room_synth.h).
#include "synth/room_synth.h"

#include <algorithm>
#include <map>
#include <optional>
#include <random>
#include <unordered_map>

#include "mxstate/auth.h"
#include "mxstate/base64.h"
#include "mxstate/event_hashes.h"
#include "mxstate/room_replay.h"
#include "mxstate/sha256.h"
#include "mxstate/state_res.h"

namespace mxstate::synth {
namespace {

constexpr const char* kRuleSynth = "mxstate synth";
// 2023-11-14T22:13:20Z: a fixed start, so the output depends on the seed only.
constexpr int64_t kStartTs = 1'700'000'000'000;
// Keys stay valid for ten years from the start (rooms/v5: key validity).
constexpr int64_t kKeyValidity = 10LL * 365 * 24 * 3600 * 1000;
// The reset episode's unbanning server runs a minute slow.
constexpr int64_t kSlowClock = 60'000;

constexpr const char* kServerNames[] = {
    "matrix.example.org", "chat.example.net", "hs.example.com",  "talk.example.io",
    "home.example.de",    "im.example.fr",    "mx.example.jp",   "comms.example.ca"};
constexpr const char* kUserNames[] = {
    "bob",   "carol", "erin",   "frank", "grace", "heidi", "ivan",   "judy",
    "mike",  "niaj",  "olivia", "peggy", "rupert", "sybil", "trent", "victor",
    "walter", "yusuf", "zoe",   "amir",  "bea",   "chen",  "dmitri", "elif"};
constexpr const char* kWords[] = {"hello", "meeting", "at", "noon", "the", "build", "is",
                                  "green", "again", "thanks", "see", "you", "later",
                                  "release", "notes", "ready", "for", "review"};

struct User {
  std::string id;
  size_t server = 0;
};

// One event to build: what varies between kinds of events.
struct Draft {
  std::string type;
  size_t sender = 0;  // index into users
  std::optional<std::string> state_key;
  Json content = Json::EmptyObject();
  std::vector<std::string> prevs;
  int64_t ts_offset = 0;                // clock skew of the sending server
  int64_t depth_offset = 0;             // a server that miscounts depth
  const StateMap* auth_state = nullptr;  // select auth events here instead of the state before
};

Draft MakeDraft(std::string type, size_t sender,
                std::optional<std::string> state_key = std::nullopt) {
  Draft d;
  d.type = std::move(type);
  d.sender = sender;
  d.state_key = std::move(state_key);
  return d;
}

class Generator : public EventSource {
 public:
  explicit Generator(const SynthOptions& o) : o_(o), rules_(*o.rules), rng_(o.seed) {}

  const Json* Find(std::string_view id) const override {
    auto it = index_.find(std::string(id));
    return it == index_.end() ? nullptr : &room_.events[it->second];
  }
  bool IsRejected(std::string_view) const override { return false; }

  Result<SynthRoom> Run();

 private:
  uint64_t Pick(uint64_t n) { return n == 0 ? 0 : rng_() % n; }
  std::string RandomToken(size_t length);
  Result<StateMap> StateBefore(const std::vector<std::string>& prevs);
  // Builds, checks, signs and records a draft. Empty when the rules refuse it.
  Result<std::optional<std::string>> Emit(const Draft& d);
  Result<std::string> MustEmit(const Draft& d);
  std::optional<std::string> MemberOf(const StateMap& s, size_t user) const;
  int64_t PowerOf(const StateMap& s, size_t user);
  Json PowerLevelsWith(const StateMap& s, size_t user, int64_t level) const;
  Result<void> Setup();
  Result<void> RandomEvent(size_t tip);
  Result<void> Fork();
  Result<void> Merge(std::vector<size_t> which);
  Result<void> ResetEpisode();

  const SynthOptions& o_;
  const RoomVersionRules& rules_;
  std::mt19937_64 rng_;
  SynthRoom room_;
  std::vector<User> users_;  // 0 alice (creator), 1 dana (second admin), then members
  std::unordered_map<std::string, size_t> index_;
  std::unordered_map<std::string, StateMap> state_after_;
  std::unordered_map<std::string, int64_t> depth_;
  std::vector<std::string> tips_;  // branch heads
  int64_t clock_ = kStartTs;
  bool raced_ = false;
};

std::string Generator::RandomToken(size_t length) {
  static constexpr char kChars[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  std::string s;
  for (size_t i = 0; i < length; ++i) s += kChars[Pick(sizeof kChars - 1)];
  return s;
}

Result<StateMap> Generator::StateBefore(const std::vector<std::string>& prevs) {
  if (prevs.empty()) return StateMap{};
  if (prevs.size() == 1) return state_after_.at(prevs[0]);
  // rooms: the state before an event is the resolution of its prev events' states after.
  std::vector<StateMap> sets;
  for (const std::string& p : prevs) sets.push_back(state_after_.at(p));
  Result<Resolution> r = ResolveState(sets, *this, rules_);
  if (!r) return tl::unexpected(r.error());
  return std::move(r->state);
}

Json RefList(const std::vector<std::string>& ids, const Generator& g, const RoomVersionRules& rules) {
  Json::Array list;
  for (const std::string& id : ids) {
    if (rules.event_refs_with_hashes) {
      // v1-2: [event_id, {"sha256": reference hash}] (rooms/v1 event format).
      Json hashes = Json::EmptyObject();
      hashes.Set("sha256", EncodeBase64(ReferenceHash(*g.Find(id), rules)));
      list.push_back(Json(Json::Array{Json(id), std::move(hashes)}));
    } else {
      list.emplace_back(id);
    }
  }
  return Json(std::move(list));
}

Result<std::optional<std::string>> Generator::Emit(const Draft& d) {
  Result<StateMap> before = StateBefore(d.prevs);
  if (!before) return tl::unexpected(before.error());
  const User& sender = users_[d.sender];
  const bool is_create = d.type == "m.room.create";
  Json event = Json::EmptyObject();
  if (!(is_create && rules_.room_id_format == RoomIdFormat::kCreateEventHash)) {
    event.Set("room_id", room_.room_id);  // v12: the create event has none
  }
  event.Set("type", d.type);
  event.Set("sender", sender.id);
  if (d.state_key) event.Set("state_key", *d.state_key);
  event.Set("content", d.content);
  int64_t depth = 0;
  for (const std::string& p : d.prevs) depth = std::max(depth, depth_.at(p));
  depth += 1 + d.depth_offset;
  event.Set("depth", depth);
  clock_ += 200 + static_cast<int64_t>(Pick(4000));
  event.Set("origin_server_ts", clock_ + d.ts_offset);
  // s2s: auth events selection, from the state before (or a stale view).
  std::vector<std::string> auth_ids;
  const StateMap& auth_state = d.auth_state != nullptr ? *d.auth_state : *before;
  for (const StateKey& key : AuthEventSelection(event, rules_)) {
    auto it = auth_state.find(key);
    if (it != auth_state.end()) auth_ids.push_back(it->second);
  }
  event.Set("prev_events", RefList(d.prevs, *this, rules_));
  event.Set("auth_events", RefList(auth_ids, *this, rules_));
  const std::string& server = room_.servers[sender.server].name;
  if (rules_.event_id_in_pdu) event.Set("event_id", "$" + RandomToken(18) + ":" + server);
  // Receipt steps 4 and 5 (s2s): keep only events a server would accept.
  std::vector<AuthEvent> auth_events;
  for (const std::string& id : auth_ids) auth_events.push_back(AuthEvent{Find(id), id, false});
  if (rules_.auth.create_event_implied && !is_create) {
    std::string create_id = "$" + room_.room_id.substr(1);
    auth_events.push_back(AuthEvent{Find(create_id), create_id, false});
  }
  if (!AuthorizeWithAuthEvents(event, auth_events, rules_).allowed) return std::nullopt;
  StateMapView view(*before, *this);
  if (!is_create && !AuthorizeAgainstState(event, view, rules_).allowed) return std::nullopt;
  if (Result<void> s = SignEvent(&event, room_.servers[sender.server].key, rules_); !s) {
    return tl::unexpected(s.error());
  }
  Result<std::string> id = rules_.event_id_in_pdu ? Result<std::string>(*event.FindString("event_id"))
                                                  : EventId(event, rules_);
  if (!id) return tl::unexpected(id.error());
  if (is_create && rules_.room_id_format == RoomIdFormat::kCreateEventHash) {
    Result<std::string> room_id = RoomIdFromCreateEvent(event, rules_);
    if (!room_id) return tl::unexpected(room_id.error());
    room_.room_id = *room_id;
  }
  StateMap after = std::move(*before);
  if (d.state_key) after[StateKey{d.type, *d.state_key}] = *id;
  index_[*id] = room_.events.size();
  room_.events.push_back(std::move(event));
  room_.event_ids.push_back(*id);
  state_after_[*id] = std::move(after);
  depth_[*id] = depth;
  return *id;
}

Result<std::string> Generator::MustEmit(const Draft& d) {
  Result<std::optional<std::string>> id = Emit(d);
  if (!id) return tl::unexpected(id.error());
  if (!*id) {
    return Fail("synth.refused", kRuleSynth,
                "a scripted " + d.type + " event by " + users_[d.sender].id +
                    " does not pass the authorization rules of room version " +
                    std::string(rules_.id));
  }
  return **id;
}

std::optional<std::string> Generator::MemberOf(const StateMap& s, size_t user) const {
  auto it = s.find(StateKey{"m.room.member", users_[user].id});
  if (it == s.end()) return std::nullopt;
  const std::string* m = Find(it->second)->Find("content")->FindString("membership");
  return m ? std::optional<std::string>(*m) : std::nullopt;
}

int64_t Generator::PowerOf(const StateMap& s, size_t user) {
  StateMapView view(s, *this);
  return UserPowerLevel(users_[user].id, view, rules_);
}

Json Generator::PowerLevelsWith(const StateMap& s, size_t user, int64_t level) const {
  const Json* pl = Find(s.at(StateKey{"m.room.power_levels", ""}));
  Json content = pl->Find("content") != nullptr ? *pl->Find("content") : Json::EmptyObject();
  Json* users = content.Find("users");
  if (users == nullptr) users = &content.Set("users", Json::EmptyObject());
  if (level == 0) {
    users->Erase(users_[user].id);
  } else {
    users->Set(users_[user].id, level);
  }
  return content;
}

Result<void> Generator::Setup() {
  for (size_t i = 0; i < o_.servers; ++i) {
    std::string name = i < std::size(kServerNames)
                           ? kServerNames[i]
                           : "hs" + std::to_string(i + 1) + ".example.org";
    // The key's seed: SHA-256 of the generator's seed and the server name.
    Sha256Digest seed = Sha256("mxstate synth key|" + std::to_string(o_.seed) + "|" + name);
    Result<SigningKey> key = SigningKey::FromSeed(seed, name, "ed25519:synth");
    if (!key) return tl::unexpected(key.error());
    Json doc = Json::EmptyObject();
    doc.Set("server_name", name);
    doc.Set("valid_until_ts", kStartTs + kKeyValidity);
    Json verify = Json::EmptyObject();
    Json entry = Json::EmptyObject();
    entry.Set("key", key->PublicKeyBase64());
    verify.Set("ed25519:synth", std::move(entry));
    doc.Set("verify_keys", std::move(verify));
    doc.Set("old_verify_keys", Json::EmptyObject());
    if (Result<void> s = SignJson(&doc, *key); !s) return tl::unexpected(s.error());
    room_.servers.push_back(SynthServer{name, std::move(*key), std::move(doc)});
  }
  users_.push_back(User{"@alice:" + room_.servers[0].name, 0});
  users_.push_back(User{"@dana:" + room_.servers[1 % o_.servers].name, 1 % o_.servers});
  for (size_t i = 0; i < o_.members; ++i) {
    const size_t names = std::size(kUserNames);
    std::string name = kUserNames[i % names];
    if (i >= names) name += std::to_string(i / names + 1);
    size_t server = (i + 2) % o_.servers;
    users_.push_back(User{"@" + name + ":" + room_.servers[server].name, server});
  }
  if (rules_.room_id_format == RoomIdFormat::kServerChosen) {
    room_.room_id = "!" + RandomToken(18) + ":" + room_.servers[0].name;
  }
  Draft create = MakeDraft("m.room.create", 0, std::string());
  create.content.Set("room_version", std::string(rules_.id));
  if (rules_.auth.create_requires_creator) create.content.Set("creator", users_[0].id);
  Result<std::string> id = MustEmit(create);
  if (!id) return tl::unexpected(id.error());
  Draft join = MakeDraft("m.room.member", 0, users_[0].id);
  join.content.Set("membership", "join");
  join.prevs = {*id};
  if (id = MustEmit(join); !id) return tl::unexpected(id.error());
  Draft pl = MakeDraft("m.room.power_levels", 0, std::string());
  Json users = Json::EmptyObject();
  // v12: creators have infinite power and must not be listed (rooms/v12).
  if (!rules_.auth.privileged_creators) users.Set(users_[0].id, 100);
  users.Set(users_[1].id, 100);
  for (size_t i = 2; i < std::min<size_t>(users_.size(), 4); ++i) users.Set(users_[i].id, 50);
  pl.content.Set("users", std::move(users));
  for (const char* k : {"ban", "kick", "redact", "state_default"}) pl.content.Set(k, 50);
  pl.content.Set("events_default", 0);
  pl.content.Set("users_default", 0);
  pl.content.Set("invite", 0);
  Json events = Json::EmptyObject();
  events.Set("m.room.power_levels", 100);
  events.Set("m.room.history_visibility", 100);
  pl.content.Set("events", std::move(events));
  pl.prevs = {*id};
  if (id = MustEmit(pl); !id) return tl::unexpected(id.error());
  Draft rules = MakeDraft("m.room.join_rules", 0, std::string());
  rules.content.Set("join_rule", "public");
  rules.prevs = {*id};
  if (id = MustEmit(rules); !id) return tl::unexpected(id.error());
  Draft hv = MakeDraft("m.room.history_visibility", 0, std::string());
  hv.content.Set("history_visibility", "shared");
  hv.prevs = {*id};
  if (id = MustEmit(hv); !id) return tl::unexpected(id.error());
  Draft dana = MakeDraft("m.room.member", 1, users_[1].id);
  dana.content.Set("membership", "join");
  dana.prevs = {*id};
  if (id = MustEmit(dana); !id) return tl::unexpected(id.error());
  tips_ = {*id};
  return {};
}

// One ordinary event on branch `tip`: mostly messages, also joins, leaves,
// topic and name changes, power changes, kicks and bans; a draft the rules
// refuse is replaced by another.
Result<void> Generator::RandomEvent(size_t tip) {
  const StateMap& s = state_after_.at(tips_[tip]);
  for (int attempt = 0; attempt < 12; ++attempt) {
    Draft d;
    d.prevs = {tips_[tip]};
    const uint64_t roll = Pick(100);
    const size_t user = Pick(users_.size());
    d.sender = user;
    const std::optional<std::string> membership = MemberOf(s, user);
    const bool joined = membership && *membership == "join";
    if (roll < 20 || (!joined && roll < 40)) {  // join (or rejoin after leaving)
      if (joined || (membership && *membership == "ban")) continue;
      d.type = "m.room.member";
      d.state_key = users_[user].id;
      d.content.Set("membership", "join");
      d.content.Set("displayname", users_[user].id.substr(1, users_[user].id.find(':') - 1));
    } else if (roll < 70) {  // message
      d.type = "m.room.message";
      std::string body;
      for (uint64_t w = 0, n = 2 + Pick(6); w < n; ++w) {
        body += std::string(w ? " " : "") + kWords[Pick(std::size(kWords))];
      }
      d.content.Set("msgtype", "m.text");
      d.content.Set("body", body);
    } else if (roll < 76) {  // leave
      if (user < 2) continue;  // the admins stay
      d.type = "m.room.member";
      d.state_key = users_[user].id;
      d.content.Set("membership", "leave");
    } else if (roll < 84) {  // topic or name
      const bool topic = roll < 81;
      d.type = topic ? "m.room.topic" : "m.room.name";
      d.state_key = "";
      d.content.Set(topic ? "topic" : "name",
                    std::string(topic ? "Topic " : "Room ") + std::to_string(Pick(1000)));
    } else if (roll < 92) {  // power change by an admin
      const size_t target = 2 + Pick(users_.size() - 2);
      d.sender = Pick(2);
      d.type = "m.room.power_levels";
      d.state_key = "";
      d.content = PowerLevelsWith(s, target, PowerOf(s, target) >= 50 ? 0 : 50);
    } else {  // kick or ban by a moderator
      const size_t target = 2 + Pick(users_.size() - 2);
      if (MemberOf(s, target) != std::optional<std::string>("join")) continue;
      d.type = "m.room.member";
      d.state_key = users_[target].id;
      d.content.Set("membership", roll < 97 ? "leave" : "ban");
    }
    Result<std::optional<std::string>> id = Emit(d);
    if (!id) return tl::unexpected(id.error());
    if (*id) {
      tips_[tip] = **id;
      return {};
    }
  }
  // Nothing random passed: the creator speaks (always allowed).
  Draft d = MakeDraft("m.room.message", 0);
  d.content.Set("msgtype", "m.text");
  d.content.Set("body", "ping");
  d.prevs = {tips_[tip]};
  Result<std::string> id = MustEmit(d);
  if (!id) return tl::unexpected(id.error());
  tips_[tip] = *id;
  return {};
}

// Splits a branch in two. The first fork races a ban against a power
// change: the admin demotes a moderator on one branch while the moderator
// bans a member on the other (each valid where it was sent).
Result<void> Generator::Fork() {
  const size_t tip = Pick(tips_.size());
  const std::string head = tips_[tip];
  tips_.push_back(head);
  ++room_.fork_count;
  if (raced_) return {};
  const StateMap& s = state_after_.at(head);
  for (size_t mod = 2; mod < users_.size(); ++mod) {
    if (MemberOf(s, mod) != std::optional<std::string>("join") || PowerOf(s, mod) < 50) continue;
    for (size_t victim = 2; victim < users_.size(); ++victim) {
      if (victim == mod || MemberOf(s, victim) != std::optional<std::string>("join") ||
          PowerOf(s, victim) >= 50) {
        continue;
      }
      Draft demote = MakeDraft("m.room.power_levels", 0, std::string());
      demote.content = PowerLevelsWith(s, mod, 0);
      demote.prevs = {head};
      Draft ban = MakeDraft("m.room.member", mod, users_[victim].id);
      ban.content.Set("membership", "ban");
      ban.prevs = {head};
      Result<std::string> a = MustEmit(demote);
      if (!a) return tl::unexpected(a.error());
      Result<std::string> b = MustEmit(ban);
      if (!b) return tl::unexpected(b.error());
      tips_[tip] = *a;
      tips_.back() = *b;
      room_.notes.push_back("ban races a power change: " + *a + " (" + users_[0].id +
                            " demotes " + users_[mod].id + ") forks with " + *b + " (" +
                            users_[mod].id + " bans " + users_[victim].id + ")");
      raced_ = true;
      return {};
    }
  }
  return {};
}

// A merge: an event citing the heads of the given branches, sent by a member
// joined in the resolved state.
Result<void> Generator::Merge(std::vector<size_t> which) {
  std::sort(which.begin(), which.end());
  std::vector<std::string> prevs;
  for (size_t i : which) {
    if (std::find(prevs.begin(), prevs.end(), tips_[i]) == prevs.end()) prevs.push_back(tips_[i]);
  }
  if (prevs.size() == 1) {
    // Branches that have not moved since they forked are one branch again.
    for (auto it = which.rbegin(); it != which.rend(); ++it) tips_.erase(tips_.begin() + *it);
    tips_.push_back(prevs[0]);
    return {};
  }
  Result<StateMap> s = StateBefore(prevs);
  if (!s) return tl::unexpected(s.error());
  Draft d = MakeDraft("m.room.message", 0);
  for (size_t attempt = 0; attempt < 8; ++attempt) {
    const size_t u = Pick(users_.size());
    if (MemberOf(*s, u) == std::optional<std::string>("join")) {
      d.sender = u;
      break;
    }
  }
  d.content.Set("msgtype", "m.text");
  d.content.Set("body", "catching up");
  d.prevs = prevs;
  Result<std::string> id = MustEmit(d);
  if (!id) return tl::unexpected(id.error());
  for (auto it = which.rbegin(); it != which.rend(); ++it) tips_.erase(tips_.begin() + *it);
  tips_.push_back(*id);
  ++room_.merge_count;
  return {};
}

// The state reset (U7, matrix-org/synapse#6520). All branches are merged
// first. Dana bans a member; alice, whose server's clock is a minute slow,
// unbans her (prev: the ban) but selects auth events from a stale state in
// which the member was still joined; another member carries on from the
// ban. The unban and the ban are both power events with no auth path
// between them, so state resolution v2 orders them by sender power (the v12
// creator's is infinite) and then origin_server_ts (reverse topological
// power ordering): the unban comes first, the ban is applied after it and
// wins. State resolution v1 orders member conflicts by depth instead
// (rooms/v1), so there the unbanning server also counts depth from its
// stale view, one behind.
Result<void> Generator::ResetEpisode() {
  if (tips_.size() > 1) {
    std::vector<size_t> all(tips_.size());
    for (size_t i = 0; i < all.size(); ++i) all[i] = i;
    if (Result<void> m = Merge(all); !m) return m;
  }
  const std::string head = tips_[0];
  const StateMap pre_ban = state_after_.at(head);
  size_t victim = 0, witness = 0;
  for (size_t u = 2; u < users_.size() && (victim == 0 || witness == 0); ++u) {
    if (MemberOf(pre_ban, u) != std::optional<std::string>("join")) continue;
    if (victim == 0 && PowerOf(pre_ban, u) == 0) {
      victim = u;
    } else if (witness == 0) {
      witness = u;
    }
  }
  if (victim == 0) {
    // Nobody suitable is joined yet: bring one in.
    for (size_t u = 2; u < users_.size() && victim == 0; ++u) {
      if (MemberOf(pre_ban, u) || PowerOf(pre_ban, u) != 0) continue;
      Draft join = MakeDraft("m.room.member", u, users_[u].id);
      join.content.Set("membership", "join");
      join.prevs = {head};
      Result<std::string> id = MustEmit(join);
      if (!id) return tl::unexpected(id.error());
      tips_[0] = *id;
      victim = u;
    }
    if (victim == 0) return Fail("synth.no_reset", kRuleSynth, "no member to ban for the reset");
    return ResetEpisode();
  }
  // witness 0: alice carries on herself.
  Draft ban = MakeDraft("m.room.member", 1, users_[victim].id);
  ban.content.Set("membership", "ban");
  ban.prevs = {head};
  Result<std::string> ban_id = MustEmit(ban);
  if (!ban_id) return tl::unexpected(ban_id.error());
  Draft unban = MakeDraft("m.room.member", 0, users_[victim].id);
  unban.content.Set("membership", "leave");
  unban.prevs = {*ban_id};
  unban.ts_offset = -kSlowClock;
  unban.auth_state = &pre_ban;
  if (rules_.state_res == StateResAlgorithm::kV1) unban.depth_offset = -2;
  Result<std::string> unban_id = MustEmit(unban);
  if (!unban_id) return tl::unexpected(unban_id.error());
  Draft other = MakeDraft("m.room.message", witness);
  other.content.Set("msgtype", "m.text");
  other.content.Set("body", "did something just happen?");
  other.prevs = {*ban_id};
  Result<std::string> other_id = MustEmit(other);
  if (!other_id) return tl::unexpected(other_id.error());
  tips_ = {*unban_id, *other_id};
  if (Result<void> m = Merge({0, 1}); !m) return m;
  const std::string merge = tips_[0];
  const StateKey key{"m.room.member", users_[victim].id};
  if (state_after_.at(merge).at(key) != *ban_id) {
    return Fail("synth.no_reset", kRuleSynth,
                "in room version " + std::string(rules_.id) + " the merge " + merge +
                    " keeps the unban: state resolution does not reset it here");
  }
  room_.has_reset = true;
  room_.reset = SynthReset{merge, *ban_id, *unban_id, users_[victim].id};
  room_.notes.push_back("state reset: " + users_[1].id + " bans " + users_[victim].id + " (" +
                        *ban_id + "); " + users_[0].id + " unbans (" + *unban_id +
                        ", clock a minute slow, auth_events citing the stale join); the merge " +
                        merge + " resolves " + users_[victim].id + " back to the ban");
  return {};
}

Result<SynthRoom> Generator::Run() {
  if (Result<void> s = Setup(); !s) return tl::unexpected(s.error());
  const size_t setup = room_.events.size();
  const size_t span = o_.events > setup ? o_.events - setup : 0;
  // Forks at evenly spaced points; the reset at three quarters.
  std::vector<size_t> fork_at;
  for (size_t i = 0; i < o_.forks; ++i) fork_at.push_back(setup + span * (i + 1) / (o_.forks + 2));
  const size_t reset_at = setup + span * 3 / 4;
  size_t next_fork = 0;
  bool reset_done = !o_.with_reset;
  while (room_.events.size() < o_.events || !reset_done) {
    const size_t n = room_.events.size();
    if (!reset_done && n >= reset_at) {
      if (Result<void> r = ResetEpisode(); !r) return tl::unexpected(r.error());
      reset_done = true;
      continue;
    }
    if (next_fork < fork_at.size() && n >= fork_at[next_fork]) {
      ++next_fork;
      if (Result<void> f = Fork(); !f) return tl::unexpected(f.error());
      continue;
    }
    if (tips_.size() > 1 && Pick(8) == 0) {
      size_t a = Pick(tips_.size()), b = Pick(tips_.size() - 1);
      if (b >= a) ++b;
      if (Result<void> m = Merge({a, b}); !m) return tl::unexpected(m.error());
      continue;
    }
    if (Result<void> e = RandomEvent(Pick(tips_.size())); !e) return tl::unexpected(e.error());
  }
  return std::move(room_);
}

}  // namespace

Result<SynthRoom> SynthesizeRoom(const SynthOptions& options) {
  auto bad = [](const std::string& what) { return Fail("synth.bad_option", kRuleSynth, what); };
  if (options.rules == nullptr) return bad("no room version");
  if (options.servers < 1 || options.servers > kMaxSynthServers) {
    return bad("--servers must be 1.." + std::to_string(kMaxSynthServers));
  }
  if (options.members < 2 || options.members > kMaxSynthMembers) {
    return bad("--members must be 2.." + std::to_string(kMaxSynthMembers));
  }
  if (options.events > kMaxSynthEvents) {
    return bad("--events must be at most " + std::to_string(kMaxSynthEvents));
  }
  if (options.forks > options.events) return bad("--forks must be at most --events");
  Generator g(options);
  return g.Run();
}

}  // namespace mxstate::synth

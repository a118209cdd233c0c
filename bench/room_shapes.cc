// Seeded synthetic big rooms; see room_shapes.h.
#include "room_shapes.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <unordered_map>
#include <unordered_set>

#include "mxstate/canonical_json.h"

namespace mxstate::bench {
namespace {

constexpr uint32_t kNone = UINT32_MAX;
constexpr int64_t kBaseTs = 1'700'000'000'000;
constexpr uint32_t kCreator = 0, kAdmin = 1, kFirstMod = 2, kMods = 10;
constexpr uint32_t kFirstRegular = kFirstMod + kMods;

const char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

class Rng {
 public:
  explicit Rng(uint64_t seed) : s_(seed * 0x9E3779B97F4A7C15ull + 0x1234567ull) {}
  uint64_t Next() {  // splitmix64
    uint64_t z = (s_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  uint64_t Below(uint64_t n) { return n == 0 ? 0 : Next() % n; }
  bool Chance(int percent) { return static_cast<int>(Below(100)) < percent; }

 private:
  uint64_t s_;
};

std::string UserTag(uint32_t u) {
  if (u == kCreator) return "creator";
  if (u == kAdmin) return "admin";
  std::string s = u < kFirstRegular ? "mod" : "u";
  s += std::to_string(u < kFirstRegular ? u - kFirstMod : u);
  return s;
}

std::string UserServer(uint32_t u) {
  if (u < kFirstRegular) return "hq.example.org";
  std::string s = "s";
  s += std::to_string(u % 97);
  s += ".example.net";
  return s;
}

std::string UserId(uint32_t u) {
  std::string s = "@";
  s += UserTag(u);
  s += ':';
  s += UserServer(u);
  return s;
}

class Builder {
 public:
  explicit Builder(const RoomShape& shape) : shape_(shape), rng_(shape.seed) {
    room_.rules = FindRoomVersion(shape.room_version);
    if (room_.rules == nullptr) {
      std::fprintf(stderr, "room_shapes: unknown room version %s\n", shape.room_version.c_str());
      std::abort();
    }
    v12_ = room_.rules->auth.create_event_implied;
  }

  Room Run();

 private:
  // Appends an event; returns its index.
  uint32_t Add(const char* type, uint32_t sender, const std::string& state_key, Json content,
               const std::vector<uint32_t>& auth, uint32_t prev, const char* what,
               const std::string& who);
  Json RandomB64(size_t n) {
    std::string s(n, 'A');
    uint64_t x = rng_.Next();
    for (size_t i = 0; i < n; ++i) {
      if (i % 10 == 0) x = rng_.Next();
      s[i] = kB64[x & 63];
      x >>= 6;
    }
    return Json(std::move(s));
  }
  Json PowerLevelsContent(uint32_t vip, int64_t vip_level);
  Json Membership(const char* membership, uint32_t user, int variant) {
    Json::Object m = {{"membership", Json(membership)}};
    if (std::string_view(membership) == "join") {
      m.emplace_back("displayname", Json(UserTag(user) + (variant ? " (" + std::to_string(variant) + ")" : "")));
      m.emplace_back("avatar_url", Json("mxc://" + UserServer(user) + "/avatar" + std::to_string(user)));
    }
    return Json::MakeObject(std::move(m));
  }
  void BuildBase(size_t base_target);
  void BuildForks();

  // Auth event lists ("create" omitted in v12: it is implied by room_id).
  std::vector<uint32_t> AuthOf(std::initializer_list<uint32_t> list) {
    std::vector<uint32_t> out;
    for (uint32_t a : list) {
      if (a == kNone) continue;
      if (v12_ && a == create_) continue;
      out.push_back(a);
    }
    return out;
  }

  const RoomShape& shape_;
  Rng rng_;
  Room room_;
  bool v12_ = false;
  std::vector<int64_t> depth_;
  std::vector<uint32_t> chain_len_;  // membership events per user so far (base)
  uint32_t create_ = kNone, jr_ = kNone, pl_ = kNone, topic_ = kNone, last_ = kNone;
  std::vector<uint32_t> member_;     // base membership event per user
  std::vector<uint8_t> joined_;      // base: currently joined
  uint32_t next_user_ = kFirstRegular;
  size_t pl_count_ = 0;
};

Json Builder::PowerLevelsContent(uint32_t vip, int64_t vip_level) {
  Json::Object users;
  if (!v12_) users.emplace_back(UserId(kCreator), Json(100));
  users.emplace_back(UserId(kAdmin), Json(100));
  for (uint32_t m = 0; m < kMods; ++m) users.emplace_back(UserId(kFirstMod + m), Json(50));
  if (vip != kNone) users.emplace_back(UserId(vip), Json(vip_level));
  Json events = Json::MakeObject({{"m.room.avatar", Json(50)},
                                  {"m.room.canonical_alias", Json(50)},
                                  {"m.room.history_visibility", Json(100)},
                                  {"m.room.name", Json(50)},
                                  {"m.room.power_levels", Json(100)},
                                  {"m.room.server_acl", Json(100)},
                                  {"m.room.tombstone", Json(100)},
                                  {"m.room.topic", Json(50)}});
  return Json::MakeObject({{"ban", Json(50)},
                           {"events", std::move(events)},
                           {"events_default", Json(0)},
                           {"invite", Json(0)},
                           {"kick", Json(50)},
                           {"redact", Json(50)},
                           {"state_default", Json(50)},
                           {"users", Json::MakeObject(std::move(users))},
                           {"users_default", Json(0)}});
}

uint32_t Builder::Add(const char* type, uint32_t sender, const std::string& state_key,
                      Json content, const std::vector<uint32_t>& auth, uint32_t prev,
                      const char* what, const std::string& who) {
  const uint32_t index = static_cast<uint32_t>(room_.events.size());
  std::string id = "$" + std::to_string(index) + "." + what + "." + who;
  if (index == 0 && v12_) id = "$" + room_.room_id.substr(1);
  Json::Array auth_ids, prev_ids;
  for (uint32_t a : auth) auth_ids.emplace_back(room_.ids[a]);
  int64_t depth = 1;
  if (prev != kNone) {
    prev_ids.emplace_back(room_.ids[prev]);
    depth = depth_[prev] + 1;
  }
  const std::string server = UserServer(sender);
  Json::Object m;
  m.reserve(13);
  m.emplace_back("auth_events", Json(std::move(auth_ids)));
  m.emplace_back("content", std::move(content));
  m.emplace_back("depth", Json(depth));
  m.emplace_back("event_id", Json(id));
  m.emplace_back("hashes", Json::MakeObject({{"sha256", RandomB64(43)}}));
  m.emplace_back("origin", Json(server));
  m.emplace_back("origin_server_ts", Json(kBaseTs + static_cast<int64_t>(index) * 137));
  m.emplace_back("prev_events", Json(std::move(prev_ids)));
  if (!(v12_ && index == 0)) m.emplace_back("room_id", Json(room_.room_id));
  m.emplace_back("sender", Json(UserId(sender)));
  m.emplace_back("signatures",
                 Json::MakeObject({{server, Json::MakeObject({{"ed25519:a_Xyz1", RandomB64(86)}})}}));
  m.emplace_back("state_key", Json(state_key));
  m.emplace_back("type", Json(type));
  room_.events.push_back(Json::MakeObject(std::move(m)));
  room_.ids.push_back(std::move(id));
  depth_.push_back(depth);
  return index;
}

void Builder::BuildBase(size_t base_target) {
  room_.room_id = v12_ ? "!0.create.s" + std::to_string(shape_.seed)
                       : "!hq" + std::to_string(shape_.seed) + ":hq.example.org";
  Json::Object cc = {{"room_version", Json(shape_.room_version)}};
  if (!room_.rules->auth.creator_is_sender) cc.emplace_back("creator", Json(UserId(kCreator)));
  create_ = Add("m.room.create", kCreator, "", Json::MakeObject(std::move(cc)), {}, kNone,
                "create", "s" + std::to_string(shape_.seed));
  member_.assign(kFirstRegular, kNone);
  joined_.assign(kFirstRegular, 0);
  chain_len_.assign(kFirstRegular, 0);
  auto join = [&](uint32_t u) {
    if (u >= member_.size()) {
      member_.resize(u + 1, kNone);
      joined_.resize(u + 1, 0);
      chain_len_.resize(u + 1, 0);
    }
    std::vector<uint32_t> auth =
        u == kCreator ? AuthOf({create_}) : AuthOf({create_, pl_, jr_, member_[u]});
    member_[u] = last_ = Add("m.room.member", u, UserId(u),
                             Membership("join", u, static_cast<int>(chain_len_[u] / 2)), auth,
                             last_, "join", UserTag(u));
    joined_[u] = 1;
    ++chain_len_[u];
  };
  last_ = create_;
  join(kCreator);
  pl_ = last_ = Add("m.room.power_levels", kCreator, "", PowerLevelsContent(kNone, 0),
                    AuthOf({create_, member_[kCreator]}), last_, "pl", "0");
  ++pl_count_;
  jr_ = last_ = Add("m.room.join_rules", kCreator, "",
                    Json::MakeObject({{"join_rule", Json("public")}}),
                    AuthOf({create_, pl_, member_[kCreator]}), last_, "join_rules", "public");
  for (uint32_t u = kAdmin; u < kFirstRegular; ++u) join(u);

  const size_t remaining = base_target > room_.events.size() ? base_target - room_.events.size() : 0;
  const size_t churn_users =
      shape_.churn_users ? shape_.churn_users : std::max<size_t>(4, shape_.total_events / 2000);
  size_t churn_events = 2 * churn_users * shape_.churn_depth;
  if (churn_events > remaining / 3) churn_events = remaining / 3;
  const size_t pl_changes =
      shape_.pl_changes ? shape_.pl_changes : 5 + shape_.total_events / 20000;
  const size_t topics = 3 + remaining / 5000;
  const size_t pl_every = std::max<size_t>(1, remaining / (pl_changes + 1));
  const size_t topic_every = std::max<size_t>(1, remaining / (topics + 1));
  const size_t churn_every = churn_events ? std::max<size_t>(1, remaining / (churn_events + 1)) : 0;
  // Churn users: the first regular users (they join first).
  std::vector<uint32_t> churners;
  size_t churn_step = 0;
  for (size_t step = 1; room_.events.size() < base_target; ++step) {
    if (step % pl_every == 0 && pl_count_ < pl_changes + 1) {
      uint32_t vip = kFirstRegular + static_cast<uint32_t>(rng_.Below(next_user_ - kFirstRegular + 1));
      pl_ = last_ = Add("m.room.power_levels", kAdmin, "",
                        PowerLevelsContent(vip, 10 + static_cast<int64_t>(pl_count_ % 30)),
                        AuthOf({create_, pl_, member_[kAdmin]}), last_, "pl",
                        std::to_string(pl_count_));
      ++pl_count_;
      continue;
    }
    if (step % topic_every == 0) {
      uint32_t mod = kFirstMod + static_cast<uint32_t>(rng_.Below(kMods));
      topic_ = last_ = Add("m.room.topic", mod, "",
                           Json::MakeObject({{"topic", Json("Welcome! Rules v" + std::to_string(step) +
                                                            ": be kind, no spam.")}}),
                           AuthOf({create_, pl_, member_[mod]}), last_, "topic", UserTag(mod));
      continue;
    }
    if (churn_every && step % churn_every == 0 && churn_step < churn_events &&
        next_user_ > kFirstRegular + churn_users) {
      if (churners.empty()) {
        for (size_t c = 0; c < churn_users; ++c) churners.push_back(kFirstRegular + static_cast<uint32_t>(c));
      }
      uint32_t u = churners[churn_step % churners.size()];
      ++churn_step;
      if (joined_[u]) {
        member_[u] = last_ = Add("m.room.member", u, UserId(u), Membership("leave", u, 0),
                                 AuthOf({create_, pl_, member_[u]}), last_, "leave", UserTag(u));
        joined_[u] = 0;
        ++chain_len_[u];
      } else {
        join(u);
      }
      continue;
    }
    join(next_user_++);
  }
  room_.stats.base_events = room_.events.size();
  room_.stats.mainline_length = pl_count_;
}

void Builder::BuildForks() {
  const int k = std::max(2, shape_.state_sets);
  const size_t C = std::max<size_t>(shape_.conflicted_keys, 2);
  // Fork state: the last event, the current PL, overrides per user.
  struct Fork {
    uint32_t last, pl, topic;
    std::unordered_map<uint32_t, uint32_t> member;
    std::unordered_map<uint32_t, uint8_t> joined;
  };
  std::vector<Fork> forks(k, Fork{last_, pl_, topic_, {}, {}});
  auto member_of = [&](Fork& f, uint32_t u) {
    auto it = f.member.find(u);
    return it != f.member.end() ? it->second : (u < member_.size() ? member_[u] : kNone);
  };
  auto joined_in = [&](Fork& f, uint32_t u) -> bool {
    auto it = f.joined.find(u);
    return it != f.joined.end() ? it->second : (u < joined_.size() && joined_[u]);
  };
  auto member_event = [&](Fork& f, uint32_t sender, uint32_t target, const char* membership,
                          const char* what, int variant) {
    std::vector<uint32_t> auth;
    if (std::string_view(membership) == "join") {
      auth = AuthOf({create_, f.pl, jr_, member_of(f, target)});
    } else if (sender == target) {
      auth = AuthOf({create_, f.pl, member_of(f, target)});
    } else {
      auth = AuthOf({create_, f.pl, member_of(f, sender), member_of(f, target)});
    }
    uint32_t e = Add("m.room.member", sender, UserId(target), Membership(membership, target, variant),
                     auth, f.last, what, UserTag(target));
    f.last = f.member[target] = e;
    f.joined[target] = std::string_view(membership) == "join";
  };
  // PL and topic edits per fork (2 of the C keys).
  const size_t member_keys = C - 2;
  const size_t pl_edits = std::clamp<size_t>(C / 200, 1, 50);
  const size_t topic_edits = std::clamp<size_t>(C / 500, 1, 20);
  // Candidate existing users: joined regular users, shuffled.
  std::vector<uint32_t> candidates;
  for (uint32_t u = kFirstRegular; u < next_user_; ++u) {
    if (joined_[u]) candidates.push_back(u);
  }
  for (size_t i = candidates.size(); i > 1; --i) {
    std::swap(candidates[i - 1], candidates[rng_.Below(i)]);
  }
  size_t next_candidate = 0;
  std::vector<int> order(k);
  const size_t churn_target = shape_.fork_churn ? kFirstRegular : kNone;
  if (shape_.fork_churn) {
    // The dedicated fork-churn user is the first regular user: keep it out
    // of the other conflicted keys.
    candidates.erase(std::remove(candidates.begin(), candidates.end(), kFirstRegular),
                     candidates.end());
  }
  auto edit_pl = [&](int fi, size_t n) {
    Fork& f = forks[fi];
    uint32_t vip = kFirstRegular + static_cast<uint32_t>(rng_.Below(next_user_ - kFirstRegular));
    f.pl = f.last = Add("m.room.power_levels", kAdmin, "",
                        PowerLevelsContent(vip, 20 + fi), AuthOf({create_, f.pl, member_of(f, kAdmin)}),
                        f.last, "pl", "f" + std::to_string(fi) + "." + std::to_string(n));
  };
  auto edit_topic = [&](int fi, size_t n) {
    Fork& f = forks[fi];
    uint32_t mod = kFirstMod + static_cast<uint32_t>(rng_.Below(kMods));
    f.topic = f.last = Add("m.room.topic", mod, "",
                           Json::MakeObject({{"topic", Json("fork " + std::to_string(fi) + " topic " +
                                                            std::to_string(n))}}),
                           AuthOf({create_, f.pl, member_of(f, mod)}), f.last, "topic",
                           UserTag(mod));
  };
  const size_t pl_every = std::max<size_t>(1, member_keys / pl_edits);
  const size_t topic_every = std::max<size_t>(1, member_keys / topic_edits);
  size_t pl_n = 0, topic_n = 0;
  for (size_t j = 0; j < member_keys || pl_n < pl_edits || topic_n < topic_edits; ++j) {
    if (j % pl_every == 0 && pl_n < pl_edits) {
      for (int fi = 0; fi < k; ++fi) edit_pl(fi, pl_n);
      ++pl_n;
    }
    if (j % topic_every == 0 && topic_n < topic_edits) {
      for (int fi = 0; fi < k; ++fi) edit_topic(fi, topic_n);
      ++topic_n;
    }
    if (j >= member_keys) continue;
    // Which forks touch this key.
    for (int i = 0; i < k; ++i) order[i] = i;
    size_t touch;
    if (k == 2) {
      touch = rng_.Chance(65) ? 2 : 1;
    } else {
      touch = 1 + rng_.Below(3);
    }
    for (size_t i = 0; i < touch; ++i) std::swap(order[i], order[i + rng_.Below(k - i)]);
    const bool fresh = rng_.Chance(20) || next_candidate >= candidates.size();
    if (fresh) {
      uint32_t u = next_user_++;
      for (size_t i = 0; i < touch; ++i) member_event(forks[order[i]], u, u, "join", "join", order[i]);
      continue;
    }
    uint32_t u = candidates[next_candidate++];
    for (size_t i = 0; i < touch; ++i) {
      Fork& f = forks[order[i]];
      uint32_t mod = kFirstMod + static_cast<uint32_t>(rng_.Below(kMods));
      int r = static_cast<int>(rng_.Below(100));
      if (r < 30) {
        member_event(f, u, u, "leave", "leave", 0);
      } else if (r < 50) {
        member_event(f, mod, u, "leave", "kick", 0);
      } else if (r < 60) {
        member_event(f, mod, u, "ban", "ban", 0);
      } else if (r < 85) {
        member_event(f, u, u, "leave", "leave", 0);
        member_event(f, u, u, "join", "rejoin", order[i] + 1);
      } else {
        member_event(f, u, u, "join", "profile", order[i] + 100);
      }
    }
  }
  // Fork churn: one user leaving and rejoining in every fork.
  if (shape_.fork_churn) {
    for (size_t c = 0; c < shape_.fork_churn; ++c) {
      for (int fi = 0; fi < k; ++fi) {
        Fork& f = forks[fi];
        uint32_t u = static_cast<uint32_t>(churn_target);
        if (joined_in(f, u)) {
          member_event(f, u, u, "leave", "leave", 0);
        }
        member_event(f, u, u, "join", "rejoin", static_cast<int>(c + 1));
      }
    }
  }
  room_.stats.fork_events = room_.events.size() - room_.stats.base_events;

  // State sets: the base state plus each fork's changes.
  StateMap base;
  auto id = [&](uint32_t e) { return room_.ids[e]; };
  base.emplace(StateKey{"m.room.create", ""}, id(create_));
  base.emplace(StateKey{"m.room.power_levels", ""}, id(pl_));
  base.emplace(StateKey{"m.room.join_rules", ""}, id(jr_));
  if (topic_ != kNone) base.emplace(StateKey{"m.room.topic", ""}, id(topic_));
  for (uint32_t u = 0; u < member_.size(); ++u) {
    if (member_[u] != kNone) base.emplace(StateKey{"m.room.member", UserId(u)}, id(member_[u]));
  }
  std::unordered_set<uint32_t> touched_users;
  for (const Fork& f : forks) {
    for (auto [u, e] : f.member) touched_users.insert(u);
  }
  room_.state_sets.reserve(k);
  for (int fi = 0; fi < k; ++fi) {
    StateMap s = base;
    s[StateKey{"m.room.power_levels", ""}] = id(forks[fi].pl);
    if (forks[fi].topic != kNone) s[StateKey{"m.room.topic", ""}] = id(forks[fi].topic);
    for (auto [u, e] : forks[fi].member) s[StateKey{"m.room.member", UserId(u)}] = id(e);
    room_.state_sets.push_back(std::move(s));
  }
  // Measured conflicted keys (only touched keys can differ).
  std::vector<StateKey> keys = {{"m.room.power_levels", ""}, {"m.room.topic", ""}};
  for (uint32_t u : touched_users) keys.push_back(StateKey{"m.room.member", UserId(u)});
  size_t conflicted = 0;
  for (const StateKey& key : keys) {
    const std::string* first = nullptr;
    bool differs = false;
    for (int fi = 0; fi < k; ++fi) {
      auto it = room_.state_sets[fi].find(key);
      const std::string* v = it == room_.state_sets[fi].end() ? nullptr : &it->second;
      if (fi == 0) {
        first = v;
      } else if ((v == nullptr) != (first == nullptr) || (v && *v != *first)) {
        differs = true;
      }
    }
    conflicted += differs;
  }
  room_.stats.conflicted_keys = conflicted;
  room_.stats.state_size = room_.state_sets[0].size();
  room_.stats.members = next_user_;
  size_t max_chain = 0;
  for (uint32_t c : chain_len_) max_chain = std::max<size_t>(max_chain, c);
  room_.stats.max_membership_chain = max_chain;
}

Room Builder::Run() {
  const int k = std::max(2, shape_.state_sets);
  const size_t C = std::max<size_t>(shape_.conflicted_keys, 2);
  // Expected fork events: touched forks per key x events per action (1.25)
  // x 0.8 existing users + 0.2 fresh joins; plus PL/topic edits and churn.
  const double touch = k == 2 ? 1.65 : std::min(2.0, static_cast<double>(k));
  const double expected = C * touch * (0.8 * 1.25 + 0.2) +
                          k * (std::clamp<size_t>(C / 200, 1, 50) + std::clamp<size_t>(C / 500, 1, 20)) +
                          2.0 * k * shape_.fork_churn;
  const size_t base_target = shape_.total_events > expected + 100
                                 ? shape_.total_events - static_cast<size_t>(expected)
                                 : 100;
  room_.events.reserve(shape_.total_events + shape_.total_events / 20);
  room_.ids.reserve(shape_.total_events + shape_.total_events / 20);
  depth_.reserve(shape_.total_events + shape_.total_events / 20);
  BuildBase(base_target);
  BuildForks();
  room_.stats.events = room_.events.size();
  return std::move(room_);
}

}  // namespace

Room GenerateRoom(const RoomShape& shape) { return Builder(shape).Run(); }

const Json* RoomSource::Find(std::string_view event_id) const {
  if (event_id.size() < 2 || event_id[0] != '$') return nullptr;
  size_t index = 0, i = 1;
  for (; i < event_id.size() && event_id[i] >= '0' && event_id[i] <= '9'; ++i) {
    index = index * 10 + static_cast<size_t>(event_id[i] - '0');
    if (index > events_->size()) return nullptr;
  }
  if (i == 1 || index >= events_->size() || (*ids_)[index] != event_id) return nullptr;
  return &(*events_)[index];
}

std::vector<std::string> SerialiseEvents(const Room& room) {
  std::vector<std::string> out;
  out.reserve(room.events.size());
  for (const Json& e : room.events) {
    std::string s;
    s.reserve(768);
    AppendCanonicalJson(e, &s);
    out.push_back(std::move(s));
  }
  return out;
}

std::string DescribeShape(const RoomShape& s) {
  return "v" + s.room_version + " events=" + std::to_string(s.total_events) +
         " sets=" + std::to_string(s.state_sets) + " conflicted=" + std::to_string(s.conflicted_keys) +
         " churn_depth=" + std::to_string(s.churn_depth) + " fork_churn=" + std::to_string(s.fork_churn) +
         " seed=" + std::to_string(s.seed);
}

std::string DescribeStats(const RoomStats& s) {
  return "events=" + std::to_string(s.events) + " (base " + std::to_string(s.base_events) +
         ", forks " + std::to_string(s.fork_events) + ") users=" + std::to_string(s.members) +
         " state=" + std::to_string(s.state_size) + " conflicted_keys=" +
         std::to_string(s.conflicted_keys) + " max_membership_chain=" +
         std::to_string(s.max_membership_chain) + " mainline=" + std::to_string(s.mainline_length);
}

}  // namespace mxstate::bench

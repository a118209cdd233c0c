// Seeded random forked rooms; see room_generator.h.
#include "room_generator.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "mxstate/auth.h"
#include "state_res_reference.h"

namespace mxstate::testing {
namespace {

const std::vector<std::string>& Users() {
  static const std::vector<std::string> u = {
      "@alice:a.example", "@bob:b.example",  "@carol:c.example",
      "@dave:a.example",  "@erin:d.example", "@frank:b.example"};
  return u;
}

constexpr int64_t kBaseTs = 1'700'000'000'000;

std::string Str(const Json* j) { return j && j->is_string() ? j->as_string() : std::string(); }

class Builder {
 public:
  Builder(uint64_t seed, const RoomVersionRules& rules) : rng_(seed), rules_(rules) {
    room_.rules = &rules;
  }

  GeneratedRoom Run(const GeneratorOptions& options) {
    SetUp();
    for (int step = 0; step < options.steps; ++step) Step();
    return std::move(room_);
  }

 private:
  uint64_t Rand(uint64_t n) { return n == 0 ? 0 : rng_() % n; }
  bool Chance(int percent) { return static_cast<int>(Rand(100)) < percent; }

  Json Ref(const std::string& id) const {
    if (rules_.event_refs_with_hashes) {
      return Json(Json::Array{Json(id), Json::MakeObject({{"sha256", Json("x")}})});
    }
    return Json(id);
  }

  std::string MembershipIn(const StateMap& s, const std::string& user) const {
    auto it = s.find(StateKey{"m.room.member", user});
    if (it == s.end()) return "none";
    const Json& e = room_.events.at(it->second);
    return Str(e.Find("content") ? e.Find("content")->Find("membership") : nullptr);
  }

  const Json* Current(const StateMap& s, const std::string& type) const {
    auto it = s.find(StateKey{type, ""});
    if (it == s.end()) return nullptr;
    return &room_.events.at(it->second);
  }

  // Adds an event with the given prev_events; computes its auth_events from
  // the state before it, checks it, records the state after it.
  std::string Add(const std::string& type, const std::string* state_key, const std::string& sender,
                  Json content, const std::vector<std::string>& prevs, const StateMap& before,
                  std::string id = {}) {
    if (id.empty()) id = "$e" + std::to_string(next_id_++);
    Json ev = Json::EmptyObject();
    ev.Set("type", Json(type));
    if (state_key) ev.Set("state_key", Json(*state_key));
    ev.Set("sender", Json(sender));
    ev.Set("content", std::move(content));
    ev.Set("event_id", Json(id));
    bool is_create = type == "m.room.create";
    if (!(is_create && rules_.room_id_format == RoomIdFormat::kCreateEventHash)) {
      ev.Set("room_id", Json(room_.room_id));
    }
    int64_t depth = 0;
    Json::Array prev_refs;
    for (const std::string& p : prevs) {
      depth = std::max(depth, room_.events.at(p).Find("depth")->as_integer());
      prev_refs.push_back(Ref(p));
    }
    depth += 1;
    ev.Set("depth", Json(depth));
    ev.Set("prev_events", Json(std::move(prev_refs)));
    // Timestamps collide often (to exercise the event_id tie-break) and
    // sometimes go backwards.
    int64_t ts = kBaseTs + depth * 100 + static_cast<int64_t>(Rand(3)) * 10;
    if (Chance(10)) ts = kBaseTs + static_cast<int64_t>(Rand(static_cast<uint64_t>(depth) * 100));
    ev.Set("origin_server_ts", Json(ts));
    ev.Set("hashes", Json::MakeObject({{"sha256", Json("x")}}));
    ev.Set("signatures", Json::EmptyObject());
    // auth_events by the auth events selection over the state before.
    Json::Array auth_refs;
    std::vector<AuthEvent> auth_events;
    // Usually the state before the event; sometimes (stale_) an older
    // state, as a server with an out-of-date view would cite: such an event
    // is judged on its auth events only and applied to the branch anyway.
    const StateMap& auth_from = stale_ != nullptr ? *stale_ : before;
    for (const StateKey& k : AuthEventSelection(ev, rules_)) {
      auto it = auth_from.find(k);
      if (it == auth_from.end()) continue;
      auth_refs.push_back(Ref(it->second));
      auth_events.push_back(AuthEvent{&room_.events.at(it->second), it->second, false});
    }
    ev.Set("auth_events", Json(std::move(auth_refs)));
    if (rules_.auth.create_event_implied && !is_create) {
      auth_events.push_back(AuthEvent{&room_.events.at(create_id_), create_id_, false});
    }
    AuthDecision d = AuthorizeWithAuthEvents(ev, auth_events, rules_);
    room_.events.emplace(id, std::move(ev));
    room_.order.push_back(id);
    StateMap after = before;
    if (!d.allowed) {
      if (std::getenv("MXSTATE_GEN_DEBUG")) {
        std::fprintf(stderr, "%s rejected: %s\n", id.c_str(), d.error.ToString().c_str());
      }
      room_.rejected.insert(id);
    } else if (state_key) {
      after[StateKey{type, *state_key}] = id;
    }
    room_.state_after[id] = std::move(after);
    for (const std::string& p : prevs) extremities_.erase(p);
    extremities_.insert(id);
    return id;
  }

  void SetUp() {
    const std::string& alice = Users()[0];
    std::string empty;
    Json create_content = Json::MakeObject({{"room_version", Json(rules_.id)}});
    if (rules_.auth.create_requires_creator) create_content.Set("creator", Json(alice));
    if (rules_.auth.privileged_creators && Chance(50)) {
      create_content.Set("additional_creators", Json(Json::Array{Json(Users()[1])}));
      creators_.insert(Users()[1]);
    }
    creators_.insert(alice);
    if (rules_.room_id_format == RoomIdFormat::kCreateEventHash) {
      // A hash-looking create ID (43 URL-safe base64 characters).
      static const char kAlphabet[] =
          "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
      std::string h = "$";
      for (int i = 0; i < 43; ++i) h += kAlphabet[Rand(64)];
      create_id_ = h;
      room_.room_id = "!" + h.substr(1);
    } else {
      create_id_ = "$e0";
      room_.room_id = "!room:a.example";
    }
    next_id_ = 1;
    std::string c = Add("m.room.create", &empty, alice, create_content, {}, {}, create_id_);
    std::string j = Add("m.room.member", &alice, alice,
                        Json::MakeObject({{"membership", Json("join")}}), {c},
                        room_.state_after[c]);
    Json users = Json::EmptyObject();
    if (!rules_.auth.privileged_creators) users.Set(alice, Json(100));
    if (!creators_.count(Users()[1])) users.Set(Users()[1], Json(50));
    Json pl = Json::MakeObject({{"ban", Json(50)},
                                {"events", Json::EmptyObject()},
                                {"events_default", Json(0)},
                                {"invite", Json(0)},
                                {"kick", Json(50)},
                                {"redact", Json(50)},
                                {"state_default", Json(50)},
                                {"users", users},
                                {"users_default", Json(0)}});
    std::string p = Add("m.room.power_levels", &empty, alice, pl, {j}, room_.state_after[j]);
    std::string r = Add("m.room.join_rules", &empty, alice,
                        Json::MakeObject({{"join_rule", Json("public")}}), {p},
                        room_.state_after[p]);
    // Bob, carol, dave and erin join, so that there is someone to act.
    std::string last = r;
    for (size_t i = 1; i <= 4; ++i) {
      last = Add("m.room.member", &Users()[i], Users()[i],
                 Json::MakeObject({{"membership", Json("join")}}), {last},
                 room_.state_after[last]);
    }
  }

  std::vector<std::string> PickPrevs() {
    std::vector<std::string> prevs;
    const size_t n = room_.order.size();
    if (Chance(30) || extremities_.empty()) {
      // Fork: build on a recent event, even one that already has children.
      size_t back = std::min<size_t>(n, 6);
      prevs.push_back(room_.order[n - 1 - Rand(back)]);
      return prevs;
    }
    // Extend or merge among the forward extremities, recent ones first.
    std::vector<std::string> ext(extremities_.begin(), extremities_.end());
    std::sort(ext.begin(), ext.end(), [&](const std::string& a, const std::string& b) {
      return std::find(room_.order.begin(), room_.order.end(), a) >
             std::find(room_.order.begin(), room_.order.end(), b);
    });
    if (ext.size() > 6) ext.resize(6);
    size_t k = Chance(55) ? 1 : (Chance(70) ? 2 : 3);
    if (ext.size() > 3 && k == 1 && Chance(50)) k = 2;
    k = std::min(k, ext.size());
    std::shuffle(ext.begin(), ext.end(), rng_);
    prevs.assign(ext.begin(), ext.begin() + static_cast<long>(k));
    return prevs;
  }

  StateMap StateBefore(const std::vector<std::string>& prevs) {
    if (prevs.size() == 1) return room_.state_after.at(prevs[0]);
    std::vector<StateMap> sets;
    for (const std::string& p : prevs) sets.push_back(room_.state_after.at(p));
    GeneratedRoomSource source(room_);
    return reference::ReferenceResolve(sets, source, rules_);
  }

  std::string PickUser(const StateMap& s, const std::string& membership, int percent) {
    std::vector<std::string> matching;
    for (const std::string& u : Users()) {
      if (MembershipIn(s, u) == membership) matching.push_back(u);
    }
    if (!matching.empty() && Chance(percent)) return matching[Rand(matching.size())];
    return Users()[Rand(Users().size())];
  }

  // A user other than `not_this` (when possible) with the membership.
  std::string PickOther(const StateMap& s, const std::string& membership, int percent,
                        const std::string& not_this) {
    for (int i = 0; i < 8; ++i) {
      std::string u = PickUser(s, membership, percent);
      if (u != not_this) return u;
    }
    return PickUser(s, membership, percent);
  }

  void Step() {
    std::vector<std::string> prevs = PickPrevs();
    StateMap before = StateBefore(prevs);
    stale_ = nullptr;
    if (Chance(8)) {
      const std::string& old = room_.order[Rand(room_.order.size())];
      if (!room_.rejected.count(old)) stale_ = &room_.state_after.at(old);
    }
    // The sender: mostly a joined user; sometimes anyone (likely invalid).
    std::string sender = PickUser(before, "join", 85);
    std::string empty;
    int action = static_cast<int>(Rand(100));
    auto member = [&](const std::string& target, const char* membership) {
      Add("m.room.member", &target, sender, Json::MakeObject({{"membership", Json(membership)}}),
          prevs, before);
    };
    if (action < 14) {  // someone joins (themselves)
      std::string user = Chance(70) ? PickUser(before, "none", 60) : PickUser(before, "leave", 60);
      if (Chance(30)) user = PickUser(before, "invite", 80);
      sender = user;
      member(user, "join");
    } else if (action < 22) {  // leave
      sender = PickOther(before, "join", 90, Chance(90) ? Users()[0] : std::string());
      member(sender, "leave");
    } else if (action < 30) {  // invite
      member(PickOther(before, Chance(50) ? "none" : "leave", 70, sender), "invite");
    } else if (action < 40) {  // kick
      member(PickOther(before, "join", 85, sender), "leave");
    } else if (action < 47) {  // ban
      member(PickOther(before, Chance(50) ? "join" : "none", 85, sender), "ban");
    } else if (action < 51) {  // unban
      member(PickOther(before, "ban", 90, sender), "leave");
    } else if (action < 68) {  // power levels: raise or lower someone
      const Json* cur = Current(before, "m.room.power_levels");
      Json pl = cur ? *cur->Find("content") : Json::EmptyObject();
      Json users = pl.Find("users") ? *pl.Find("users") : Json::EmptyObject();
      std::string target = Users()[Rand(Users().size())];
      static const int kLevels[] = {0, 25, 50, 75, 100};
      if (Chance(15)) {
        users.Erase(target);
      } else if (rules_.auth.string_power_levels && Chance(20)) {
        users.Set(target, Json(std::to_string(kLevels[Rand(5)])));  // "50": v1-9 accept
      } else {
        users.Set(target, Json(kLevels[Rand(5)]));
      }
      // v12: creators may not be listed (now and then they are: invalid).
      if (rules_.auth.privileged_creators && Chance(95)) {
        for (const std::string& c : creators_) users.Erase(c);
      }
      pl.Set("users", users);
      if (Chance(20)) pl.Set(Chance(50) ? "kick" : "ban", Json(kLevels[1 + Rand(4)]));
      Add("m.room.power_levels", &empty, sender, pl, prevs, before);
    } else if (action < 76) {  // join rules
      Add("m.room.join_rules", &empty, sender,
          Json::MakeObject({{"join_rule", Json(Chance(50) ? "invite" : "public")}}), prevs,
          before);
    } else if (action < 86) {  // topic or name
      bool topic = Chance(60);
      std::string text = (topic ? "topic " : "name ") + std::to_string(next_id_);
      Add(topic ? "m.room.topic" : "m.room.name", &empty, sender,
          Json::MakeObject({{topic ? "topic" : "name", Json(text)}}), prevs, before);
    } else {  // a message
      Add("m.room.message", nullptr, sender,
          Json::MakeObject({{"body", Json("hello " + std::to_string(next_id_))},
                            {"msgtype", Json("m.text")}}),
          prevs, before);
    }
  }

  std::mt19937_64 rng_;
  const RoomVersionRules& rules_;
  GeneratedRoom room_;
  std::string create_id_;
  int next_id_ = 1;
  std::set<std::string> extremities_;
  const StateMap* stale_ = nullptr;  // cite auth events from this state
  std::set<std::string> creators_;    // v12 creators (never in PL users)
};

std::string RefText(const Json& list) {
  std::string out;
  if (!list.is_array()) return out;
  for (const Json& item : list.as_array()) {
    const Json* id = item.is_array() && !item.as_array().empty() ? &item.as_array()[0] : &item;
    if (!out.empty()) out += ",";
    out += Str(id);
  }
  return out;
}

std::string EventLine(const std::string& id, const Json& e, bool rejected) {
  std::ostringstream o;
  o << id << " " << Str(e.Find("type"));
  if (const std::string* k = e.FindString("state_key")) o << "[" << *k << "]";
  o << " by " << Str(e.Find("sender"));
  if (const Json* c = e.Find("content")) {
    if (const std::string* m = c->FindString("membership")) o << " " << *m;
    if (const std::string* m = c->FindString("join_rule")) o << " " << *m;
    if (const Json* extra = c->Find("additional_creators")) o << " +" << extra->size() << " creators";
    if (const Json* u = c->Find("users")) {
      o << " users{";
      bool first = true;
      for (const auto& [k, v] : u->as_object()) {
        o << (first ? "" : ",") << k.substr(0, k.find(':')) << "=";
        if (v.is_integer()) {
          o << v.as_integer();
        } else {
          o << '"' << Str(&v) << '"';
        }
        first = false;
      }
      o << "}";
      if (const Json* kick = c->Find("kick")) o << " kick=" << (kick->is_integer() ? kick->as_integer() : -1);
      if (const Json* ban = c->Find("ban")) o << " ban=" << (ban->is_integer() ? ban->as_integer() : -1);
    }
  }
  o << " depth=" << (e.Find("depth") ? e.Find("depth")->as_integer() : 0)
    << " ts=" << (e.Find("origin_server_ts") ? e.Find("origin_server_ts")->as_integer() - kBaseTs : 0)
    << " prev=[" << RefText(e.Find("prev_events") ? *e.Find("prev_events") : Json()) << "]"
    << " auth=[" << RefText(e.Find("auth_events") ? *e.Find("auth_events") : Json()) << "]";
  if (rejected) o << " REJECTED";
  return o.str();
}

}  // namespace

GeneratedRoom GenerateRoom(uint64_t seed, const RoomVersionRules& rules,
                           const GeneratorOptions& options) {
  return Builder(seed, rules).Run(options);
}

std::vector<StateMap> GeneratedRoom::PickStateSets(std::mt19937_64& rng,
                                                   std::vector<std::string>* points) const {
  size_t count = 2 + rng() % 3;
  size_t n = order.size();
  size_t from = std::min<size_t>(n - 1, std::max<size_t>(4, n / 3));
  std::vector<std::string> chosen;
  for (int attempt = 0; attempt < 100 && chosen.size() < count; ++attempt) {
    const std::string& id = order[from + rng() % (n - from)];
    if (std::find(chosen.begin(), chosen.end(), id) == chosen.end()) chosen.push_back(id);
  }
  std::vector<StateMap> sets;
  for (const std::string& id : chosen) sets.push_back(state_after.at(id));
  if (points) *points = chosen;
  return sets;
}

std::string GeneratedRoom::Describe() const {
  std::string out = "room " + room_id + " (version " + std::string(rules->id) + ")\n";
  for (const std::string& id : order) {
    out += "  " + EventLine(id, events.at(id), rejected.count(id) > 0) + "\n";
  }
  return out;
}

std::string GeneratedRoom::DescribeRelevant(const std::vector<StateMap>& sets) const {
  GeneratedRoomSource source(*this);
  std::set<std::string> relevant;
  for (const StateMap& s : sets) {
    for (const auto& [k, id] : s) {
      relevant.insert(id);
      for (const std::string& a : reference::ReferenceAuthChain(id, source, *rules)) {
        relevant.insert(a);
      }
    }
  }
  std::string out = "room " + room_id + " (version " + std::string(rules->id) +
                    "), events in the state sets and their auth chains:\n";
  for (const std::string& id : order) {
    if (relevant.count(id)) out += "  " + EventLine(id, events.at(id), rejected.count(id) > 0) + "\n";
  }
  return out;
}

std::string StateMapText(const StateMap& m) {
  std::string out;
  for (const auto& [k, id] : m) out += "    " + k.type + "|" + k.state_key + " -> " + id + "\n";
  return out;
}

}  // namespace mxstate::testing

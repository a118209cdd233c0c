// RapidCheck properties:
//  * canonical JSON is idempotent and round-trips through the parser;
//  * redaction is idempotent and never adds keys, in every room version;
//  * sign-then-verify holds, and changing any signed field breaks it
//    (kBadSignature for fields the redaction keeps, kHashMismatch for the rest).
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "mxstate/canonical_json.h"
#include "mxstate/event_hashes.h"
#include "mxstate/redaction.h"
#include "mxstate/room_version.h"
#include "mxstate/server_keys.h"
#include "mxstate/signing.h"
#include "mxstate/verify_event.h"
#include "test_util.h"

namespace mxstate {
namespace {

// ---------------------------------------------------------------------------
// Generators.

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// One code point: mostly ASCII (incl. controls, '"', '\\'), some BMP, some
// astral; never a surrogate.
rc::Gen<uint32_t> GenCodePoint() {
  return rc::gen::weightedOneOf<uint32_t>({
      {6, rc::gen::inRange<uint32_t>(0x20, 0x7F)},
      {2, rc::gen::inRange<uint32_t>(0x00, 0x20)},
      {1, rc::gen::elementOf(std::vector<uint32_t>{'"', '\\', '/', 0x7F})},
      {2, rc::gen::inRange<uint32_t>(0x80, 0xD800)},
      {1, rc::gen::inRange<uint32_t>(0xE000, 0x10000)},
      {2, rc::gen::inRange<uint32_t>(0x10000, 0x110000)},
  });
}

rc::Gen<std::string> GenUnicodeString() {
  return rc::gen::map(rc::gen::container<std::vector<uint32_t>>(GenCodePoint()),
                      [](const std::vector<uint32_t>& cps) {
                        std::string s;
                        for (uint32_t cp : cps) AppendUtf8(cp, &s);
                        return s;
                      });
}

rc::Gen<int64_t> GenCanonicalInt() {
  return rc::gen::weightedOneOf<int64_t>({
      {4, rc::gen::inRange<int64_t>(-1000, 1000)},
      {2, rc::gen::inRange<int64_t>(-kMaxCanonicalInteger, kMaxCanonicalInteger + 1)},
      {1, rc::gen::elementOf(std::vector<int64_t>{kMaxCanonicalInteger, -kMaxCanonicalInteger, 0})},
  });
}

rc::Gen<Json> GenJson(int depth) {
  auto scalar = rc::gen::oneOf(
      rc::gen::just(Json()),
      rc::gen::map(rc::gen::arbitrary<bool>(), [](bool b) { return Json(b); }),
      rc::gen::map(GenCanonicalInt(), [](int64_t i) { return Json(i); }),
      rc::gen::map(GenUnicodeString(), [](std::string s) { return Json(std::move(s)); }));
  if (depth <= 0) return scalar;
  auto array = rc::gen::map(
      rc::gen::resize(8, rc::gen::container<std::vector<Json>>(GenJson(depth - 1))),
      [](std::vector<Json> v) { return Json(Json::Array(std::move(v))); });
  auto object = rc::gen::map(
      rc::gen::resize(8, rc::gen::container<std::vector<std::pair<std::string, Json>>>(
          rc::gen::pair(GenUnicodeString(), GenJson(depth - 1)))),
      [](std::vector<std::pair<std::string, Json>> members) {
        return Json::MakeObject(Json::Object(members.begin(), members.end()));
      });
  return rc::gen::weightedOneOf<Json>({{3, scalar}, {1, array}, {1, object}});
}

rc::Gen<Json> GenJsonValue() {
  return rc::gen::withSize([](int size) { return GenJson(std::min(4, size / 20 + 1)); });
}

const std::vector<std::string> kTopKeys = {
    "event_id", "type", "room_id", "sender", "state_key", "content", "hashes",
    "signatures", "depth", "prev_events", "prev_state", "auth_events", "origin",
    "origin_server_ts", "membership", "unsigned", "redacts", "age_ts", "other"};
const std::vector<std::string> kTypes = {
    "m.room.member", "m.room.create", "m.room.join_rules", "m.room.power_levels",
    "m.room.aliases", "m.room.history_visibility", "m.room.redaction",
    "m.room.message", "m.room.topic"};
const std::vector<std::string> kContentKeys = {
    "membership", "join_authorised_via_users_server", "third_party_invite",
    "creator", "room_version", "join_rule", "allow", "ban", "events",
    "events_default", "kick", "redact", "state_default", "users",
    "users_default", "invite", "notifications", "aliases", "history_visibility",
    "redacts", "body", "signed"};

// A random event-like object: keys drawn from the interesting ones plus
// random values (content and third_party_invite objects get interesting keys).
rc::Gen<Json> GenEventLike() {
  auto content = rc::gen::map(
      rc::gen::container<std::vector<std::pair<std::string, Json>>>(
          rc::gen::pair(rc::gen::elementOf(kContentKeys),
                        rc::gen::oneOf(GenJson(2),
                                       rc::gen::map(rc::gen::container<std::vector<std::pair<std::string, Json>>>(
                                                        rc::gen::pair(rc::gen::elementOf(kContentKeys), GenJson(1))),
                                                    [](auto m) {
                                                      return Json::MakeObject(Json::Object(m.begin(), m.end()));
                                                    })))),
      [](auto m) { return Json::MakeObject(Json::Object(m.begin(), m.end())); });
  return rc::gen::map(
      rc::gen::tuple(rc::gen::container<std::vector<std::pair<std::string, Json>>>(
                         rc::gen::pair(rc::gen::elementOf(kTopKeys), GenJson(1))),
                     rc::gen::elementOf(kTypes), content, rc::gen::arbitrary<bool>()),
      [](const auto& t) {
        const auto& [members, type, c, with_type] = t;
        Json ev = Json::MakeObject(Json::Object(members.begin(), members.end()));
        if (with_type) ev.Set("type", Json(type));
        ev.Set("content", c);
        return ev;
      });
}

// `sub` only has keys (recursively, through objects) that `super` has, and
// equal non-object values.
bool IsSubObject(const Json& sub, const Json& super) {
  if (!sub.is_object() || !super.is_object()) return sub == super;
  for (const auto& [k, v] : sub.as_object()) {
    const Json* other = super.Find(k);
    if (other == nullptr || !IsSubObject(v, *other)) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------
// Canonical JSON.

RC_GTEST_PROP(CanonicalJsonProperty, RoundTripAndIdempotent, ()) {
  const Json v = *GenJsonValue();
  const std::string c = CanonicalJson(v);
  for (auto policy : {NumberPolicy::kStrict, NumberPolicy::kAppendix,
                      NumberPolicy::kLegacyPython}) {
    ParseOptions options;
    options.numbers = policy;
    auto parsed = ParseJson(c, options);
    RC_ASSERT(parsed.has_value());
    RC_ASSERT(*parsed == v);
    RC_ASSERT(CanonicalJson(*parsed) == c);
  }
}

RC_GTEST_PROP(CanonicalJsonProperty, IndependentOfInsertionOrder, ()) {
  auto members = *rc::gen::container<std::vector<std::pair<std::string, Json>>>(
      rc::gen::pair(GenUnicodeString(), GenJson(1)));
  // Keep the first of each key so both orders have the same member set.
  Json::Object unique;
  for (auto& m : members) {
    bool seen = false;
    for (auto& u : unique) seen |= u.first == m.first;
    if (!seen) unique.push_back(m);
  }
  Json::Object reversed(unique.rbegin(), unique.rend());
  RC_ASSERT(CanonicalJson(Json::MakeObject(unique)) ==
            CanonicalJson(Json::MakeObject(reversed)));
}

// ---------------------------------------------------------------------------
// Redaction.

RC_GTEST_PROP(RedactionProperty, IdempotentAndNeverAddsKeys, ()) {
  const Json ev = *GenEventLike();
  for (const auto& rules : AllRoomVersions()) {
    Json once = Redact(ev, rules);
    RC_ASSERT(Redact(once, rules) == once);
    RC_ASSERT(IsSubObject(once, ev));
    RC_ASSERT(once.Find("unsigned") == nullptr);
  }
}

// ---------------------------------------------------------------------------
// Sign then verify.

const SigningKey& PropKey() {
  static const SigningKey key = testing::KeyFromSeedByte(42, "a.example", "ed25519:p");
  return key;
}
const KeyRing& PropRing() {
  static const KeyRing ring = [] {
    KeyRing r;
    r.Add("a.example", "ed25519:p", VerifyKey{PropKey().public_key()});
    return r;
  }();
  return ring;
}

RC_GTEST_PROP(SigningProperty, SignThenVerifyAndTamper, ()) {
  const auto all = AllRoomVersions();
  const RoomVersionRules& rules =
      all[*rc::gen::inRange<size_t>(0, all.size())];
  const std::string type = *rc::gen::elementOf(kTypes);
  // Random content with interesting keys; strict-JSON values only.
  auto members = *rc::gen::container<std::vector<std::pair<std::string, Json>>>(
      rc::gen::pair(rc::gen::elementOf(kContentKeys), GenJson(2)));
  Json content = Json::MakeObject(Json::Object(members.begin(), members.end()));
  std::string state_key = *GenUnicodeString();
  if (state_key.size() > 200) state_key.resize(0);
  const bool is_state = *rc::gen::arbitrary<bool>() || type == "m.room.create" ||
                        type == "m.room.member";
  // Keep the sender's server (and v12's create shape) clear of special
  // signer rules: no join_authorised_via / third_party_invite on members.
  if (type == "m.room.member") {
    content.Erase("join_authorised_via_users_server");
    content.Erase("third_party_invite");
    content.Set("membership", Json("join"));
  }
  if (type == "m.room.member") state_key = "@u:a.example";
  if (type == "m.room.create") state_key = "";
  Json ev = testing::MakePdu(rules, type, "@u:a.example", content,
                             is_state ? &state_key : nullptr);
  RC_ASSERT(SignEvent(&ev, PropKey(), rules).has_value());
  auto first = VerifyEvent(ev, rules, PropRing());
  RC_LOG() << "version " << rules.id << " event " << CanonicalJson(ev);
  for (const auto& p : first.problems) RC_LOG() << p.ToString();
  RC_ASSERT(first.verdict == Verdict::kValid);

  // Change one field.
  const Json redacted = Redact(ev, rules);
  std::vector<std::pair<bool, std::string>> paths;  // (in content, key)
  for (const auto& [k, _] : ev.as_object())
    if (k != "signatures" && k != "unsigned" && k != "hashes" && k != "content")
      paths.push_back({false, k});
  for (const auto& [k, _] : ev.Find("content")->as_object()) paths.push_back({true, k});
  RC_PRE(!paths.empty());
  const auto& [in_content, key] = *rc::gen::elementOf(paths);
  Json changed = ev;
  Json* target = in_content ? changed.Find("content")->Find(key) : changed.Find(key);
  // A different value of a shape the format check accepts.
  if (target->is_string()) {
    std::string s = target->as_string();
    if (!in_content && (key == "sender" || key == "room_id" || key == "event_id")) {
      s.insert(1, "x");  // keep sigil and server
    } else if (!in_content && key == "origin") {
      s = "x" + s;
    } else {
      s += "x";
    }
    *target = Json(s);
  } else if (target->is_integer()) {
    *target = Json(target->as_integer() == 7 ? int64_t{8} : int64_t{7});
  } else if (!in_content && target->is_array()) {
    if (rules.event_refs_with_hashes) {
      Json h = Json::EmptyObject();
      h.Set("sha256", Json("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU"));
      target->as_array().push_back(Json(Json::Array{Json("$zz:a.example"), h}));
    } else {
      target->as_array().push_back(Json(testing::FakeEventId('z')));
    }
  } else {
    *target = Json(target->is_null() ? Json("now a string") : Json());
  }
  const bool signed_field =
      in_content ? redacted.Find("content") != nullptr &&
                       redacted.Find("content")->Find(key) != nullptr
                 : redacted.Find(key) != nullptr;
  auto second = VerifyEvent(changed, rules, PropRing());
  RC_LOG() << "changed " << (in_content ? "content." : "") << key << " -> "
           << ToString(second.verdict);
  for (const auto& p : second.problems) RC_LOG() << p.ToString();
  if (second.verdict == Verdict::kBadFormat) RC_DISCARD("change broke the format");
  RC_ASSERT(second.verdict ==
            (signed_field ? Verdict::kBadSignature : Verdict::kHashMismatch));
}

}  // namespace
}  // namespace mxstate

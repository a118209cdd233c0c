#include "mxstate/json.h"

#include <algorithm>
#include <cstring>

namespace mxstate {
namespace {

// Members are ordered by key bytes; std::string comparison is bytewise
// (char_traits<char>::compare uses memcmp), which for UTF-8 is code-point
// order, the order canonical JSON requires. Most probes of a search are
// decided by the first byte (an event's top-level keys nearly all start
// differently), so that byte is compared inline before calling memcmp.
bool KeyLess(const std::string& member_key, std::string_view key) {
  if (!member_key.empty() && !key.empty() && member_key[0] != key[0]) {
    return static_cast<unsigned char>(member_key[0]) < static_cast<unsigned char>(key[0]);
  }
  return std::string_view(member_key) < key;
}
auto LowerBound(const Json::Object& members, std::string_view key) {
  return std::lower_bound(
      members.begin(), members.end(), key,
      [](const Json::Member& m, std::string_view k) { return KeyLess(m.first, k); });
}
auto LowerBound(Json::Object& members, std::string_view key) {
  return std::lower_bound(
      members.begin(), members.end(), key,
      [](const Json::Member& m, std::string_view k) { return KeyLess(m.first, k); });
}

}  // namespace

Json Json::MakeObject(Object members) {
  std::stable_sort(members.begin(), members.end(),
                   [](const Member& a, const Member& b) { return a.first < b.first; });
  // Keep the last of equal keys, like assignment in order would.
  Object unique;
  unique.reserve(members.size());
  for (auto& m : members) {
    if (!unique.empty() && unique.back().first == m.first) {
      unique.back().second = std::move(m.second);
    } else {
      unique.push_back(std::move(m));
    }
  }
  Json out = EmptyObject();
  out.mutable_object() = std::move(unique);
  return out;
}

namespace {

// Tiny objects are scanned. An event's top level (~13 members of 80 bytes)
// is binary-searched: resolution reads events that are no longer in cache,
// and a scan to "type" or "state_key" touched a dozen cache lines where a
// binary search touches four (-11 % on a 10-set, 10 000-key resolution).
constexpr size_t kLinearFindLimit = 4;

template <typename Members>
auto FindMember(Members& members, std::string_view key) -> decltype(&members[0].second) {
  if (members.size() <= kLinearFindLimit) {
    for (auto& m : members) {
      if (m.first.size() == key.size() && std::memcmp(m.first.data(), key.data(), key.size()) == 0) {
        return &m.second;
      }
    }
    return nullptr;
  }
  auto it = LowerBound(members, key);
  if (it == members.end() || it->first != key) return nullptr;
  return &it->second;
}

}  // namespace

const Json* Json::Find(std::string_view key) const {
  if (!is_object()) return nullptr;
  return FindMember(as_object(), key);
}

Json* Json::Find(std::string_view key) {
  if (!is_object()) return nullptr;
  return FindMember(mutable_object(), key);
}

const std::string* Json::FindString(std::string_view key) const {
  const Json* v = Find(key);
  return v != nullptr && v->is_string() ? &v->as_string() : nullptr;
}

Json& Json::Set(std::string_view key, Json value) {
  Object& members = mutable_object();
  auto it = LowerBound(members, key);
  if (it != members.end() && it->first == key) {
    it->second = std::move(value);
    return it->second;
  }
  it = members.insert(it, Member(std::string(key), std::move(value)));
  return it->second;
}

bool Json::Erase(std::string_view key) {
  if (!is_object()) return false;
  Object& members = mutable_object();
  auto it = LowerBound(members, key);
  if (it == members.end() || it->first != key) return false;
  members.erase(it);
  return true;
}

size_t Json::size() const {
  if (is_object()) return as_object().size();
  if (is_array()) return as_array().size();
  return 0;
}

std::string_view Json::KindName() const {
  switch (kind()) {
    case Kind::kNull: return "null";
    case Kind::kBool: return "boolean";
    case Kind::kInteger: return "integer";
    case Kind::kNumber: return "number";
    case Kind::kString: return "string";
    case Kind::kArray: return "array";
    case Kind::kObject: return "object";
  }
  return "unknown";
}

}  // namespace mxstate

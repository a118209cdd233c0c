// AnalyseSpaces (spaces.h). Rules, all from the client-server API module
// "Spaces" and the m.space.child / m.space.parent event schemas:
//  - via: "When not present or invalid, the child room is not considered to
//    be part of the space" (likewise for parents). mxstate reads "invalid" as
//    not an array, an empty array (no server to join through) or a non-string
//    element (schema: array of strings).
//  - order: 1-50 characters in \x20-\x7E; otherwise treated as absent.
//  - ordering: valid orders by code point, then origin_server_ts, then room ID.
//  - a parent claim counts only with a matching child event in the parent,
//    or when its sender may send m.space.child there; when the parent's state
//    is unknown, "the link should be assumed to be invalid".
#include "mxstate/spaces.h"

#include <algorithm>
#include <map>
#include <set>

#include "power_levels.h"

namespace mxstate {
namespace {

constexpr const char* kSpacesModule = "client-server API: spaces";
constexpr const char* kChildSchema = "m.space.child schema";
constexpr const char* kParentSchema = "m.space.parent schema";
constexpr const char* kParentRule = "client-server API: spaces, m.space.parent relationships";

const Json* ContentOf(const Json* event) { return event ? event->Find("content") : nullptr; }

// via per the schemas; false when the link does not count.
bool ReadVia(const Json* content, std::vector<std::string>* via) {
  const Json* v = content ? content->Find("via") : nullptr;
  if (v == nullptr || !v->is_array() || v->as_array().empty()) return false;
  for (const Json& s : v->as_array()) {
    if (!s.is_string()) return false;
    via->push_back(s.as_string());
  }
  return true;
}

bool IsSpace(const RoomState& room) {
  return ContentString(room.create(), "type") == "m.space";
}

void Problem(SpaceReport* r, std::string code, std::string rule, std::string message) {
  r->problems.push_back(Error{std::move(code), std::move(rule), std::move(message)});
}

// Ordering of children within a space.
bool ChildBefore(const SpaceChild& a, const SpaceChild& b) {
  if (a.order.has_value() != b.order.has_value()) return a.order.has_value();
  if (a.order && *a.order != *b.order) return *a.order < *b.order;
  if (a.origin_server_ts != b.origin_server_ts) return a.origin_server_ts < b.origin_server_ts;
  return a.child_id < b.child_id;
}

// Whether `user` may send an m.space.child state event in `space`.
bool MaySendChild(std::string_view user, const RoomState& space) {
  const RoomVersionRules* rules = space.rules();
  if (rules == nullptr) return false;
  const Json* pl = space.Get("m.room.power_levels", "").event;
  const internal::PowerLevels levels(ContentOf(pl), *rules);
  const int64_t needed = levels.Entry("events", "m.space.child").value_or(levels.Get("state_default"));
  return UserPowerLevel(user, space, *rules) >= needed;
}

class Analyser {
 public:
  Analyser(std::span<const NamedRoom> rooms, SpaceReport* r) : rooms_(rooms), r_(r) {}

  void ReadChildren(const NamedRoom& room);
  void ReadParents(const NamedRoom& room);
  void CrossCheck();
  void Walk(std::span<const std::string> roots);

 private:
  bool HasValidChild(std::string_view space, std::string_view child) const {
    auto it = valid_children_.find(std::string(space));
    return it != valid_children_.end() && it->second.count(std::string(child)) != 0;
  }
  void Descend(const std::string& id, size_t depth, bool suggested, std::vector<std::string>* path);

  std::span<const NamedRoom> rooms_;
  SpaceReport* r_;
  std::map<std::string, std::set<std::string>> valid_children_;  // space -> children
  std::map<std::string, std::vector<const SpaceChild*>> ordered_;
  std::set<std::string> expanded_;  // rooms whose children were walked
};

void Analyser::ReadChildren(const NamedRoom& room) {
  std::vector<SpaceChild> children;
  for (const StateEntry& e : room.state->OfType("m.space.child")) {
    SpaceChild c;
    c.space_id = std::string(room.room_id);
    c.child_id = *e.event->FindString("state_key");
    const Json* content = ContentOf(e.event);
    const Json* ts = e.event->Find("origin_server_ts");
    if (ts && ts->is_integer()) c.origin_server_ts = ts->as_integer();
    c.valid = ReadVia(content, &c.via);
    if (!c.valid) {
      // A child event with empty content is how a child is removed: not a problem.
      if (content && content->is_object() && content->size() == 0) continue;
      Problem(r_, "spaces.child_bad_via", kChildSchema,
              "m.space.child " + c.child_id + " in " + c.space_id +
                  ": via is missing, empty or not a list of server names; the room is not "
                  "part of the space");
      continue;
    }
    if (c.child_id.empty() || c.child_id[0] != '!') {
      Problem(r_, "spaces.bad_room_id", kChildSchema,
              "m.space.child in " + c.space_id + " has state_key '" + c.child_id +
                  "', not a room ID");
    }
    if (const Json* order = content->Find("order")) {
      if (order->is_string() && IsValidSpaceOrder(order->as_string())) {
        c.order = order->as_string();
      } else {
        Problem(r_, "spaces.bad_order", kChildSchema,
                "m.space.child " + c.child_id + " in " + c.space_id +
                    ": order is not 1-50 characters of \\x20-\\x7E; treated as absent");
      }
    }
    if (const Json* s = content->Find("suggested")) {
      if (s->is_bool()) {
        c.suggested = s->as_bool();
      } else {
        Problem(r_, "spaces.bad_suggested", kChildSchema,
                "m.space.child " + c.child_id + " in " + c.space_id +
                    ": suggested is not a boolean; treated as false");
      }
    }
    c.child_given = FindRoom(rooms_, c.child_id) != nullptr;
    valid_children_[c.space_id].insert(c.child_id);
    children.push_back(std::move(c));
  }
  if (!children.empty() && !IsSpace(*room.state)) {
    Problem(r_, "spaces.not_a_space", kChildSchema,
            std::string(room.room_id) + " has m.space.child events but its create event's type "
            "is not m.space: they have no effect");
  }
  std::sort(children.begin(), children.end(), ChildBefore);
  for (auto& c : children) r_->children.push_back(std::move(c));
}

void Analyser::ReadParents(const NamedRoom& room) {
  for (const StateEntry& e : room.state->OfType("m.space.parent")) {
    SpaceParent p;
    p.room_id = std::string(room.room_id);
    p.parent_id = *e.event->FindString("state_key");
    if (const std::string* s = e.event->FindString("sender")) p.sender = *s;
    const Json* content = ContentOf(e.event);
    p.valid = ReadVia(content, &p.via);
    if (!p.valid) {
      if (!(content && content->is_object() && content->size() == 0)) {
        Problem(r_, "spaces.parent_bad_via", kParentSchema,
                "m.space.parent " + p.parent_id + " in " + p.room_id +
                    ": via is missing, empty or not a list of server names; not a parent");
      }
      continue;
    }
    if (const Json* cn = content->Find("canonical")) {
      if (cn->is_bool()) {
        p.canonical = cn->as_bool();
      } else {
        Problem(r_, "spaces.bad_canonical", kParentSchema,
                "m.space.parent " + p.parent_id + " in " + p.room_id +
                    ": canonical is not a boolean; treated as false");
      }
    }
    r_->parents.push_back(std::move(p));
  }
}

void Analyser::CrossCheck() {
  for (SpaceParent& p : r_->parents) {
    const RoomState* parent = FindRoom(rooms_, p.parent_id);
    if (parent == nullptr) {
      p.backing = ParentBacking::kParentNotGiven;
      Problem(r_, "spaces.parent_not_given", kParentRule,
              p.room_id + " claims parent " + p.parent_id +
                  ", whose state was not given: the link is assumed invalid");
    } else if (HasValidChild(p.parent_id, p.room_id)) {
      p.backing = ParentBacking::kChildEvent;
    } else if (MaySendChild(p.sender, *parent)) {
      p.backing = ParentBacking::kSenderPower;
    } else {
      p.backing = ParentBacking::kUnbacked;
      Problem(r_, "spaces.parent_unbacked", kParentRule,
              p.room_id + " claims parent " + p.parent_id + " (sent by " + p.sender +
                  "), which has no m.space.child for it, and the sender lacks the power "
                  "to send one there: the claim is ignored");
    }
  }
  // "Only one canonical parent should exist ... use the lowest room ID."
  std::map<std::string, std::vector<std::string>> canonical;
  for (const SpaceParent& p : r_->parents) {
    if (p.canonical) canonical[p.room_id].push_back(p.parent_id);
  }
  for (auto& [room, ids] : canonical) {
    if (ids.size() < 2) continue;
    std::sort(ids.begin(), ids.end());
    Problem(r_, "spaces.several_canonical", std::string(kParentRule) + " (canonical)",
            room + " has " + std::to_string(ids.size()) + " canonical parents; " + ids[0] +
                " (lowest room ID) is the one used");
  }
  for (SpaceChild& c : r_->children) {
    const RoomState* child = FindRoom(rooms_, c.child_id);
    if (child == nullptr) {
      Problem(r_, "spaces.room_not_given", kSpacesModule,
              c.space_id + " lists child " + c.child_id + ", whose state was not given");
      continue;
    }
    std::vector<std::string> via;
    const Json* back = child->Get("m.space.parent", c.space_id).event;
    c.child_links_back = back != nullptr && ReadVia(ContentOf(back), &via);
    if (!c.child_links_back) {
      // "In most cases, both the child and parent relationship should be defined."
      Problem(r_, "spaces.child_without_parent", kSpacesModule,
              c.space_id + " lists " + c.child_id +
                  " as a child, but the child has no m.space.parent for it");
    }
  }
}

void Analyser::Walk(std::span<const std::string> roots) {
  for (const SpaceChild& c : r_->children) ordered_[c.space_id].push_back(&c);
  std::vector<std::string> starts(roots.begin(), roots.end());
  if (starts.empty()) {
    std::set<std::string> has_parent;
    for (const SpaceParent& p : r_->parents) {
      if (p.backing == ParentBacking::kChildEvent || p.backing == ParentBacking::kSenderPower) {
        has_parent.insert(p.room_id);
      }
    }
    for (const SpaceChild& c : r_->children) has_parent.insert(c.child_id);
    for (const NamedRoom& room : rooms_) {
      if (IsSpace(*room.state) && has_parent.count(std::string(room.room_id)) == 0) {
        starts.emplace_back(room.room_id);
      }
    }
    std::sort(starts.begin(), starts.end());
  }
  for (const std::string& root : starts) {
    std::vector<std::string> path;
    Descend(root, 0, false, &path);
  }
}

void Analyser::Descend(const std::string& id, size_t depth, bool suggested,
                       std::vector<std::string>* path) {
  if (r_->hierarchy.size() >= kMaxHierarchyNodes) return;
  HierarchyNode node;
  node.room_id = id;
  node.depth = depth;
  node.suggested = suggested;
  const RoomState* state = FindRoom(rooms_, id);
  node.given = state != nullptr;
  node.is_space = state != nullptr && IsSpace(*state);
  // "it is possible to create a loop ... must be careful not to loop infinitely"
  node.loop = std::find(path->begin(), path->end(), id) != path->end();
  r_->hierarchy.push_back(node);
  if (node.loop) {
    Problem(r_, "spaces.loop", std::string(kSpacesModule) + " (loops)",
            "the hierarchy loops back to " + id + " at depth " + std::to_string(depth));
    return;
  }
  if (depth + 1 >= kMaxHierarchyDepth) {
    Problem(r_, "spaces.too_deep", std::string(kSpacesModule) + " (long trees)",
            "the hierarchy is deeper than " + std::to_string(kMaxHierarchyDepth) +
                " levels below " + (path->empty() ? id : path->front()) + "; not descended");
    return;
  }
  auto it = ordered_.find(id);
  if (it == ordered_.end()) return;
  if (!expanded_.insert(id).second) {
    r_->hierarchy.back().repeated = true;
    return;
  }
  path->push_back(id);
  // GET /hierarchy: "when it encounters another space as a child it recurses
  // into that space before returning non-space children".
  std::vector<const SpaceChild*> spaces, others;
  for (const SpaceChild* c : it->second) {
    const RoomState* cs = FindRoom(rooms_, c->child_id);
    (cs != nullptr && IsSpace(*cs) ? spaces : others).push_back(c);
  }
  for (const SpaceChild* c : spaces) Descend(c->child_id, depth + 1, c->suggested, path);
  for (const SpaceChild* c : others) Descend(c->child_id, depth + 1, c->suggested, path);
  path->pop_back();
}

}  // namespace

std::string_view ToString(ParentBacking b) {
  switch (b) {
    case ParentBacking::kChildEvent: return "child-event";
    case ParentBacking::kSenderPower: return "sender-power";
    case ParentBacking::kUnbacked: return "unbacked";
    case ParentBacking::kParentNotGiven: return "parent-not-given";
    case ParentBacking::kInvalid: return "invalid";
  }
  return "?";
}

bool IsValidSpaceOrder(std::string_view order) {
  if (order.empty() || order.size() > 50) return false;
  return std::all_of(order.begin(), order.end(),
                     [](char ch) { return ch >= 0x20 && ch <= 0x7E; });
}

SpaceReport AnalyseSpaces(std::span<const NamedRoom> rooms, std::span<const std::string> roots,
                          std::string_view user) {
  SpaceReport report;
  Analyser a(rooms, &report);
  for (const NamedRoom& room : rooms) a.ReadChildren(room);
  for (const NamedRoom& room : rooms) a.ReadParents(room);
  a.CrossCheck();
  a.Walk(roots);
  if (!user.empty()) {
    for (const NamedRoom& room : rooms) {
      const RoomVersionRules* rules = room.state->rules();
      const std::string_view jr =
          ContentString(room.state->Get("m.room.join_rules", "").event, "join_rule");
      if (rules == nullptr || (jr != "restricted" && jr != "knock_restricted")) continue;
      RestrictedJoinQuery q{room.state, rooms, user, {}};
      report.opened.push_back(OpenedRoom{std::string(room.room_id), DecideRestrictedJoin(q, *rules)});
    }
  }
  return report;
}

}  // namespace mxstate

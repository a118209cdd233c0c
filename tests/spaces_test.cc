// AnalyseSpaces on hand-built spaces. Expected values are worked from the
// client-server API module "Spaces" and the m.space.child/parent schemas,
// as noted at each test.
#include "mxstate/spaces.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "room_state_builder.h"

namespace mxstate {
namespace {

using testing::Member;
using testing::Rooms;
using testing::StateEv;

const std::string kSpace = "!space:example.org";
const std::string kAlice = "@alice:example.org";
const std::string kBob = "@bob:example.org";

Json Create(const std::string& room, bool space) {
  return StateEv(room, "m.room.create", "", kAlice,
                 std::string("{\"creator\":\"") + kAlice + "\",\"room_version\":\"10\"" +
                     (space ? ",\"type\":\"m.space\"" : "") + "}");
}
Json Pl(const std::string& room) {
  return StateEv(room, "m.room.power_levels", "", kAlice,
                 "{\"users\":{\"" + kAlice + "\":100,\"" + kBob + "\":10}}");
}
Json Child(const std::string& child, const std::string& content, int64_t ts = 0) {
  return StateEv(kSpace, "m.space.child", child, kAlice, content, ts);
}

std::vector<std::string> Codes(const SpaceReport& r) {
  std::vector<std::string> out;
  for (const Error& e : r.problems) out.push_back(e.code);
  return out;
}
long Count(const SpaceReport& r, const std::string& code) {
  const auto c = Codes(r);
  return std::count(c.begin(), c.end(), code);
}
bool Has(const SpaceReport& r, const std::string& code) { return Count(r, code) > 0; }

// The spec's own ordering example (spaces, "Ordering of children within a
// space"): b (" "), a ("aaaa"), c ("first"), then e (ts 1640641000000) and
// d (ts 1640741000000) without order.
TEST(SpacesTest, ChildOrderIsTheSpecExample) {
  Rooms rooms;
  rooms.Add({Create(kSpace, true), Pl(kSpace),
             Child("!b:example.org", R"({"order":" ","via":["example.org"]})", 1640341000000),
             Child("!a:example.org", R"({"order":"aaaa","via":["example.org"]})", 1640141000000),
             Child("!c:example.org", R"({"order":"first","via":["example.org"]})", 1640841000000),
             Child("!e:example.org", R"({"via":["example.org"]})", 1640641000000),
             Child("!d:example.org", R"({"via":["example.org"]})", 1640741000000)});
  const SpaceReport r = AnalyseSpaces(rooms.Named(), {}, "");
  std::vector<std::string> order;
  for (const SpaceChild& c : r.children) order.push_back(c.child_id);
  EXPECT_EQ(order, (std::vector<std::string>{"!b:example.org", "!a:example.org", "!c:example.org",
                                             "!e:example.org", "!d:example.org"}));
  // The five children were not given: each is reported.
  EXPECT_EQ(Count(r, "spaces.room_not_given"), 5);
}

// Schema: order must be 1-50 chars of \x20-\x7E, else "treated as though the
// order key was not provided"; so the invalid one sorts with the unordered.
TEST(SpacesTest, InvalidOrderIsIgnored) {
  Rooms rooms;
  const std::string long_order(51, 'a');
  rooms.Add({Create(kSpace, true), Pl(kSpace),
             Child("!x:example.org", R"({"order":")" + long_order + R"(","via":["a.org"]})", 1),
             Child("!y:example.org", R"({"order":"\u00e9","via":["a.org"]})", 2),
             Child("!z:example.org", R"({"order":"zzz","via":["a.org"]})", 3)});
  const SpaceReport r = AnalyseSpaces(rooms.Named(), {}, "");
  ASSERT_EQ(r.children.size(), 3u);
  EXPECT_EQ(r.children[0].child_id, "!z:example.org");  // the only valid order
  EXPECT_EQ(r.children[1].child_id, "!x:example.org");  // then by timestamp
  EXPECT_FALSE(r.children[1].order.has_value());
  EXPECT_EQ(Count(r, "spaces.bad_order"), 2);
  EXPECT_TRUE(IsValidSpaceOrder(" "));
  EXPECT_TRUE(IsValidSpaceOrder(std::string(50, '~')));
  EXPECT_FALSE(IsValidSpaceOrder(""));
  EXPECT_FALSE(IsValidSpaceOrder("\x7f"));
}

// via: "When not present or invalid, the child room is not considered to be
// part of the space"; empty content is how a child is removed (no problem).
TEST(SpacesTest, ViaDecidesMembershipOfTheSpace) {
  Rooms rooms;
  rooms.Add({Create(kSpace, true), Pl(kSpace), Child("!gone:example.org", "{}"),
             Child("!bad:example.org", R"({"via":"example.org"})"),
             Child("!empty:example.org", R"({"via":[]})"),
             Child("!ok:example.org", R"({"via":["example.org"],"suggested":true})")});
  const SpaceReport r = AnalyseSpaces(rooms.Named(), {}, "");
  ASSERT_EQ(r.children.size(), 1u);
  EXPECT_EQ(r.children[0].child_id, "!ok:example.org");
  EXPECT_TRUE(r.children[0].suggested);
  EXPECT_EQ(Count(r, "spaces.child_bad_via"), 2);
}

// m.space.parent relationships: a claim stands with a child event in the
// parent, or when the sender may send m.space.child there (state_default 50
// in the parent: alice 100 may, bob 10 may not); otherwise it is ignored.
TEST(SpacesTest, ParentClaimsAreJudged) {
  Rooms rooms;
  const std::string listed = "!listed:example.org", alice_claim = "!alice:example.org",
                    bob_claim = "!bob:example.org", orphan = "!orphan:example.org";
  rooms.Add({Create(kSpace, true), Pl(kSpace), Child(listed, R"({"via":["example.org"]})")});
  rooms.Add({Create(listed, false), StateEv(listed, "m.space.parent", kSpace, kBob,
                                            R"({"via":["example.org"],"canonical":true})")});
  rooms.Add({Create(alice_claim, false),
             StateEv(alice_claim, "m.space.parent", kSpace, kAlice, R"({"via":["example.org"]})")});
  rooms.Add({Create(bob_claim, false),
             StateEv(bob_claim, "m.space.parent", kSpace, kBob, R"({"via":["example.org"]})")});
  rooms.Add({Create(orphan, false), StateEv(orphan, "m.space.parent", "!nowhere:example.org",
                                            kAlice, R"({"via":["example.org"]})")});
  const SpaceReport r = AnalyseSpaces(rooms.Named(), {}, "");
  std::map<std::string, ParentBacking> backing;
  for (const SpaceParent& p : r.parents) backing[p.room_id] = p.backing;
  EXPECT_EQ(backing[listed], ParentBacking::kChildEvent);
  EXPECT_EQ(backing[alice_claim], ParentBacking::kSenderPower);
  EXPECT_EQ(backing[bob_claim], ParentBacking::kUnbacked);
  EXPECT_EQ(backing[orphan], ParentBacking::kParentNotGiven);
  EXPECT_TRUE(Has(r, "spaces.parent_unbacked"));
  EXPECT_TRUE(Has(r, "spaces.parent_not_given"));
  // The listed child links back, so no child_without_parent problem.
  EXPECT_FALSE(Has(r, "spaces.child_without_parent"));
}

// Loops: "implementations ... must be careful not to loop infinitely".
// space -> sub -> space: the walk stops at the repeated room.
TEST(SpacesTest, LoopsAreBroken) {
  Rooms rooms;
  const std::string sub = "!sub:example.org";
  rooms.Add({Create(kSpace, true), Pl(kSpace), Child(sub, R"({"via":["example.org"]})")});
  rooms.Add({Create(sub, true), StateEv(sub, "m.space.child", kSpace, kAlice,
                                        R"({"via":["example.org"]})")});
  const std::vector<std::string> roots = {kSpace};
  const SpaceReport r = AnalyseSpaces(rooms.Named(), roots, "");
  ASSERT_EQ(r.hierarchy.size(), 3u);
  EXPECT_EQ(r.hierarchy[2].room_id, kSpace);
  EXPECT_TRUE(r.hierarchy[2].loop);
  EXPECT_TRUE(Has(r, "spaces.loop"));
  EXPECT_TRUE(Has(r, "spaces.child_without_parent"));  // neither has m.space.parent
}

// A room under two spaces is listed under both (GET /hierarchy: "a given
// child room might appear multiple times") but expanded once: root lists
// a and b, both list the space c, which lists room d. Walk: root, a, c, d,
// b, c (repeated, d not listed again).
TEST(SpacesTest, SharedChildExpandedOnce) {
  Rooms rooms;
  const std::string root = "!root:x.org", a = "!a:x.org", b = "!b:x.org", c = "!c:x.org",
                    d = "!d:x.org";
  auto child = [](const std::string& parent, const std::string& kid) {
    return StateEv(parent, "m.space.child", kid, kAlice, R"({"via":["x.org"]})");
  };
  rooms.Add({Create(root, true), child(root, a), child(root, b)});
  rooms.Add({Create(a, true), child(a, c)});
  rooms.Add({Create(b, true), child(b, c)});
  rooms.Add({Create(c, true), child(c, d)});
  rooms.Add({Create(d, false)});
  const std::vector<std::string> roots = {root};
  const SpaceReport r = AnalyseSpaces(rooms.Named(), roots, "");
  std::vector<std::string> walk;
  for (const HierarchyNode& n : r.hierarchy) walk.push_back(n.room_id);
  EXPECT_EQ(walk, (std::vector<std::string>{root, a, c, d, b, c}));
  EXPECT_FALSE(r.hierarchy[2].repeated);
  EXPECT_TRUE(r.hierarchy[5].repeated);
  EXPECT_FALSE(Has(r, "spaces.loop"));
}

// A restricted room allowing members of the space: a space member is
// allowed through it (client-server API "Restricted rooms", conditions).
TEST(SpacesTest, UserSpaceMembershipsOpenRestrictedRooms) {
  Rooms rooms;
  const std::string room = "!r:example.org", user = "@u:remote.org";
  rooms.Add({Create(kSpace, true), Pl(kSpace), Member(kSpace, user, "join")});
  rooms.Add({Create(room, false), Pl(room), Member(room, kAlice, "join"),
             StateEv(room, "m.room.join_rules", "", kAlice,
                     R"({"join_rule":"restricted","allow":[{"type":"m.room_membership","room_id":")" +
                         kSpace + R"("}]})")});
  const SpaceReport r = AnalyseSpaces(rooms.Named(), {}, user);
  ASSERT_EQ(r.opened.size(), 1u);
  EXPECT_EQ(r.opened[0].room_id, room);
  EXPECT_EQ(r.opened[0].decision.verdict, RestrictedJoinVerdict::kAllowed);
  const SpaceReport other = AnalyseSpaces(rooms.Named(), {}, "@stranger:remote.org");
  ASSERT_EQ(other.opened.size(), 1u);
  EXPECT_EQ(other.opened[0].decision.verdict, RestrictedJoinVerdict::kRefused);
  EXPECT_EQ(other.opened[0].decision.error.code, "restricted_join.no_condition_met");
}

}  // namespace
}  // namespace mxstate

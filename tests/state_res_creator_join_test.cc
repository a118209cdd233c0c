// The member rule for a join that comes straight after the create event,
// when resolution checks it. The expected verdicts are worked by hand from
// the spec's auth rules for m.room.member, "join" (rooms/fragments/
// v1-auth-rules, kept by every later version; from v11 the creator is the
// create event's sender, rooms/v11 "Authorization rules"):
//   1. If the only previous event is an m.room.create and the state_key is
//      the creator (v11+: the sender of the m.room.create), allow.
//   ... with no join rules in the state the join is then rejected (no
//   rule admits it).
// Resolution decides "is the target the creator" from the graph's member
// keys (FieldsInState, target_is_first_creator) instead of comparing the
// user IDs, so both answers of that comparison are checked here: the
// creator's first join must be allowed, another user's join right after
// the create event must be rejected. Each join is made conflicted by
// leaving it out of one of two state sets, so the checks see it.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "mxstate/room_version.h"
#include "mxstate/state_res.h"
#include "test_util.h"

namespace mxstate {
namespace {

using testing::MapSource;

Json IdList(const std::vector<std::string>& ids) {
  Json::Array list;
  for (const std::string& id : ids) list.emplace_back(id);
  return Json(std::move(list));
}

// A room whose create event is "$C" (in v12, the room ID names it) by
// @alice:x, with joins by alice and bob that both follow it directly.
class CreatorJoin : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    rules_ = FindRoomVersion(GetParam());
    ASSERT_NE(rules_, nullptr);
    const bool implied = rules_->auth.create_event_implied;
    Json create = Json::EmptyObject();
    create.Set("type", "m.room.create");
    create.Set("state_key", "");
    create.Set("sender", "@alice:x");
    create.Set("room_id", "!C");
    create.Set("origin_server_ts", static_cast<int64_t>(1));
    Json content = Json::EmptyObject();
    if (!rules_->auth.creator_is_sender) content.Set("creator", "@alice:x");
    content.Set("room_version", GetParam());
    create.Set("content", std::move(content));
    create.Set("auth_events", IdList({}));
    create.Set("prev_events", IdList({}));
    source_.events["$C"] = std::move(create);
    // v12: the create event is not listed; room_id names it.
    const std::vector<std::string> auth =
        implied ? std::vector<std::string>{} : std::vector<std::string>{"$C"};
    source_.events["$alice"] = Join("@alice:x", auth, 2);
    source_.events["$bob"] = Join("@bob:x", auth, 3);
  }

  static Json Join(const std::string& user, const std::vector<std::string>& auth, int64_t ts) {
    Json e = Json::EmptyObject();
    e.Set("type", "m.room.member");
    e.Set("state_key", user);
    e.Set("sender", user);
    e.Set("room_id", "!C");
    e.Set("origin_server_ts", ts);
    Json content = Json::EmptyObject();
    content.Set("membership", "join");
    e.Set("content", std::move(content));
    e.Set("auth_events", IdList(auth));
    e.Set("prev_events", IdList({"$C"}));
    return e;
  }

  // Resolves {create, the join} against {create}: the join's key is
  // conflicted (one set lacks it), so the checks decide it. Returns the
  // event the resolved state holds at the user's member key ("" if none).
  std::string Resolved(const std::string& user, const std::string& join_id) {
    const StateKey create_key{"m.room.create", ""};
    const StateKey member_key{"m.room.member", user};
    std::vector<StateMap> sets(2);
    sets[0][create_key] = "$C";
    sets[0][member_key] = join_id;
    sets[1][create_key] = "$C";
    StateResOptions options;
    options.explain = true;
    auto r = ResolveState(sets, source_, *rules_, options);
    EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().ToString());
    if (!r) return "?";
    bool checked = false;
    for (const AuthCheckRecord& c : r->checks) checked = checked || c.event_id == join_id;
    EXPECT_TRUE(checked) << join_id << " was not among the iterative auth checks";
    auto it = r->state.find(member_key);
    return it == r->state.end() ? "" : it->second;
  }

  const RoomVersionRules* rules_ = nullptr;
  MapSource source_;
};

TEST_P(CreatorJoin, TheCreatorsFirstJoinIsAllowed) {
  EXPECT_EQ(Resolved("@alice:x", "$alice"), "$alice");
}

TEST_P(CreatorJoin, AnotherUsersJoinAfterTheCreateEventIsRejected) {
  EXPECT_EQ(Resolved("@bob:x", "$bob"), "");
}

// v10 names the creator in content.creator, v11 by the create sender, v12
// also implies the create event; all three resolve with v2 or v2.1.
INSTANTIATE_TEST_SUITE_P(Versions, CreatorJoin, ::testing::Values("10", "11", "12"));

}  // namespace
}  // namespace mxstate

// The room-version table, checked row by row against the per-version table of
// shared/spec-digest.md section 1 (a paraphrase of content/rooms/v1.md ...
// v12.md) and section 1.1 (org.matrix.hydra.11 = v12's rules, unstable).
#include <gtest/gtest.h>

#include <cstdint>
#include <cctype>
#include <limits>
#include <string>

#include "mxstate/room_version.h"
#include "test_util.h"

namespace mxstate {
namespace {

int Num(std::string_view id) {
  if (id == "org.matrix.hydra.11") return 12;
  return std::stoi(std::string(id));
}

class RoomVersionRow : public ::testing::TestWithParam<std::string> {};

TEST_P(RoomVersionRow, MatchesSpecTable) {
  const std::string id = GetParam();
  const RoomVersionRules* r = FindRoomVersion(id);
  ASSERT_NE(r, nullptr) << id;
  const int v = Num(id);
  SCOPED_TRACE("room version " + id);

  EXPECT_EQ(r->id, id);
  EXPECT_EQ(r->stable, id != "org.matrix.hydra.11");

  // Event and room IDs (rooms/v1, v3, v4 event IDs; v12 room IDs).
  EXPECT_EQ(r->event_id_format, v <= 2   ? EventIdFormat::kServerChosen
                                : v == 3 ? EventIdFormat::kBase64Standard
                                         : EventIdFormat::kBase64UrlSafe);
  EXPECT_EQ(r->room_id_format,
            v == 12 ? RoomIdFormat::kCreateEventHash : RoomIdFormat::kServerChosen);
  EXPECT_EQ(r->event_id_in_pdu, v <= 2);
  EXPECT_EQ(r->event_refs_with_hashes, v <= 2);
  EXPECT_EQ(r->event_id_server_signs, v <= 2);
  EXPECT_EQ(r->redacts_in_content, v >= 11);
  EXPECT_EQ(r->canonical_json,
            v <= 5 ? NumberPolicy::kLegacyPython : NumberPolicy::kStrict);
  EXPECT_EQ(r->enforce_key_validity, v >= 5);
  EXPECT_EQ(r->max_depth, v <= 5 ? std::numeric_limits<int64_t>::max()
                                 : (int64_t{1} << 53) - 1);
  EXPECT_EQ(r->state_res, v == 1   ? StateResAlgorithm::kV1
                          : v < 12 ? StateResAlgorithm::kV2
                                   : StateResAlgorithm::kV2_1);

  // Redaction (section 4.4 table).
  EXPECT_EQ(r->redaction.keep_aliases, v <= 5);
  EXPECT_EQ(r->redaction.keep_join_rules_allow, v >= 8);
  EXPECT_EQ(r->redaction.keep_join_authorised_via, v >= 9);
  EXPECT_EQ(r->redaction.keep_all_create_content, v >= 11);
  EXPECT_EQ(r->redaction.keep_power_levels_invite, v >= 11);
  EXPECT_EQ(r->redaction.keep_redaction_redacts, v >= 11);
  EXPECT_EQ(r->redaction.keep_third_party_signed, v >= 11);
  EXPECT_EQ(r->redaction.keep_origin_membership_prev_state, v <= 10);

  // Auth rules (sections 2.2-2.5).
  EXPECT_EQ(r->auth.special_case_aliases, v <= 5);
  EXPECT_EQ(r->auth.special_case_redaction, v <= 2);
  EXPECT_EQ(r->auth.create_requires_creator, v <= 10);
  EXPECT_EQ(r->auth.creator_is_sender, v >= 11);
  EXPECT_EQ(r->auth.notifications_power_levels, v >= 6);
  EXPECT_EQ(r->auth.knocking, v >= 7);
  EXPECT_EQ(r->auth.restricted_join, v >= 8);
  EXPECT_EQ(r->auth.knock_restricted, v >= 10);
  EXPECT_EQ(r->auth.integer_power_levels, v >= 10);
  EXPECT_EQ(r->auth.string_power_levels, v <= 9);
  EXPECT_EQ(r->auth.float_power_levels, v <= 5);
  EXPECT_EQ(r->auth.privileged_creators, v == 12);
  EXPECT_EQ(r->auth.create_event_implied, v == 12);
  EXPECT_EQ(r->auth.create_domain_must_match, v <= 11);

  auto looked_up = LookupRoomVersion(id);
  ASSERT_TRUE(looked_up);
  EXPECT_EQ(*looked_up, r);
}

INSTANTIATE_TEST_SUITE_P(
    AllKnown, RoomVersionRow,
    ::testing::Values("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11",
                      "12", "org.matrix.hydra.11"),
    [](const ::testing::TestParamInfo<std::string>& info) {
      std::string name;
      for (char c : info.param) name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
      return "v" + name;
    });

TEST(RoomVersion, UnknownVersions) {
  for (const char* id : {"", "0", "13", "1.0", "v1", " 1", "1 ", "01", "12 ",
                         "org.matrix.msc2176", "org.matrix.msc2716v4",
                         "org.matrix.hydra.12", "ORG.MATRIX.HYDRA.11"}) {
    EXPECT_EQ(FindRoomVersion(id), nullptr) << "'" << id << "'";
    auto r = LookupRoomVersion(id);
    ASSERT_FALSE(r) << "'" << id << "'";
    EXPECT_EQ(r.error().code, "room_version.unknown");
  }
}

TEST(RoomVersion, AllRoomVersionsStableFirstInOrder) {
  auto all = AllRoomVersions();
  ASSERT_GE(all.size(), 13u);
  for (int i = 0; i < 12; ++i) {
    EXPECT_EQ(all[i].id, std::to_string(i + 1));
    EXPECT_TRUE(all[i].stable);
  }
  bool hydra = false;
  for (size_t i = 12; i < all.size(); ++i) {
    EXPECT_FALSE(all[i].stable) << all[i].id;
    hydra |= all[i].id == "org.matrix.hydra.11";
  }
  EXPECT_TRUE(hydra);
  for (const auto& row : all) EXPECT_EQ(FindRoomVersion(row.id), &row);
}

TEST(RoomVersion, HydraIsV12Rules) {
  const RoomVersionRules& h = testing::Rules("org.matrix.hydra.11");
  const RoomVersionRules& v12 = testing::Rules("12");
  EXPECT_EQ(h.event_id_format, v12.event_id_format);
  EXPECT_EQ(h.room_id_format, v12.room_id_format);
  EXPECT_EQ(h.state_res, v12.state_res);
  EXPECT_EQ(h.auth.privileged_creators, v12.auth.privileged_creators);
  EXPECT_EQ(h.auth.create_event_implied, v12.auth.create_event_implied);
}

TEST(RoomVersion, ToStringNonEmpty) {
  for (auto f : {EventIdFormat::kServerChosen, EventIdFormat::kBase64Standard,
                 EventIdFormat::kBase64UrlSafe})
    EXPECT_FALSE(ToString(f).empty());
  for (auto f : {RoomIdFormat::kServerChosen, RoomIdFormat::kCreateEventHash})
    EXPECT_FALSE(ToString(f).empty());
  for (auto a : {StateResAlgorithm::kV1, StateResAlgorithm::kV2,
                 StateResAlgorithm::kV2_1})
    EXPECT_FALSE(ToString(a).empty());
  for (auto p : {NumberPolicy::kAppendix, NumberPolicy::kStrict,
                 NumberPolicy::kLegacyPython})
    EXPECT_FALSE(ToString(p).empty());
}

}  // namespace
}  // namespace mxstate

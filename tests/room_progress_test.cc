// ReplayOptions::on_progress: called every `progress_every` judged events
// with the count so far and the number of events in the DAG.
#include <gtest/gtest.h>

#include <utility>
#include <vector>

#include "mxstate/room_replay.h"
#include "room_fixtures.h"

namespace mxstate {
namespace {

TEST(RoomReplayProgress, CalledEveryNEvents) {
  // The base room has 6 events, all in the DAG: every 2 judged events gives
  // calls at 2, 4 and 6.
  std::vector<std::pair<size_t, size_t>> calls;
  ReplayOptions o = testing::TestOptions();
  o.progress_every = 2;
  o.on_progress = [&](size_t judged, size_t total) { calls.emplace_back(judged, total); };
  Result<RoomReplay> r = ReplayRoom(testing::Base(), testing::Rules("6"), o);
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_EQ(calls, (std::vector<std::pair<size_t, size_t>>{{2, 6}, {4, 6}, {6, 6}}));
}

}  // namespace
}  // namespace mxstate

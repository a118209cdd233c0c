// White-box tests of small internal pieces of state resolution
// (libstate/src/state_res_internal.h).
#include "state_res_internal.h"

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <set>
#include <vector>

namespace mxstate::internal {
namespace {

// SortUniqueKeys gives what a set of the keys gives, both when it sorts
// (few keys for the key count) and when it goes through its bits (many).
RC_GTEST_PROP(SortUniqueKeys, EqualsTheSortedSetOfTheKeys, ()) {
  const size_t key_count = *rc::gen::inRange<size_t>(1, 5000);
  const size_t size = *rc::gen::inRange<size_t>(0, 400);
  std::vector<KeyIndex> keys = *rc::gen::container<std::vector<KeyIndex>>(
      size, rc::gen::inRange<KeyIndex>(0, static_cast<KeyIndex>(key_count)));
  const std::set<KeyIndex> expected(keys.begin(), keys.end());
  RC_TAG(keys.size() < key_count / 64 ? "sorted" : "bits");
  std::vector<uint64_t> bits = {~uint64_t{0}};  // stale scratch must not leak in
  SortUniqueKeys(&keys, key_count, &bits);
  RC_ASSERT(keys == std::vector<KeyIndex>(expected.begin(), expected.end()));
}

TEST(SortUniqueKeys, LastKeyOfAWordAndOfTheRange) {
  std::vector<uint64_t> bits;
  std::vector<KeyIndex> keys = {129, 63, 64, 0, 63, 129};
  SortUniqueKeys(&keys, 130, &bits);
  EXPECT_EQ(keys, (std::vector<KeyIndex>{0, 63, 64, 129}));
}

}  // namespace
}  // namespace mxstate::internal

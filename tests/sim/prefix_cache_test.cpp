#include "sim/prefix_cache.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace autoglm::sim {
namespace {

using Hashes = std::vector<std::uint64_t>;

TEST(PrefixCache, MatchesOnlyLeadingBlocks) {
  PrefixCache cache(100);
  cache.insert(Hashes{1, 2, 3});
  EXPECT_EQ(cache.match(Hashes{1, 2, 3, 4}), 3u);
  EXPECT_EQ(cache.match(Hashes{1, 9, 3}), 1u);
  EXPECT_EQ(cache.match(Hashes{2, 3}), 2u);
  EXPECT_EQ(cache.match(Hashes{7}), 0u);
  EXPECT_EQ(cache.match(Hashes{}), 0u);
}

TEST(PrefixCache, EvictsLeastRecentlyUsedAndKeepsChainHeadsLongest) {
  PrefixCache cache(4);
  cache.insert(Hashes{1, 2, 3});
  cache.insert(Hashes{10, 11});  // evicts 3, the oldest tail
  EXPECT_EQ(cache.size(), 4u);
  EXPECT_FALSE(cache.contains(3));
  EXPECT_EQ(cache.match(Hashes{1, 2, 3}), 2u);  // touches 1 and 2
  cache.insert(Hashes{20});                      // evicts 11, now the oldest
  EXPECT_FALSE(cache.contains(11));
  EXPECT_TRUE(cache.contains(1));
  EXPECT_TRUE(cache.contains(10));
}

TEST(PrefixCache, ZeroCapacityHoldsNothingAndClearEmpties) {
  PrefixCache none(0);
  none.insert(Hashes{1, 2});
  EXPECT_EQ(none.match(Hashes{1}), 0u);
  PrefixCache cache(8);
  cache.insert(Hashes{1, 2});
  cache.clear();
  EXPECT_EQ(cache.size(), 0u);
  EXPECT_EQ(cache.match(Hashes{1}), 0u);
  cache.insert(Hashes{5});
  EXPECT_EQ(cache.match(Hashes{5}), 1u);
}

}  // namespace
}  // namespace autoglm::sim

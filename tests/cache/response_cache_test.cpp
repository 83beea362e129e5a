#include "cache/response_cache.hpp"

#include <gtest/gtest.h>

namespace autoglm::cache {
namespace {

CacheKey key(std::string digest) { return CacheKey{std::move(digest), "t", "m"}; }

TEST(ResponseCache, HitMissAndTtl) {
  core::ManualClock clock;
  ResponseCache cache({1 << 20, 1 << 16, 300s, 1}, clock);
  EXPECT_EQ(cache.lookup(key("a")), nullptr);
  ASSERT_TRUE(cache.insert(key("a"), R"({"x":1})"));
  auto hit = cache.lookup(key("a"));
  ASSERT_NE(hit, nullptr);
  EXPECT_EQ(hit->body, R"({"x":1})");
  EXPECT_EQ(hit->model, "m");
  clock.advance(299s);
  EXPECT_NE(cache.lookup(key("a")), nullptr);
  clock.advance(1s);
  EXPECT_EQ(cache.lookup(key("a")), nullptr);

  const CacheStats s = cache.stats();
  EXPECT_EQ(s.hits, 2u);
  EXPECT_EQ(s.misses, 2u);
  EXPECT_EQ(s.expirations, 1u);
  EXPECT_EQ(s.entries, 0u);
  EXPECT_EQ(s.bytes, 0u);
}

TEST(ResponseCache, LeastRecentlyUsedIsEvictedByBytes) {
  core::ManualClock clock;
  const std::string body(1000, 'x');
  const std::size_t cost = ResponseCache::entry_cost(key("a"), body);
  ResponseCache cache({cost * 2, 1 << 16, 300s, 1}, clock);
  ASSERT_TRUE(cache.insert(key("a"), body));
  ASSERT_TRUE(cache.insert(key("b"), body));
  ASSERT_NE(cache.lookup(key("a")), nullptr);  // a is now the most recent
  ASSERT_TRUE(cache.insert(key("c"), body));
  EXPECT_NE(cache.lookup(key("a")), nullptr);
  EXPECT_EQ(cache.lookup(key("b")), nullptr);
  EXPECT_NE(cache.lookup(key("c")), nullptr);
  const CacheStats s = cache.stats();
  EXPECT_EQ(s.evictions, 1u);
  EXPECT_LE(s.bytes, cost * 2);
}

TEST(ResponseCache, OversizedAnswersAreNotStored) {
  core::ManualClock clock;
  ResponseCache cache({1 << 20, 10, 300s, 1}, clock);
  EXPECT_FALSE(cache.insert(key("a"), std::string(11, 'x')));
  EXPECT_EQ(cache.stats().rejected, 1u);
}

TEST(ResponseCache, ReplacingAnEntryKeepsTheByteCountRight) {
  core::ManualClock clock;
  ResponseCache cache({1 << 20, 1 << 16, 300s, 4}, clock);
  ASSERT_TRUE(cache.insert(key("a"), "one"));
  ASSERT_TRUE(cache.insert(key("a"), "three"));
  EXPECT_EQ(cache.stats().entries, 1u);
  EXPECT_EQ(cache.stats().bytes, ResponseCache::entry_cost(key("a"), "three"));
  EXPECT_EQ(cache.lookup(key("a"))->body, "three");
  cache.clear();
  EXPECT_EQ(cache.stats().entries, 0u);
}

TEST(ResponseCache, HeldEntrySurvivesEviction) {
  core::ManualClock clock;
  const std::string body(100, 'x');
  ResponseCache cache({ResponseCache::entry_cost(key("a"), body), 1 << 16, 300s, 1}, clock);
  ASSERT_TRUE(cache.insert(key("a"), body));
  auto held = cache.lookup(key("a"));
  ASSERT_TRUE(cache.insert(key("b"), body));
  EXPECT_EQ(held->body, body);
}

}  // namespace
}  // namespace autoglm::cache

#include "cache/cache_policy.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace autoglm::cache {
namespace {

boost::json::object obj(std::string_view text) { return boost::json::parse(text).as_object(); }

TEST(CachePolicy, TemperatureZeroIsCacheable) {
  const CachePlan p = plan_cache(obj(R"({"temperature":0})"), {});
  EXPECT_TRUE(p.lookup);
  EXPECT_TRUE(p.store);
  EXPECT_TRUE(plan_cache(obj(R"({"temperature":0.0})"), {}).lookup);
}

TEST(CachePolicy, SamplingIsNotCacheableWithoutOptIn) {
  EXPECT_FALSE(plan_cache(obj(R"({"temperature":0.7})"), {}).store);
  EXPECT_FALSE(plan_cache(obj(R"({})"), {}).store);  // OpenAI's default temperature is 1
  EXPECT_FALSE(plan_cache(obj(R"({"temperature":"0"})"), {}).store);
  EXPECT_TRUE(plan_cache(obj(R"({"temperature":0.7})"), {"", "1"}).lookup);
  EXPECT_FALSE(plan_cache(obj(R"({"temperature":0})"), {"", "0"}).store);
}

TEST(CachePolicy, CacheControlBypasses) {
  EXPECT_TRUE(cache_bypassed("no-cache"));
  EXPECT_TRUE(cache_bypassed("max-age=0"));
  EXPECT_TRUE(cache_bypassed("private, No-Cache"));
  EXPECT_FALSE(cache_bypassed("max-age=60"));
  EXPECT_FALSE(cache_bypassed(""));

  CachePlan p = plan_cache(obj(R"({"temperature":0})"), {"no-cache", ""});
  EXPECT_FALSE(p.lookup);
  EXPECT_TRUE(p.store);  // a fresh answer refreshes the cache
  p = plan_cache(obj(R"({"temperature":0})"), {"no-store", ""});
  EXPECT_FALSE(p.lookup);
  EXPECT_FALSE(p.store);
}

}  // namespace
}  // namespace autoglm::cache

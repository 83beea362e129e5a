#include "routing/router.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace autoglm::routing {
namespace {

ModelRoute canary(std::string sticky = "") {
  return ModelRoute{"llama-3-8b",
                    {Subset{"v1", 90, {"n1", "n2"}, {}}, Subset{"v2", 10, {}, {{"version", "v2"}}}},
                    std::move(sticky)};
}

std::shared_ptr<const RouteTable> table_of(std::vector<ModelRoute> routes) {
  auto t = RouteTable::build(std::move(routes));
  EXPECT_TRUE(t.is_ok()) << t.status().message();
  return *t;
}

TEST(Router, WeightsAreHonouredOverManyDraws) {
  Router router(table_of({canary()}));
  std::mt19937_64 rng(12345);
  std::map<std::string, int> counts;
  constexpr int kDraws = 100000;
  for (int i = 0; i < kDraws; ++i) {
    auto sel = router.resolve("llama-3-8b", "", rng);
    ASSERT_TRUE(sel);
    EXPECT_FALSE(sel->sticky);
    ++counts[sel->subset->name];
  }
  EXPECT_NEAR(counts["v1"] / double(kDraws), 0.9, 0.01);
  EXPECT_NEAR(counts["v2"] / double(kDraws), 0.1, 0.01);
}

TEST(Router, SameSessionAlwaysLandsOnTheSameSubset) {
  Router router(table_of({canary("x-session-id")}));
  std::mt19937_64 rng(1);
  std::map<std::string, int> per_subset;
  for (int s = 0; s < 2000; ++s) {
    const std::string session = "session-" + std::to_string(s);
    auto first = router.resolve("llama-3-8b", session, rng);
    ASSERT_TRUE(first && first->sticky);
    for (int again = 0; again < 5; ++again) {
      EXPECT_EQ(router.resolve("llama-3-8b", session, rng)->subset->name, first->subset->name);
    }
    ++per_subset[first->subset->name];
  }
  // Sessions spread by weight too.
  EXPECT_NEAR(per_subset["v2"] / 2000.0, 0.1, 0.03);
  EXPECT_FALSE(router.resolve("llama-3-8b", "", rng)->sticky);  // no header: random
}

TEST(Router, SessionHashIsStable) {
  EXPECT_EQ(session_hash("abc"), session_hash("abc"));
  EXPECT_NE(session_hash("abc"), session_hash("abd"));
  EXPECT_EQ(session_hash(""), session_hash(""));
}

TEST(Router, UnroutedModelAllowsEverything) {
  Router router(table_of({canary()}));
  std::mt19937_64 rng(1);
  EXPECT_FALSE(router.resolve("other", "", rng));
  EXPECT_FALSE(Router().resolve("llama-3-8b", "", rng));
}

TEST(Router, SubsetsMatchNodesByIdOrLabels) {
  Router router(table_of({ModelRoute{"m", {Subset{"v2", 1, {}, {{"version", "v2"}}}}, ""}}));
  std::mt19937_64 rng(1);
  auto sel = router.resolve("m", "", rng);
  ASSERT_TRUE(sel);
  EXPECT_TRUE(sel->allows("n9", {{"version", "v2"}, {"gpu", "h100"}}));
  EXPECT_FALSE(sel->allows("n9", {{"version", "v1"}}));
  EXPECT_FALSE(sel->allows("n9", {}));
  const Subset by_id{"v1", 1, {"n1"}, {}};
  EXPECT_TRUE(by_id.contains("n1", {}));
  EXPECT_FALSE(by_id.contains("n2", {}));
}

TEST(Router, ZeroWeightSubsetGetsNoTraffic) {
  Router router(table_of({ModelRoute{"m", {Subset{"old", 0, {"a"}, {}}, Subset{"new", 5, {"b"}, {}}}, ""}}));
  std::mt19937_64 rng(3);
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(router.resolve("m", "", rng)->subset->name, "new");
}

TEST(Router, ReplaceSwapsAtomicallyAndOldSelectionsStayValid) {
  Router router(table_of({canary()}));
  std::mt19937_64 rng(1);
  auto before = router.resolve("llama-3-8b", "", rng);
  router.replace(table_of({ModelRoute{"llama-3-8b", {Subset{"v3", 1, {"n3"}, {}}}, ""}}));
  auto after = router.resolve("llama-3-8b", "", rng);
  ASSERT_TRUE(before && after);
  EXPECT_EQ(after->subset->name, "v3");
  EXPECT_TRUE(before->subset->name == "v1" || before->subset->name == "v2");  // still alive
  router.replace(nullptr);
  EXPECT_FALSE(router.resolve("llama-3-8b", "", rng));
}

TEST(RouteTable, ValidationNamesTheProblem) {
  auto bad = [](std::vector<ModelRoute> routes) {
    auto t = RouteTable::build(std::move(routes));
    EXPECT_FALSE(t.is_ok());
    return t.is_ok() ? std::string() : t.status().param();
  };
  EXPECT_EQ(bad({ModelRoute{"m", {}, ""}}), "routes.m.subsets");
  EXPECT_EQ(bad({ModelRoute{"m", {Subset{"a", 0, {"n"}, {}}}, ""}}), "routes.m.subsets");
  EXPECT_EQ(bad({ModelRoute{"m", {Subset{"a", 1, {}, {}}}, ""}}), "routes.m.subsets.a");
  EXPECT_EQ(bad({ModelRoute{"m", {Subset{"a", 1, {"n"}, {}}, Subset{"a", 1, {"n"}, {}}}, ""}}),
            "routes.m.subsets");
  EXPECT_EQ(bad({canary(), canary()}), "routes.llama-3-8b");
  EXPECT_EQ(bad({ModelRoute{"", {}, ""}}), "routes.model");
}

}  // namespace
}  // namespace autoglm::routing

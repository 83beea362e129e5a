// Canary routes in the gateway: a subset's nodes become the task's allowed node indices;
// sticky sessions stay on one subset; a route whose subset has no node is reported.
#include "api/model_routes.hpp"

#include <gtest/gtest.h>

#include <set>

namespace autoglm::api {
namespace {

std::vector<core::NodeSpec> cluster() {
  return {{"a", "http://127.0.0.1:1", {"m"}, {{"version", "v1"}}, 0},
          {"b", "http://127.0.0.1:2", {"m"}, {{"version", "v1"}}, 0},
          {"c", "http://127.0.0.1:3", {"m"}, {{"version", "v2"}}, 0}};
}

config::RouteConfig canary(std::uint32_t v1, std::uint32_t v2, std::string sticky = "") {
  return {"m", std::move(sticky),
          {{"v1", v1, {"a", "b"}, {}}, {"v2", v2, {}, {{"version", "v2"}}}}};
}

ModelRoutes routes_of(std::vector<config::RouteConfig> routes) {
  auto table = build_route_table(routes);
  EXPECT_TRUE(table.is_ok()) << table.status().message();
  return ModelRoutes(std::move(table).value());
}

const auto kNoHeaders = [](std::string_view) { return std::string_view(); };

TEST(ModelRoutes, AModelWithoutARouteMayUseEveryNode) {
  dispatch::NodeSet nodes(cluster());
  ModelRoutes routes = routes_of({});
  EXPECT_FALSE(routes.choose("m", kNoHeaders, nodes));
}

TEST(ModelRoutes, SubsetsBecomeNodeIndices) {
  dispatch::NodeSet nodes(cluster());
  ModelRoutes all_v2 = routes_of({canary(0, 1)});
  auto choice = all_v2.choose("m", kNoHeaders, nodes);
  ASSERT_TRUE(choice);
  EXPECT_EQ(choice->subset, "v2");
  EXPECT_EQ(choice->nodes, (std::vector<std::uint32_t>{2}));

  ModelRoutes all_v1 = routes_of({canary(1, 0)});
  choice = all_v1.choose("m", kNoHeaders, nodes);
  ASSERT_TRUE(choice);
  EXPECT_EQ(choice->nodes, (std::vector<std::uint32_t>{0, 1}));
}

TEST(ModelRoutes, StickySessionsKeepTheirSubset) {
  dispatch::NodeSet nodes(cluster());
  ModelRoutes routes = routes_of({canary(50, 50, "x-session-id")});
  std::set<std::string> seen;
  for (int i = 0; i < 20; ++i) {
    auto choice = routes.choose(
        "m", [](std::string_view name) {
          return name == "x-session-id" ? std::string_view("user-42") : std::string_view();
        },
        nodes);
    ASSERT_TRUE(choice);
    seen.insert(choice->subset);
  }
  EXPECT_EQ(seen.size(), 1u);
}

TEST(ModelRoutes, ReplaceSwapsTheTable) {
  dispatch::NodeSet nodes(cluster());
  ModelRoutes routes = routes_of({canary(1, 0)});
  routes.replace(std::move(build_route_table({canary(0, 1)})).value());
  EXPECT_EQ(routes.choose("m", kNoHeaders, nodes)->subset, "v2");
}

TEST(ModelRoutes, ASubsetMatchingNoNodeGivesNoIndices) {
  dispatch::NodeSet nodes(cluster());
  ModelRoutes routes = routes_of({{"m", "", {{"v3", 1, {"gone"}, {}}}}});
  auto choice = routes.choose("m", kNoHeaders, nodes);
  ASSERT_TRUE(choice);
  EXPECT_TRUE(choice->nodes.empty());
}

TEST(ModelRoutes, InvalidRoutesAreRejected) {
  EXPECT_FALSE(build_route_table({{"m", "", {}}}).is_ok()) << "a route needs a subset";
  EXPECT_FALSE(build_route_table({canary(0, 0)}).is_ok()) << "weights must not all be zero";
}

}  // namespace
}  // namespace autoglm::api

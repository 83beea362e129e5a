#include "api/router.hpp"

#include <gtest/gtest.h>

namespace autoglm::api {
namespace {

Router<int> routes() {
  Router<int> r;
  r.add("GET", "/v1/tasks", 1);
  r.add("POST", "/v1/tasks", 2);
  r.add("GET", "/v1/tasks/{id}", 3);
  r.add("DELETE", "/v1/tasks/{id}", 4);
  r.add("POST", "/admin/v1/nodes/{id}/drain", 5);
  return r;
}

TEST(Router, MatchesLiteralPathsByMethod) {
  const auto r = routes();
  auto m = r.match("GET", "/v1/tasks");
  ASSERT_NE(m.handler, nullptr);
  EXPECT_EQ(*m.handler, 1);
  m = r.match("POST", "/v1/tasks");
  ASSERT_NE(m.handler, nullptr);
  EXPECT_EQ(*m.handler, 2);
}

TEST(Router, CapturesNamedSegments) {
  const auto r = routes();
  auto m = r.match("DELETE", "/v1/tasks/abc-1");
  ASSERT_NE(m.handler, nullptr);
  EXPECT_EQ(*m.handler, 4);
  EXPECT_EQ(m.params.at("id"), "abc-1");
  m = r.match("POST", "/admin/v1/nodes/gpu-3/drain");
  ASSERT_NE(m.handler, nullptr);
  EXPECT_EQ(m.params.at("id"), "gpu-3");
}

TEST(Router, KnownPathWithOtherMethodListsAllowedMethods) {
  const auto r = routes();
  auto m = r.match("PUT", "/v1/tasks/x");
  EXPECT_EQ(m.handler, nullptr);
  EXPECT_EQ(m.allowed, (std::vector<std::string>{"GET", "DELETE"}));
}

TEST(Router, UnknownPathsMatchNothing) {
  const auto r = routes();
  for (std::string_view path : {"/v1/task", "/v1/tasks/a/b", "/", "/admin/v1/nodes/x"}) {
    auto m = r.match("GET", path);
    EXPECT_EQ(m.handler, nullptr) << path;
    EXPECT_TRUE(m.allowed.empty()) << path;
  }
}

TEST(Router, TrailingAndDoubledSlashesDoNotMatter) {
  const auto r = routes();
  EXPECT_NE(r.match("GET", "/v1/tasks/").handler, nullptr);
  EXPECT_NE(r.match("GET", "//v1//tasks").handler, nullptr);
}

TEST(Router, ARestSegmentTakesTheRemainingPath) {
  Router<int> r;
  r.add("GET", "/ui/{path...}", 1);
  r.add("GET", "/ui/{path...}/never", 2);  // only a last segment is a rest segment
  auto m = r.match("GET", "/ui/assets/index-1a2b.js");
  ASSERT_NE(m.handler, nullptr);
  EXPECT_EQ(*m.handler, 1);
  EXPECT_EQ(m.params.at("path"), "assets/index-1a2b.js");
  for (std::string_view bare : {"/ui", "/ui/"}) {
    m = r.match("GET", bare);
    ASSERT_NE(m.handler, nullptr) << bare;
    EXPECT_EQ(m.params.at("path"), "") << bare;
  }
  EXPECT_EQ(r.match("GET", "/uix/a").handler, nullptr);
  EXPECT_EQ(r.match("POST", "/ui/a").allowed, std::vector<std::string>{"GET"});
}

}  // namespace
}  // namespace autoglm::api

#include "dispatch/node_set.hpp"

#include <algorithm>

#include <gtest/gtest.h>

namespace autoglm::dispatch {
namespace {

using std::chrono::milliseconds;

std::vector<core::NodeSpec> three_nodes() {
  return {{"a", "http://127.0.0.1:9001", {"m1"}, {}},
          {"b", "http://127.0.0.1:9002", {"m1", "m2"}, {}},
          {"c", "http://localhost:9003/v1/", {"m2"}, {}}};
}

TEST(NodeSet, ParsesHostAndPortFromUrls) {
  NodeSet nodes(three_nodes());
  EXPECT_EQ(nodes.at(0).host, "127.0.0.1");
  EXPECT_EQ(nodes.at(0).port, "9001");
  EXPECT_EQ(nodes.at(2).host, "localhost");
  EXPECT_EQ(nodes.at(2).port, "9003");
  EXPECT_EQ(nodes.at(2).base_path, "/v1") << "a path prefix is kept";
  EXPECT_EQ(nodes.at(0).base_path, "");
}

TEST(NodeSet, RejectsNonHttpUrls) {
  EXPECT_THROW(NodeSet({{"x", "https://a:1", {"m"}, {}}}), std::invalid_argument);
  EXPECT_THROW(NodeSet({{"x", "a:1", {"m"}, {}}}), std::invalid_argument);
}

TEST(NodeSet, ModelsIsTheSortedUnion) {
  NodeSet nodes(three_nodes());
  EXPECT_EQ(nodes.models(), (std::vector<std::string>{"m1", "m2"}));
  EXPECT_TRUE(nodes.serves("m2"));
  EXPECT_FALSE(nodes.serves("m3"));
}

TEST(NodeSet, FailedNodeIsDownUntilBackoffPasses) {
  NodeSet nodes(three_nodes());
  const auto now = SteadyTime{} + std::chrono::seconds(100);
  nodes.mark_failed(0, now, milliseconds(500));
  EXPECT_FALSE(nodes.is_up(0, now));
  EXPECT_TRUE(nodes.any_up("m1", now)) << "b still serves m1";
  EXPECT_TRUE(nodes.is_up(0, now + milliseconds(500)));
  nodes.mark_failed(1, now, milliseconds(500));
  EXPECT_FALSE(nodes.any_up("m1", now + milliseconds(100)));
  EXPECT_TRUE(nodes.any_up("m2", now + milliseconds(100))) << "c serves m2";
  nodes.mark_ok(1);
  EXPECT_TRUE(nodes.any_up("m1", now + milliseconds(100)));
}

}  // namespace
}  // namespace autoglm::dispatch

namespace autoglm::dispatch {
namespace {

TEST(NodeSet, AddedNodesGetTheNextIndexAndCanBeFound) {
  NodeSet nodes(three_nodes());
  auto added = nodes.add({"d", "http://127.0.0.1:9004", {"m3"}, {}});
  ASSERT_TRUE(added.is_ok()) << added.status().message();
  EXPECT_EQ(*added, 3u);
  EXPECT_EQ(nodes.size(), 4u);
  EXPECT_EQ(nodes.find("d"), std::optional<std::size_t>(3));
  EXPECT_EQ(nodes.find("zz"), std::nullopt);
  EXPECT_TRUE(nodes.serves("m3"));
}

TEST(NodeSet, BadUrlsAreErrorsNotExceptionsWhenAdding) {
  NodeSet nodes({});
  auto added = nodes.add({"x", "https://a:1", {"m"}, {}});
  ASSERT_FALSE(added.is_ok());
  EXPECT_EQ(added.status().param(), "url");
  EXPECT_FALSE(nodes.add({"x", "http://a:port", {"m"}, {}}).is_ok());
  EXPECT_EQ(nodes.size(), 0u);
}

TEST(NodeSet, RemovedNodesServeNothingAndAreNeverUp) {
  NodeSet nodes(three_nodes());
  nodes.mark_removed(0);
  const auto now = std::chrono::steady_clock::now();
  EXPECT_FALSE(nodes.is_up(0, now));
  EXPECT_TRUE(nodes.serves("m1")) << "b still serves m1";
  nodes.mark_removed(1);
  EXPECT_FALSE(nodes.serves("m1"));
  EXPECT_FALSE(nodes.any_up("m1", now));
  EXPECT_EQ(nodes.models(), (std::vector<std::string>{"m2"}));
  EXPECT_EQ(nodes.find("a"), std::optional<std::size_t>(0)) << "indices stay";
}

}  // namespace
}  // namespace autoglm::dispatch

#include "policy/scorers/prefix_affinity.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "policy/fake_nodes.hpp"
#include "policy/scorers/prefix_index.hpp"

namespace autoglm::policy {
namespace {

using ::testing::DoubleEq;
using ::testing::ElementsAre;
using namespace testing;

std::vector<std::uint64_t> chain(std::uint64_t family, int blocks) {
  std::vector<std::uint64_t> h;
  for (int i = 0; i < blocks; ++i) h.push_back(family * 1000 + static_cast<std::uint64_t>(i));
  return h;
}

TaskSpec task_with(std::vector<std::uint64_t> hashes) {
  auto t = make_task();
  t.prefix_hashes = std::move(hashes);
  return t;
}

TEST(PrefixAffinityScorer, PrefersTheNodeWithTheLongestPrefix) {
  Env env;
  auto nodes = make_nodes(3);
  PrefixAffinityScorer s;
  s.on_dispatch(task_with(chain(1, 2)), nodes[0]);  // first 2 blocks
  s.on_dispatch(task_with(chain(1, 4)), nodes[1]);  // all 4 blocks
  EXPECT_THAT(scores(s, task_with(chain(1, 4)), nodes, env),
              ElementsAre(DoubleEq(0.5), DoubleEq(1.0), DoubleEq(0.0)));
}

TEST(PrefixAffinityScorer, MatchStopsAtTheFirstMissingBlock) {
  Env env;
  auto nodes = make_nodes(1);
  PrefixAffinityScorer s;
  auto other = chain(2, 4);
  other[0] = chain(1, 1)[0];  // shares only the first block, then diverges
  s.on_dispatch(task_with(other), nodes[0]);
  EXPECT_THAT(scores(s, task_with(chain(1, 4)), nodes, env), ElementsAre(DoubleEq(0.25)));
}

TEST(PrefixAffinityScorer, YieldsToBalanceWhenLoadsDiverge) {
  Env env;
  auto nodes = make_nodes(2);
  PrefixAffinityScorer s;  // imbalanced: max - min > 8 and max > 1.5 * min
  s.on_dispatch(task_with(chain(1, 4)), nodes[0]);
  nodes[0].in_flight = 20;
  nodes[1].in_flight = 2;
  const auto out = scores(s, task_with(chain(1, 4)), nodes, env);
  EXPECT_LT(out[0], out[1]);  // the idle node wins despite having no prefix
  EXPECT_DOUBLE_EQ(out[0], 0.0);
  EXPECT_DOUBLE_EQ(out[1], 0.9);  // 1 - 2/20
}

TEST(PrefixAffinityScorer, KeepsAffinityWhileLoadsAreClose) {
  Env env;
  auto nodes = make_nodes(2);
  PrefixAffinityScorer s;
  s.on_dispatch(task_with(chain(1, 4)), nodes[0]);
  nodes[0].in_flight = 12;  // 12 - 6 = 6: under the absolute slack of 8
  nodes[1].in_flight = 6;
  EXPECT_THAT(scores(s, task_with(chain(1, 4)), nodes, env),
              ElementsAre(DoubleEq(1.0), DoubleEq(0.0)));
}

TEST(PrefixAffinityScorer, TaskWithoutPrefixScoresZeroEverywhere) {
  Env env;
  auto nodes = make_nodes(2);
  PrefixAffinityScorer s;
  s.on_dispatch(task_with(chain(1, 4)), nodes[0]);
  EXPECT_THAT(scores(s, make_task(), nodes, env), ElementsAre(DoubleEq(0.0), DoubleEq(0.0)));
}

TEST(PrefixAffinityScorer, APreferredNodeCountsAsAFullMatch) {
  Env env;
  auto nodes = make_nodes(3);
  PrefixAffinityScorer s;
  s.on_dispatch(task_with(chain(1, 4)), nodes[0]);
  auto t = task_with(chain(2, 4));  // a DAG node's prompt: no block cached anywhere
  t.preferred_node = 2;             // but node 2 ran its upstream task
  EXPECT_THAT(scores(s, t, nodes, env), ElementsAre(DoubleEq(0.0), DoubleEq(0.0), DoubleEq(1.0)));
  auto empty = make_task();  // even without prefix hashes
  empty.preferred_node = 1;
  EXPECT_THAT(scores(s, empty, nodes, env),
              ElementsAre(DoubleEq(0.0), DoubleEq(1.0), DoubleEq(0.0)));
}

TEST(PrefixAffinityScorer, APreferredNodeLoadedPastTheBalanceGuardLosesItsPull) {
  Env env;
  auto nodes = make_nodes(2);
  PrefixAffinityScorer s;
  auto t = task_with(chain(2, 4));
  t.preferred_node = 0;
  nodes[0].in_flight = 20;
  nodes[1].in_flight = 2;
  const auto out = scores(s, t, nodes, env);
  EXPECT_LT(out[0], out[1]);
}

TEST(PrefixAffinityScorer, NodeResetForgetsItsBlocks) {
  Env env;
  auto nodes = make_nodes(2);
  PrefixAffinityScorer s;
  s.on_dispatch(task_with(chain(1, 4)), nodes[0]);
  s.on_dispatch(task_with(chain(1, 4)), nodes[1]);
  s.on_node_reset(0);
  EXPECT_THAT(scores(s, task_with(chain(1, 4)), nodes, env),
              ElementsAre(DoubleEq(0.0), DoubleEq(1.0)));
}

TEST(PrefixIndex, StaysWithinItsBoundAndEvictsTheLeastRecentlyUsed) {
  PrefixIndex index(4);
  index.insert(0, chain(1, 2));  // blocks 1000, 1001
  index.insert(0, chain(2, 2));  // blocks 2000, 2001: full
  index.insert(0, chain(1, 1));  // touch 1000 again
  index.insert(0, chain(3, 1));  // 3000 evicts the least recently used: 1001
  EXPECT_EQ(index.blocks(0), 4u);
  EXPECT_TRUE(index.holds(0, 1000));
  EXPECT_FALSE(index.holds(0, 1001));
  EXPECT_TRUE(index.holds(0, 2000));
  EXPECT_TRUE(index.holds(0, 3000));
}

TEST(PrefixIndex, ChainHeadsAreEvictedLast) {
  PrefixIndex index(3);
  index.insert(0, chain(1, 5));  // 5 blocks into 3 slots: the first 3 stay
  EXPECT_TRUE(index.holds(0, 1000));
  EXPECT_TRUE(index.holds(0, 1001));
  EXPECT_TRUE(index.holds(0, 1002));
  EXPECT_FALSE(index.holds(0, 1004));
}

TEST(PrefixIndex, MatchCountsLeadingBlocksPerNode) {
  PrefixIndex index(16);
  index.insert(0, chain(1, 3));
  index.insert(2, chain(1, 1));
  std::vector<std::uint32_t> matched(index.node_slots(), 0);
  std::vector<core::NodeIndex> touched;
  const auto query = chain(1, 4);
  index.match(query, matched, touched);
  EXPECT_THAT(matched, ElementsAre(3u, 0u, 1u));
  EXPECT_THAT(touched, ::testing::UnorderedElementsAre(0u, 2u));
}

TEST(PrefixIndex, EvictionUpdatesTheBlockToNodeView) {
  PrefixIndex index(1);
  index.insert(0, chain(1, 1));
  index.insert(0, chain(2, 1));  // evicts 1000
  std::vector<std::uint32_t> matched(index.node_slots(), 0);
  std::vector<core::NodeIndex> touched;
  const auto query = chain(1, 1);
  index.match(query, matched, touched);
  EXPECT_TRUE(touched.empty());
}

}  // namespace
}  // namespace autoglm::policy

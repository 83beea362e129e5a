#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <vector>

#include "policy/pickers/max_score.hpp"
#include "policy/pickers/p2c.hpp"
#include "policy/pickers/round_robin.hpp"
#include "policy/pickers/weighted_random.hpp"

namespace autoglm::policy {
namespace {

TEST(MaxScorePicker, PicksTheBest) {
  Rng rng(1);
  const std::vector<Candidate> c{{0, 0.2}, {1, 0.9}, {2, 0.5}};
  EXPECT_EQ(MaxScorePicker{}.pick(c, rng), 1u);
}

TEST(MaxScorePicker, SharesTiesAmongEqualNodes) {
  Rng rng(1);
  const std::vector<Candidate> c{{0, 0.7}, {1, 0.7}, {2, 0.1}, {3, 0.7}};
  std::map<std::size_t, int> picks;
  for (int i = 0; i < 300; ++i) ++picks[MaxScorePicker{}.pick(c, rng)];
  EXPECT_EQ(picks.count(2), 0u);
  EXPECT_GT(picks[0], 50);
  EXPECT_GT(picks[1], 50);
  EXPECT_GT(picks[3], 50);
}

TEST(MaxScorePicker, SingleCandidate) {
  Rng rng(1);
  const std::vector<Candidate> c{{4, 0.3}};
  EXPECT_EQ(MaxScorePicker{}.pick(c, rng), 0u);
}

TEST(MaxScorePicker, ClearBestAnywhereDrawsNothing) {
  for (std::size_t n : {1, 2, 3, 4, 5, 8, 9, 100}) {
    for (std::size_t at = 0; at < n; ++at) {
      std::vector<Candidate> c;
      for (std::size_t i = 0; i < n; ++i) c.push_back({NodeIndex(i), 0.1 + 0.001 * (i % 7)});
      c[at].score = 0.9;
      Rng rng(1);
      const Rng before = rng;
      EXPECT_EQ(MaxScorePicker{}.pick(c, rng), at) << n;
      EXPECT_EQ(rng, before) << n;  // no tie: the rng is left alone
    }
  }
}

TEST(MaxScorePicker, ScoresWithinTheTieMarginShareTheLoad) {
  Rng rng(1);
  const std::vector<Candidate> c{{0, 0.2}, {1, 0.7}, {2, 0.7 + 0.5e-9}};
  std::map<std::size_t, int> picks;
  for (int i = 0; i < 200; ++i) ++picks[MaxScorePicker{}.pick(c, rng)];
  EXPECT_EQ(picks.count(0), 0u);
  EXPECT_GT(picks[1], 50);
  EXPECT_GT(picks[2], 50);
}

TEST(MaxScorePicker, TiesAreJudgedInCandidateOrder) {
  // 0.7 + 0.8e-9 is tied with 0.7, but 0.7 + 1.6e-9 beats 0.7 (the best when it comes) by
  // more than the margin: it takes over alone, though it is within the margin of the second.
  Rng rng(1);
  const std::vector<Candidate> c{{0, 0.7}, {1, 0.7 + 0.8e-9}, {2, 0.7 + 1.6e-9}};
  for (int i = 0; i < 50; ++i) EXPECT_EQ(MaxScorePicker{}.pick(c, rng), 2u);
}

TEST(WeightedRandomPicker, DrawsRoughlyInProportionToScore) {
  Rng rng(7);
  const std::vector<Candidate> c{{0, 1.0}, {1, 3.0}, {2, 0.0}};
  std::vector<int> picks(3);
  const int draws = 20000;
  WeightedRandomPicker p;
  for (int i = 0; i < draws; ++i) ++picks[p.pick(c, rng)];
  EXPECT_NEAR(picks[0] / double(draws), 0.25, 0.02);
  EXPECT_NEAR(picks[1] / double(draws), 0.75, 0.02);
  EXPECT_EQ(picks[2], 0);
}

TEST(WeightedRandomPicker, AllZeroScoresDrawUniformly) {
  Rng rng(7);
  const std::vector<Candidate> c{{0, 0.0}, {1, 0.0}, {2, 0.0}, {3, 0.0}};
  std::vector<int> picks(4);
  WeightedRandomPicker p;
  for (int i = 0; i < 8000; ++i) ++picks[p.pick(c, rng)];
  for (int n : picks) EXPECT_NEAR(n / 8000.0, 0.25, 0.03);
}

TEST(P2cPicker, SamplesTwoAndPicksTheBetter) {
  Rng rng(1);
  P2cPicker p;
  EXPECT_EQ(p.sample_size(), 2);
  const std::vector<Candidate> c{{5, 0.3}, {9, 0.8}};
  EXPECT_EQ(p.pick(c, rng), 1u);
}

TEST(RoundRobinPicker, CyclesThroughNodesIgnoringScores) {
  Rng rng(1);
  RoundRobinPicker p;
  const std::vector<Candidate> c{{0, 0.0}, {1, 9.0}, {2, 0.5}};
  std::vector<NodeIndex> order;
  for (int i = 0; i < 6; ++i) order.push_back(c[p.pick(c, rng)].node);
  EXPECT_THAT(order, ::testing::ElementsAre(0, 1, 2, 0, 1, 2));
}

TEST(RoundRobinPicker, KeepsRotatingWhenTheCandidateSetChanges) {
  Rng rng(1);
  RoundRobinPicker p;
  const std::vector<Candidate> all{{0, 0}, {1, 0}, {2, 0}, {3, 0}};
  const std::vector<Candidate> without_2{{0, 0}, {1, 0}, {3, 0}};
  EXPECT_EQ(all[p.pick(all, rng)].node, 0u);
  EXPECT_EQ(all[p.pick(all, rng)].node, 1u);
  EXPECT_EQ(without_2[p.pick(without_2, rng)].node, 3u);  // 2 is gone: next is 3
  EXPECT_EQ(all[p.pick(all, rng)].node, 0u);              // wraps around
}

}  // namespace
}  // namespace autoglm::policy

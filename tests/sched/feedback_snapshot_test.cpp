// Feedback from finished tasks as the scheduler applies it, and the snapshot.
#include <gtest/gtest.h>

#include "sched/scheduler.hpp"
#include "sched/test_support.hpp"

namespace autoglm::sched {
namespace {

using namespace testing;

TaskResult result(Duration ttft, Duration e2e, std::int64_t tokens, bool ok = true) {
  TaskResult r;
  r.ok = ok;
  r.ttft = ttft;
  r.e2e = e2e;
  r.output_tokens = tokens;
  return r;
}

TEST(SchedulerFeedback, FinishedTasksUpdateTheNodesEwma) {
  SchedulerOptions o;
  o.ewma_alpha = 0.5;
  Harness h(o);
  h.add("n0", 4);
  h.submit(task(1));
  h.submit(task(2));
  h.submit(task(3));
  h.finish(1, result(100ms, 1100ms, 11));  // tpot 100 ms
  h.finish(2, result(300ms, 2300ms, 21));  // tpot 100 ms
  const auto& fb = h.node(0).feedback;
  EXPECT_EQ(fb.samples, 2);
  EXPECT_DOUBLE_EQ(fb.ttft_ms, 200);
  EXPECT_DOUBLE_EQ(fb.tpot_ms, 100);
  EXPECT_DOUBLE_EQ(fb.e2e_ms, 1700);
  // A node failure is counted, not averaged in.
  h.finish(3, result(0ms, 5ms, 0, false));
  EXPECT_EQ(fb.samples, 2);
  EXPECT_DOUBLE_EQ(fb.e2e_ms, 1700);
  EXPECT_EQ(h.scheduler.snapshot().scores[0].failures, 1u);
  EXPECT_EQ(h.node(0).in_flight, 0);
}

TEST(SchedulerFeedback, WeightsAreRecomputedEveryFeedbackInterval) {
  SchedulerOptions o;
  o.feedback_interval = 10s;
  Harness h(o);
  h.add("fast", 4);
  h.add("slow", 4);
  h.add("idle", 4);
  h.submit(task(1));
  h.scheduler.set_draining(0, true);
  h.submit(task(2));  // to "slow"
  h.scheduler.set_draining(0, false);
  h.finish(1, result(100ms, 1s, 10));
  h.finish(2, result(100ms, 3s, 10));
  h.clock.advance(9s);
  h.tick();
  EXPECT_DOUBLE_EQ(h.node(1).feedback.weight, 1.0);  // not yet
  h.clock.advance(1s);
  h.tick();
  EXPECT_DOUBLE_EQ(h.node(0).feedback.weight, 1.0);
  EXPECT_DOUBLE_EQ(h.node(1).feedback.weight, 100.0 / 300.0);  // (3-3+1)*100 / (3-1+1)*100
  EXPECT_DOUBLE_EQ(h.node(2).feedback.weight, 1.0);            // no samples
}

TEST(SchedulerFeedback, TokensPerJouleWhenPowerIsReported) {
  SchedulerOptions o;
  o.feedback_interval = 10s;
  Harness h(o);
  h.add("n0", 4);
  core::NodeMetrics m;
  m.power_watts = 500;
  h.scheduler.update_metrics(0, m);
  h.submit(task(1));
  h.finish(1, result(100ms, 1s, 1000));
  h.clock.advance(10s);
  h.tick();
  EXPECT_DOUBLE_EQ(h.node(0).feedback.tokens_per_joule, 1000.0 / (500.0 * 10.0));
}

TEST(Snapshot, ShowsQueuesTotalsPolicyAndNodeScores) {
  std::vector<policy::WeightedScorer> scorers;
  scorers.push_back({std::make_unique<FreeSlotsScorer>(), 2.0});
  std::vector<std::unique_ptr<policy::Filter>> filters;
  filters.push_back(std::make_unique<ExcludeNodeFilter>("banned"));
  auto pipeline =
      std::make_unique<policy::Pipeline>("free_slots_policy", std::move(filters),
                                         std::move(scorers), std::make_unique<LowestIndexPicker>());
  Harness h({}, std::move(pipeline));
  h.add("n0", 2, {"m", "x"});
  h.add("n1", 4);
  h.add("n2", 4);
  h.add("other", 4, {"x"});
  h.add("y0", 4, {"y"});
  h.add("banned", 4);
  h.scheduler.set_healthy(2, false);
  h.scheduler.set_healthy(4, false);
  h.submit(task(1));                                 // n0
  h.submit(task(2));                                 // n0, now full
  h.submit(task(3));                                 // n1
  h.submit(task(4, PriorityClass::kBatch, "y"));     // queued: y0 is down
  h.submit(task(5, PriorityClass::kCritical, "y"));  // queued

  auto snap = h.scheduler.snapshot();
  EXPECT_EQ(snap.policy, "free_slots_policy");
  EXPECT_NE(snap.policy_parts.find("free_slots"), std::string::npos);
  EXPECT_EQ(snap.queued, (std::array<std::size_t, 4>{1, 0, 1, 0}));
  EXPECT_EQ(snap.in_flight, 3u);
  EXPECT_EQ(snap.dispatched_total, 3u);
  ASSERT_EQ(snap.scores.size(), 6u);
  EXPECT_EQ(snap.scores[0].id, "n0");
  EXPECT_FALSE(snap.scores[0].eligible);  // full
  EXPECT_EQ(snap.scores[0].in_flight, 2);
  EXPECT_TRUE(snap.scores[1].eligible);
  EXPECT_DOUBLE_EQ(snap.scores[1].score, 1.0 - 1.0 / 4.0);  // weights are normalised
  EXPECT_FALSE(snap.scores[2].eligible);                    // unhealthy
  EXPECT_FALSE(snap.scores[3].eligible);                    // does not serve "m", the first model
  EXPECT_FALSE(snap.scores[4].eligible);
  EXPECT_FALSE(snap.scores[5].eligible);  // the policy's filter rules it out
}

TEST(Snapshot, TakingOneDoesNotChangeWhatHappensNext) {
  auto run = [](bool with_snapshots) {
    Harness h({}, preset_pipeline("round_robin"));
    for (int i = 0; i < 3; ++i) h.add("n" + std::to_string(i), 8);
    std::vector<NodeIndex> nodes;
    for (TaskId id = 1; id <= 9; ++id) {
      if (with_snapshots) h.scheduler.snapshot();
      for (const auto& p : h.submit(task(id)).dispatch) nodes.push_back(p.node);
    }
    return nodes;
  };
  EXPECT_EQ(run(true), run(false));
}

TEST(Snapshot, WithPresetPolicyScoresEveryEligibleNode) {
  Harness h({}, preset_pipeline("least_request"));
  h.add("n0", 4);
  h.add("n1", 4);
  h.scheduler.set_draining(1, true);
  h.submit(task(1));
  h.submit(task(2));
  h.scheduler.set_draining(1, false);
  h.add("n2", 4);
  auto snap = h.scheduler.snapshot();
  EXPECT_EQ(snap.policy, "least_request");
  ASSERT_EQ(snap.scores.size(), 3u);
  for (const auto& s : snap.scores) EXPECT_TRUE(s.eligible) << s.id;
  EXPECT_GT(snap.scores[1].score, snap.scores[0].score);  // idle beats busy
}

}  // namespace
}  // namespace autoglm::sched

#include "monitor/outlier_detector.hpp"

#include <gtest/gtest.h>

namespace autoglm::monitor {
namespace {

using std::chrono::seconds;
using O = RequestOutcome;

std::vector<std::string> ids(int n) {
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i) out.push_back("n" + std::to_string(i));
  return out;
}

OutlierDetector detector(int nodes, OutlierConfig config = {}) {
  OutlierDetector d(config, core::Time{0});
  for (const auto& id : ids(nodes)) d.add_node(id);
  return d;
}

std::optional<Ejection> fail_times(OutlierDetector& d, const std::string& id, O outcome, int n,
                                   core::Time now) {
  std::optional<Ejection> last;
  for (int i = 0; i < n; ++i) {
    if (auto e = d.record(id, outcome, now)) last = e;
  }
  return last;
}

TEST(RequestOutcome, OnlyServerSideFailuresCount) {
  EXPECT_EQ(outcome_for_status(200), O::kSuccess);
  EXPECT_EQ(outcome_for_status(400), O::kClientError);
  EXPECT_EQ(outcome_for_status(408), O::kClientError);
  EXPECT_EQ(outcome_for_status(429), O::kClientError);
  EXPECT_EQ(outcome_for_status(500), O::kServerError);
  EXPECT_EQ(outcome_for_status(503), O::kGatewayError);
  EXPECT_FALSE(is_node_failure(O::kClientError));
  EXPECT_TRUE(is_node_failure(O::kServerError));
  EXPECT_FALSE(is_gateway_failure(O::kServerError));
  EXPECT_TRUE(is_gateway_failure(O::kConnectFailure));
  EXPECT_TRUE(is_local_origin_failure(O::kReset));
}

TEST(OutlierDetector, FiveConsecutiveGatewayFailuresEject) {
  auto d = detector(10);
  core::Time now{seconds(1)};
  EXPECT_FALSE(fail_times(d, "n0", O::kConnectFailure, 4, now));
  auto e = d.record("n0", O::kConnectFailure, now);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->node_id, "n0");
  EXPECT_EQ(e->until, now + seconds(30));
  EXPECT_EQ(e->times_ejected, 1);
  EXPECT_NE(e->reason.find("gateway failures"), std::string::npos) << e->reason;
  EXPECT_TRUE(d.is_ejected("n0"));
}

TEST(OutlierDetector, PlainFiveHundredsCountAsConsecutive5xx) {
  auto d = detector(10);
  auto e = fail_times(d, "n1", O::kServerError, 5, core::Time{0});
  ASSERT_TRUE(e);
  EXPECT_NE(e->reason.find("5xx"), std::string::npos) << e->reason;
}

TEST(OutlierDetector, BurstOfClientErrorsNeverEjects) {
  auto d = detector(3);
  core::Time now{0};
  for (int i = 0; i < 1000; ++i) {
    EXPECT_FALSE(d.record("n0", outcome_for_status(400), now));
    EXPECT_FALSE(d.record("n1", outcome_for_status(429), now));
    EXPECT_FALSE(d.record("n2", outcome_for_status(413), now));
  }
  EXPECT_EQ(d.ejected_count(), 0);
  EXPECT_EQ(d.info("n0")->consecutive_5xx, 0);
}

TEST(OutlierDetector, SuccessOrClientErrorResetsTheStreak) {
  auto d = detector(10);
  core::Time now{0};
  fail_times(d, "n0", O::kGatewayError, 4, now);
  d.record("n0", O::kClientError, now);
  EXPECT_FALSE(fail_times(d, "n0", O::kGatewayError, 4, now));
  d.record("n0", O::kSuccess, now);
  EXPECT_FALSE(fail_times(d, "n0", O::kGatewayError, 4, now));
  EXPECT_FALSE(d.is_ejected("n0"));
}

TEST(OutlierDetector, EjectionEndsAtATickAfterItsTime) {
  auto d = detector(10);
  fail_times(d, "n0", O::kTimeout, 5, core::Time{0});
  EXPECT_TRUE(d.tick(core::Time{seconds(29)}).empty());
  EXPECT_TRUE(d.is_ejected("n0"));
  auto back = d.tick(core::Time{seconds(30)});
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0], "n0");
  EXPECT_FALSE(d.is_ejected("n0"));
}

TEST(OutlierDetector, FlappingNodeIsEjectedForLongerEachTime) {
  OutlierConfig config;
  config.interval = seconds(10);
  auto d = detector(10, config);
  core::Time now{0};
  std::vector<core::Duration> lengths;
  for (int round = 0; round < 4; ++round) {
    auto e = fail_times(d, "n0", O::kConnectFailure, 5, now);
    ASSERT_TRUE(e) << "round " << round;
    lengths.push_back(e->until - now);
    now = e->until;
    d.tick(now);  // back in service and fails again at once
  }
  EXPECT_EQ(lengths[0], seconds(30));
  EXPECT_EQ(lengths[1], seconds(60));
  EXPECT_EQ(lengths[2], seconds(90));
  EXPECT_EQ(lengths[3], seconds(120));
}

TEST(OutlierDetector, EjectionTimeIsCappedByMaxEjectionTime) {
  OutlierConfig config;
  config.base_ejection_time = seconds(100);
  config.max_ejection_time = seconds(250);
  auto d = detector(10, config);
  core::Time now{0};
  core::Duration last{};
  for (int round = 0; round < 4; ++round) {
    auto e = fail_times(d, "n0", O::kConnectFailure, 5, now);
    ASSERT_TRUE(e);
    last = e->until - now;
    now = e->until;
    d.tick(now);
  }
  EXPECT_EQ(last, seconds(250));
}

TEST(OutlierDetector, MultiplierDecaysWhileTheNodeStaysWell) {
  OutlierConfig config;
  config.interval = seconds(10);
  auto d = detector(10, config);
  fail_times(d, "n0", O::kConnectFailure, 5, core::Time{0});
  d.tick(core::Time{seconds(30)});
  EXPECT_EQ(d.info("n0")->times_ejected, 1);
  d.tick(core::Time{seconds(40)});
  EXPECT_EQ(d.info("n0")->times_ejected, 0);
  auto e = fail_times(d, "n0", O::kConnectFailure, 5, core::Time{seconds(41)});
  ASSERT_TRUE(e);
  EXPECT_EQ(e->until - core::Time{seconds(41)}, seconds(30)) << "forgiven: base time again";
  EXPECT_EQ(d.info("n0")->total_ejections, 2u);
}

TEST(OutlierDetector, NeverMoreThanMaxEjectionPercentButAlwaysOne) {
  auto small = detector(3);  // 10% of 3 rounds to zero, yet one may go
  core::Time now{0};
  EXPECT_TRUE(fail_times(small, "n0", O::kConnectFailure, 5, now));
  EXPECT_FALSE(fail_times(small, "n1", O::kConnectFailure, 5, now));
  EXPECT_EQ(small.ejected_count(), 1);

  OutlierConfig config;
  config.max_ejection_percent = 50;
  auto half = detector(4, config);
  for (const auto& id : ids(4)) fail_times(half, id, O::kConnectFailure, 5, now);
  EXPECT_EQ(half.ejected_count(), 2);
}

TEST(OutlierDetector, StreakKeptWhenTheCapBlocksSoItEjectsLater) {
  auto d = detector(3);
  core::Time now{0};
  fail_times(d, "n0", O::kConnectFailure, 5, now);
  EXPECT_FALSE(fail_times(d, "n1", O::kConnectFailure, 5, now));
  d.tick(core::Time{seconds(30)});
  auto e = d.record("n1", O::kConnectFailure, core::Time{seconds(30)});
  ASSERT_TRUE(e) << "n0 is back, so n1 may go now";
  EXPECT_EQ(e->node_id, "n1");
}

TEST(OutlierDetector, DisabledOrUnknownNodesNeverEject) {
  OutlierConfig config;
  config.enabled = false;
  auto d = detector(10, config);
  EXPECT_FALSE(fail_times(d, "n0", O::kConnectFailure, 50, core::Time{0}));
  EXPECT_FALSE(d.record("nobody", O::kConnectFailure, core::Time{0}));
  EXPECT_FALSE(d.info("nobody"));
}

}  // namespace
}  // namespace autoglm::monitor

#include "loadgen/stats.hpp"

#include <gtest/gtest.h>

namespace autoglm::loadgen {
namespace {

TEST(Quantile, InterpolatesBetweenRanksLikeNumpy) {
  const std::vector<double> v{1, 2, 3, 4};
  EXPECT_DOUBLE_EQ(quantile(v, 0.0), 1);
  EXPECT_DOUBLE_EQ(quantile(v, 0.5), 2.5);
  EXPECT_DOUBLE_EQ(quantile(v, 0.99), 3.97);
  EXPECT_DOUBLE_EQ(quantile(v, 1.0), 4);
  EXPECT_DOUBLE_EQ(quantile({}, 0.5), 0);
  EXPECT_DOUBLE_EQ(quantile({7}, 0.99), 7);
}

TEST(Describe, SortsAndSummarises) {
  const Distribution d = describe({5, 1, 3});
  EXPECT_EQ(d.count, 3u);
  EXPECT_DOUBLE_EQ(d.mean, 3);
  EXPECT_DOUBLE_EQ(d.min, 1);
  EXPECT_DOUBLE_EQ(d.p50, 3);
  EXPECT_DOUBLE_EQ(d.max, 5);
}

RequestResult ok(double scheduled_s, double ttft, double e2e, std::int64_t tokens) {
  RequestResult r;
  r.scheduled_s = scheduled_s;
  r.ok = true;
  r.ttft_ms = ttft;
  r.e2e_ms = e2e;
  r.output_tokens = tokens;
  r.finished_s = scheduled_s + e2e / 1000;
  return r;
}

TEST(Summarize, LeavesWarmupOutAndCountsErrorsByKind) {
  std::vector<RequestResult> results;
  RequestResult warm = ok(0, 1000, 5000, 10);
  warm.warmup = true;
  results.push_back(warm);
  results.push_back(ok(1, 100, 1000, 11));  // tpot (1000-100)/10 = 90
  results.push_back(ok(2, 300, 2000, 1));   // one token: no tpot
  RequestResult failed;
  failed.scheduled_s = 3;
  failed.error = "http_503";
  failed.finished_s = 3.5;
  results.push_back(failed);

  const RunSummary s = summarize(results);
  EXPECT_EQ(s.sent, 4u);
  EXPECT_EQ(s.measured, 3u);
  EXPECT_EQ(s.succeeded, 2u);
  EXPECT_NEAR(s.success_rate, 2.0 / 3, 1e-12);
  EXPECT_EQ(s.errors.at("http_503"), 1u);
  EXPECT_DOUBLE_EQ(s.e2e_ms.mean, 1500);
  EXPECT_DOUBLE_EQ(s.ttft_ms.mean, 200);
  EXPECT_EQ(s.tpot_ms.count, 1u);
  EXPECT_DOUBLE_EQ(s.tpot_ms.mean, 90);
  // First measured send at 1 s, last finish at 4 s (the 2 s request ends at 2 + 2).
  EXPECT_DOUBLE_EQ(s.duration_s, 3);
  EXPECT_DOUBLE_EQ(s.request_throughput, 2.0 / 3);
  EXPECT_DOUBLE_EQ(s.output_token_throughput, 12.0 / 3);
}

TEST(Summarize, EmptyRunIsAllZero) {
  const RunSummary s = summarize({});
  EXPECT_EQ(s.measured, 0u);
  EXPECT_EQ(s.success_rate, 0);
  EXPECT_EQ(s.request_throughput, 0);
}

}  // namespace
}  // namespace autoglm::loadgen

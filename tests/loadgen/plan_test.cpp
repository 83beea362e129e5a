#include "loadgen/plan.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "parse/token_estimator.hpp"

namespace autoglm::loadgen {
namespace {

sim::Workload poisson(std::int64_t requests, double rate) {
  sim::WorkloadSpec spec;
  sim::SyntheticSource s;
  s.arrival.rate = rate;
  s.input = {sim::LengthDistribution::Kind::kFixed, 300};
  s.output = {sim::LengthDistribution::Kind::kFixed, 20};
  s.requests = requests;
  spec.source = s;
  auto w = sim::build_workload(spec, 7);
  EXPECT_TRUE(w.is_ok());
  return std::move(w).value();
}

TEST(PlanRequests, KeepsArrivalsAndMarksWarmup) {
  const auto workload = poisson(50, 10);
  PlanOptions options;
  options.warmup = 5;
  options.max_requests = 20;
  const auto plan = plan_requests(workload, options);
  ASSERT_EQ(plan.size(), 25u);
  for (std::size_t i = 0; i < plan.size(); ++i) {
    EXPECT_EQ(plan[i].warmup, i < 5);
    EXPECT_DOUBLE_EQ(plan[i].send_at_s,
                     std::chrono::duration<double>(workload.requests[i].arrival).count());
  }
  EXPECT_GT(plan.back().send_at_s, plan.front().send_at_s);
}

TEST(PlanRequests, ClosedLoopSendsEverythingAtOnceAndClampsPrompts) {
  PlanOptions options;
  options.closed_loop = true;
  options.max_input_tokens = 100;
  for (const auto& p : plan_requests(poisson(10, 10), options)) {
    EXPECT_EQ(p.send_at_s, 0);
    EXPECT_EQ(p.input_tokens, 100);
    EXPECT_EQ(p.output_tokens, 20);
  }
}

TEST(PlanRequests, SameSeedSameStream) {
  const auto a = plan_requests(poisson(10, 10), {});
  const auto b = plan_requests(poisson(10, 10), {});
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(request_body(a[i], {}), request_body(b[i], {}));
  }
}

TEST(PromptText, HasTheTokenCountTheEstimatorSees) {
  for (std::int64_t n : {1, 17, 512, 1300}) {
    EXPECT_EQ(parse::estimate_tokens(prompt_text(n, {}, 3)), n) << n;
  }
}

TEST(PromptText, EqualBlockHashesGiveEqualPrefixes) {
  const std::vector<std::uint64_t> shared{11, 22};
  const std::string a = prompt_text(1100, {11, 22, 33}, 1);
  const std::string b = prompt_text(1100, {11, 22, 44}, 2);
  const std::size_t two_blocks = 2 * 512 * 5;  // " abcd" per token
  EXPECT_EQ(a.substr(0, two_blocks), b.substr(0, two_blocks));
  EXPECT_NE(a.substr(two_blocks), b.substr(two_blocks));
  EXPECT_NE(prompt_text(100, {}, 1), prompt_text(100, {}, 2));
}

TEST(RequestBody, ChatCountsTheMessageOverhead) {
  PlannedRequest p;
  p.input_tokens = 106;
  p.output_tokens = 9;
  const auto body = boost::json::parse(request_body(p, {})).as_object();
  EXPECT_EQ(body.at("max_tokens").as_int64(), 9);
  EXPECT_TRUE(body.at("stream").as_bool());
  EXPECT_TRUE(body.at("stream_options").at("include_usage").as_bool());
  const auto& content = body.at("messages").at(0).at("content").as_string();
  EXPECT_EQ(parse::estimate_tokens(content), 100);
}

TEST(RequestBody, CompletionWithoutStreaming) {
  PlannedRequest p;
  p.input_tokens = 40;
  BodyOptions options;
  options.chat = false;
  options.stream = false;
  options.ignore_eos = false;
  const auto body = boost::json::parse(request_body(p, options)).as_object();
  EXPECT_EQ(parse::estimate_tokens(body.at("prompt").as_string()), 40);
  EXPECT_FALSE(body.at("stream").as_bool());
  EXPECT_FALSE(body.contains("stream_options"));
  EXPECT_FALSE(body.contains("ignore_eos"));
}

}  // namespace
}  // namespace autoglm::loadgen

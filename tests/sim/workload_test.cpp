#include "sim/workload.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <set>

namespace autoglm::sim {
namespace {

const std::string kFixtures = std::string(AUTOGLM_SOURCE_DIR) + "/tests/sim/data/";
const std::string kSharedData = std::string(AUTOGLM_SOURCE_DIR) + "/../shared/data/";

WorkloadSpec synthetic(std::int64_t n, ArrivalProcess arrival = {}) {
  SyntheticSource s;
  s.arrival = arrival;
  s.requests = n;
  s.input = {LengthDistribution::Kind::kUniform, 0, 100, 200};
  s.input.min = 100;
  s.input.max = 200;
  s.output = {LengthDistribution::Kind::kFixed, 50};
  WorkloadSpec w;
  w.source = s;
  w.model = "m";
  return w;
}

std::vector<double> gaps_s(const Workload& w) {
  std::vector<double> out;
  for (std::size_t i = 1; i < w.requests.size(); ++i) {
    out.push_back(core::to_ms(w.requests[i].arrival - w.requests[i - 1].arrival) / 1000);
  }
  return out;
}

double mean(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return s / double(v.size());
}

double cv(const std::vector<double>& v) {
  const double m = mean(v);
  double var = 0;
  for (double x : v) var += (x - m) * (x - m);
  return std::sqrt(var / double(v.size())) / m;
}

TEST(Workload, SameSeedSameWorkloadOtherSeedOther) {
  const auto a = build_workload(synthetic(500), 1).value();
  const auto b = build_workload(synthetic(500), 1).value();
  const auto c = build_workload(synthetic(500), 2).value();
  ASSERT_EQ(a.requests.size(), 500u);
  bool differs = false;
  for (std::size_t i = 0; i < a.requests.size(); ++i) {
    EXPECT_EQ(a.requests[i].arrival, b.requests[i].arrival);
    EXPECT_EQ(a.requests[i].input_tokens, b.requests[i].input_tokens);
    differs = differs || a.requests[i].arrival != c.requests[i].arrival;
  }
  EXPECT_TRUE(differs);
}

TEST(Workload, PoissonArrivalsHaveTheRateAndCvOne) {
  const auto w = build_workload(synthetic(20000, {ArrivalProcess::Kind::kPoisson, 50}), 3).value();
  const auto g = gaps_s(w);
  EXPECT_NEAR(mean(g), 1.0 / 50, 0.001);
  EXPECT_NEAR(cv(g), 1.0, 0.05);
}

TEST(Workload, GammaArrivalsHaveTheRateAndCv) {
  const auto w =
      build_workload(synthetic(50000, {ArrivalProcess::Kind::kGamma, 20, 4.0}), 3).value();
  const auto g = gaps_s(w);
  EXPECT_NEAR(mean(g), 1.0 / 20, 0.005);
  EXPECT_NEAR(cv(g), 4.0, 0.6);
}

TEST(Workload, LengthDistributions) {
  Rng rng = make_rng(1, 1);
  LengthDistribution fixed{LengthDistribution::Kind::kFixed, 77};
  EXPECT_EQ(fixed.sample(rng), 77);
  LengthDistribution uniform{LengthDistribution::Kind::kUniform, 0, 10, 12};
  std::set<std::int64_t> seen;
  for (int i = 0; i < 1000; ++i) seen.insert(uniform.sample(rng));
  EXPECT_EQ(seen, (std::set<std::int64_t>{10, 11, 12}));
  LengthDistribution logn{LengthDistribution::Kind::kLognormal};
  logn.mean = 1000;
  logn.sigma = 0.8;
  double sum = 0;
  for (int i = 0; i < 100000; ++i) sum += double(logn.sample(rng));
  EXPECT_NEAR(sum / 100000, 1000, 20);
  logn.max = 500;
  for (int i = 0; i < 1000; ++i) EXPECT_LE(logn.sample(rng), 500);
}

TEST(Workload, SyntheticStopsAtTheDuration) {
  WorkloadSpec spec = synthetic(0, {ArrivalProcess::Kind::kPoisson, 100});
  EXPECT_FALSE(build_workload(spec, 1));  // neither a count nor a duration
  spec.duration_s = 10;
  const auto w = build_workload(spec, 1).value();
  EXPECT_NEAR(double(w.requests.size()), 1000, 120);
  EXPECT_LE(w.requests.back().arrival, core::Time(std::chrono::seconds(10)));
}

TEST(Workload, RateScalingCompressesTime) {
  WorkloadSpec spec = synthetic(2000, {ArrivalProcess::Kind::kPoisson, 10});
  const auto base = build_workload(spec, 5).value();
  spec.rate_scale = 2;
  const auto fast = build_workload(spec, 5).value();
  ASSERT_EQ(fast.requests.size(), base.requests.size());
  EXPECT_NEAR(core::to_ms(fast.requests.back().arrival) * 2, core::to_ms(base.requests.back().arrival),
              1);
}

TEST(Workload, TraceWindowAndRateScale) {
  TraceSource t;
  t.format = TraceFormat::kAzure;
  t.path = kFixtures + "azure_small.csv";
  WorkloadSpec spec;
  spec.source = t;
  spec.model = "m";
  const auto all = build_workload(spec, 1).value();
  ASSERT_EQ(all.requests.size(), 4u);
  EXPECT_EQ(all.requests[3].output_tokens, 1);  // 0 in the trace: at least one token
  EXPECT_EQ(all.requests[0].max_output_tokens, 44);  // the real length, by default

  t.start_s = 1;
  t.end_s = 20;
  spec.source = t;
  spec.rate_scale = 0.5;
  const auto window = build_workload(spec, 1).value();
  ASSERT_EQ(window.requests.size(), 2u);
  // 4.31 s and 13.32 s into the trace; from 1 s, at half speed: 6.63 s and 24.64 s.
  EXPECT_NEAR(core::to_ms(window.requests[0].arrival), 6629.158, 0.01);
  EXPECT_NEAR(core::to_ms(window.requests[1].arrival), 24638.82, 0.01);
  EXPECT_NE(window.description.find("rate x0.5"), std::string::npos) << window.description;
}

TEST(Workload, RateScaleOnTheRealTraceDoublesTheRate) {
  if (!std::filesystem::exists(kSharedData + "azure2023_AzureLLMInferenceTrace_code.csv")) {
    GTEST_SKIP() << "../shared/data is missing";
  }
  TraceSource t;
  t.format = TraceFormat::kAzure;
  t.path = kSharedData + "azure2023_AzureLLMInferenceTrace_code.csv";
  WorkloadSpec spec;
  spec.source = t;
  spec.duration_s = 1200;
  const auto base = build_workload(spec, 1).value();
  spec.duration_s = 600;
  spec.rate_scale = 2;
  const auto fast = build_workload(spec, 1).value();
  // Twice as fast: the first 600 s hold the first 1,200 s of the trace, at half the times.
  ASSERT_EQ(fast.requests.size(), base.requests.size());
  ASSERT_GT(base.requests.size(), 1000u);
  for (std::size_t i = 0; i < base.requests.size(); ++i) {
    EXPECT_NEAR(double(fast.requests[i].arrival.count()) * 2,
                double(base.requests[i].arrival.count()), 2);
  }
}

TEST(Workload, MooncakeBlocksBecomeChainedPrefixHashes) {
  TraceSource t;
  t.format = TraceFormat::kMooncake;
  t.path = kFixtures + "mooncake_small.jsonl";
  t.spread_steps = false;
  WorkloadSpec spec;
  spec.source = t;
  const auto w = build_workload(spec, 1).value();
  ASSERT_EQ(w.requests.size(), 6u);
  const auto& a = w.requests[0].prefix_hashes;  // ids 0, 1
  const auto& b = w.requests[1].prefix_hashes;  // ids 0, 2, 3
  const auto& d = w.requests[3].prefix_hashes;  // ids 0, 1, 5
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(a[0], b[0]);
  EXPECT_NE(a[1], b[1]);
  EXPECT_EQ(a[1], d[1]);
  EXPECT_EQ(a[1], chain_block_hash(chain_block_hash(0, 0), 1));
  // The same block id after a different prefix is a different block.
  EXPECT_NE(chain_block_hash(chain_block_hash(0, 4), 1), a[1]);
}

TEST(Workload, PrefixGroupsShareTheirLeadingBlocks) {
  WorkloadSpec spec = synthetic(4000);
  spec.prefix_groups = {4, 2048, 0.75};
  const auto w = build_workload(spec, 9).value();
  std::map<std::uint64_t, int> first_block;
  int grouped = 0;
  for (const Request& r : w.requests) {
    if (r.prefix_hashes.empty()) {
      EXPECT_LE(r.input_tokens, 200);
      continue;
    }
    ++grouped;
    EXPECT_GE(r.input_tokens, 2048 + 100);
    EXPECT_EQ(r.prefix_hashes.size(), std::size_t((r.input_tokens + 511) / 512));
    ++first_block[r.prefix_hashes[0]];
  }
  EXPECT_NEAR(grouped / 4000.0, 0.75, 0.03);
  EXPECT_EQ(first_block.size(), 4u);  // one chain per group
  // Four shared blocks, then each request's own.
  const Request* a = nullptr;
  const Request* b = nullptr;
  for (const Request& r : w.requests) {
    if (r.prefix_hashes.empty()) continue;
    if (!a) {
      a = &r;
    } else if (r.prefix_hashes[0] == a->prefix_hashes[0]) {
      b = &r;
      break;
    }
  }
  ASSERT_TRUE(a && b);
  for (int k = 0; k < 4; ++k) EXPECT_EQ(a->prefix_hashes[k], b->prefix_hashes[k]);
  EXPECT_NE(a->prefix_hashes[4], b->prefix_hashes[4]);
}

TEST(Workload, PriorityAndModalityMixes) {
  WorkloadSpec spec = synthetic(10000);
  spec.priority.weights = {1, 6, 3, 0};
  spec.modality = {0.2, 0.1, 576, 300};
  const auto w = build_workload(spec, 4).value();
  std::map<core::PriorityClass, int> classes;
  int vision = 0, speech = 0;
  for (const Request& r : w.requests) {
    ++classes[r.priority_class];
    EXPECT_EQ(r.priority_level, core::default_level(r.priority_class));
    EXPECT_EQ(r.latency == core::LatencyClass::kBatch,
              r.priority_class == core::PriorityClass::kBatch);
    if (r.modality == core::Modality::kVision) {
      ++vision;
      EXPECT_GE(r.input_tokens, 676);
    }
    if (r.modality == core::Modality::kSpeech) ++speech;
  }
  EXPECT_NEAR(classes[core::PriorityClass::kCritical] / 10000.0, 0.1, 0.02);
  EXPECT_NEAR(classes[core::PriorityClass::kStandard] / 10000.0, 0.6, 0.02);
  EXPECT_NEAR(classes[core::PriorityClass::kBatch] / 10000.0, 0.3, 0.02);
  EXPECT_EQ(classes[core::PriorityClass::kSheddable], 0);
  EXPECT_NEAR(vision / 10000.0, 0.2, 0.02);
  EXPECT_NEAR(speech / 10000.0, 0.1, 0.02);
}

TEST(Workload, MaxOutputTokensCapsWhatTheSchedulerIsToldAndTheEngineMakes) {
  WorkloadSpec spec = synthetic(10);
  spec.max_output_tokens = 20;
  const auto w = build_workload(spec, 1).value();
  for (const Request& r : w.requests) {
    EXPECT_EQ(r.max_output_tokens, 20);
    EXPECT_EQ(r.output_tokens, 20);  // 50 drawn, stopped at the cap
  }
}

}  // namespace
}  // namespace autoglm::sim

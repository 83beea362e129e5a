#include "sim/report.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <gtest/gtest.h>

namespace autoglm::sim {
namespace {

using namespace std::chrono_literals;

TEST(Report, LatencyPercentilesAreNearestRank) {
  std::vector<double> v;
  for (int i = 100; i >= 1; --i) v.push_back(i);
  const LatencyStats s = latency_stats(v);
  EXPECT_EQ(s.samples, 100u);
  EXPECT_DOUBLE_EQ(s.mean_ms, 50.5);
  EXPECT_EQ(s.p50_ms, 50);
  EXPECT_EQ(s.p90_ms, 90);
  EXPECT_EQ(s.p99_ms, 99);
  std::vector<double> none;
  EXPECT_EQ(latency_stats(none).p99_ms, 0);
}

// Four requests on two nodes: one success (TTFT 100 ms, e2e 1 s, 10 tokens), one shed, one
// timeout, one failure; node a busy 5 of the 10 s, node b 0.
struct Fixture {
  Workload workload;
  SimulationResult result;
  Fixture() {
    workload.requests.resize(4);
    workload.requests[0].output_tokens = 10;
    result.policy = "p";
    result.requests.resize(4);
    result.requests[0] = {Outcome::kSuccess, 0, 1, 1, core::Time(1s), 100ms, 1s, 0};
    result.requests[1].outcome = Outcome::kShed;
    result.requests[2].outcome = Outcome::kTimeout;
    result.requests[3].outcome = Outcome::kFailed;
    result.start = core::Time(0s);
    result.end = core::Time(10s);
    result.prompt_tokens_placed = 1000;
    result.cached_tokens_placed = 250;
    // id, profile, placements, peak tokens/s, busy, busy while offered, down, ...
    result.nodes = {{"a", "h100-80gb-8b", 3, 300, 5, 4, 0, 0, 0},
                    {"b", "l4-24gb-8b", 1, 100, 0, 0, 0, 0, 0}};
  }
};

TEST(Report, SummarizesOutcomesLatencyAndNodes) {
  Fixture f;
  const PolicyReport r = summarize(f.workload, f.result);
  EXPECT_EQ(r.requests, 4u);
  EXPECT_EQ(r.succeeded, 1u);
  EXPECT_EQ(r.shed, 1u);
  EXPECT_EQ(r.timed_out, 1u);
  EXPECT_EQ(r.failed, 1u);
  EXPECT_DOUBLE_EQ(r.success_rate, 0.25);
  EXPECT_DOUBLE_EQ(r.ttft.mean_ms, 100);
  EXPECT_DOUBLE_EQ(r.e2e.mean_ms, 1000);
  EXPECT_DOUBLE_EQ(r.tpot.mean_ms, 100);  // 900 ms over 9 tokens after the first
  EXPECT_DOUBLE_EQ(r.duration_s, 10);
  EXPECT_DOUBLE_EQ(r.goodput_rps, 0.1);
  EXPECT_DOUBLE_EQ(r.goodput_tokens_per_s, 1.0);
  EXPECT_DOUBLE_EQ(r.gpu_util, 0.25);            // (0.5 + 0) / 2
  EXPECT_DOUBLE_EQ(r.gpu_util_weighted, 0.375);  // 0.5 * 300 / 400
  EXPECT_DOUBLE_EQ(r.cache_hit_rate, 0.25);
  EXPECT_DOUBLE_EQ(r.load_cv, 0.5);  // 3 and 1 requests: mean 2, sd 1
}

TEST(Report, UtilisationCountsOnlyWhileLoadWasOffered) {
  Fixture f;
  f.result.last_arrival = core::Time(8s);  // node a: 4 s busy of those 8
  const PolicyReport r = summarize(f.workload, f.result);
  EXPECT_DOUBLE_EQ(r.nodes[0].gpu_util, 0.5);
  EXPECT_DOUBLE_EQ(r.gpu_util, 0.25);
  EXPECT_DOUBLE_EQ(r.duration_s, 10);  // goodput still over the whole run
}

TEST(Report, RendersJsonShapedByPolicy) {
  Fixture f;
  ScenarioReport report{"seed-table", "w", {summarize(f.workload, f.result)}};
  report.policies.push_back(report.policies[0]);
  report.policies[1].policy = "dynamic";
  const std::string text = render_report(report, ReportFormat::kJson);
  const boost::json::value doc = boost::json::parse(text);
  EXPECT_EQ(doc.at("scenario").as_string(), "seed-table");
  const auto& p = doc.at("policies").at("p").as_object();
  EXPECT_EQ(p.at("success_rate").to_number<double>(), 0.25);
  EXPECT_EQ(p.at("mean_e2e_ms").to_number<double>(), 1000);
  EXPECT_EQ(p.at("p99_ttft_ms").to_number<double>(), 100);
  EXPECT_EQ(p.at("gpu_util").to_number<double>(), 0.25);
  EXPECT_EQ(p.at("nodes").as_array().size(), 2u);
  EXPECT_TRUE(doc.at("policies").as_object().contains("dynamic"));
  EXPECT_NE(text.find("\"success_rate\": 0.25,"), std::string::npos) << text;
}

TEST(Report, RendersTableCsvMarkdownAndSeedTable) {
  Fixture f;
  ScenarioReport report{"s", "w", {summarize(f.workload, f.result)}};
  const std::string csv = render_report(report, ReportFormat::kCsv);
  EXPECT_EQ(csv.substr(0, csv.find('\n')),
            "scenario,policy,requests,mean_e2e_ms,gpu_util_pct,success_pct,gpu_util_weighted_pct,"
            "p50_e2e_ms,p99_e2e_ms,mean_ttft_ms,p99_ttft_ms,mean_tpot_ms,cache_hit_pct,load_cv,"
            "goodput_rps,shed,timed_out,failed");
  EXPECT_NE(csv.find("\ns,p,4,1000,25.0,25.0,37.5,"), std::string::npos) << csv;
  const std::string md = render_report(report, ReportFormat::kMarkdown);
  EXPECT_NE(md.find("| p "), std::string::npos) << md;
  EXPECT_NE(md.find("|---"), std::string::npos) << md;
  const std::string seed = render_report(report, ReportFormat::kSeedTable);
  EXPECT_NE(seed.find("average response time (ms)  GPU utilisation (%)  task success rate (%)"),
            std::string::npos)
      << seed;
  EXPECT_EQ(report_format_from_name("md"), ReportFormat::kMarkdown);
  EXPECT_FALSE(report_format_from_name("xml"));
}

}  // namespace
}  // namespace autoglm::sim

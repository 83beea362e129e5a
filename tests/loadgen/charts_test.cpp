#include "loadgen/charts.hpp"

#include <gtest/gtest.h>

#include "loadgen/report.hpp"

namespace autoglm::loadgen {
namespace {

TEST(Charts, ReadsBackWhatTheReportWrites) {
  std::vector<RequestResult> requests(3);
  requests[0].ok = true;
  requests[0].ttft_ms = 10;
  requests[0].e2e_ms = 100;
  requests[1] = requests[0];
  requests[1].warmup = true;
  requests[2].error = "timeout";
  ReportInput in;
  in.label = "nginx <rr>";
  in.summary = summarize(requests);
  in.requests = &requests;
  auto run = read_run_latencies(report_json(in));
  ASSERT_TRUE(run.is_ok());
  EXPECT_EQ(run->label, "nginx <rr>");
  EXPECT_EQ(run->ttft_ms, std::vector<double>{10});
  EXPECT_EQ(run->e2e_ms, std::vector<double>{100});

  const std::string svg = latency_cdf_svg({*run}, "e2e", "peers");
  EXPECT_NE(svg.find("<svg"), std::string::npos);
  EXPECT_NE(svg.find("nginx &lt;rr&gt;"), std::string::npos);
}

TEST(Charts, WithoutPerRequestDataItSaysHowToGetIt) {
  ReportInput in;
  auto run = read_run_latencies(report_json(in));
  ASSERT_FALSE(run.is_ok());
  EXPECT_NE(run.status().message().find("--per-request"), std::string::npos);
}

}  // namespace
}  // namespace autoglm::loadgen

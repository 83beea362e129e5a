// `autoglm bench` against a real simnode: the requests it sends are the ones it planned
// (the node counts the same tokens), results reach the JSON, thousands of streams share its
// one thread, and failures are counted, not hidden.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
#include <sstream>

#include "integration/http_client.hpp"
#include "integration/process.hpp"

namespace autoglm::testing {
namespace {

boost::json::object read_json(const std::filesystem::path& path) {
  std::ifstream f(path);
  std::stringstream text;
  text << f.rdbuf();
  return boost::json::parse(text.str()).as_object();
}

std::string base_url(std::uint16_t port) { return "http://127.0.0.1:" + std::to_string(port); }

TEST(BenchCli, SendsThePlannedTokensAndReportsEveryRequest) {
  TempDir dir;
  auto node = start_autoglm(dir, "node", {"simnode", "--port", "0", "--speedup", "20"});
  const auto out = dir.path() / "result.json";
  std::string output;
  const int rc = run_autoglm(
      {"bench", "--url", base_url(node.port), "--rate", "40", "--requests", "30", "--warmup", "2",
       "--input-tokens", "100", "--output-tokens", "12", "--metrics-url",
       base_url(node.port) + "/metrics", "--per-request", "--out", out.string(), "-q"},
      output);
  ASSERT_EQ(rc, 0) << output;
  EXPECT_NE(output.find("time to first token"), std::string::npos) << output;

  const auto doc = read_json(out);
  const auto& s = doc.at("summary").as_object();
  EXPECT_EQ(s.at("sent").to_number<std::uint64_t>(), 32u);
  EXPECT_EQ(s.at("measured").to_number<std::uint64_t>(), 30u);
  EXPECT_EQ(s.at("succeeded").to_number<std::uint64_t>(), 30u);
  const double ttft = s.at("ttft_ms").at("mean").as_double();
  EXPECT_GT(ttft, 0);
  EXPECT_GE(s.at("e2e_ms").at("mean").as_double(), ttft);
  EXPECT_EQ(s.at("tpot_ms").at("count").to_number<std::uint64_t>(), 30u);
  EXPECT_EQ(doc.at("requests").as_array().size(), 32u);
  for (const auto& r : doc.at("requests").as_array())
    EXPECT_EQ(r.at("output_tokens").as_int64(), 12);
  ASSERT_EQ(doc.at("nodes").as_array().size(), 1u);
  EXPECT_GT(doc.at("nodes").at(0).at("samples").to_number<std::uint64_t>(), 0u);

  // The node counted what the plan said: 32 prompts of 100 tokens, 32 answers of 12.
  const std::string metrics = http_get(node.port, "/metrics").body;
  EXPECT_NE(metrics.find("\nvllm:prompt_tokens_total{model_name=\"autoglm-sim-8b\"} 3200\n"),
            std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find("\nvllm:generation_tokens_total{model_name=\"autoglm-sim-8b\"} 384\n"),
            std::string::npos)
      << metrics;
}

TEST(BenchCli, HoldsAThousandConcurrentStreams) {
  TempDir dir;
  auto node = start_autoglm(dir, "node", {"simnode", "--port", "0", "--zero-delay"});
  const auto out = dir.path() / "result.json";
  std::string output;
  const int rc = run_autoglm(
      {"bench", "--url", base_url(node.port), "--rate", "0", "--concurrency", "1000", "--requests",
       "3000", "--input-tokens", "20", "--output-tokens", "4", "--out", out.string(), "-q"},
      output);
  ASSERT_EQ(rc, 0) << output;
  const auto s = read_json(out).at("summary").as_object();
  EXPECT_EQ(s.at("succeeded").to_number<std::uint64_t>(), 3000u) << output;
}

TEST(BenchCli, CountsFailuresByKind) {
  TempDir dir;
  auto node = start_autoglm(dir, "node", {"simnode", "--port", "0", "--zero-delay"});
  const auto out = dir.path() / "result.json";
  std::string output;
  // The node serves another model: every request is a 404.
  const int rc = run_autoglm({"bench", "--url", base_url(node.port), "--model", "no-such-model",
                              "--rate", "100", "--requests", "5", "--out", out.string(), "-q"},
                             output);
  EXPECT_EQ(rc, 1) << output;
  const auto s = read_json(out).at("summary").as_object();
  EXPECT_EQ(s.at("succeeded").to_number<std::uint64_t>(), 0u);
  EXPECT_EQ(s.at("errors").at("http_404").to_number<std::uint64_t>(), 5u) << output;
}

TEST(BenchCli, ComparesRunsAsCdfCharts) {
  TempDir dir;
  auto node = start_autoglm(dir, "node", {"simnode", "--port", "0", "--zero-delay"});
  const auto out = dir.path() / "result.json";
  std::string output;
  ASSERT_EQ(run_autoglm({"bench", "--url", base_url(node.port), "--rate", "200", "--requests", "20",
                         "--per-request", "--label", "direct", "--out", out.string(), "-q"},
                        output),
            0)
      << output;
  ASSERT_EQ(
      run_autoglm({"bench", "--compare", out.string(), "--chart-dir", dir.path().string()}, output),
      0)
      << output;
  std::ifstream svg(dir.path() / "e2e_cdf.svg");
  std::stringstream text;
  text << svg.rdbuf();
  EXPECT_NE(text.str().find(">direct<"), std::string::npos);
}

}  // namespace
}  // namespace autoglm::testing

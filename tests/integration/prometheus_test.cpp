// GET /metrics read by the real thing: a Prometheus server (Debian's `prometheus`) scrapes
// the gateway, and one metric is queried back through Prometheus' HTTP API.
#include <thread>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "integration/http_client.hpp"
#include "integration/process.hpp"

namespace autoglm::testing {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;
constexpr const char* kModel = "autoglm-sim-8b";

bool have_prometheus() { return std::system("command -v prometheus >/dev/null 2>&1") == 0; }

// The gateway on its embedded simulated cluster of two nodes.
Started start_simulated_gateway(const TempDir& dir) {
  auto config = dir.write("gw.yaml",
                          "server:\n  port: 0\n  host: 127.0.0.1\n"
                          "cluster:\n  simulated:\n    enabled: true\n    speedup: 50\n"
                          "    nodes:\n      - profile: h100-80gb-8b\n        count: 2\n");
  return start_autoglm(dir, "gateway", {"serve", "-c", config.string()});
}

TEST(Prometheus, GatewayMetricsAreTextFormatAndNamed) {
  TempDir dir;
  Started gw = start_simulated_gateway(dir);
  ASSERT_EQ(http_post(gw.port, "/v1/chat/completions", chat_body(kModel, 4, false)).status, 200);
  // The gateway counts a request once its answer is written, so the client may read
  // /metrics a moment before the count lands.
  HttpResponse res;
  eventually(
      [&] {
        res = http_get(gw.port, "/metrics");
        return res.body.find("autoglm_requests_total{model=") != std::string::npos;
      },
      2s);
  ASSERT_EQ(res.status, 200);
  EXPECT_EQ(res.header("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  for (const char* name :
       {"# TYPE autoglm_requests_total counter", "# TYPE autoglm_ttft_seconds histogram",
        "# TYPE autoglm_e2e_seconds histogram", "# TYPE autoglm_queue_depth gauge",
        "autoglm_node_up{node=", "autoglm_node_breaker_state{node=", "autoglm_shed_total{class="}) {
    EXPECT_NE(res.body.find(name), std::string::npos) << name;
  }
  EXPECT_NE(res.body.find("autoglm_requests_total{model=\"autoglm-sim-8b\""), std::string::npos)
      << res.body.substr(0, 2000);
}

TEST(Prometheus, ARealPrometheusScrapesTheGatewayAndAnswersAQuery) {
  if (!have_prometheus()) GTEST_SKIP() << "prometheus is not installed (scripts/setup.sh installs it)";
  TempDir dir;
  Started gw = start_simulated_gateway(dir);
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(http_post(gw.port, "/v1/chat/completions", chat_body(kModel, 4, false)).status, 200);
  }

  const std::uint16_t port = free_port();
  auto prom_config = dir.write("prometheus.yml",
                               "global:\n  scrape_interval: 1s\n"
                               "scrape_configs:\n  - job_name: autoglm\n"
                               "    static_configs:\n      - targets: ['127.0.0.1:" +
                                   std::to_string(gw.port) + "']\n");
  Process prometheus("prometheus",
                     {"--config.file=" + prom_config.string(),
                      "--storage.tsdb.path=" + (dir.path() / "tsdb").string(),
                      "--web.listen-address=127.0.0.1:" + std::to_string(port)},
                     dir.path() / "prometheus.log");

  const std::string query =
      "/api/v1/query?query=sum(autoglm_requests_total%7Bstatus%3D%22200%22%7D)";
  double value = -1;
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  while (std::chrono::steady_clock::now() < deadline && value < 3) {
    std::this_thread::sleep_for(500ms);
    auto res = http_request(port, "GET", query, "", {}, 2s);
    if (res.status != 200) continue;
    auto body = json::parse(res.body).as_object();
    const auto& result = body.at("data").at("result").as_array();
    if (result.empty()) continue;
    value = std::stod(std::string(result[0].at("value").as_array()[1].as_string()));
  }
  EXPECT_GE(value, 3) << prometheus.log();
}

}  // namespace
}  // namespace autoglm::testing

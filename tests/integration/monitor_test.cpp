// Execution monitoring end to end: real simnodes and agents behind the real gateway. A node
// killed mid-stream, a node that hangs, nodes registered and drained at run time, and an
// agent's heartbeats.
#include <gtest/gtest.h>
#include <signal.h>

#include <boost/json.hpp>
#include <future>
#include <thread>

#include "integration/http_client.hpp"
#include "integration/process.hpp"
#include "integration/raw_server.hpp"

namespace autoglm::testing {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;
constexpr const char* kModel = "autoglm-sim-8b";

Started start_simnode(const TempDir& dir, const std::string& id, std::uint16_t port = 0,
                      const std::string& speedup = "20") {
  return start_autoglm(dir, id,
                       {"simnode", "--port", std::to_string(port), "--model", kModel, "--profile",
                        "h100-80gb-8b", "--node-id", id, "--speedup", speedup});
}

std::string node_entry(const std::string& id, std::uint16_t port) {
  return "  - id: " + id + "\n    url: http://127.0.0.1:" + std::to_string(port) +
         "\n    models: [" + kModel + "]\n";
}

// A gateway whose monitoring runs fast enough for tests; `nodes` is a YAML list body.
Started start_gateway(const TempDir& dir, const std::string& nodes, const std::string& extra = "") {
  std::string config =
      "server:\n  port: 0\n  host: 127.0.0.1\n  threads: 2\n"
      "upstream:\n  connect-timeout: 500ms\n  failure-backoff: 1s\n" +
      extra +
      "scheduler:\n  policy: round_robin\n"
      "monitor:\n  heartbeat: 200ms\n  scrape-interval: 100ms\n"
      "  health-check:\n    interval: 200ms\n    timeout: 200ms\n"
      "cluster:\n  simulated:\n    enabled: false\n"
      "nodes:" +
      (nodes.empty() ? std::string(" []\n") : "\n" + nodes);
  auto path = dir.write("gateway.yaml", config);
  return start_autoglm(dir, "gateway", {"serve", "-c", path.string()});
}

json::object node_report(std::uint16_t gateway, const std::string& id) {
  auto res = http_get(gateway, "/admin/v1/nodes/" + id);
  if (res.status != 200) return {};
  return json::parse(res.body).as_object();
}

std::string state_of(std::uint16_t gateway, const std::string& id) {
  auto report = node_report(gateway, id);
  return report.contains("state") ? std::string(report.at("state").as_string()) : "";
}

TEST(Monitoring, NodeKilledMidStreamEndsTheStreamCleanlyAndStopsGettingWork) {
  TempDir dir;
  // Slow enough that a 400-token stream lasts a few seconds.
  Started a = start_simnode(dir, "a", 0, "1");
  Started b = start_simnode(dir, "b", 0, "1");
  Started gw = start_gateway(dir, node_entry("a", a.port) + node_entry("b", b.port));

  auto stream = std::async(std::launch::async, [&] {
    return http_request(gw.port, "POST", "/v1/chat/completions", chat_body(kModel, 400, true),
                        {{"content-type", "application/json"}}, 20s);
  });
  // The node serving it has one request pending.
  std::string serving;
  ASSERT_TRUE(eventually(
      [&] {
        for (const char* id : {"a", "b"}) {
          auto r = node_report(gw.port, id);
          if (r.contains("pending") && r.at("pending").as_int64() == 1) serving = id;
        }
        return !serving.empty();
      },
      5s));
  std::this_thread::sleep_for(300ms);  // let the stream begin
  const std::string survivor = serving == "a" ? "b" : "a";
  const auto killed_at = std::chrono::steady_clock::now();
  (serving == "a" ? a : b).process->signal(SIGKILL);

  auto res = stream.get();
  const auto ended_after = std::chrono::steady_clock::now() - killed_at;
  ASSERT_EQ(res.status, 200) << res.error;
  EXPECT_NE(res.body.find("\"error\""), std::string::npos)
      << res.body.size() << " bytes, ending: "
      << res.body.substr(res.body.size() - std::min<std::size_t>(res.body.size(), 400));
  ASSERT_GE(res.body.size(), 14u);
  EXPECT_EQ(res.body.substr(res.body.size() - 14), "data: [DONE]\n\n");
  EXPECT_LT(ended_after, 1s);

  // Within a second the gateway sends it nothing new: every request lands on the survivor.
  EXPECT_TRUE(
      eventually([&] { return !node_report(gw.port, serving).at("accepts_work").as_bool(); }, 1s));
  for (int i = 0; i < 6; ++i) {
    auto r = http_post(gw.port, "/v1/chat/completions", chat_body(kModel, 4, false));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.header("x-autoglm-node"), survivor);
  }
  EXPECT_TRUE(eventually([&] { return state_of(gw.port, serving) == "down"; }, 3s))
      << node_report(gw.port, serving);

  // It comes back on the same port and rejoins after passing health checks.
  const std::uint16_t port = serving == "a" ? a.port : b.port;
  Started back = start_simnode(dir, serving + "-again", port);
  ASSERT_EQ(back.port, port);
  EXPECT_TRUE(eventually([&] { return state_of(gw.port, serving) == "healthy"; }, 5s))
      << node_report(gw.port, serving);
}

// Accepts connections and never answers: a backend that hangs.
class HangingServer : public RawServer {};

TEST(Monitoring, HangingNodeTimesOutAndTheRequestIsServedElsewhere) {
  TempDir dir;
  HangingServer hang;
  Started good = start_simnode(dir, "good");
  Started gw = start_gateway(dir, node_entry("hang", hang.port()) + node_entry("good", good.port),
                             "  first-byte-timeout: 400ms\n");
  for (int i = 0; i < 4; ++i) {
    const auto began = std::chrono::steady_clock::now();
    auto r = http_post(gw.port, "/v1/chat/completions", chat_body(kModel, 4, true));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.header("x-autoglm-node"), "good");
    EXPECT_LT(std::chrono::steady_clock::now() - began, 3s);
  }
  // Its health checks time out too: it goes down.
  EXPECT_TRUE(eventually([&] { return state_of(gw.port, "hang") == "down"; }, 3s));
}

TEST(Monitoring, NodesRegisterDrainAndLeaveAtRunTime) {
  TempDir dir;
  Started node = start_simnode(dir, "dyn");
  Started gw = start_gateway(dir, "");
  // No node yet: nothing serves the model.
  EXPECT_EQ(http_post(gw.port, "/v1/chat/completions", chat_body(kModel, 4, false)).status, 404);

  const std::string registration = R"({"id":"dyn","url":"http://127.0.0.1:)" +
                                   std::to_string(node.port) + R"(","models":[")" + kModel +
                                   R"("],"labels":{"profile":"h100-80gb-8b"}})";
  auto created = http_post(gw.port, "/admin/v1/nodes", registration);
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(http_post(gw.port, "/admin/v1/nodes", registration).status, 200);  // again: same node
  EXPECT_EQ(http_post(gw.port, "/admin/v1/nodes", R"({"url":"http://x"})").status, 400);

  // It joins after passing health checks, then serves.
  ASSERT_TRUE(eventually([&] { return state_of(gw.port, "dyn") == "healthy"; }, 3s));
  auto served = http_post(gw.port, "/v1/chat/completions", chat_body(kModel, 4, false));
  ASSERT_EQ(served.status, 200) << served.body;
  EXPECT_EQ(served.header("x-autoglm-node"), "dyn");
  // Scraped backend metrics show up.
  EXPECT_TRUE(eventually([&] { return node_report(gw.port, "dyn").contains("scrape_age_s"); }, 2s));

  auto drained = http_request(gw.port, "POST", "/admin/v1/nodes/dyn/drain");
  ASSERT_EQ(drained.status, 200) << drained.body;
  EXPECT_EQ(state_of(gw.port, "dyn"), "draining");
  EXPECT_EQ(http_post(gw.port, "/v1/chat/completions", chat_body(kModel, 4, false)).status, 503);

  EXPECT_EQ(http_request(gw.port, "DELETE", "/admin/v1/nodes/dyn").status, 200);
  EXPECT_EQ(http_get(gw.port, "/admin/v1/nodes/dyn").status, 404);
  EXPECT_EQ(http_request(gw.port, "DELETE", "/admin/v1/nodes/dyn").status, 404);
  auto list = json::parse(http_get(gw.port, "/admin/v1/nodes").body).as_object();
  EXPECT_TRUE(list.at("data").as_array().empty());
}

TEST(Monitoring, AnAgentRegistersHeartbeatsAndIsMarkedDownWhenItStops) {
  TempDir dir;
  Started node = start_simnode(dir, "gpu-1");
  Started gw = start_gateway(dir, "");
  const std::string backend = "http://127.0.0.1:" + std::to_string(node.port);
  Process agent(
      {"agent", "--scheduler", "http://127.0.0.1:" + std::to_string(gw.port), "--node-id", "gpu-1",
       "--backend", backend, "--interval", "200ms", "--nvml-library", "libnvidia-ml-absent.so.1",
       // Fixed /proc files: the real host's CPU, busy with other tests, would
       // (rightly) make the scheduler pause the node above scheduler.cpu-threshold.
       "--proc-root", AUTOGLM_SOURCE_DIR "/tests/agent/fixtures/proc_a"},
      dir.path() / "agent.log");

  ASSERT_TRUE(eventually([&] { return state_of(gw.port, "gpu-1") == "healthy"; }, 5s))
      << agent.log();
  auto report = node_report(gw.port, "gpu-1");
  EXPECT_EQ(report.at("source").as_string(), "agent");
  EXPECT_EQ(report.at("gpu_status").as_string(), "no_library");
  EXPECT_FALSE(report.contains("gpus"));  // no NVML: no invented GPU numbers
  EXPECT_TRUE(report.contains("heartbeat_age_s"));
  EXPECT_TRUE(eventually(
      [&] { return node_report(gw.port, "gpu-1").at("metrics").as_object().contains("mem_util"); },
      3s));
  EXPECT_EQ(http_post(gw.port, "/v1/chat/completions", chat_body(kModel, 4, false)).status, 200);

  agent.signal(SIGKILL);
  EXPECT_TRUE(eventually([&] { return state_of(gw.port, "gpu-1") == "down"; }, 3s))
      << node_report(gw.port, "gpu-1");
}

// With auth on, node registration is an admin route: an agent without a key is refused
// and never appears; one with an admin key (--api-key) registers and heartbeats.
TEST(Monitoring, WithAuthOnlyAnAgentWithAnAdminKeyRegisters) {
  TempDir dir;
  const std::string admin = "agk_admin-0123456789abcdef";
  Started node = start_simnode(dir, "gpu-1");
  Started gw = start_gateway(dir, "",
                             "auth:\n  enabled: true\n  keys:\n"
                             "    - {id: key_admin, tenant: ops, admin: true, key: " +
                                 admin + "}\n");
  const auto report_status = [&](const std::string& id) {
    return http_request(gw.port, "GET", "/admin/v1/nodes/" + id, "",
                        {{"authorization", "Bearer " + admin}})
        .status;
  };
  const std::string scheduler = "http://127.0.0.1:" + std::to_string(gw.port);
  const std::string backend = "http://127.0.0.1:" + std::to_string(node.port);
  const std::vector<std::string> common{
      "--backend",      backend,
      "--interval",     "200ms",
      "--nvml-library", "libnvidia-ml-absent.so.1",
      "--proc-root",    AUTOGLM_SOURCE_DIR "/tests/agent/fixtures/proc_a"};
  std::vector<std::string> keyless{"agent", "--scheduler", scheduler, "--node-id", "keyless"};
  keyless.insert(keyless.end(), common.begin(), common.end());
  Process refused(keyless, dir.path() / "keyless.log");
  std::vector<std::string> keyed{"agent", "--scheduler", scheduler, "--node-id",
                                 "gpu-1", "--api-key",   admin};
  keyed.insert(keyed.end(), common.begin(), common.end());
  Process agent(keyed, dir.path() / "agent.log");

  ASSERT_TRUE(eventually([&] { return report_status("gpu-1") == 200; }, 5s)) << agent.log();
  EXPECT_TRUE(eventually([&] { return refused.log().find("401") != std::string::npos; }, 5s))
      << refused.log();
  EXPECT_EQ(report_status("keyless"), 404) << refused.log();
  EXPECT_EQ(agent.log().find(admin), std::string::npos);  // the key is never logged
}

}  // namespace
}  // namespace autoglm::testing

// The scheduler core in the live gateway: a fast and a slow simnode, the same load under
// round_robin and dynamic; decisions explained; the admin view.
#include <atomic>
#include <map>
#include <mutex>
#include <thread>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "integration/http_client.hpp"
#include "integration/process.hpp"

namespace autoglm::testing {
namespace {

namespace json = boost::json;
constexpr const char* kModel = "autoglm-sim-8b";

class SchedulingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fast_ = start_autoglm(dir_, "fast", {"simnode", "--port", "0", "--profile", "h100-80gb-8b",
                                         "--node-id", "fast", "--speedup", "4"});
    slow_ = start_autoglm(dir_, "slow", {"simnode", "--port", "0", "--profile", "l4-24gb-8b",
                                         "--node-id", "slow", "--speedup", "4"});
  }

  Started gateway(const std::string& policy) {
    std::string config =
        "server:\n  port: 0\n  host: 127.0.0.1\n  threads: 2\n"
        "scheduler:\n  policy: " + policy + "\n  feedback-interval: 100ms\n"
        "cluster:\n  simulated:\n    enabled: false\n"
        "nodes:\n"
        "  - {id: fast, url: 'http://127.0.0.1:" + std::to_string(fast_.port) +
        "', models: [" + kModel + "], labels: {profile: h100-80gb-8b}}\n"
        "  - {id: slow, url: 'http://127.0.0.1:" + std::to_string(slow_.port) +
        "', models: [" + kModel + "], labels: {profile: l4-24gb-8b}}\n";
    auto path = dir_.write(policy + ".yaml", config);
    return start_autoglm(dir_, "gateway-" + policy, {"serve", "-c", path.string()});
  }

  // Sends `total` requests from `clients` concurrent clients; returns requests per node.
  static std::map<std::string, int> load(std::uint16_t port, int clients, int total) {
    std::atomic<int> next{0};
    std::mutex mu;
    std::map<std::string, int> per_node;
    std::vector<std::thread> threads;
    for (int c = 0; c < clients; ++c) {
      threads.emplace_back([&] {
        while (next.fetch_add(1) < total) {
          std::string prompt(400, 'a');
          for (std::size_t i = 0; i < prompt.size(); i += 5) prompt[i] = ' ';
          auto res = http_post(port, "/v1/chat/completions", chat_body(kModel, 24, false, prompt));
          std::lock_guard lock(mu);
          ++per_node[res.status == 200 ? res.header("x-autoglm-node") : "error"];
        }
      });
    }
    for (auto& t : threads) t.join();
    return per_node;
  }

  TempDir dir_;
  Started fast_;
  Started slow_;
};

TEST_F(SchedulingTest, DynamicSendsMoreWorkToTheFasterNodeThanRoundRobin) {
  auto rr = gateway("round_robin");
  auto rr_counts = load(rr.port, 8, 64);
  auto dyn = gateway("dynamic");
  auto dyn_counts = load(dyn.port, 8, 64);
  EXPECT_EQ(rr_counts["error"], 0);
  EXPECT_EQ(dyn_counts["error"], 0);
  const double rr_share = rr_counts["fast"] / 64.0;
  const double dyn_share = dyn_counts["fast"] / 64.0;
  EXPECT_NEAR(rr_share, 0.5, 0.05) << "round robin alternates";
  EXPECT_GT(dyn_share, rr_share + 0.15)
      << "dynamic: fast " << dyn_counts["fast"] << ", slow " << dyn_counts["slow"];
}

TEST_F(SchedulingTest, ExplainHeaderShowsTheDecision) {
  auto gw = gateway("dynamic");
  auto res = http_request(gw.port, "POST", "/v1/chat/completions", chat_body(kModel, 2, false),
                          {{"content-type", "application/json"}, {"x-autoglm-explain", "1"}});
  ASSERT_EQ(res.status, 200) << res.error << res.body;
  const std::string decision = res.header("x-autoglm-decision");
  EXPECT_NE(decision.find("policy=dynamic"), std::string::npos) << decision;
  EXPECT_NE(decision.find("node=" + res.header("x-autoglm-node")), std::string::npos) << decision;
  EXPECT_NE(decision.find("fast:"), std::string::npos) << decision;
  EXPECT_NE(decision.find("slow:"), std::string::npos) << decision;
  auto plain = http_post(gw.port, "/v1/chat/completions", chat_body(kModel, 2, false));
  EXPECT_TRUE(plain.header("x-autoglm-decision").empty()) << "only when asked";
}

TEST_F(SchedulingTest, AdminViewShowsPolicyQueueAndNodes) {
  auto gw = gateway("least_request");
  auto res = http_get(gw.port, "/admin/v1/scheduler");
  ASSERT_EQ(res.status, 200) << res.error;
  auto body = json::parse(res.body).as_object();
  EXPECT_EQ(body["policy"].as_string(), "least_request");
  EXPECT_TRUE(body["queue"].as_object().contains("critical"));
  EXPECT_TRUE(body["queue"].as_object().contains("sheddable"));
  ASSERT_EQ(body["nodes"].as_array().size(), 2u);
}

TEST_F(SchedulingTest, PriorityHeaderIsValidated) {
  auto gw = gateway("dynamic");
  auto res = http_request(gw.port, "POST", "/v1/chat/completions", chat_body(kModel, 2, false),
                          {{"content-type", "application/json"}, {"x-autoglm-priority", "urgent"}});
  EXPECT_EQ(res.status, 400);
  auto ok = http_request(gw.port, "POST", "/v1/chat/completions", chat_body(kModel, 2, false),
                         {{"content-type", "application/json"}, {"x-autoglm-priority", "critical"}});
  EXPECT_EQ(ok.status, 200) << ok.body;
}

}  // namespace
}  // namespace autoglm::testing

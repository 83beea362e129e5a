// A simnode process on its own: metrics with vLLM's names, load visible while it works,
// and latency that grows with the prompt as on a GPU.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <future>
#include <thread>

#include "integration/http_client.hpp"
#include "integration/metrics_page.hpp"
#include "integration/process.hpp"

namespace autoglm::testing {
namespace {

// A sample's value, -1 when the page has none.
double metric_value(const std::string& text, const std::string& name) {
  return metric_sum(text, name).value_or(-1);
}

TEST(Simnode, MetricsUseVllmNamesAndCountTokens) {
  TempDir dir;
  auto node = start_autoglm(dir, "node", {"simnode", "--port", "0", "--speedup", "50"});
  auto res = http_post(node.port, "/v1/completions",
                       R"({"model":"autoglm-sim-8b","prompt":"hello there","max_tokens":9})");
  ASSERT_EQ(res.status, 200) << res.error << res.body;
  auto metrics = http_get(node.port, "/metrics");
  ASSERT_EQ(metrics.status, 200);
  for (const char* name : {"vllm:num_requests_running", "vllm:num_requests_waiting",
                           "vllm:gpu_cache_usage_perc", "vllm:prompt_tokens_total"}) {
    EXPECT_GE(metric_value(metrics.body, name), 0) << name << " missing:\n" << metrics.body;
  }
  EXPECT_EQ(metric_value(metrics.body, "vllm:generation_tokens_total"), 9);
}

TEST(Simnode, RunningRequestsShowInMetrics) {
  TempDir dir;
  auto node = start_autoglm(dir, "node", {"simnode", "--port", "0", "--speedup", "2"});
  std::vector<std::future<HttpResponse>> pending;
  for (int i = 0; i < 4; ++i) {
    pending.push_back(std::async(std::launch::async, [&] {
      return http_post(node.port, "/v1/chat/completions", chat_body("autoglm-sim-8b", 100, false));
    }));
  }
  const std::string idle = http_get(node.port, "/metrics").body;
  double running = 0;
  std::string busy;
  for (int i = 0; i < 100 && running < 4; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    busy = http_get(node.port, "/metrics").body;
    running = metric_value(busy, "vllm:num_requests_running");
  }
  EXPECT_EQ(running, 4);
  // Their KV cache shows as GPU memory in use beyond the weights, of the same 80 GiB.
  const char* used = "autoglm_simnode_gpu_memory_used_bytes";
  const char* total = "autoglm_simnode_gpu_memory_total_bytes";
  EXPECT_GT(metric_value(busy, used), metric_value(idle, used)) << busy;
  EXPECT_EQ(metric_value(busy, total), 80.0 * (1LL << 30));
  EXPECT_EQ(metric_value(idle, total), metric_value(busy, total));
  for (auto& p : pending) EXPECT_EQ(p.get().status, 200);
}

TEST(Simnode, LongerPromptsTakeLonger) {
  TempDir dir;
  auto node = start_autoglm(dir, "node", {"simnode", "--port", "0", "--profile", "l4-24gb-8b"});
  auto timed = [&](int words) {
    std::string text;
    for (int i = 0; i < words; ++i) text += "word ";
    const auto start = std::chrono::steady_clock::now();
    auto res = http_post(node.port, "/v1/chat/completions", chat_body("autoglm-sim-8b", 1, false, text));
    EXPECT_EQ(res.status, 200);
    return std::chrono::steady_clock::now() - start;
  };
  auto short_prompt = timed(10);
  auto long_prompt = timed(8000);
  EXPECT_GT(long_prompt, short_prompt * 3);
}

TEST(Simnode, WrongModelIs404) {
  TempDir dir;
  auto node = start_autoglm(dir, "node", {"simnode", "--port", "0"});
  auto res = http_post(node.port, "/v1/chat/completions", chat_body("other", 1, false));
  EXPECT_EQ(res.status, 404);
}

}  // namespace
}  // namespace autoglm::testing

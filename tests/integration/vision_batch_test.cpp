// Elastic vision batching end to end: two `autoglm simnode` processes report their
// simulated GPU memory, the gateway's monitor scrapes it, and a DAG of image steps goes out
// in batches no larger than that memory allows, counted on the gateway's /metrics.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "integration/metrics_page.hpp"
#include "integration/workflow_support.hpp"

namespace autoglm::testing {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

constexpr std::int64_t kGiB = 1LL << 30;
constexpr int kTasks = 8;
// h100-80gb-8b: 80 GiB, 14.96 GiB of weights when idle. With 15 GiB per image and 1 GiB
// kept free, (80 - 14.96 - 1) / 15 = 4.27: at most 4 tasks a batch, far below max-batch
// (32), so the memory is what bounds the batches.
constexpr int kMemoryBound = 4;

Started start_simnode(const TempDir& dir, const std::string& id) {
  return start_autoglm(dir, id,
                       {"simnode", "--port", "0", "--model", kWorkflowModel, "--profile",
                        "h100-80gb-8b", "--node-id", id, "--speedup", "20"});
}

Started start_gateway(const TempDir& dir,
                      const std::vector<std::pair<std::string, Started*>>& nodes) {
  std::string config =
      "server:\n  port: 0\n  host: 127.0.0.1\n  threads: 2\n"
      "database:\n  url: sqlite://" +
      (dir.path() / "data" / "wf.db").string() +
      "\n"
      "workflow:\n  step-interval: 20ms\n  lease: 5000ms\n"
      "  vision-batch:\n    per-image-bytes: 15GiB\n    reserve-bytes: 1GiB\n"
      "monitor:\n  scrape-interval: 100ms\n"
      "logging:\n  level: warn\n"
      "cluster:\n  simulated:\n    enabled: false\n"
      "nodes:\n";
  for (const auto& [id, node] : nodes) {
    config += "  - id: " + id + "\n    url: http://127.0.0.1:" + std::to_string(node->port) +
              "\n    models: [" + kWorkflowModel + "]\n";
  }
  auto path = dir.write("gateway.yaml", config);
  return start_autoglm(dir, "gateway", {"serve", "-c", path.string()});
}

// A counter's value on `page`: 0 before anything was counted.
double total(const std::string& page, const std::string& name, const std::string& labels = "") {
  return metric_sum(page, name, labels).value_or(0);
}

// The node's GPU memory as the gateway's monitor last read it; -1 before any scrape.
double gateway_sees(std::uint16_t gateway, const std::string& node, const char* field) {
  const json::object report = json_of(http_get(gateway, "/admin/v1/nodes/" + node));
  const auto* metrics = report.if_contains("metrics");
  const auto* value =
      metrics && metrics->is_object() ? metrics->as_object().if_contains(field) : nullptr;
  return value && value->is_number() ? value->to_number<double>() : -1;
}

std::string image_dag() {
  json::array tasks;
  for (int i = 0; i < kTasks; ++i) {
    json::object payload{{"image_url", "https://img.example/cam/" + std::to_string(i) + ".jpg"},
                         {"labels", json::array{"cat", "dog"}},
                         {"max_tokens", 4}};
    tasks.push_back(json::object{{"id", "img" + std::to_string(i)},
                                 {"kind", "image_classification"},
                                 {"model", kWorkflowModel},
                                 {"payload", std::move(payload)}});
  }
  return json::serialize(json::object{{"name", "classify-cams"}, {"tasks", std::move(tasks)}});
}

TEST(VisionBatching, ImageTasksGoOutInBatchesTheSimulatedGpuMemoryBounds) {
  TempDir dir;
  Started a = start_simnode(dir, "vis-a");
  Started b = start_simnode(dir, "vis-b");
  Started gw = start_gateway(dir, {{"vis-a", &a}, {"vis-b", &b}});

  // The simnodes' memory reaches the gateway: 80 GiB each, only the weights in use.
  for (const char* node : {"vis-a", "vis-b"}) {
    ASSERT_TRUE(
        eventually([&] { return gateway_sees(gw.port, node, "gpu_mem_total_bytes") > 0; }, 10s))
        << node << " never reported GPU memory: " << http_get(gw.port, "/admin/v1/nodes").body;
    EXPECT_EQ(gateway_sees(gw.port, node, "gpu_mem_total_bytes"), 80.0 * kGiB);
    EXPECT_NEAR(gateway_sees(gw.port, node, "gpu_mem_used_bytes"), 14.96 * kGiB, 0.01 * kGiB);
  }

  // All the DAG's image steps are ready at once, so one engine step claims them together.
  auto r = post_json(gw.port, "/v1/dags", image_dag());
  ASSERT_EQ(r.status, 201) << r.body;
  auto run = wait_for_state(gw.port, "/v1/dags/" + str(json_of(r)["id"]), "succeeded", 60s);
  ASSERT_EQ(str(run["state"]), "succeeded") << json::serialize(run);

  // Every task succeeded exactly once, and the nodes ran each once: no task was sent twice.
  const json::array& tasks = run["tasks"].as_array();
  ASSERT_EQ(tasks.size(), static_cast<std::size_t>(kTasks));
  for (const auto& t : tasks) {
    const std::string id = str(t.at("task_id"));
    EXPECT_EQ(str(t.at("state")), "succeeded") << id;
    EXPECT_EQ(state_entries(gw.port, id, "succeeded"), 1) << id;
  }
  const double ran = total(http_get(a.port, "/metrics").body, "vllm:request_success_total") +
                     total(http_get(b.port, "/metrics").body, "vllm:request_success_total");
  EXPECT_EQ(ran, kTasks);

  // Batches of more than one formed, none larger than the memory allows.
  const std::string page = http_get(gw.port, "/metrics").body;
  const double batches = total(page, "autoglm_vision_batches_total");
  const double batched = total(page, "autoglm_vision_batched_tasks_total");
  EXPECT_GE(batches, 1) << page;
  EXPECT_GE(batched, 2 * batches);
  EXPECT_LE(batched, kTasks);
  EXPECT_EQ(total(page, "autoglm_vision_batch_size_count"), batches);
  EXPECT_EQ(total(page, "autoglm_vision_batch_size_sum"), batched);
  EXPECT_EQ(total(page, "autoglm_vision_batch_size_bucket",
                  "le=\"" + std::to_string(kMemoryBound) + "\""),
            batches)
      << "a batch exceeded the memory bound of " << kMemoryBound << ":\n"
      << page;
  // With both nodes idle, each takes a full batch: the 8 tasks go out as 4 + 4.
  EXPECT_EQ(total(page, "autoglm_vision_batched_tasks_total", "node=\"vis-a\""), kMemoryBound);
  EXPECT_EQ(total(page, "autoglm_vision_batched_tasks_total", "node=\"vis-b\""), kMemoryBound);
}

}  // namespace
}  // namespace autoglm::testing

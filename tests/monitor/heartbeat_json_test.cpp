#include "monitor/heartbeat_json.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace autoglm::monitor {
namespace {

Heartbeat full_heartbeat() {
  Heartbeat h;
  h.node_id = "gpu-1";
  h.seq = 42;
  h.interval_ms = 1000;
  h.host.cpu_util = 0.25;
  h.host.mem_total_bytes = 64e9;
  h.host.mem_available_bytes = 16e9;
  h.host.net_rx_bytes_per_s = 1.5e6;
  h.host.net_tx_bytes_per_s = 2.5e5;
  GpuSample a;
  a.name = "NVIDIA H200";
  a.uuid = "GPU-abc";
  a.util = 0.8;
  a.mem_used_bytes = 100e9;
  a.mem_total_bytes = 141e9;
  a.temperature_c = 61;
  a.power_watts = 400;
  GpuSample b;
  b.index = 1;
  b.name = "NVIDIA H200";
  b.util = 0.4;
  b.mem_used_bytes = 50e9;
  b.mem_total_bytes = 141e9;
  b.power_watts = 200;
  h.gpus = {a, b};
  BackendMetrics backend;
  backend.flavour = BackendFlavour::kVllm;
  backend.running = 3;
  backend.waiting = 1;
  backend.kv_cache_usage = 0.42;
  h.backend = backend;
  h.models = {"llama-3-8b"};
  return h;
}

TEST(HeartbeatJson, RoundTrip) {
  Heartbeat h = full_heartbeat();
  auto back = heartbeat_from_json(to_json(h));
  ASSERT_TRUE(back) << back.status().message();
  EXPECT_EQ(back->node_id, "gpu-1");
  EXPECT_EQ(back->seq, 42u);
  EXPECT_EQ(back->interval_ms, 1000);
  EXPECT_EQ(back->host.cpu_util, 0.25);
  EXPECT_EQ(back->host.net_tx_bytes_per_s, 2.5e5);
  EXPECT_FALSE(back->host.net_util.has_value());
  ASSERT_EQ(back->gpus.size(), 2u);
  EXPECT_EQ(back->gpus[0].name, "NVIDIA H200");
  EXPECT_EQ(back->gpus[0].uuid, "GPU-abc");
  EXPECT_EQ(back->gpus[0].temperature_c, 61);
  EXPECT_FALSE(back->gpus[1].temperature_c.has_value());
  EXPECT_EQ(back->gpus[1].index, 1u);
  ASSERT_TRUE(back->backend);
  EXPECT_EQ(back->backend->flavour, BackendFlavour::kVllm);
  EXPECT_EQ(back->backend->running, 3);
  EXPECT_EQ(back->backend->kv_cache_usage, 0.42);
  EXPECT_LT(back->backend->prefix_cache_hit_rate, 0);
  EXPECT_EQ(back->models, std::vector<std::string>{"llama-3-8b"});
  EXPECT_EQ(to_json(*back), to_json(h));
}

TEST(HeartbeatJson, UnmeasuredNumbersAreLeftOutNotZero) {
  Heartbeat h;
  h.node_id = "cpu-only";
  h.gpu_status = "no_library";
  h.backend_error = "GET http://127.0.0.1:1/metrics: connection refused";
  auto o = boost::json::parse(to_json(h)).as_object();
  EXPECT_TRUE(o.at("gpus").as_array().empty());
  EXPECT_TRUE(o.at("host").as_object().empty());
  EXPECT_FALSE(o.contains("backend"));
  EXPECT_EQ(o.at("gpu_status").as_string(), "no_library");
  auto back = heartbeat_from_json(to_json(h));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->gpu_status, "no_library");
  EXPECT_EQ(back->backend_error, h.backend_error);
}

TEST(HeartbeatJson, NodeMetricsAggregateGpus) {
  auto m = to_node_metrics(full_heartbeat(), core::Time{std::chrono::seconds(7)});
  EXPECT_DOUBLE_EQ(m.gpu_util, 0.6);
  EXPECT_DOUBLE_EQ(m.gpu_mem_used, 150e9);
  EXPECT_DOUBLE_EQ(m.gpu_mem_total, 282e9);
  EXPECT_DOUBLE_EQ(m.power_watts, 600);
  EXPECT_DOUBLE_EQ(m.cpu_util, 0.25);
  EXPECT_DOUBLE_EQ(m.mem_util, 0.75);
  EXPECT_EQ(m.backend_running, 3);
  EXPECT_EQ(m.backend_waiting, 1);
  EXPECT_DOUBLE_EQ(m.kv_cache_usage, 0.42);
  EXPECT_EQ(m.net_util, -1);
  EXPECT_EQ(m.updated_at, core::Time{std::chrono::seconds(7)});
}

TEST(HeartbeatJson, NoGpuMeansNoGpuNumbers) {
  Heartbeat h;
  h.gpu_status = "no_devices";
  auto m = to_node_metrics(h, core::Time{0});
  EXPECT_EQ(m.gpu_util, -1);
  EXPECT_EQ(m.gpu_mem_used, -1);
  EXPECT_EQ(m.power_watts, -1);
  EXPECT_EQ(m.backend_running, -1);
}

// An agent beside a simnode forwards the simulated GPU memory, which stands for the node's
// GPUs rather than the host's (here: none).
TEST(HeartbeatJson, ASimnodesGpuMemoryTravelsInTheBackendPart) {
  Heartbeat h;
  h.gpu_status = "no_devices";
  BackendMetrics backend;
  backend.flavour = BackendFlavour::kSimnode;
  backend.gpu_mem_used_bytes = 16e9;
  backend.gpu_mem_total_bytes = 80e9;
  h.backend = backend;
  auto back = heartbeat_from_json(to_json(h));
  ASSERT_TRUE(back) << back.status().message();
  auto m = to_node_metrics(*back, core::Time{0});
  EXPECT_DOUBLE_EQ(m.gpu_mem_used, 16e9);
  EXPECT_DOUBLE_EQ(m.gpu_mem_total, 80e9);
}

TEST(HeartbeatJson, BadBodiesAreInvalidArgument) {
  EXPECT_FALSE(heartbeat_from_json("not json"));
  EXPECT_FALSE(heartbeat_from_json("[1,2]"));
  auto r = heartbeat_from_json(R"({"interval_ms": -5})");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().code(), core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.status().param(), "interval_ms");
}

TEST(RegistrationJson, RoundTrip) {
  NodeRegistration r;
  r.node.id = "gpu-1";
  r.node.url = "http://10.0.0.5:8000";
  r.node.models = {"llama-3-8b", "qwen-7b"};
  r.node.labels = {{"gpu", "h100"}, {"zone", "a"}};
  r.node.capacity = 64;
  r.heartbeat_interval_ms = 1000;
  r.agent_version = "0.1.0";
  auto back = registration_from_json(to_json(r));
  ASSERT_TRUE(back) << back.status().message();
  EXPECT_EQ(back->node.id, "gpu-1");
  EXPECT_EQ(back->node.url, "http://10.0.0.5:8000");
  EXPECT_EQ(back->node.models, r.node.models);
  EXPECT_EQ(back->node.labels, r.node.labels);
  EXPECT_EQ(back->node.capacity, 64);
  EXPECT_EQ(back->heartbeat_interval_ms, 1000);
  EXPECT_EQ(back->agent_version, "0.1.0");
}

TEST(RegistrationJson, RequiredFieldsAndTypes) {
  auto no_id = registration_from_json(R"({"url":"http://a:1"})");
  ASSERT_FALSE(no_id);
  EXPECT_EQ(no_id.status().param(), "id");
  auto no_url = registration_from_json(R"({"id":"a"})");
  ASSERT_FALSE(no_url);
  EXPECT_EQ(no_url.status().param(), "url");
  EXPECT_FALSE(registration_from_json(R"({"id":"a","url":"http://a:1","labels":{"x":1}})"));
  EXPECT_FALSE(registration_from_json(R"({"id":"a","url":"http://a:1","capacity":-1})"));
  auto minimal = registration_from_json(R"({"id":"a","url":"http://a:1"})");
  ASSERT_TRUE(minimal);
  EXPECT_TRUE(minimal->node.models.empty());
  EXPECT_EQ(minimal->heartbeat_interval_ms, 0);
}

}  // namespace
}  // namespace autoglm::monitor

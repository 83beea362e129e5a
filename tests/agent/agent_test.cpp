// The agent against an in-process fake backend and fake scheduler (http::Server on
// loopback), with fixture /proc files and no NVML. Bounded waits, small intervals.
#include "agent/agent.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <mutex>
#include <thread>

#include "http/server.hpp"
#include "monitor/heartbeat_json.hpp"

namespace autoglm::agent {
namespace {

using namespace std::chrono_literals;
namespace asio = boost::asio;
const std::string kFixtures = std::string(AUTOGLM_SOURCE_DIR) + "/tests/agent/fixtures";

struct Recorded {
  std::string path;
  std::string body;
};

// A scheduler that records what it is sent. It answers 404 to the first
// `forget_heartbeats` heartbeats, as a restarted scheduler would.
class FakeScheduler {
 public:
  explicit FakeScheduler(asio::io_context& io)
      : server_(io, {}, [this](http::Exchange& ex) { return handle(ex); }) {
    server_.start();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(server_.port()); }
  void forget_heartbeats(int n) {
    std::lock_guard lock(mu_);
    forget_ = n;
  }
  std::vector<Recorded> requests() const {
    std::lock_guard lock(mu_);
    return requests_;
  }
  std::vector<Recorded> with_path(const std::string& suffix) const {
    std::vector<Recorded> out;
    for (auto& r : requests()) {
      if (r.path.size() >= suffix.size() &&
          r.path.compare(r.path.size() - suffix.size(), suffix.size(), suffix) == 0) {
        out.push_back(r);
      }
    }
    return out;
  }

 private:
  asio::awaitable<void> handle(http::Exchange& ex) {
    std::string path(ex.target_path());
    unsigned status = 200;
    {
      std::lock_guard lock(mu_);
      requests_.push_back({path, ex.request().body()});
      if (path.ends_with("/heartbeat") && forget_ > 0) {
        --forget_;
        status = 404;
      } else if (path == "/admin/v1/nodes") {
        status = 201;
      }
    }
    co_await ex.respond(status, status == 404 ? R"({"error":{"message":"unknown node"}})" : "{}");
  }

  http::Server server_;
  mutable std::mutex mu_;
  std::vector<Recorded> requests_;
  int forget_ = 0;
};

// A backend speaking vLLM's /metrics and OpenAI's /v1/models.
class FakeBackend {
 public:
  explicit FakeBackend(asio::io_context& io)
      : server_(io, {}, [](http::Exchange& ex) { return handle(ex); }) {
    server_.start();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(server_.port()); }

 private:
  static asio::awaitable<void> handle(http::Exchange& ex) {
    if (ex.target_path() == "/metrics") {
      co_await ex.respond(200,
                          "# TYPE vllm:num_requests_running gauge\n"
                          "vllm:num_requests_running{model_name=\"m1\"} 3\n"
                          "vllm:num_requests_waiting{model_name=\"m1\"} 2\n"
                          "vllm:kv_cache_usage_perc{model_name=\"m1\"} 0.42\n"
                          "vllm:cache_config_info{block_size=\"16\"} 1\n",
                          "text/plain; version=0.0.4");
    } else if (ex.target_path() == "/v1/models") {
      co_await ex.respond(200, R"({"object":"list","data":[{"id":"m1","object":"model"}]})");
    } else {
      co_await ex.respond(404, "{}");
    }
  }
  http::Server server_;
};

class AgentTest : public ::testing::Test {
 protected:
  void TearDown() override {
    if (agent_) agent_->stop();
    io_.stop();
    if (thread_.joinable()) thread_.join();
  }

  AgentOptions options(const std::string& scheduler_url) {
    AgentOptions o;
    o.scheduler_url = scheduler_url;
    o.node_id = "node-7";
    o.backend_url = backend_.url();
    o.labels = {{"gpu", "none"}};
    o.capacity = 8;
    o.interval = 20ms;
    o.request_timeout = 1000ms;
    o.backoff_base = 10ms;
    o.backoff_max = 80ms;
    o.proc_root = kFixtures + "/proc_a";
    o.nvml_library = "libnvidia-ml-absent-in-tests.so.1";
    o.seed = 1234;
    return o;
  }

  FakeScheduler& make_scheduler() {
    scheduler_ = std::make_unique<FakeScheduler>(io_);
    return *scheduler_;
  }

  void start(AgentOptions o) {
    agent_ = std::make_unique<Agent>(io_, std::move(o));
    agent_->start();
    thread_ = std::thread([this] { io_.run(); });
  }

  // Polls `done` every 5 ms for up to 10 s.
  template <typename F>
  bool eventually(F done) {
    for (int i = 0; i < 2000; ++i) {
      if (done()) return true;
      std::this_thread::sleep_for(5ms);
    }
    return done();
  }

  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_ = asio::make_work_guard(io_);
  FakeBackend backend_{io_};
  std::unique_ptr<FakeScheduler> scheduler_;  // outlives the I/O thread (TearDown joins it)
  std::unique_ptr<Agent> agent_;
  std::thread thread_;
};

TEST_F(AgentTest, RegistersThenReportsHostBackendAndNoGpu) {
  FakeScheduler& scheduler = make_scheduler();
  start(options(scheduler.url()));
  ASSERT_TRUE(eventually([&] { return scheduler.with_path("/heartbeat").size() >= 2; }));

  auto registrations = scheduler.with_path("/admin/v1/nodes");
  ASSERT_EQ(registrations.size(), 1u);
  auto r = monitor::registration_from_json(registrations[0].body);
  ASSERT_TRUE(r) << r.status().message();
  EXPECT_EQ(r->node.id, "node-7");
  EXPECT_EQ(r->node.url, backend_.url());
  EXPECT_EQ(r->node.models, std::vector<std::string>{"m1"});
  EXPECT_EQ(r->node.labels.at("gpu"), "none");
  EXPECT_EQ(r->node.capacity, 8);
  EXPECT_EQ(r->heartbeat_interval_ms, 20);

  auto heartbeats = scheduler.with_path("/admin/v1/nodes/node-7/heartbeat");
  auto h = monitor::heartbeat_from_json(heartbeats[1].body);
  ASSERT_TRUE(h) << h.status().message();
  EXPECT_EQ(h->node_id, "node-7");
  EXPECT_EQ(h->seq, 2u);
  EXPECT_EQ(h->gpu_status, "no_library");
  EXPECT_TRUE(h->gpus.empty());
  ASSERT_TRUE(h->host.mem_total_bytes);
  EXPECT_DOUBLE_EQ(*h->host.mem_total_bytes, 65536000.0 * 1024);
  EXPECT_DOUBLE_EQ(*h->host.mem_available_bytes, 16384000.0 * 1024);
  EXPECT_FALSE(h->host.cpu_util) << "the fixture does not change: no ticks, no number";
  ASSERT_TRUE(h->backend);
  // vLLM's names, served by our http::Server ("Server: autoglm"): read as a simnode.
  EXPECT_EQ(h->backend->flavour, monitor::BackendFlavour::kSimnode);
  EXPECT_EQ(h->backend->running, 3);
  EXPECT_EQ(h->backend->waiting, 2);
  EXPECT_DOUBLE_EQ(h->backend->kv_cache_usage, 0.42);
  EXPECT_EQ(h->models, std::vector<std::string>{"m1"});

  auto metrics = monitor::to_node_metrics(*h, core::Time{0});
  EXPECT_EQ(metrics.gpu_util, -1) << "no GPU: nothing invented";
  EXPECT_DOUBLE_EQ(metrics.mem_util, 0.75);
  EXPECT_EQ(metrics.backend_running, 3);
}

TEST_F(AgentTest, RegistersAgainAfterA404) {
  FakeScheduler& scheduler = make_scheduler();
  scheduler.forget_heartbeats(1);
  start(options(scheduler.url()));
  ASSERT_TRUE(eventually([&] { return agent_->stats().heartbeats >= 1; }));
  auto stats = agent_->stats();
  EXPECT_EQ(stats.registrations, 2u);
  EXPECT_EQ(stats.reregistrations, 1u);
  auto all = scheduler.requests();
  ASSERT_GE(all.size(), 4u);
  EXPECT_EQ(all[0].path, "/admin/v1/nodes");
  EXPECT_EQ(all[1].path, "/admin/v1/nodes/node-7/heartbeat");  // answered 404
  EXPECT_EQ(all[2].path, "/admin/v1/nodes");
  EXPECT_EQ(all[3].path, "/admin/v1/nodes/node-7/heartbeat");
}

TEST_F(AgentTest, BacksOffWhileTheSchedulerIsUnreachable) {
  // A port that was just free, so connections are refused.
  asio::ip::tcp::acceptor probe(io_, {asio::ip::make_address("127.0.0.1"), 0});
  std::string dead = "http://127.0.0.1:" + std::to_string(probe.local_endpoint().port());
  probe.close();
  start(options(dead));
  ASSERT_TRUE(eventually([&] { return agent_->stats().backoffs.size() >= 6; }));
  auto stats = agent_->stats();
  EXPECT_EQ(stats.registrations, 0u);
  EXPECT_GE(stats.failures, 6u);
  EXPECT_NE(stats.last_error.find("cannot connect"), std::string::npos) << stats.last_error;
  std::chrono::milliseconds ceilings[] = {10ms, 20ms, 40ms, 80ms, 80ms, 80ms};
  for (std::size_t i = 0; i < 6; ++i) {
    EXPECT_GE(stats.backoffs[i], ceilings[i] / 2) << i;
    EXPECT_LE(stats.backoffs[i], ceilings[i]) << i;
  }
}

TEST_F(AgentTest, BackendDownIsReportedNotInvented) {
  FakeScheduler& scheduler = make_scheduler();
  auto o = options(scheduler.url());
  o.backend_url = "http://127.0.0.1:1";
  o.advertise_url = "http://10.0.0.9:8000";
  start(o);
  ASSERT_TRUE(eventually([&] { return !scheduler.with_path("/heartbeat").empty(); }));
  auto r = monitor::registration_from_json(scheduler.with_path("/admin/v1/nodes")[0].body);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->node.url, "http://10.0.0.9:8000");
  EXPECT_TRUE(r->node.models.empty());
  auto h = monitor::heartbeat_from_json(scheduler.with_path("/heartbeat")[0].body);
  ASSERT_TRUE(h);
  EXPECT_FALSE(h->backend);
  EXPECT_NE(h->backend_error.find("cannot connect"), std::string::npos) << h->backend_error;
}

}  // namespace
}  // namespace autoglm::agent

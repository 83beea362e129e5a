#include "api/workflow_service.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <filesystem>
#include <system_error>

#include "api/gateway.hpp"
#include "api/loopback_executor.hpp"
#include "api/task_callback.hpp"
#include "api/workflow_routes.hpp"
#include "config/database_url.hpp"

namespace autoglm::api {

namespace asio = boost::asio;

namespace {

// The SQLite file's directory must exist before SQLite creates the file.
core::Status prepare_database_dir(const config::Config& config) {
  auto target = config::parse_database_url(config.database.url);
  if (!target) return target.status();
  if (target->kind != config::DatabaseKind::kSqlite || target->sqlite_path == ":memory:") {
    return core::Status::ok();
  }
  const auto dir = std::filesystem::path(target->sqlite_path).parent_path();
  std::error_code ec;
  if (!dir.empty()) std::filesystem::create_directories(dir, ec);
  if (ec) {
    return core::unavailable("cannot create the database directory " + dir.string() + ": " +
                             ec.message());
  }
  return core::Status::ok();
}

// Where the executor reaches the gateway: loopback for a wildcard bind address.
std::string loopback_base_url(const std::string& host, std::uint16_t port,
                              const std::string& context_path) {
  std::string h = host;
  if (h.empty() || h == "0.0.0.0") h = "127.0.0.1";
  if (h == "::") h = "::1";
  if (h.find(':') != std::string::npos) h = "[" + h + "]";
  return "http://" + h + ":" + std::to_string(port) + context_path;
}

}  // namespace

std::vector<workflow::NodeMemory> vision_nodes_from(const std::vector<monitor::NodeReport>& nodes,
                                                    const std::string& model) {
  std::vector<workflow::NodeMemory> out;
  for (const auto& n : nodes) {
    const auto& m = n.metrics;
    const auto& models = n.spec.models;
    if (!n.accepts_work || std::find(models.begin(), models.end(), model) == models.end()) {
      continue;
    }
    if (m.gpu_mem_total <= 0 || m.gpu_mem_used < 0) continue;  // not reported
    out.push_back({n.spec.id, static_cast<std::int64_t>(m.gpu_mem_total - m.gpu_mem_used)});
  }
  return out;
}

std::string workflow_owner_id() {
  char host[256] = {};
  if (gethostname(host, sizeof(host) - 1) != 0) host[0] = '\0';
  const auto started = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::system_clock::now().time_since_epoch());
  return std::string(host) + ":" + std::to_string(getpid()) + ":" + std::to_string(started.count());
}

core::Result<std::unique_ptr<WorkflowService>> WorkflowService::open(asio::io_context& io,
                                                                     const config::Config& config,
                                                                     Leadership leadership) {
  if (auto s = prepare_database_dir(config); !s) return s;
  auto store =
      store::open_store(config.database.url, config.database.username, config.database.password);
  if (!store) return store.status();
  return std::make_unique<WorkflowService>(io, config, std::move(store).value(),
                                           std::move(leadership));
}

WorkflowService::WorkflowService(asio::io_context& io, const config::Config& config,
                                 std::unique_ptr<store::Store> store, Leadership leadership)
    : options_(config.workflow),
      host_(config.server.host),
      context_path_(config.server.context_path),
      store_(std::move(store)),
      workers_(std::make_unique<asio::thread_pool>(static_cast<std::size_t>(options_.workers))) {
  LoopbackOptions loopback;
  loopback.timeout = config.upstream.response_timeout;
  loopback.post_blocking = [this](std::function<void()> fn) {
    asio::post(*workers_, [this, fn = std::move(fn)] {
      fn();
      wake();  // a finished task may release DAG nodes or free room for a claim
    });
  };
  executor_ = std::make_unique<LoopbackExecutor>(io, clock_, std::move(loopback));
  workflow::EngineOptions engine;
  engine.owner = workflow_owner_id();
  engine.lease = options_.lease;
  engine.max_in_flight = static_cast<std::size_t>(options_.max_in_flight);
  engine.vision_batch.per_image_bytes = static_cast<std::int64_t>(options_.vision_per_image_bytes);
  engine.vision_batch.reserve_bytes = static_cast<std::int64_t>(options_.vision_reserve_bytes);
  engine.vision_batch.max_batch = static_cast<std::size_t>(options_.vision_max_batch);
  engine.leadership = std::move(leadership);
  engine.on_finished = [this](const store::TaskRecord& task) {
    if (task.input.callback_url.empty()) return;
    asio::post(*workers_, [task] { deliver_callback(task); });
  };
  // Elastic vision batching sizes each batch from a node's free GPU memory, as the
  // monitor last heard it (attach() gives it the gateway before the engine runs).
  engine.vision_nodes = [this](const std::string& model) {
    return gateway_ ? vision_nodes_from(gateway_->monitor().report(), model)
                    : std::vector<workflow::NodeMemory>{};
  };
  claim_batch_ = engine.claim_batch;
  engine_ = std::make_unique<workflow::WorkflowEngine>(*store_, *executor_, clock_, engine);
}

WorkflowService::~WorkflowService() { stop(); }

void WorkflowService::attach(Gateway& gateway) {
  gateway_ = &gateway;
  executor_->set_tenant_headers(
      [&gateway](std::string_view tenant) { return gateway.loopback_headers(tenant); });
  // Run-time API keys live in the same store, so they outlive restarts and reach replicas.
  gateway.use_key_store(*store_, *workers_, clock_);
  add_task_routes(gateway, *this);
  add_dag_routes(gateway, *this);
  add_trigger_routes(gateway, *this);
}

void WorkflowService::start(std::uint16_t port) {
  executor_->set_base_url(loopback_base_url(host_, port, context_path_));
  // A store shared with other replicas says when they made work claimable.
  store_->on_new_work([this] { wake(); });
  loop_ = std::thread([this] { run_loop(); });
  spdlog::info("workflow engine started: lease {} ms, step every {} ms, up to {} tasks at once",
               options_.lease.count(), options_.step_interval.count(), options_.max_in_flight);
}

void WorkflowService::stop() {
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  wake_cv_.notify_all();
  store_->on_new_work({});
  if (loop_.joinable()) loop_.join();
  workers_->join();
}

void WorkflowService::wake() {
  {
    std::lock_guard lock(mu_);
    woken_ = true;
  }
  wake_cv_.notify_one();
}

void WorkflowService::record(const workflow::StepReport& report) {
  if (gateway_ == nullptr) return;
  for (const auto& b : report.vision_batches) {
    gateway_->metrics().vision_batch(b.model, b.node, b.size);
  }
}

void WorkflowService::run_loop() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    woken_ = false;
    lock.unlock();
    const workflow::StepReport report = engine_->step();
    record(report);
    lock.lock();
    // A full claim batch means more work may be waiting: step again at once.
    if (static_cast<std::size_t>(report.dispatched) >= claim_batch_) continue;
    wake_cv_.wait_for(lock, options_.step_interval, [this] { return stopping_ || woken_; });
  }
}

}  // namespace autoglm::api

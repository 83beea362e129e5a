#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <csignal>
#include <iostream>
#include <thread>

#include "api/cluster_service.hpp"
#include "api/dashboard.hpp"
#include "api/gateway.hpp"
#include "api/scheduler_setup.hpp"
#include "api/static_files.hpp"
#include "api/workflow_service.hpp"
#include "cli/commands.hpp"
#include "cli/embedded_cluster.hpp"
#include "cli/run_support.hpp"
#include "cli/serve_reload.hpp"
#include "config/loader.hpp"
#include "http/server.hpp"

namespace autoglm::cli {

namespace asio = boost::asio;

namespace {

struct ServeArgs {
  config::LoadOptions load;
  std::string ready_file;
};

// SIGTERM/SIGINT: a clustered replica resigns leadership first (another takes over at once),
// readiness turns 503 at once, the gateway keeps serving for drain-pause
// (so load balancers notice), then the listener closes, idle connections close, and the
// process exits 0 once in-flight requests finish or drain-timeout passes. A second signal
// exits at once. Last, the replica leaves the cluster (its etcd lease is revoked).
asio::awaitable<void> drain_on_signal(asio::io_context& io, asio::signal_set& signals,
                                      api::Gateway& gateway, http::Server& server,
                                      api::ClusterService& peers, config::Millis drain_timeout,
                                      config::Millis drain_pause) {
  const int signal = co_await signals.async_wait(asio::use_awaitable);
  co_await peers.resign();
  spdlog::info("signal {}: draining ({} in flight, serving {} ms more, then up to {} ms)", signal,
               server.in_flight(), drain_pause.count(), drain_timeout.count());
  gateway.begin_drain();
  signals.async_wait([&io](auto, int) { io.stop(); });
  asio::steady_timer timer(io);
  if (drain_pause.count() > 0) {
    timer.expires_after(drain_pause);
    co_await timer.async_wait(asio::use_awaitable);
  }
  server.stop_accepting();
  server.close_idle_connections();
  const auto deadline = std::chrono::steady_clock::now() + drain_timeout;
  while (server.connections() > 0 && std::chrono::steady_clock::now() < deadline) {
    timer.expires_after(std::chrono::milliseconds(20));
    co_await timer.async_wait(asio::use_awaitable);
    server.close_idle_connections();
  }
  if (server.connections() > 0) {
    spdlog::warn("drain timeout: closing {} connection(s)", server.connections());
  }
  co_await peers.leave();
  gateway.stop();
  io.stop();
}

// Where the dashboard is, or why it is not there; the gateway works either way.
void log_dashboard(const config::Config& config, std::uint16_t port) {
  if (!config.ui.enabled) {
    spdlog::info("dashboard off (ui.enabled: false)");
    return;
  }
  const api::UiLocation ui = api::locate_ui(config.ui);
  const std::string host = config.server.host == "0.0.0.0" ? "127.0.0.1" : config.server.host;
  if (ui.built) {
    spdlog::info("dashboard at http://{}:{}{}/ui/ (files from {})", host, port,
                 config.server.context_path, ui.dir.string());
  } else {
    spdlog::warn(
        "dashboard not built: {} has no index.html; run `make build` (needs Node.js "
        "and npm) or set ui.dir. {}/ui/ explains this meanwhile.",
        ui.dir.string(), config.server.context_path);
  }
}

void run_serve(const ServeArgs& args) {
  auto loaded = config::load(args.load);
  if (!loaded) {
    std::cerr << "autoglm serve: invalid configuration\n" << loaded.status().message() << "\n";
    set_exit_code(2);
    return;
  }
  const config::Config& config = *loaded;
  setup_logging(config.logging);
  if (auto hardening = api::check_hardening(config); !hardening) {
    std::cerr << "autoglm serve: invalid configuration\n"
              << (hardening.param().empty() ? "" : hardening.param() + ": ") << hardening.message()
              << "\n";
    set_exit_code(2);
    return;
  }
  log_hardening(config);

  EmbeddedCluster cluster;
  if (auto status = cluster.start(config.simulated); !status) {
    std::cerr << "autoglm serve: " << status.message() << "\n";
    set_exit_code(2);
    return;
  }
  std::vector<core::NodeSpec> nodes = config.nodes;
  for (auto& spec : cluster.node_specs()) nodes.push_back(std::move(spec));
  if (nodes.empty()) {
    spdlog::warn("no nodes configured: add `nodes:` or enable cluster.simulated");
  }

  const int threads = config.server.threads > 0
                          ? config.server.threads
                          : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  core::SteadyClock clock;
  auto scheduler = api::make_scheduler(config, nodes, clock);
  if (!scheduler) {
    std::cerr << "autoglm serve: " << scheduler.status().message() << "\n";
    cluster.stop();
    set_exit_code(2);
    return;
  }
  asio::io_context io(threads);
  api::Gateway gateway(io, config, nodes, std::move(scheduler).value());
  gateway.start();
  // Clustered (cluster.etcd), only the elected replica fires cron triggers and advances
  // DAG runs, its writes fenced by its token; alone, the engine needs no callback.
  api::ClusterService peers(io, config);
  peers.attach(gateway);
  api::WorkflowService::Leadership leadership;
  if (peers.clustered()) {
    leadership = [&elected = peers.leadership()] { return elected.fence(); };
  }
  std::unique_ptr<api::WorkflowService> workflows;
  if (config.workflow.enabled) {
    auto opened = api::WorkflowService::open(io, config, std::move(leadership));
    if (!opened) {
      std::cerr << "autoglm serve: cannot open the task store (database.url): "
                << opened.status().message() << "\n";
      cluster.stop();
      set_exit_code(2);
      return;
    }
    workflows = std::move(opened).value();
    workflows->attach(gateway);
  }
  api::Dashboard dashboard(gateway, workflows.get());
  dashboard.attach();

  http::ServerOptions options;
  options.host = config.server.host;
  options.port = static_cast<std::uint16_t>(config.server.port);
  options.max_header_bytes = config.server.max_header_bytes;
  options.max_body_bytes = config.server.max_body_bytes;
  options.header_timeout = config.server.header_timeout;
  options.idle_timeout = config.server.idle_timeout;
  options.single_thread = threads == 1;
  http::Server server(io, options, gateway.handler());
  try {
    server.start();
  } catch (const std::exception& e) {
    std::cerr << "autoglm serve: " << e.what() << "\n";
    cluster.stop();
    set_exit_code(1);
    return;
  }
  // Both signal sets are made here, on this thread, before any thread runs `io`: made
  // inside the coroutines, two I/O threads registered Asio's signal pipe with the reactor
  // at once and one removed the other's registration, so SIGTERM was never seen.
  asio::signal_set stop_signals(io, SIGINT, SIGTERM);
  asio::signal_set hup_signals(io, SIGHUP);
  asio::co_spawn(io,
                 drain_on_signal(io, stop_signals, gateway, server, peers,
                                 config.server.drain_timeout, config.server.drain_pause),
                 asio::detached);
  asio::co_spawn(io, reload_on_sighup(hup_signals, gateway, args.load), asio::detached);
  if (workflows) workflows->start(server.port());
  peers.start(server.port());

  for (const auto& node : nodes) spdlog::info("node {} at {}", node.id, node.url);
  spdlog::info(
      "Open-AutoGLM {} listening on http://{}:{}{} with {} node(s), policy {}, {} I/O "
      "thread(s)",
      core::kVersion, options.host, server.port(), config.server.context_path, nodes.size(),
      config.scheduler.policy, threads);
  log_dashboard(config, server.port());
  write_ready_file(args.ready_file, server.port());

  std::vector<std::thread> pool;
  for (int i = 1; i < threads; ++i) pool.emplace_back([&io] { io.run(); });
  io.run();
  for (auto& t : pool) t.join();
  if (workflows) workflows->stop();
  cluster.stop();
  spdlog::info("stopped");
}

}  // namespace

void add_config_options(CLI::App& cmd, config::LoadOptions& load) {
  load = config::options_from_env();  // AUTOGLM_CONFIG / AUTOGLM_PROFILE, flags win
  cmd.add_option("-c,--config", load.path, "YAML configuration file")->capture_default_str();
  cmd.add_option("--profile", load.profile, "Also load autoglm-<profile>.yaml beside the file");
  cmd.add_option("--set", load.sets, "Override one key, e.g. --set server.port=9090")
      ->allow_extra_args(false);
}

void add_serve_command(CLI::App& app) {
  auto args = std::make_shared<ServeArgs>();
  auto* cmd = app.add_subcommand("serve", "Run the gateway (OpenAI-compatible API)");
  add_config_options(*cmd, args->load);
  cmd->add_option("--ready-file", args->ready_file, "Write the bound port here once listening");
  cmd->callback([args] { run_serve(*args); });
}

}  // namespace autoglm::cli

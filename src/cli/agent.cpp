// `autoglm agent`: runs beside one backend and keeps the scheduler informed (src/agent/).
#include "agent/agent.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <csignal>
#include <iostream>
#include <optional>

#include "cli/commands.hpp"
#include "cli/run_support.hpp"
#include "config/cluster_keys.hpp"
#include "config/scalars.hpp"
#include "monitor/heartbeat_json.hpp"

namespace autoglm::cli {

namespace {

struct AgentArgs {
  agent::AgentOptions options;
  std::string etcd;  // comma-separated client URLs
  std::string lease_ttl = "10s";
  std::string interval = "1s";
  std::string timeout = "2s";
  std::vector<std::string> labels;
  double net_capacity_mbps = 0;
  std::string level = "info";
  bool print = false;
};

// --etcd, --etcd-prefix and --lease-ttl, read by the same rules as the gateway's
// cluster.etcd.endpoints, cluster.etcd.prefix and cluster.lease-ttl keys.
bool fill_etcd_options(AgentArgs& args) {
  if (args.options.scheduler_url.empty() && args.etcd.empty()) {
    std::cerr << "autoglm agent: give --scheduler (a gateway URL), --etcd (etcd client URLs), "
                 "or both\n";
    return false;
  }
  if (args.etcd.empty()) return true;
  config::Diagnostics diagnostics;
  auto flag = [&diagnostics](const std::string& name, const std::string& text, auto read) {
    const config::RawValue value =
        config::RawValue::scalar(text, config::Origin{"autoglm agent", 0});
    read(config::Field(value, name, diagnostics));
  };
  auto& o = args.options;
  flag("--etcd", args.etcd,
       [&o](const config::Field& f) { read_etcd_endpoints(f, o.etcd_endpoints); });
  flag("--etcd-prefix", o.etcd_prefix,
       [&o](const config::Field& f) { read_etcd_prefix(f, o.etcd_prefix); });
  config::Millis ttl{o.lease_ttl};
  flag("--lease-ttl", args.lease_ttl, [&ttl](const config::Field& f) { read_lease_ttl(f, ttl); });
  o.lease_ttl = std::chrono::duration_cast<std::chrono::seconds>(ttl);
  if (!diagnostics.empty()) {
    std::cerr << diagnostics.status().message() << "\n";
    return false;
  }
  return true;
}

bool fill_options(AgentArgs& args) {
  if (!fill_etcd_options(args)) return false;
  auto interval = config::parse_duration(args.interval);
  auto timeout = config::parse_duration(args.timeout);
  if (!interval || interval->count() <= 0) {
    std::cerr << "autoglm agent: --interval: expected a positive duration like 1s or 500ms, got '"
              << args.interval << "'\n";
    return false;
  }
  if (!timeout || timeout->count() <= 0) {
    std::cerr << "autoglm agent: --timeout: expected a positive duration like 2s, got '"
              << args.timeout << "'\n";
    return false;
  }
  args.options.interval = *interval;
  args.options.request_timeout = *timeout;
  for (const auto& kv : args.labels) {
    auto eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) {
      std::cerr << "autoglm agent: --labels: expected key=value, got '" << kv << "'\n";
      return false;
    }
    args.options.labels[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  args.options.net_capacity_bytes_per_s = args.net_capacity_mbps * 1e6 / 8;
  return true;
}

// --print: one heartbeat body on stdout, for a look at what the agent would send.
void print_once(agent::Agent& a, boost::asio::io_context& io) {
  std::optional<monitor::Heartbeat> heartbeat;
  boost::asio::co_spawn(
      io,
      [&]() -> boost::asio::awaitable<void> {
        // One interval after the baseline reading, so CPU and network rates have a delta.
        boost::asio::steady_timer timer(io, a.options().interval);
        co_await timer.async_wait(boost::asio::use_awaitable);
        heartbeat = co_await a.collect();
      },
      [](std::exception_ptr e) {
        if (e) std::rethrow_exception(e);
      });
  io.run();
  std::cout << monitor::to_json(*heartbeat) << "\n";
}

void run_agent(AgentArgs& args) {
  setup_logging(config::LoggingConfig{args.level, "text"});
  if (!fill_options(args)) {
    set_exit_code(2);
    return;
  }
  boost::asio::io_context io;
  agent::Agent a(io, args.options);
  if (args.print) {
    print_once(a, io);
    return;
  }
  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](auto, int signal) {
    spdlog::info("agent: signal {}, stopping", signal);
    a.stop();
  });
  a.start();
  io.run();
}

}  // namespace

void add_agent_command(CLI::App& app) {
  auto args = std::make_shared<AgentArgs>();
  auto& o = args->options;
  auto* cmd = app.add_subcommand(
      "agent",
      "Run beside a backend: register it with the scheduler and send heartbeats with "
      "GPU, host and backend metrics (docs/monitoring.md)");
  cmd->add_option("--scheduler", o.scheduler_url, "The gateway's base URL, e.g. http://gw:8080");
  cmd->add_option("--etcd", args->etcd,
                  "etcd client URLs, comma-separated: announce the node under "
                  "{prefix}/nodes/{id} for every gateway replica (docs/operations.md)");
  cmd->add_option("--etcd-prefix", o.etcd_prefix, "Key prefix (the gateways' cluster.etcd.prefix)")
      ->capture_default_str();
  cmd->add_option("--lease-ttl", args->lease_ttl,
                  "How long the node stays listed after the agent dies (whole seconds, >= 2s)")
      ->capture_default_str();
  cmd->add_option("--node-id", o.node_id, "This node's unique id")->required();
  cmd->add_option("--backend", o.backend_url,
                  "The local backend's base URL, e.g. http://127.0.0.1:8000")
      ->required();
  cmd->add_option("--api-key", o.api_key,
                  "An admin API key, when the gateway has auth.enabled (never logged)")
      ->envname("AUTOGLM_API_KEY");
  cmd->add_option("--advertise-url", o.advertise_url,
                  "URL the gateway should use for this node (default: --backend)");
  cmd->add_option("--interval", args->interval, "Heartbeat period (monitor.heartbeat)")
      ->capture_default_str();
  cmd->add_option("--timeout", args->timeout, "Timeout of each call to the scheduler or backend")
      ->capture_default_str();
  cmd->add_option("--proc-root", o.proc_root, "Where to read stat, meminfo and net/dev")
      ->capture_default_str();
  cmd->add_option("--labels", args->labels, "Node labels, key=value (repeatable)");
  cmd->add_option("--capacity", o.capacity, "Max requests in flight from the gateway (0: no bound)")
      ->capture_default_str();
  cmd->add_option("--net-capacity-mbps", args->net_capacity_mbps,
                  "Link speed for net_util (0: unknown)")
      ->capture_default_str();
  cmd->add_option("--nvml-library", o.nvml_library, "NVML shared library to dlopen")
      ->capture_default_str();
  cmd->add_option("--log-level", args->level, "trace, debug, info, warn, error, off")
      ->capture_default_str();
  cmd->add_flag("--print", args->print, "Print one heartbeat body as JSON and exit");
  cmd->callback([args] { run_agent(*args); });
}

}  // namespace autoglm::cli

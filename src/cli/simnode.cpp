#include <csignal>
#include <iostream>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <spdlog/spdlog.h>

#include "cli/commands.hpp"
#include "cli/run_support.hpp"
#include "sim/gpu_profile.hpp"
#include "simnode/simnode.hpp"

namespace autoglm::cli {

namespace {

struct SimnodeArgs {
  simnode::SimNodeOptions options;
  std::string profile = "h100-80gb-8b";
  std::string level = "info";
  std::string ready_file;
};

void run_simnode(const SimnodeArgs& args) {
  setup_logging(config::LoggingConfig{args.level, "text"});
  auto profile = sim::find_profile(args.profile);
  if (!profile) {
    std::cerr << "autoglm simnode: " << profile.status().message() << "\n";
    set_exit_code(2);
    return;
  }
  simnode::SimNodeOptions options = args.options;
  options.profile = *profile;
  simnode::SimNode node(options);
  try {
    node.start();
  } catch (const std::exception& e) {
    std::cerr << "autoglm simnode: " << e.what() << "\n";
    set_exit_code(1);
    return;
  }
  write_ready_file(args.ready_file, node.port());
  boost::asio::io_context signals_io;
  boost::asio::signal_set signals(signals_io, SIGINT, SIGTERM);
  signals.async_wait([](auto, int signal) { spdlog::info("simnode: signal {}, stopping", signal); });
  signals_io.run();
  node.stop();
}

}  // namespace

void add_simnode_command(CLI::App& app) {
  auto args = std::make_shared<SimnodeArgs>();
  auto* cmd = app.add_subcommand(
      "simnode", "Run a simulated GPU node: an OpenAI-compatible server timed by the latency model");
  cmd->add_option("--host", args->options.host, "Address to listen on")->capture_default_str();
  cmd->add_option("--port,-p", args->options.port, "Port to listen on (0: any free port)")
      ->capture_default_str();
  cmd->add_option("--model,-m", args->options.model, "Model name it serves")->capture_default_str();
  cmd->add_option("--profile", args->profile, "GPU profile (see docs/simulator.md)")
      ->capture_default_str();
  cmd->add_option("--node-id", args->options.node_id, "Name used in logs")->capture_default_str();
  cmd->add_option("--seed", args->options.seed, "Seed of the generated text")->capture_default_str();
  cmd->add_option("--speedup", args->options.speedup, "Run the latency model this many times faster")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->add_flag_callback("--zero-delay", [args] { args->options.speedup = 1e9; },
                         "Answer at once, without modelled GPU time (proxy overhead benchmarks)");
  cmd->add_flag("--prefix-caching", args->options.prefix_caching,
                "Skip the prefill of prompt text an earlier request had (vLLM's prefix caching)");
  cmd->add_option("--default-max-tokens", args->options.default_max_tokens,
                  "Tokens generated when a request sets no max_tokens")
      ->capture_default_str();
  cmd->add_option("--log-level", args->level, "trace, debug, info, warn, error, off")
      ->capture_default_str();
  cmd->add_option("--ready-file", args->ready_file, "Write the bound port here once listening");
  cmd->callback([args] { run_simnode(*args); });
}

}  // namespace autoglm::cli

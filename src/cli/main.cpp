// autoglm: one binary, one subcommand per file in src/cli/.
#include <CLI/CLI.hpp>

#include "cli/commands.hpp"

int main(int argc, char** argv) {
  CLI::App app{"Open-AutoGLM: a scheduler and gateway for generative-model inference"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string(autoglm::core::kVersion));
  autoglm::cli::add_serve_command(app);
  autoglm::cli::add_simnode_command(app);
  autoglm::cli::add_config_command(app);
  autoglm::cli::add_simulate_command(app);
  autoglm::cli::add_agent_command(app);
  autoglm::cli::add_tune_command(app);
  autoglm::cli::add_task_command(app);
  autoglm::cli::add_dag_command(app);
  autoglm::cli::add_cron_command(app);
  autoglm::cli::add_bench_command(app);
  autoglm::cli::add_version_command(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return autoglm::cli::exit_code();
}

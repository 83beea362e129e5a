// The subcommands of the autoglm binary; each add_* registers one on the CLI11 app and
// lives in its own file of src/cli/.
#pragma once

#include <CLI/CLI.hpp>

#include "core/version.hpp"

namespace autoglm {
namespace config {
struct LoadOptions;
}
}  // namespace autoglm

namespace autoglm::cli {

void add_version_command(CLI::App& app);
void add_serve_command(CLI::App& app);
void add_simnode_command(CLI::App& app);
void add_config_command(CLI::App& app);
void add_simulate_command(CLI::App& app);
void add_agent_command(CLI::App& app);
void add_tune_command(CLI::App& app);
void add_task_command(CLI::App& app);
void add_dag_command(CLI::App& app);
void add_cron_command(CLI::App& app);
void add_bench_command(CLI::App& app);

// Adds -c/--config, --profile and --set, filling `load`.
void add_config_options(CLI::App& cmd, config::LoadOptions& load);

// The exit code chosen by the subcommand that ran (0 unless it failed).
int exit_code();
void set_exit_code(int code);

}  // namespace autoglm::cli

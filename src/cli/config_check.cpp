#include <iostream>

#include "api/hardening.hpp"
#include "api/scheduler_setup.hpp"
#include "cli/commands.hpp"
#include "config/loader.hpp"

namespace autoglm::cli {
namespace {

// Policy part names are known to the policy registry, not to the config reader.
core::Status check_policies(const config::SchedulerConfig& scheduler) {
  auto status = api::make_pipeline(scheduler.policy, scheduler.pipeline,
                                   scheduler.pipeline ? "scheduler.pipeline" : "scheduler.policy");
  if (!status) return status.status();
  for (const auto& [model, choice] : scheduler.models) {
    auto model_status = api::make_pipeline(choice.preset, choice.pipeline,
                                           "scheduler.models." + model);
    if (!model_status) return model_status.status();
  }
  return core::Status();
}

}  // namespace

void add_config_command(CLI::App& app) {
  auto* config_cmd = app.add_subcommand("config", "Work with configuration files");
  config_cmd->require_subcommand(1);
  auto load = std::make_shared<config::LoadOptions>();
  auto* check = config_cmd->add_subcommand(
      "check", "Validate a configuration and print the effective result (secrets masked)");
  add_config_options(*check, *load);
  check->callback([load] {
    auto loaded = config::load(*load);
    if (!loaded) {
      std::cerr << loaded.status().message() << "\n";
      set_exit_code(1);
      return;
    }
    if (auto policies = check_policies(loaded->scheduler); !policies) {
      std::cerr << loaded->source_file << ": " << policies.message() << "\n";
      set_exit_code(1);
      return;
    }
    if (auto hardening = api::check_hardening(*loaded); !hardening) {
      std::cerr << loaded->source_file << ": "
                << (hardening.param().empty() ? "" : hardening.param() + ": ")
                << hardening.message() << "\n";
      set_exit_code(1);
      return;
    }
    std::cout << config::to_yaml(*loaded);
  });
}

}  // namespace autoglm::cli

#include <iostream>

#include "cli/commands.hpp"
#include "config/loader.hpp"

namespace autoglm::cli {


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
    std::cout << config::to_yaml(*loaded);
  });
}

}  // namespace autoglm::cli

#include <iostream>

#include "cli/commands.hpp"

namespace autoglm::cli {

namespace {
int g_exit_code = 0;
}

int exit_code() { return g_exit_code; }
void set_exit_code(int code) { g_exit_code = code; }

void add_version_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("version", "Print the version and exit");
  cmd->callback([] { std::cout << "autoglm " << core::kVersion << "\n"; });
}

}  // namespace autoglm::cli

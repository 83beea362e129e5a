// Helpers the long-running subcommands share: logging set-up, the ready file that tells a
// supervisor (or a test) the bound port, and waiting for SIGINT/SIGTERM.
#pragma once

#include <cstdint>
#include <string>

#include "config/config.hpp"

namespace autoglm::cli {

void setup_logging(const config::LoggingConfig& logging);

// Writes `port` to `path` atomically (write then rename), if `path` is not empty.
void write_ready_file(const std::string& path, std::uint16_t port);

}  // namespace autoglm::cli

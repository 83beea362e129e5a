#include "cli/run_support.hpp"

#include <cstdio>
#include <fstream>

#include <spdlog/spdlog.h>

namespace autoglm::cli {

void setup_logging(const config::LoggingConfig& logging) {
  spdlog::set_level(spdlog::level::from_str(logging.level == "warning" ? "warn" : logging.level));
  if (logging.format == "json") {
    spdlog::set_pattern(R"({"ts":"%Y-%m-%dT%H:%M:%S.%fZ","level":"%l","msg":"%v"})",
                        spdlog::pattern_time_type::utc);
  } else {
    spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%-5l%$ %v");
  }
}

void write_ready_file(const std::string& path, std::uint16_t port) {
  if (path.empty()) return;
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp);
    out << port << "\n";
  }
  std::rename(tmp.c_str(), path.c_str());
}

}  // namespace autoglm::cli

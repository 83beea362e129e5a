// Test support: reads a file of tests/monitor/fixtures/.
#pragma once

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace autoglm::monitor::testing {

inline std::string read_fixture(const std::string& name) {
  std::string path = std::string(AUTOGLM_SOURCE_DIR) + "/tests/monitor/fixtures/" + name;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("missing fixture " + path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace autoglm::monitor::testing

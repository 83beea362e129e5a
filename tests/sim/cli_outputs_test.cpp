// The files `autoglm simulate --plot DIR --dump-requests FILE` writes, and `autoglm tune`'s
// determinism, through the real binary (skipped when it has not been built).
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "sim/svg_check.hpp"

namespace autoglm::sim {
namespace {

namespace fs = std::filesystem;

const std::string kScenario = std::string(AUTOGLM_SOURCE_DIR) + "/scenarios/fidelity-small.yaml";

class CliOutputs : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(AUTOGLM_BINARY)) GTEST_SKIP() << "build the autoglm target first";
    dir_ = fs::temp_directory_path() / ("autoglm-cli-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    if (!dir_.empty()) fs::remove_all(dir_, ec);
  }

  // Runs the binary with `args`; returns stdout, sets `rc`.
  static std::string run(const std::string& args, int& rc) {
    const std::string cmd = std::string(AUTOGLM_BINARY) + " " + args + " 2>/dev/null";
    FILE* pipe = ::popen(cmd.c_str(), "r");
    std::string out;
    char buf[4096];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, pipe)) > 0;) out.append(buf, n);
    rc = ::pclose(pipe);
    return out;
  }

  static std::string read(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

  fs::path dir_;
};

TEST_F(CliOutputs, SimulatePlotWritesFourChartsAndDumpsTheRequests) {
  int rc = -1;
  run("simulate --scenario " + kScenario + " --quiet --plot " + (dir_ / "plots").string() +
          " --dump-requests " + (dir_ / "requests.csv").string(),
      rc);
  ASSERT_EQ(rc, 0);
  for (const char* name : {"e2e_cdf.svg", "ttft_cdf.svg", "utilisation.svg", "queue.svg"}) {
    const std::string svg = read(dir_ / "plots" / name);
    std::string why;
    EXPECT_TRUE(well_formed(svg, why)) << name << ": " << why;
    EXPECT_NE(svg.find(">round_robin</text>"), std::string::npos) << name;
    EXPECT_NE(svg.find(">least_request</text>"), std::string::npos) << name;
    EXPECT_NE(svg.find("<polyline"), std::string::npos) << name;
  }
  std::istringstream csv(read(dir_ / "requests.csv"));
  std::string line;
  std::getline(csv, line);
  EXPECT_EQ(line, "arrival_ms,input_tokens,output_tokens,max_output_tokens,priority");
  int rows = 0;
  while (std::getline(csv, line)) ++rows;
  EXPECT_EQ(rows, 90);
}

TEST_F(CliOutputs, TuneIsDeterministicForASeedAndPrintsJson) {
  int rc1 = -1, rc2 = -1;
  const std::string args = "tune --scenario " + kScenario + " --budget 4 --seed 3 --json -q";
  const std::string a = run(args, rc1), b = run(args, rc2);
  ASSERT_EQ(rc1, 0);
  ASSERT_EQ(rc2, 0);
  EXPECT_EQ(a, b);
  for (const char* key : {"\"weights\"", "\"round_robin\"", "\"dynamic_tuned\"", "\"gain_vs_base\"",
                          "\"yaml\"", "\"trials\""}) {
    EXPECT_NE(a.find(key), std::string::npos) << key << " in " << a;
  }
}

}  // namespace
}  // namespace autoglm::sim

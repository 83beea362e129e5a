#include "agent/host_sampler.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <random>

namespace autoglm::agent {
namespace {

namespace fs = std::filesystem;
const fs::path kFixtures = fs::path(AUTOGLM_SOURCE_DIR) / "tests/agent/fixtures";

// A private copy of a fixture /proc tree that the test can swap for the next reading.
class ProcTree {
 public:
  ProcTree()
      : root_(fs::temp_directory_path() /
              ("autoglm-proc-" + std::to_string(std::random_device{}()))) {}
  ~ProcTree() { fs::remove_all(root_); }
  void use(const std::string& fixture) {
    fs::remove_all(root_);
    fs::copy(kFixtures / fixture, root_, fs::copy_options::recursive);
  }
  const fs::path& root() const { return root_; }

 private:
  fs::path root_;
};

TEST(HostSampler, DeltasBetweenTwoReadings) {
  ProcTree proc;
  proc.use("proc_a");
  HostSampler sampler(proc.root(), /*net capacity*/ 100e6);
  core::Time t0{std::chrono::seconds(50)};
  auto first = sampler.sample(t0);
  EXPECT_FALSE(first.cpu_util) << "one reading has no delta";
  EXPECT_FALSE(first.net_rx_bytes_per_s);
  ASSERT_TRUE(first.mem_total_bytes);
  EXPECT_DOUBLE_EQ(*first.mem_total_bytes, 65536000.0 * 1024);
  EXPECT_DOUBLE_EQ(*first.mem_available_bytes, 16384000.0 * 1024);

  proc.use("proc_b");
  auto second = sampler.sample(t0 + std::chrono::seconds(1));
  ASSERT_TRUE(second.cpu_util);
  EXPECT_DOUBLE_EQ(*second.cpu_util, 0.4);
  ASSERT_TRUE(second.net_rx_bytes_per_s);
  EXPECT_DOUBLE_EQ(*second.net_rx_bytes_per_s, 12e6);
  EXPECT_DOUBLE_EQ(*second.net_tx_bytes_per_s, 3e6);
  ASSERT_TRUE(second.net_util);
  EXPECT_DOUBLE_EQ(*second.net_util, 0.15);
  EXPECT_EQ(sampler.last_error(), "");
}

TEST(HostSampler, RatesScaleWithElapsedTime) {
  ProcTree proc;
  proc.use("proc_a");
  HostSampler sampler(proc.root());
  core::Time t0{0};
  sampler.sample(t0);
  proc.use("proc_b");
  auto s = sampler.sample(t0 + std::chrono::seconds(4));
  EXPECT_DOUBLE_EQ(*s.net_rx_bytes_per_s, 3e6);
  EXPECT_FALSE(s.net_util) << "no link capacity given";
}

TEST(HostSampler, MissingFilesGiveNoNumbersAndAnError) {
  HostSampler sampler("/nonexistent/proc");
  auto s = sampler.sample(core::Time{0});
  EXPECT_FALSE(s.cpu_util);
  EXPECT_FALSE(s.mem_total_bytes);
  EXPECT_FALSE(s.net_rx_bytes_per_s);
  EXPECT_NE(sampler.last_error().find("/nonexistent/proc"), std::string::npos);
}

}  // namespace
}  // namespace autoglm::agent

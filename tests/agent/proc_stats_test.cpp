#include "agent/proc_stats.hpp"

#include <gtest/gtest.h>

namespace autoglm::agent {
namespace {

const std::filesystem::path kFixtures =
    std::filesystem::path(AUTOGLM_SOURCE_DIR) / "tests/agent/fixtures";

TEST(ProcStat, ReadsTheAggregateCpuLine) {
  auto a = read_cpu_times(kFixtures / "proc_a");
  ASSERT_TRUE(a) << a.status().message();
  EXPECT_EQ(a->busy, 14000u);
  EXPECT_EQ(a->total, 95000u);
  auto b = read_cpu_times(kFixtures / "proc_b");
  ASSERT_TRUE(b);
  auto util = cpu_utilisation(*a, *b);
  ASSERT_TRUE(util);
  EXPECT_DOUBLE_EQ(*util, 0.4);
}

TEST(ProcStat, NoTicksNoNumber) {
  CpuTimes t{100, 1000};
  EXPECT_FALSE(cpu_utilisation(t, t)) << "no time passed: unknown, not 0";
  EXPECT_FALSE(cpu_utilisation(CpuTimes{200, 2000}, t)) << "counters went back";
}

TEST(ProcStat, ShortCpuLineOfOldKernels) {
  auto t = parse_proc_stat("cpu 10 0 10 80\n");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->busy, 20u);
  EXPECT_EQ(t->total, 100u);
  EXPECT_FALSE(parse_proc_stat("cpu0 1 2 3 4 5\n"));
  EXPECT_FALSE(parse_proc_stat(""));
}

TEST(ProcMeminfo, TotalAndAvailableInBytes) {
  auto m = read_meminfo(kFixtures / "proc_a");
  ASSERT_TRUE(m) << m.status().message();
  EXPECT_EQ(m->total_bytes, 65536000ull * 1024);
  EXPECT_EQ(m->available_bytes, 16384000ull * 1024);
  EXPECT_FALSE(parse_meminfo("MemTotal: 100 kB\nMemFree: 50 kB\n")) << "no MemAvailable: no guess";
}

TEST(ProcNetDev, SumsInterfacesWithoutLoopback) {
  auto n = read_net_dev(kFixtures / "proc_a");
  ASSERT_TRUE(n) << n.status().message();
  EXPECT_EQ(n->rx_bytes, 1000000000ull + 2000000ull);
  EXPECT_EQ(n->tx_bytes, 500000000ull + 1000000ull);
  EXPECT_FALSE(parse_net_dev("Inter-| Receive\n face |bytes\n    lo: 1 2 3 4 5 6 7 8 9 10\n"));
}

TEST(ProcFiles, MissingRootIsUnavailable) {
  auto r = read_cpu_times("/nonexistent/proc");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().code(), core::ErrorCode::kUnavailable);
  EXPECT_NE(r.status().message().find("/nonexistent/proc/stat"), std::string::npos);
}

}  // namespace
}  // namespace autoglm::agent

#include "sim/plots.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "sim/svg_check.hpp"

namespace autoglm::sim {
namespace {

using namespace std::chrono_literals;

TEST(Plots, CdfPointsAreMonotoneAndEndAtOne) {
  std::vector<double> v;
  for (int i = 0; i < 5000; ++i) v.push_back(double((i * 7919) % 1000) + 0.5);
  const auto pts = cdf_points(v, 300);
  ASSERT_EQ(pts.size(), 300u);
  for (std::size_t i = 1; i < pts.size(); ++i) {
    EXPECT_GE(pts[i].first, pts[i - 1].first) << i;
    EXPECT_GT(pts[i].second, pts[i - 1].second) << i;
  }
  EXPECT_DOUBLE_EQ(pts.back().second, 1.0);
  EXPECT_DOUBLE_EQ(pts.back().first, 999.5);
  EXPECT_GT(pts.front().second, 0.0);
}

TEST(Plots, CdfPointsOfFewValuesAreEveryValue) {
  const auto pts = cdf_points({30, 10, 20}, 400);
  ASSERT_EQ(pts.size(), 3u);
  EXPECT_EQ(pts[0], (std::pair<double, double>{10, 1.0 / 3}));
  EXPECT_EQ(pts[2], (std::pair<double, double>{30, 1.0}));
  EXPECT_TRUE(cdf_points({}, 10).empty());
}

PolicyPlotData run(const std::string& policy, double scale) {
  PolicyPlotData d;
  d.policy = policy;
  for (int i = 1; i <= 50; ++i) {
    d.e2e_ms.push_back(scale * i * 20);
    d.ttft_ms.push_back(scale * i);
  }
  d.series = TimeSeries(core::Time(0), 1s, 16);
  for (int i = 0; i < 40; ++i) d.series.push(ClusterSample{0.5 * scale, double(i % 5), 1, 2});
  return d;
}

TEST(Plots, ScenarioPlotsAreFourWellFormedChartsWithOneLinePerPolicy) {
  const auto files = scenario_plots("demo & co", {run("round_robin", 1), run("dynamic", 0.5)});
  ASSERT_EQ(files.size(), 4u);
  const std::vector<std::string> names = {"e2e_cdf.svg", "ttft_cdf.svg", "utilisation.svg",
                                          "queue.svg"};
  for (std::size_t i = 0; i < files.size(); ++i) {
    EXPECT_EQ(files[i].name, names[i]);
    std::string why;
    EXPECT_TRUE(well_formed(files[i].svg, why)) << files[i].name << ": " << why;
    EXPECT_NE(files[i].svg.find(">round_robin</text>"), std::string::npos) << files[i].name;
    EXPECT_NE(files[i].svg.find(">dynamic</text>"), std::string::npos) << files[i].name;
    EXPECT_NE(files[i].svg.find("demo &amp; co"), std::string::npos) << files[i].name;
  }
  EXPECT_NE(files[2].svg.find("GPU utilisation"), std::string::npos);
  EXPECT_NE(files[3].svg.find("requests waiting"), std::string::npos);
}

TEST(Plots, WritePlotsCreatesTheFolderAndFiles) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("autoglm-plots-" + std::to_string(::getpid()));
  const auto files = scenario_plots("x", {run("p", 1)});
  ASSERT_TRUE(write_plots((dir / "nested").string(), files).is_ok());
  for (const auto& f : files) {
    std::ifstream in(dir / "nested" / f.name);
    std::stringstream text;
    text << in.rdbuf();
    EXPECT_EQ(text.str(), f.svg);
  }
  std::filesystem::remove_all(dir);
}

TEST(Plots, SampleIntervalGivesAboutTheAskedPointsButAtLeastTenMs) {
  EXPECT_EQ(plot_sample_interval(600s, 600), 1s);
  EXPECT_EQ(plot_sample_interval(1s, 600), 10ms);
}

}  // namespace
}  // namespace autoglm::sim

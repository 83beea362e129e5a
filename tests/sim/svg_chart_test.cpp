#include "sim/svg_chart.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "sim/svg_check.hpp"

namespace autoglm::sim {
namespace {

LineChart sample_chart() {
  LineChart c;
  c.title = "Latency <p99> & friends";
  c.x_label = "time (ms)";
  c.y_label = "share";
  c.series.push_back({"round_robin", {{10, 0.1}, {100, 0.5}, {1000, 1}}});
  c.series.push_back({"a \"quoted\" & <tagged> policy", {{20, 0.2}, {200, 0.9}}});
  return c;
}

TEST(SvgChart, IsAWellFormedSvgDocument) {
  for (const bool log : {false, true}) {
    LineChart c = sample_chart();
    c.x_log = log;
    c.step = log;
    const std::string svg = render_svg(c);
    std::string why;
    EXPECT_TRUE(well_formed(svg, why)) << why << "\n" << svg;
    EXPECT_EQ(svg.rfind("<?xml", 0), 0u);
    EXPECT_NE(svg.find("xmlns=\"http://www.w3.org/2000/svg\""), std::string::npos);
  }
}

TEST(SvgChart, HasTitleAxisLabelsLegendAndOneLinePerSeries) {
  const std::string svg = render_svg(sample_chart());
  EXPECT_NE(svg.find("Latency &lt;p99&gt; &amp; friends"), std::string::npos);
  EXPECT_NE(svg.find(">time (ms)</text>"), std::string::npos);
  EXPECT_NE(svg.find(">share</text>"), std::string::npos);
  EXPECT_NE(svg.find("class=\"legend\""), std::string::npos);
  EXPECT_NE(svg.find(">round_robin</text>"), std::string::npos);
  EXPECT_NE(svg.find("a &quot;quoted&quot; &amp; &lt;tagged&gt; policy"), std::string::npos);
  std::size_t lines = 0;
  for (std::size_t at = 0; (at = svg.find("<polyline", at)) != std::string::npos; ++at) ++lines;
  EXPECT_EQ(lines, 2u);
}

TEST(SvgChart, EscapesMarkupCharacters) {
  EXPECT_EQ(svg_escape("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&apos;");
  EXPECT_EQ(svg_escape("plain"), "plain");
}

TEST(SvgChart, EmptyChartStillRendersAxesAndSaysNoData) {
  LineChart c;
  c.title = "empty";
  c.x_log = true;
  c.series.push_back({"nothing", {}});
  const std::string svg = render_svg(c);
  std::string why;
  EXPECT_TRUE(well_formed(svg, why)) << why;
  EXPECT_NE(svg.find("no data"), std::string::npos);
  EXPECT_EQ(svg.find("nan"), std::string::npos);
  EXPECT_EQ(svg.find("inf"), std::string::npos);
}

TEST(SvgChart, NiceTicksCoverTheRangeWithRoundSteps) {
  const auto t = nice_ticks(3, 97, 5);
  ASSERT_GE(t.size(), 3u);
  EXPECT_LE(t.front(), 3);
  EXPECT_GE(t.back(), 97);
  EXPECT_DOUBLE_EQ(t[1] - t[0], 20);
  const auto u = nice_ticks(0, 1, 5);
  ASSERT_EQ(u.size(), 6u);
  EXPECT_DOUBLE_EQ(u.front(), 0);
  EXPECT_NEAR(u[3], 0.6, 1e-12);
  EXPECT_NEAR(u.back(), 1, 1e-12);
}

TEST(SvgChart, LogTicksAreOneTwoFiveAndThinOverManyDecades) {
  EXPECT_EQ(log_ticks(10, 1000), (std::vector<double>{10, 20, 50, 100, 200, 500, 1000}));
  EXPECT_EQ(log_ticks(1, 1e6), (std::vector<double>{1, 10, 100, 1000, 1e4, 1e5, 1e6}));
}

}  // namespace
}  // namespace autoglm::sim

#include "monitor/prometheus_text.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "fixture.hpp"

namespace autoglm::monitor {
namespace {

TEST(PrometheusText, ParsesNameLabelsValueAndTimestamp) {
  auto e = parse_prometheus_text(
      "http_requests_total{method=\"post\",code=\"200\"} 1027 1395066363000\n");
  ASSERT_EQ(e.samples.size(), 1u);
  const Sample& s = e.samples[0];
  EXPECT_EQ(s.name, "http_requests_total");
  ASSERT_EQ(s.labels.size(), 2u);
  EXPECT_EQ(*s.label("method"), "post");
  EXPECT_EQ(*s.label("code"), "200");
  EXPECT_EQ(s.label("absent"), nullptr);
  EXPECT_DOUBLE_EQ(s.value, 1027);
  ASSERT_TRUE(s.timestamp_ms.has_value());
  EXPECT_EQ(*s.timestamp_ms, 1395066363000);
  EXPECT_TRUE(e.errors.empty());
}

TEST(PrometheusText, UnescapesLabelValuesAndHelp) {
  auto e = parse_prometheus_text(
      "# HELP m A \\\\ backslash\\nand a new line\n"
      "m{path=\"C:\\\\DIR\\\\FILE.TXT\",error=\"Cannot find file:\\n\\\"FILE.TXT\\\"\"} "
      "1.458255915e9\n");
  ASSERT_EQ(e.samples.size(), 1u);
  EXPECT_EQ(*e.samples[0].label("path"), "C:\\DIR\\FILE.TXT");
  EXPECT_EQ(*e.samples[0].label("error"), "Cannot find file:\n\"FILE.TXT\"");
  EXPECT_EQ(e.help.at("m"), "A \\ backslash\nand a new line");
  EXPECT_DOUBLE_EQ(e.samples[0].value, 1.458255915e9);
}

TEST(PrometheusText, SpecialValues) {
  auto e = parse_prometheus_text("a NaN\nb +Inf\nc -Inf\nd -1.5e-3\ne +7\n");
  ASSERT_EQ(e.samples.size(), 5u);
  EXPECT_TRUE(std::isnan(e.samples[0].value));
  EXPECT_TRUE(std::isinf(e.samples[1].value) && e.samples[1].value > 0);
  EXPECT_TRUE(std::isinf(e.samples[2].value) && e.samples[2].value < 0);
  EXPECT_DOUBLE_EQ(e.samples[3].value, -1.5e-3);
  EXPECT_DOUBLE_EQ(e.samples[4].value, 7);
}

TEST(PrometheusText, CommentsTypesBlankLinesAndCrLf) {
  auto e = parse_prometheus_text(
      "# a free comment\r\n\r\n# TYPE x counter\r\n# HELP x Counts.\r\nx_total 3\r\n  \n");
  EXPECT_EQ(e.types.at("x"), "counter");
  EXPECT_EQ(e.help.at("x"), "Counts.");
  ASSERT_EQ(e.samples.size(), 1u);
  EXPECT_EQ(e.samples[0].name, "x_total");
  EXPECT_TRUE(e.errors.empty());
}

TEST(PrometheusText, EmptyLabelSetTrailingCommaAndSpaces) {
  auto e = parse_prometheus_text("a{} 1\nb{x=\"1\",} 2\nc { y = \"2\" } 3\n");
  ASSERT_EQ(e.samples.size(), 3u);
  EXPECT_TRUE(e.samples[0].labels.empty());
  EXPECT_EQ(*e.samples[1].label("x"), "1");
  EXPECT_EQ(*e.samples[2].label("y"), "2");
}

TEST(PrometheusText, BadLinesAreSkippedAndReportedNotFatal) {
  auto e = parse_prometheus_text(
      "good 1\n"
      "no_value\n"
      "bad{x=1} 2\n"
      "unterminated{x=\"1} 3\n"
      "also_good{a=\"b\"} 4\n"
      "trailing 5 junk\n"
      "9starts_with_digit 6\n"
      "word NotANumber\n");
  ASSERT_EQ(e.samples.size(), 2u);
  EXPECT_EQ(e.samples[0].name, "good");
  EXPECT_EQ(e.samples[1].name, "also_good");
  ASSERT_EQ(e.errors.size(), 6u);
  EXPECT_EQ(e.errors[0].rfind("line 2:", 0), 0u) << e.errors[0];
}

TEST(PrometheusText, HistogramPartsKeepTheirOwnNames) {
  auto e = parse_prometheus_text(testing::read_fixture("sglang.txt"));
  EXPECT_TRUE(e.errors.empty());
  EXPECT_EQ(e.types.at("sglang:time_to_first_token_seconds"), "histogram");
  auto buckets = e.find("sglang:time_to_first_token_seconds_bucket");
  ASSERT_EQ(buckets.size(), 21u);
  EXPECT_EQ(*buckets.back()->label("le"), "+Inf");
  EXPECT_DOUBLE_EQ(buckets.back()->value, 11008);
  EXPECT_EQ(e.find("sglang:time_to_first_token_seconds_count").size(), 1u);
  EXPECT_FALSE(e.has("sglang:time_to_first_token_seconds"));
}

TEST(PrometheusText, EveryFixtureParsesWithoutErrors) {
  for (const char* name :
       {"vllm_v0.txt", "vllm_v1.txt", "sglang.txt", "llamacpp.txt", "simnode.txt"}) {
    auto e = parse_prometheus_text(testing::read_fixture(name));
    EXPECT_TRUE(e.errors.empty()) << name << ": " << e.errors.front();
    EXPECT_GT(e.samples.size(), 5u) << name;
  }
}

}  // namespace
}  // namespace autoglm::monitor

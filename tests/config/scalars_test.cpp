#include "config/scalars.hpp"

#include <gtest/gtest.h>

namespace autoglm::config {
namespace {

using std::chrono::milliseconds;

TEST(ParseDuration, AcceptsUnitsAndPlainMilliseconds) {
  EXPECT_EQ(parse_duration("10s").value(), milliseconds(10'000));
  EXPECT_EQ(parse_duration("500ms").value(), milliseconds(500));
  EXPECT_EQ(parse_duration("2m").value(), milliseconds(120'000));
  EXPECT_EQ(parse_duration("1h").value(), milliseconds(3'600'000));
  EXPECT_EQ(parse_duration("1m30s").value(), milliseconds(90'000));
  EXPECT_EQ(parse_duration("250").value(), milliseconds(250));
  EXPECT_EQ(parse_duration(" 0 ").value(), milliseconds(0));
}

TEST(ParseDuration, RejectsGarbageWithTheValueInTheMessage) {
  for (const char* text : {"", "abc", "10x", "-5s", "s", "1.5s", "10 s", "5m3"}) {
    core::Result<milliseconds> parsed = parse_duration(text);
    ASSERT_FALSE(parsed.is_ok()) << text;
    EXPECT_NE(parsed.status().message().find("expected a duration"), std::string::npos);
    EXPECT_NE(parsed.status().message().find(std::string("'") + text + "'"), std::string::npos);
  }
}

TEST(ParseSize, AcceptsBinaryAndDecimalUnits) {
  EXPECT_EQ(parse_size("8MiB").value(), 8u * 1024 * 1024);
  EXPECT_EQ(parse_size("16KiB").value(), 16u * 1024);
  EXPECT_EQ(parse_size("1GiB").value(), 1024u * 1024 * 1024);
  EXPECT_EQ(parse_size("2kb").value(), 2000u);
  EXPECT_EQ(parse_size("3 MB").value(), 3'000'000u);
  EXPECT_EQ(parse_size("1048576").value(), 1048576u);
  EXPECT_EQ(parse_size("7B").value(), 7u);
}

TEST(ParseSize, RejectsUnknownUnitsAndNegatives) {
  EXPECT_FALSE(parse_size("8XB").is_ok());
  EXPECT_FALSE(parse_size("-1").is_ok());
  EXPECT_FALSE(parse_size("MiB").is_ok());
  EXPECT_FALSE(parse_size("99999999999999GiB").is_ok());  // overflows 64 bits
}

TEST(ParseInteger, AcceptsSignedDecimalsOnly) {
  EXPECT_EQ(parse_integer("8080").value(), 8080);
  EXPECT_EQ(parse_integer("-3").value(), -3);
  EXPECT_EQ(parse_integer("+7").value(), 7);
  core::Result<std::int64_t> bad = parse_integer("abc");
  ASSERT_FALSE(bad.is_ok());
  EXPECT_EQ(bad.status().message(), "expected an integer, got 'abc'");
  EXPECT_FALSE(parse_integer("12ab").is_ok());
  EXPECT_FALSE(parse_integer("1.5").is_ok());
}

TEST(ParseBool, AcceptsYamlSpellings) {
  EXPECT_TRUE(parse_bool("true").value());
  EXPECT_TRUE(parse_bool("Yes").value());
  EXPECT_TRUE(parse_bool("ON").value());
  EXPECT_FALSE(parse_bool("false").value());
  EXPECT_FALSE(parse_bool("no").value());
  EXPECT_FALSE(parse_bool("maybe").is_ok());
}

TEST(ParseNumber, RejectsNonFinite) {
  EXPECT_DOUBLE_EQ(parse_number("2.5").value(), 2.5);
  EXPECT_DOUBLE_EQ(parse_number("1e3").value(), 1000.0);
  EXPECT_FALSE(parse_number("inf").is_ok());
  EXPECT_FALSE(parse_number("nan").is_ok());
  EXPECT_FALSE(parse_number("fast").is_ok());
}

TEST(Format, PicksTheLargestExactUnitAndParsesBack) {
  EXPECT_EQ(format_duration(milliseconds(10'000)), "10s");
  EXPECT_EQ(format_duration(milliseconds(300'000)), "5m");
  EXPECT_EQ(format_duration(milliseconds(7'200'000)), "2h");
  EXPECT_EQ(format_duration(milliseconds(1'500)), "1500ms");
  EXPECT_EQ(format_duration(milliseconds(0)), "0ms");
  EXPECT_EQ(format_size(8 * 1024 * 1024), "8MiB");
  EXPECT_EQ(format_size(16 * 1024), "16KiB");
  EXPECT_EQ(format_size(1000), "1000");
  for (std::int64_t ms : {0, 1, 999, 1000, 61'000, 3'600'000}) {
    EXPECT_EQ(parse_duration(format_duration(milliseconds(ms))).value(), milliseconds(ms));
  }
}

}  // namespace
}  // namespace autoglm::config

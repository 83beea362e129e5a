#include "config/suggest.hpp"

#include <gtest/gtest.h>

namespace autoglm::config {
namespace {

TEST(EditDistance, CountsSwapsAsOneEdit) {
  EXPECT_EQ(edit_distance("port", "port"), 0u);
  EXPECT_EQ(edit_distance("prot", "port"), 1u);
  EXPECT_EQ(edit_distance("host", "hosts"), 1u);
  EXPECT_EQ(edit_distance("", "abc"), 3u);
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
}

TEST(ClosestMatch, SuggestsOnlyLikelyTypos) {
  const std::vector<std::string> keys{"host", "port", "context-path", "threads"};
  EXPECT_EQ(closest_match("prot", keys), "port");
  EXPECT_EQ(closest_match("contextpath", keys), "context-path");
  EXPECT_EQ(closest_match("context_path", keys), "context-path");
  EXPECT_EQ(closest_match("database", keys), std::nullopt);
  EXPECT_EQ(did_you_mean("treads", keys), " (did you mean 'threads'?)");
  EXPECT_EQ(did_you_mean("zzz", keys), "");
  EXPECT_EQ(closest_match("lvl", {"level", "format"}), "level");
  EXPECT_EQ(closest_match("x", {"id", "url"}), std::nullopt);
}

}  // namespace
}  // namespace autoglm::config

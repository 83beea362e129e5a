#include "core/suggest.hpp"

#include <gtest/gtest.h>

namespace autoglm::core {
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
  EXPECT_EQ(closest_match("lvl", std::vector<std::string>{"level", "format"}), "level");
  EXPECT_EQ(closest_match("x", std::vector<std::string>{"id", "url"}), std::nullopt);
}

TEST(SuggestTest, ViewsOfNamesWorkTheSame) {
  const std::vector<std::string_view> known = {"max_batch", "block_size"};
  EXPECT_EQ(closest_match("max_bacth", known), "max_batch");
  EXPECT_EQ(did_you_mean("blocksize", known), " (did you mean 'block_size'?)");
  EXPECT_EQ(did_you_mean("source", known), "");
  EXPECT_EQ(did_you_mean("max", known), " (did you mean 'max_batch'?)");
  EXPECT_EQ(did_you_mean("block", std::vector<std::string>{"block.size"}), "");
}

}  // namespace
}  // namespace autoglm::core

// split_trimmed: one-line lists as users type them.
#include "core/split.hpp"

#include <gtest/gtest.h>

namespace autoglm::core {
namespace {

using List = std::vector<std::string>;

TEST(SplitTrimmed, TrimsEachItemAndDropsEmptyOnes) {
  EXPECT_EQ(split_trimmed("http://a:1, http://b:2,\thttp://c:3 ,"),
            (List{"http://a:1", "http://b:2", "http://c:3"}));
  EXPECT_EQ(split_trimmed("one"), (List{"one"}));
  EXPECT_EQ(split_trimmed(" , ,"), List{});
  EXPECT_EQ(split_trimmed(""), List{});
  EXPECT_EQ(split_trimmed("a b;c", ';'), (List{"a b", "c"}));
}

}  // namespace
}  // namespace autoglm::core

#include "agent/backend_probe.hpp"

#include <gtest/gtest.h>

namespace autoglm::agent {
namespace {

TEST(ModelList, ReadsOpenAiIds) {
  auto ids = parse_model_list(
      R"({"object":"list","data":[{"id":"llama-3-8b","object":"model"},{"id":"lora-1"},{"x":1}]})");
  ASSERT_TRUE(ids);
  EXPECT_EQ(*ids, (std::vector<std::string>{"llama-3-8b", "lora-1"}));
}

TEST(ModelList, RejectsOtherShapes) {
  EXPECT_FALSE(parse_model_list("[]"));
  EXPECT_FALSE(parse_model_list(R"({"models":[]})"));
  EXPECT_FALSE(parse_model_list("garbage"));
}

}  // namespace
}  // namespace autoglm::agent

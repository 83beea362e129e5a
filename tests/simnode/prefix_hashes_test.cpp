// The prompt hashes --prefix-caching matches on: equal leading text, equal leading hashes.
#include <gtest/gtest.h>

#include "simnode/openai_format.hpp"

namespace autoglm::simnode {
namespace {

std::string chat(const std::string& system, const std::string& user) {
  return R"({"model":"m","messages":[{"role":"system","content":")" + system +
         R"("},{"role":"user","content":[{"type":"text","text":")" + user + R"("}]}]})";
}

TEST(SimRequestPrefix, SharedLeadingTextSharesLeadingHashes) {
  const std::string shared(600, 's');
  auto a = parse_sim_request(chat(shared, std::string(300, 'a')), true, SimLimits{});
  auto b = parse_sim_request(chat(shared, std::string(300, 'b')), true, SimLimits{});
  ASSERT_TRUE(a.is_ok() && b.is_ok());
  EXPECT_EQ(a->prompt_bytes, 900);
  ASSERT_EQ(a->prefix_hashes.size(), 3u);  // 900 bytes: three whole 256-byte chunks
  ASSERT_EQ(b->prefix_hashes.size(), 3u);
  EXPECT_EQ(a->prefix_hashes[0], b->prefix_hashes[0]);
  EXPECT_EQ(a->prefix_hashes[1], b->prefix_hashes[1]);
  EXPECT_NE(a->prefix_hashes[2], b->prefix_hashes[2]);  // bytes 512-767 hold 'a' or 'b'
}

TEST(SimRequestPrefix, CompletionPromptsAreHashedToo) {
  auto r = parse_sim_request(R"({"model":"m","prompt":")" + std::string(512, 'x') + R"("})", false,
                             SimLimits{});
  ASSERT_TRUE(r.is_ok());
  EXPECT_EQ(r->prompt_bytes, 512);
  EXPECT_EQ(r->prefix_hashes.size(), 2u);
}

}  // namespace
}  // namespace autoglm::simnode

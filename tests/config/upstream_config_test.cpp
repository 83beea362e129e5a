// upstream.*: timeouts per route, the per-request ceiling, retries and their budget.
#include <gtest/gtest.h>

#include "config/loader.hpp"
#include "test_support.hpp"

namespace autoglm::config {
namespace {

using namespace std::chrono_literals;
using testing::empty_env;
using testing::error_of;

core::Result<Config> load_text(const std::string& yaml) {
  return load_from_string(yaml, "app.yaml", empty_env());
}

TEST(UpstreamConfig, DefaultsRetryTwiceWithShortJitteredBackoff) {
  const Config c;
  EXPECT_EQ(c.upstream.retries, 2);
  EXPECT_EQ(c.upstream.retry_backoff, 25ms);
  EXPECT_EQ(c.upstream.retry_backoff_max, 250ms);
  EXPECT_EQ(c.upstream.retry_budget, 0.2);
  EXPECT_EQ(c.upstream.idle_timeout, 60s);
  EXPECT_TRUE(c.upstream.routes.empty());
}

TEST(UpstreamConfig, ReadsRoutesRetriesAndBudget) {
  auto c = load_text(
      "upstream:\n  retries: 4\n  retry-backoff: 5ms\n  retry-backoff-max: 1s\n"
      "  retry-budget: 0.5\n  retry-budget-min: 1\n  idle-timeout: 20s\n"
      "  max-timeout-override: 2m\n"
      "  routes:\n    /v1/embeddings:\n      response-timeout: 30s\n      idle-timeout: 5s\n"
      "    /v1/chat/completions:\n      resume-on-failure: true\n      max-resumes: 2\n");
  ASSERT_TRUE(c.is_ok()) << c.status().message();
  EXPECT_EQ(c->upstream.retries, 4);
  EXPECT_EQ(c->upstream.retry_backoff, 5ms);
  EXPECT_EQ(c->upstream.retry_backoff_max, 1s);
  EXPECT_EQ(c->upstream.retry_budget, 0.5);
  EXPECT_EQ(c->upstream.retry_budget_min, 1);
  EXPECT_EQ(c->upstream.max_timeout_override, 2min);
  const RouteUpstream& e = c->upstream.routes.at("/v1/embeddings");
  EXPECT_EQ(e.response_timeout, std::optional<Millis>(30s));
  EXPECT_EQ(e.idle_timeout, std::optional<Millis>(5s));
  EXPECT_FALSE(e.first_byte_timeout);
  EXPECT_FALSE(e.resume_on_failure);  // off unless a route asks
  const RouteUpstream& chat = c->upstream.routes.at("/v1/chat/completions");
  EXPECT_TRUE(chat.resume_on_failure);
  EXPECT_EQ(chat.max_resumes, 2);
  // What `config show` prints loads back to the same configuration.
  auto again = load_text(to_yaml(*c));
  ASSERT_TRUE(again.is_ok()) << again.status().message();
  EXPECT_EQ(again->upstream, c->upstream);
}

TEST(UpstreamConfig, ErrorsNameTheKey) {
  EXPECT_NE(error_of(load_text("upstream:\n  retries: 11\n")).find("upstream.retries"),
            std::string::npos);
  EXPECT_NE(error_of(load_text("upstream:\n  retry-budget: 0\n")).find("upstream.retry-budget"),
            std::string::npos);
  const std::string route = error_of(
      load_text("upstream:\n  routes:\n    /v1/chat/completion:\n      idle-timeout: 1s\n"));
  EXPECT_NE(route.find("did you mean '/v1/chat/completions'"), std::string::npos) << route;
  const std::string key =
      error_of(load_text("upstream:\n  routes:\n    /v1/embeddings:\n      idle: 1s\n"));
  EXPECT_NE(key.find("upstream.routes./v1/embeddings.idle"), std::string::npos) << key;
  const std::string embeddings = error_of(
      load_text("upstream:\n  routes:\n    /v1/embeddings:\n      resume-on-failure: true\n"));
  EXPECT_NE(embeddings.find("only the streamed completion routes"), std::string::npos)
      << embeddings;
  EXPECT_NE(
      error_of(load_text("upstream:\n  routes:\n    /v1/completions:\n      max-resumes: 9\n"))
          .find("upstream.routes./v1/completions.max-resumes"),
      std::string::npos);
}

}  // namespace
}  // namespace autoglm::config

// The hardening keys: auth and API keys, tenants, limits, cache, routes, drain pause.
#include <gtest/gtest.h>

#include "config/loader.hpp"
#include "test_support.hpp"

namespace autoglm::config {
namespace {

using testing::empty_env;
using testing::env_from;
using testing::error_of;

const std::string kHash(64, 'a');

core::Result<Config> load_text(const std::string& yaml, EnvLookup env = empty_env()) {
  return load_from_string(yaml, "app.yaml", env);
}

TEST(HardeningConfig, DefaultsKeepAuthOffAndCacheOn) {
  auto config = load_text("{}\n");
  ASSERT_TRUE(config.is_ok()) << config.status().message();
  EXPECT_FALSE(config->auth.enabled);
  EXPECT_TRUE(config->auth.keys.empty());
  EXPECT_EQ(config->auth.key_refresh, std::chrono::seconds(5));
  EXPECT_EQ(config->auth.key_miss_refresh, std::chrono::seconds(1));
  EXPECT_TRUE(config->cache.enabled);
  EXPECT_EQ(config->cache.ttl, std::chrono::seconds(300));
  EXPECT_EQ(config->cache.max_bytes, 64u << 20);
  EXPECT_EQ(config->server.drain_pause, std::chrono::seconds(2));
  EXPECT_EQ(config->limits.global_requests_per_second, 0);
}

TEST(HardeningConfig, ReadsKeysTenantsLimitsAndRoutes) {
  const std::string yaml =
      "server: {drain-pause: 0s}\n"
      "auth:\n"
      "  enabled: true\n"
      "  key-refresh: 30s\n"
      "  key-miss-refresh: 0s\n"
      "  keys:\n"
      "    - {id: key_admin, tenant: ops, admin: true, sha256: " +
      kHash +
      "}\n"
      "    - {tenant: acme, label: ci, key: '${ACME_KEY}'}\n"
      "tenants:\n"
      "  - id: acme\n"
      "    default-class: batch\n"
      "    models: [m1]\n"
      "    limits: {requests-per-second: 5, burst: 10, tokens-per-minute: 6000, max-concurrent: "
      "2}\n"
      "limits:\n"
      "  global: {requests-per-second: 100, burst: 200}\n"
      "  tenant-default: {requests-per-second: 50}\n"
      "cache: {enabled: false, ttl: 10s, max-bytes: 1MiB}\n"
      "routes:\n"
      "  - model: m1\n"
      "    sticky-header: x-session-id\n"
      "    subsets:\n"
      "      - {name: v1, weight: 90, nodes: [a, b]}\n"
      "      - {name: v2, weight: 10, labels: {version: v2}}\n";
  auto config = load_text(yaml, env_from({{"ACME_KEY", "agk_0123456789abcdef"}}));
  ASSERT_TRUE(config.is_ok()) << config.status().message();
  EXPECT_EQ(config->server.drain_pause, std::chrono::milliseconds(0));
  EXPECT_EQ(config->auth.key_refresh, std::chrono::seconds(30));
  EXPECT_EQ(config->auth.key_miss_refresh, std::chrono::milliseconds(0));
  ASSERT_EQ(config->auth.keys.size(), 2u);
  EXPECT_TRUE(config->auth.keys[0].admin);
  EXPECT_EQ(config->auth.keys[0].sha256, kHash);
  EXPECT_EQ(config->auth.keys[1].secret, "agk_0123456789abcdef");
  ASSERT_EQ(config->tenants.size(), 1u);
  EXPECT_EQ(config->tenants[0].default_class, "batch");
  ASSERT_TRUE(config->tenants[0].limits);
  EXPECT_EQ(config->tenants[0].limits->tokens_per_minute, 6000);
  EXPECT_EQ(config->tenants[0].limits->max_concurrent, 2u);
  EXPECT_EQ(config->limits.global_burst, 200);
  EXPECT_EQ(config->limits.tenant_default.requests_per_second, 50);
  EXPECT_FALSE(config->cache.enabled);
  ASSERT_EQ(config->routes.size(), 1u);
  EXPECT_EQ(config->routes[0].sticky_header, "x-session-id");
  EXPECT_EQ(config->routes[0].subsets[1].labels.at("version"), "v2");

  // to_yaml masks the key in clear.
  const std::string text = to_yaml(*config);
  EXPECT_EQ(text.find("agk_0123456789abcdef"), std::string::npos) << text;
  EXPECT_NE(text.find("x-session-id"), std::string::npos);
}

TEST(HardeningConfig, KeyErrorsNeverEchoTheKey) {
  const std::string message =
      error_of(load_text("auth:\n  keys:\n    - {tenant: a, key: short-secret}\n    - {tenant: b}\n"
                         "    - {tenant: c, sha256: nothex}\n"));
  EXPECT_NE(message.find("auth.keys[0].key: a key must be at least 16 characters"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("auth.keys[1]: give exactly one of"), std::string::npos) << message;
  EXPECT_NE(message.find("auth.keys[2].sha256: expected the 64 hex digits"), std::string::npos);
  EXPECT_EQ(message.find("short-secret"), std::string::npos) << message;
  EXPECT_EQ(message.find("nothex"), std::string::npos) << message;
}

TEST(HardeningConfig, ListErrorsNameTheItem) {
  const std::string message =
      error_of(load_text("tenants:\n  - {id: a, default-class: urgent}\n  - {id: a}\n"
                         "routes:\n  - model: m\n    subsets:\n      - {name: v1, weight: 1}\n"
                         "limits:\n  global: {requests-per-second: -1}\n"));
  EXPECT_NE(message.find("tenants[0].default-class: expected one of critical"), std::string::npos)
      << message;
  EXPECT_NE(message.find("tenants[1]: duplicate tenant id 'a'"), std::string::npos) << message;
  EXPECT_NE(message.find("routes[0].subsets[0]: a subset needs 'nodes'"), std::string::npos)
      << message;
  EXPECT_NE(message.find("limits.global.requests-per-second: must be between 0"), std::string::npos)
      << message;
}

}  // namespace
}  // namespace autoglm::config

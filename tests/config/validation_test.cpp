// Schema checks: unknown keys, wrong types, ranges, enums, lists; all errors at once.
#include <gtest/gtest.h>

#include "config/loader.hpp"
#include "test_support.hpp"

namespace autoglm::config {
namespace {

using testing::empty_env;
using testing::error_of;

core::Result<Config> load_text(const std::string& yaml) {
  return load_from_string(yaml, "app.yaml", empty_env());
}

Config load_ok(const std::string& yaml) {
  core::Result<Config> config = load_text(yaml);
  EXPECT_TRUE(config.is_ok()) << config.status().message();
  return config.is_ok() ? *config : Config{};
}

TEST(Validation, UnknownKeySuggestsSibling) {
  EXPECT_EQ(error_of(load_text("server:\n  host: a\n  prot: 8080\n")),
            "app.yaml:3: server.prot: unknown key (did you mean 'port'?)");
  EXPECT_EQ(error_of(load_text("logging:\n  lvl: info\n")),
            "app.yaml:2: logging.lvl: unknown key (did you mean 'level'?)");
  EXPECT_EQ(error_of(load_text("servr:\n  port: 1\n")),
            "app.yaml:1: servr: unknown key (did you mean 'server'?)");
  EXPECT_EQ(error_of(load_text("cluster:\n  simulated:\n    enable: true\n")),
            "app.yaml:3: cluster.simulated.enable: unknown key (did you mean 'enabled'?)");
  EXPECT_EQ(error_of(load_text("telemetry: {}\n")), "app.yaml:1: telemetry: unknown key");
}

TEST(Validation, WrongTypeQuotesTheValue) {
  EXPECT_EQ(error_of(load_text("server:\n  port: abc\n")),
            "app.yaml:2: server.port: expected an integer, got 'abc'");
  EXPECT_EQ(error_of(load_text("server:\n  port: [1, 2]\n")),
            "app.yaml:2: server.port: expected an integer, got a list");
  EXPECT_EQ(error_of(load_text("server: 8080\n")),
            "app.yaml:1: server: expected a map, got '8080'");
  EXPECT_EQ(error_of(load_text("cluster:\n  simulated:\n    enabled: maybe\n")),
            "app.yaml:3: cluster.simulated.enabled: expected true or false, got 'maybe'");
  EXPECT_NE(error_of(load_text("server:\n  idle-timeout: soon\n"))
                .find("app.yaml:2: server.idle-timeout: expected a duration"),
            std::string::npos);
  EXPECT_NE(error_of(load_text("server:\n  max-body-bytes: lots\n"))
                .find("app.yaml:2: server.max-body-bytes: expected a size"),
            std::string::npos);
}

TEST(Validation, OutOfRangeNamesTheLimits) {
  EXPECT_EQ(error_of(load_text("server:\n  port: 70000\n")),
            "app.yaml:2: server.port: must be between 0 and 65535, got 70000");
  EXPECT_EQ(error_of(load_text("server:\n  threads: -1\n")),
            "app.yaml:2: server.threads: must be between 0 and 1024, got -1");
  EXPECT_EQ(error_of(load_text("server:\n  max-body-bytes: 2GiB\n")),
            "app.yaml:2: server.max-body-bytes: must be between 1KiB and 1GiB, got 2GiB");
  EXPECT_EQ(error_of(load_text("upstream:\n  connect-timeout: 0\n")),
            "app.yaml:2: upstream.connect-timeout: must be between 1ms and 24h, got 0");
  EXPECT_NE(error_of(load_text("cluster:\n  simulated:\n    speedup: 0\n"))
                .find("app.yaml:3: cluster.simulated.speedup: must be greater than 0"),
            std::string::npos);
  EXPECT_NE(error_of(load_text("cluster:\n  simulated:\n    seed: -4\n"))
                .find("app.yaml:3: cluster.simulated.seed: expected a non-negative integer"),
            std::string::npos);
}

TEST(Validation, PortZeroMeansPickAFreePort) {
  EXPECT_EQ(load_ok("server:\n  port: 0\n").server.port, 0);
}

TEST(Validation, CollectsEveryErrorInFileOrder) {
  const std::string message = error_of(load_text(
      "server:\n  port: abc\n  prot: 1\nlogging:\n  level: loud\nscheduler:\n  policy: fifo\n"));
  EXPECT_EQ(message,
            "app.yaml:2: server.port: expected an integer, got 'abc'\n"
            "app.yaml:3: server.prot: unknown key (did you mean 'port'?)\n"
            "app.yaml:5: logging.level: expected one of trace, debug, info, warn, warning, "
            "error, off, got 'loud'\n"
            "app.yaml:7: scheduler.policy: expected one of round_robin, random, least_request, "
            "p2c, seed_load, resource, latency_weighted, prefix_aware, slo_aware, dynamic, got "
            "'fifo'");
}

TEST(Validation, ValuesAreTyped) {
  const Config config = load_ok(
      "server:\n  host: 127.0.0.1\n  threads: 4\n  max-header-bytes: 32KiB\n"
      "  max-body-bytes: 16777216\n  header-timeout: 500ms\n  idle-timeout: 2m\n"
      "  drain-timeout: 1500\nupstream:\n  connect-timeout: 1s\n  response-timeout: 1h\n"
      "  max-idle-per-node: 8\n  failure-backoff: 0s\n"
      "cluster:\n  simulated:\n    seed: 7\n    speedup: 20.5\n");
  EXPECT_EQ(config.server.host, "127.0.0.1");
  EXPECT_EQ(config.server.threads, 4);
  EXPECT_EQ(config.server.max_header_bytes, 32u * 1024);
  EXPECT_EQ(config.server.max_body_bytes, 16u * 1024 * 1024);
  EXPECT_EQ(config.server.header_timeout, Millis(500));
  EXPECT_EQ(config.server.idle_timeout, Millis(120'000));
  EXPECT_EQ(config.server.drain_timeout, Millis(1'500));
  EXPECT_EQ(config.upstream.connect_timeout, Millis(1'000));
  EXPECT_EQ(config.upstream.response_timeout, Millis(3'600'000));
  EXPECT_EQ(config.upstream.max_idle_per_node, 8);
  EXPECT_EQ(config.upstream.failure_backoff, Millis(0));
  EXPECT_EQ(config.simulated.seed, 7u);
  EXPECT_DOUBLE_EQ(config.simulated.speedup, 20.5);
}

TEST(Validation, ContextPathIsNormalised) {
  EXPECT_EQ(load_ok("server:\n  context-path: /api/\n").server.context_path, "/api");
  EXPECT_EQ(load_ok("server:\n  context-path: /\n").server.context_path, "");
  EXPECT_EQ(load_ok("server:\n  context-path: \"\"\n").server.context_path, "");
  EXPECT_EQ(load_ok("server:\n  context-path: /v1/gw\n").server.context_path, "/v1/gw");
  EXPECT_EQ(error_of(load_text("server:\n  context-path: api\n")),
            "app.yaml:2: server.context-path: must start with '/', got 'api'");
  EXPECT_FALSE(load_text("server:\n  context-path: /a b\n").is_ok());
  EXPECT_FALSE(load_text("server:\n  context-path: /a//b\n").is_ok());
}

TEST(Validation, LogLevelIsCaseInsensitiveAndStoredLowerCase) {
  EXPECT_EQ(load_ok("logging:\n  level: INFO\n").logging.level, "info");
  EXPECT_EQ(load_ok("logging:\n  level: Debug\n").logging.level, "debug");
  EXPECT_EQ(load_ok("logging:\n  level: WARNING\n").logging.level, "warn");
  EXPECT_EQ(load_ok("logging:\n  level: off\n").logging.level, "off");
  EXPECT_EQ(load_ok("logging:\n  format: JSON\n").logging.format, "json");
  EXPECT_FALSE(load_text("logging:\n  format: xml\n").is_ok());
}

TEST(Validation, EverySchedulerPolicyIsAccepted) {
  for (const char* policy :
       {"round_robin", "random", "least_request", "p2c", "seed_load", "resource",
        "latency_weighted", "prefix_aware", "slo_aware", "dynamic"}) {
    EXPECT_EQ(load_ok(std::string("scheduler:\n  policy: ") + policy + "\n").scheduler.policy,
              policy);
  }
  EXPECT_NE(error_of(load_text("scheduler:\n  policy: round-robin\n"))
                .find("(did you mean 'round_robin'?)"),
            std::string::npos);
}

TEST(Validation, NullValueKeepsTheDefault) {
  const Config config = load_ok("server:\n  port:\n  host: ~\nlogging:\n");
  EXPECT_EQ(config.server.port, 8080);
  EXPECT_EQ(config.server.host, "0.0.0.0");
}

TEST(Validation, DuplicateKeyIsAnError) {
  EXPECT_EQ(error_of(load_text("server:\n  port: 1\n  port: 2\n")),
            "app.yaml:3: duplicate key 'port'");
}

TEST(Validation, DatabaseUrlIsChecked) {
  EXPECT_NE(error_of(load_text("database:\n  url: mysql://h/db\n"))
                .find("app.yaml:2: database.url: unsupported database URL"),
            std::string::npos);
  const Config config = load_ok("database:\n  url: sqlite:///var/lib/a.db\n");
  EXPECT_EQ(config.database.kind, DatabaseKind::kSqlite);
  EXPECT_EQ(config.database.sqlite_path, "/var/lib/a.db");
}

TEST(Validation, NodesAreRead) {
  const Config config = load_ok(
      "nodes:\n"
      "  - id: gpu-0\n    url: http://10.0.0.5:8000/\n    models: [glm-4-9b, glm-4-32b]\n"
      "    labels: {gpu: h100, zone: a}\n"
      "  - id: gpu-1\n    url: http://10.0.0.6:8000\n    models: [glm-4-9b]\n");
  ASSERT_EQ(config.nodes.size(), 2u);
  EXPECT_EQ(config.nodes[0].id, "gpu-0");
  EXPECT_EQ(config.nodes[0].url, "http://10.0.0.5:8000");
  EXPECT_EQ(config.nodes[0].models, (std::vector<std::string>{"glm-4-9b", "glm-4-32b"}));
  EXPECT_EQ(config.nodes[0].labels.at("gpu"), "h100");
  EXPECT_EQ(config.nodes[1].labels.size(), 0u);
}

TEST(Validation, NodeProblemsAreAllReported) {
  const std::string message =
      error_of(load_text("nodes:\n"
                         "  - id: a\n    url: https://x\n    models: []\n"
                         "  - id: a\n    url: http://y:1\n    models: [m]\n    lables: {}\n"
                         "  - url: http://z:1\n"
                         "  - just-a-string\n"));
  EXPECT_NE(message.find("app.yaml:3: nodes[0].url: expected an http:// URL"), std::string::npos)
      << message;
  EXPECT_NE(message.find("app.yaml:4: nodes[0].models: must list at least one model"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("app.yaml:5: nodes[1]: duplicate node id 'a' (first defined at "
                         "app.yaml:2)"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("app.yaml:8: nodes[1].lables: unknown key (did you mean 'labels'?)"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("app.yaml:9: nodes[2]: missing required key 'id'"), std::string::npos)
      << message;
  EXPECT_NE(message.find("app.yaml:9: nodes[2]: missing required key 'models'"), std::string::npos)
      << message;
  EXPECT_NE(message.find("app.yaml:10: nodes[3]: expected a map, got 'just-a-string'"),
            std::string::npos)
      << message;
}

TEST(Validation, SimulatedGroupsAreRead) {
  const Config config = load_ok(
      "cluster:\n  simulated:\n    enabled: yes\n    model: m\n    nodes:\n"
      "      - profile: h100-80gb-8b\n        count: 3\n      - profile: a100-80gb-8b\n");
  EXPECT_TRUE(config.simulated.enabled);
  EXPECT_EQ(config.simulated.model, "m");
  ASSERT_EQ(config.simulated.groups.size(), 2u);
  EXPECT_EQ(config.simulated.groups[0], (SimulatedGroup{"h100-80gb-8b", 3}));
  EXPECT_EQ(config.simulated.groups[1].count, 1);
}

TEST(Validation, SimulatedGroupCountIsBounded) {
  const std::string message = error_of(
      load_text("cluster:\n  simulated:\n    nodes:\n      - profile: p\n        count: 0\n"
                "      - count: 2000\n"));
  EXPECT_NE(message.find("app.yaml:5: cluster.simulated.nodes[0].count: must be between 1 and "
                         "1024, got 0"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("app.yaml:6: cluster.simulated.nodes[1]: missing required key "
                         "'profile'"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("cluster.simulated.nodes[1].count: must be between 1 and 1024, got 2000"),
            std::string::npos)
      << message;
}

}  // namespace
}  // namespace autoglm::config

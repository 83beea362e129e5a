// to_yaml: secrets masked, and the output reads back to the same configuration.
#include <gtest/gtest.h>

#include "config/loader.hpp"
#include "test_support.hpp"

namespace autoglm::config {
namespace {

using testing::empty_env;
using testing::env_from;
using testing::options_for;

void expect_same(const Config& a, const Config& b) {
  EXPECT_EQ(a.server, b.server);
  EXPECT_EQ(a.database, b.database);
  EXPECT_EQ(a.workflow, b.workflow);
  EXPECT_EQ(a.logging, b.logging);
  EXPECT_EQ(a.upstream, b.upstream);
  EXPECT_EQ(a.simulated, b.simulated);
  EXPECT_EQ(a.cluster, b.cluster);
  EXPECT_EQ(a.scheduler, b.scheduler);
  EXPECT_EQ(a.monitor, b.monitor);
  EXPECT_EQ(a.ui, b.ui);
  ASSERT_EQ(a.nodes.size(), b.nodes.size());
  for (std::size_t i = 0; i < a.nodes.size(); ++i) {
    EXPECT_EQ(a.nodes[i].id, b.nodes[i].id);
    EXPECT_EQ(a.nodes[i].url, b.nodes[i].url);
    EXPECT_EQ(a.nodes[i].models, b.nodes[i].models);
    EXPECT_EQ(a.nodes[i].labels, b.nodes[i].labels);
  }
}

Config reload(const Config& config) {
  const std::string yaml = to_yaml(config);
  core::Result<Config> back = load_from_string(yaml, "to_yaml", empty_env());
  EXPECT_TRUE(back.is_ok()) << back.status().message() << "\n" << yaml;
  return back.is_ok() ? *back : Config{};
}

TEST(ToYaml, MasksPasswordsEverywhere) {
  core::Result<Config> config = load_from_string(
      "database:\n  url: postgresql://admin:urlsecret@db:5432/app\n  username: admin\n"
      "  password: ${DB_PASSWORD}\n",
      "app.yaml", env_from({{"DB_PASSWORD", "keysecret"}}));
  ASSERT_TRUE(config.is_ok()) << config.status().message();
  const std::string yaml = to_yaml(*config);
  EXPECT_EQ(yaml.find("urlsecret"), std::string::npos) << yaml;
  EXPECT_EQ(yaml.find("keysecret"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("postgresql://admin:******@db:5432/app"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("password: \"******\""), std::string::npos) << yaml;
}

TEST(ToYaml, EmptyPasswordStaysEmpty) {
  const std::string yaml = to_yaml(Config{});
  EXPECT_NE(yaml.find("password: \"\""), std::string::npos) << yaml;
}

TEST(ToYaml, DefaultsRoundTrip) {
  const Config defaults;
  expect_same(reload(defaults), defaults);
}

TEST(ToYaml, ShippedFileRoundTrips) {
  core::Result<Config> config =
      load(options_for(std::string(AUTOGLM_SOURCE_DIR) + "/config/autoglm.yaml"));
  ASSERT_TRUE(config.is_ok()) << config.status().message();
  expect_same(reload(*config), *config);
}

TEST(ToYaml, EveryFieldRoundTrips) {
  Config config;
  config.server = {"::1", 0, "/api", 3, 4096, 123457, Millis(1'234), Millis(60'000), Millis(0)};
  config.database.url = "sqlite:///tmp/${not-a-var}.db";
  config.database.sqlite_path = "/tmp/${not-a-var}.db";
  config.database.username = "null";
  config.workflow = {false, Millis(250), Millis(5'000), 7, 3};
  config.logging = {"trace", "json"};
  config.upstream = {Millis(1),
                     Millis(7'200'000),
                     Millis(4'321),
                     Millis(3'000),
                     Millis(100),
                     {},
                     0,
                     Millis(999),
                     0,
                     Millis(0),
                     Millis(60'000),
                     1.0,
                     0};
  config.upstream.routes["/v1/embeddings"].idle_timeout = Millis(5);
  config.upstream.routes["/v1/completions"].connect_timeout = Millis(86'400'000);
  config.monitor.heartbeat = Millis(250);
  config.monitor.scrape_interval = Millis(0);
  config.monitor.health_check.path = "/healthz";
  config.monitor.outlier.max_ejection_percent = 100;
  config.monitor.breaker.enabled = false;
  config.monitor.slow_start.aggression = 2.5;
  config.ui = {false, "/srv/autoglm ui/dist"};
  config.simulated = {true, "8080", {{"h100-80gb-8b", 1}, {"x", 1024}}, 18446744073709551615u, 0.1};
  config.scheduler.policy = "slo_aware";
  config.nodes.push_back({"n1", "http://n1:80", {"a", "true"}, {{"gpu", "h100"}, {"k", ""}}});
  expect_same(reload(config), config);
}

TEST(ToYaml, MaskedOutputReloadsWithSecretsMasked) {
  core::Result<Config> config =
      load_from_string("database:\n  url: jdbc:postgresql://db/app?password=pw\n  password: pw\n",
                       "app.yaml", empty_env());
  ASSERT_TRUE(config.is_ok());
  Config back = reload(*config);
  EXPECT_EQ(back.database.password, "******");
  EXPECT_EQ(back.database.url, "jdbc:postgresql://db/app?password=******");
  back.database = config->database;
  expect_same(back, *config);
}

}  // namespace
}  // namespace autoglm::config

// Load order: file, profile file, AUTOGLM_* variables, --set; each later one wins.
#include <gtest/gtest.h>

#include <set>

#include "config/loader.hpp"
#include "config/schema.hpp"
#include "test_support.hpp"

namespace autoglm::config {
namespace {

using testing::env_from;
using testing::error_of;
using testing::options_for;
using testing::TempDir;

constexpr const char* kBase = R"(server:
  port: 8080
  host: 127.0.0.1
logging:
  level: info
nodes:
  - id: a
    url: http://a:1
    models: [m]
  - id: b
    url: http://b:1
    models: [m]
cluster:
  simulated:
    enabled: true
    nodes:
      - profile: h100-80gb-8b
        count: 2
)";

constexpr const char* kProfile = R"(server:
  port: 9000
logging:
  format: json
nodes:
  - id: c
    url: http://c:1
    models: [m]
)";

TEST(ProfileMerge, MapsMergeAndListsReplace) {
  TempDir dir;
  LoadOptions options = options_for(dir.write("autoglm.yaml", kBase));
  dir.write("autoglm-dev.yaml", kProfile);
  options.profile = "dev";
  core::Result<Config> config = load(options);
  ASSERT_TRUE(config.is_ok()) << config.status().message();
  EXPECT_EQ(config->server.port, 9000);         // profile wins
  EXPECT_EQ(config->server.host, "127.0.0.1");  // kept from the base file
  EXPECT_EQ(config->logging.level, "info");
  EXPECT_EQ(config->logging.format, "json");
  ASSERT_EQ(config->nodes.size(), 1u);  // the list was replaced, not appended
  EXPECT_EQ(config->nodes[0].id, "c");
  EXPECT_EQ(config->simulated.groups.size(), 1u);
}

TEST(ProfileMerge, ErrorsNameTheProfileFile) {
  TempDir dir;
  LoadOptions options = options_for(dir.write("autoglm.yaml", kBase));
  const std::string profile = dir.write("autoglm-dev.yaml", "logging:\n  level: chatty\n");
  options.profile = "dev";
  EXPECT_EQ(error_of(load(options)).rfind(profile + ":2: logging.level: expected one of", 0), 0u);
}

TEST(EnvOverrides, MapKeyPathsToVariableNames) {
  EXPECT_EQ(env_variable_for("server.port"), "AUTOGLM_SERVER_PORT");
  EXPECT_EQ(env_variable_for("server.context-path"), "AUTOGLM_SERVER_CONTEXT_PATH");
  EXPECT_EQ(env_variable_for("cluster.simulated.enabled"), "AUTOGLM_CLUSTER_SIMULATED_ENABLED");
}

TEST(EnvOverrides, NoTwoKeysShareAVariableAndNoneIsReserved) {
  std::set<std::string> names;
  for (const KeySpec& spec : key_schema()) {
    const std::string name = env_variable_for(spec.path);
    EXPECT_TRUE(names.insert(name).second) << name;
    EXPECT_NE(name, kConfigPathVariable);
    EXPECT_NE(name, kProfileVariable);
  }
}

TEST(EnvOverrides, OverrideFileAndProfile) {
  TempDir dir;
  LoadOptions options = options_for(
      dir.write("autoglm.yaml", kBase),
      env_from({{"AUTOGLM_SERVER_PORT", "9090"},
                {"AUTOGLM_SERVER_CONTEXT_PATH", "/gw/"},
                {"AUTOGLM_DATABASE_PASSWORD", "from-env"},
                {"AUTOGLM_CLUSTER_SIMULATED_ENABLED", "false"},
                {"AUTOGLM_UNKNOWN_THING", "ignored"},
                {"AUTOGLM_PROFILE", "ignored-here"},
                {"AUTOGLM_NODES", "ignored: lists are not taken from the environment"}}));
  dir.write("autoglm-dev.yaml", kProfile);
  options.profile = "dev";
  core::Result<Config> config = load(options);
  ASSERT_TRUE(config.is_ok()) << config.status().message();
  EXPECT_EQ(config->server.port, 9090);
  EXPECT_EQ(config->server.context_path, "/gw");
  EXPECT_EQ(config->database.password, "from-env");
  EXPECT_FALSE(config->simulated.enabled);
  EXPECT_EQ(config->nodes.size(), 1u);
}

TEST(EnvOverrides, ValuesAreLiteralNotSubstituted) {
  core::Result<Config> config =
      load(options_for("", env_from({{"AUTOGLM_DATABASE_PASSWORD", "a${B}: #c"}})));
  ASSERT_TRUE(config.is_ok()) << config.status().message();
  EXPECT_EQ(config->database.password, "a${B}: #c");
}

TEST(EnvOverrides, BadValueNamesTheVariable) {
  EXPECT_EQ(error_of(load(options_for("", env_from({{"AUTOGLM_SERVER_PORT", "http"}})))),
            "environment variable AUTOGLM_SERVER_PORT: server.port: expected an integer, got "
            "'http'");
}

TEST(SetFlags, OverrideEverythingElse) {
  TempDir dir;
  LoadOptions options =
      options_for(dir.write("autoglm.yaml", kBase), env_from({{"AUTOGLM_SERVER_PORT", "9090"}}));
  options.sets = {"server.port=7000", "logging.level=DEBUG", "server.context-path=\"/x\"",
                  "nodes=[{id: z, url: 'http://z:9', models: [q]}]", "database.username="};
  core::Result<Config> config = load(options);
  ASSERT_TRUE(config.is_ok()) << config.status().message();
  EXPECT_EQ(config->server.port, 7000);
  EXPECT_EQ(config->logging.level, "debug");
  EXPECT_EQ(config->server.context_path, "/x");
  ASSERT_EQ(config->nodes.size(), 1u);
  EXPECT_EQ(config->nodes[0].url, "http://z:9");
  EXPECT_EQ(config->database.username, "");
}

TEST(SetFlags, LaterFlagWins) {
  LoadOptions options = options_for("");
  options.sets = {"server.port=1", "server.port=2"};
  EXPECT_EQ(load(options)->server.port, 2);
}

TEST(SetFlags, UnknownKeySuggestsTheFullPath) {
  LoadOptions options = options_for("");
  options.sets = {"server.prot=1", "sever.port=2", "server=3"};
  EXPECT_EQ(error_of(load(options)),
            "--set: server.prot: unknown key (did you mean 'server.port'?)\n"
            "--set: sever.port: unknown key (did you mean 'server.port'?)\n"
            "--set: server: unknown key");
}

TEST(SetFlags, MalformedFlagsAndBadValues) {
  LoadOptions options = options_for("");
  options.sets = {"server.port", "=3", "server.threads=lots", "server.host=[a"};
  const std::string message = error_of(load(options));
  EXPECT_NE(message.find("--set: 'server.port': expected key.path=value"), std::string::npos)
      << message;
  EXPECT_NE(message.find("--set: '=3': expected key.path=value"), std::string::npos) << message;
  EXPECT_NE(message.find("--set: server.threads: expected an integer, got 'lots'"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("--set: server.host: YAML syntax error"), std::string::npos) << message;
}

}  // namespace
}  // namespace autoglm::config

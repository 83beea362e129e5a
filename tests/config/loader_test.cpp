// Loading whole files: the design seed file, the shipped config/ files, file errors.
#include "config/loader.hpp"

#include <gtest/gtest.h>

#include "test_support.hpp"

namespace autoglm::config {
namespace {

using testing::empty_env;
using testing::env_from;
using testing::error_of;
using testing::options_for;
using testing::TempDir;

constexpr const char* kSeedFile = R"(server:
  port: 8080
  context-path: /api
database:
  url: jdbc:postgresql://localhost:5432/myapp
  username: admin
  password: ${DB_PASSWORD}
logging:
  level: INFO
)";

const std::string kSourceDir = AUTOGLM_SOURCE_DIR;

TEST(Loader, SeedFileLoadsUnchanged) {
  TempDir dir;
  const std::string path = dir.write("seed.yaml", kSeedFile);
  core::Result<Config> config = load(options_for(path, env_from({{"DB_PASSWORD", "pa55"}})));
  ASSERT_TRUE(config.is_ok()) << config.status().message();
  EXPECT_EQ(config->server.port, 8080);
  EXPECT_EQ(config->server.context_path, "/api");
  EXPECT_EQ(config->database.kind, DatabaseKind::kPostgres);
  EXPECT_EQ(config->database.postgres_conninfo, "postgresql://localhost:5432/myapp");
  EXPECT_EQ(config->database.url, "jdbc:postgresql://localhost:5432/myapp");
  EXPECT_EQ(config->database.username, "admin");
  EXPECT_EQ(config->database.password, "pa55");
  EXPECT_EQ(config->logging.level, "info");
  EXPECT_EQ(config->source_file, path);
}

TEST(Loader, SeedFileWithoutPasswordNamesVariableKeyAndLine) {
  TempDir dir;
  const std::string path = dir.write("seed.yaml", kSeedFile);
  const std::string message = error_of(load(options_for(path)));
  EXPECT_EQ(message.rfind(path + ":7: database.password: environment variable DB_PASSWORD", 0), 0u)
      << message;
}

TEST(Loader, SeedFileFromStringToo) {
  core::Result<Config> config =
      load_from_string(kSeedFile, "seed", env_from({{"DB_PASSWORD", "x"}}));
  ASSERT_TRUE(config.is_ok()) << config.status().message();
  EXPECT_EQ(config->server.context_path, "/api");
  EXPECT_EQ(config->database.password, "x");
}

TEST(Loader, ShippedDefaultFileLoads) {
  core::Result<Config> config = load(options_for(kSourceDir + "/config/autoglm.yaml"));
  ASSERT_TRUE(config.is_ok()) << config.status().message();
  EXPECT_EQ(config->server.port, 8080);
  EXPECT_EQ(config->server.context_path, "");
  EXPECT_EQ(config->database.kind, DatabaseKind::kSqlite);
  EXPECT_EQ(config->database.sqlite_path, "./data/autoglm.db");
  EXPECT_EQ(config->logging.level, "info");
  EXPECT_EQ(config->scheduler.policy, "dynamic");
  EXPECT_EQ(config->scheduler.tick, std::chrono::milliseconds(10));
  EXPECT_TRUE(config->nodes.empty());
  EXPECT_TRUE(config->simulated.enabled);
  EXPECT_EQ(config->simulated.model, "autoglm-sim-8b");
  ASSERT_EQ(config->simulated.groups.size(), 2u);
  EXPECT_EQ(config->simulated.groups[0], (SimulatedGroup{"h100-80gb-8b", 2}));
  EXPECT_EQ(config->simulated.groups[1], (SimulatedGroup{"a100-80gb-8b", 2}));
  // Apart from the simulated cluster, the file spells out the built-in defaults.
  Config defaults;
  EXPECT_EQ(config->server, defaults.server);
  EXPECT_EQ(config->database, defaults.database);
  EXPECT_EQ(config->upstream, defaults.upstream);
}

TEST(Loader, ShippedDefaultFileTakesDatabaseUrlFromEnvironment) {
  core::Result<Config> config =
      load(options_for(kSourceDir + "/config/autoglm.yaml",
                       env_from({{"AUTOGLM_DATABASE_URL", "postgres://db/app"}})));
  ASSERT_TRUE(config.is_ok()) << config.status().message();
  EXPECT_EQ(config->database.kind, DatabaseKind::kPostgres);
}

TEST(Loader, ShippedProdProfileLoads) {
  LoadOptions options =
      options_for(kSourceDir + "/config/autoglm.yaml", env_from({{"DB_PASSWORD", "pw"}}));
  options.profile = "prod";
  core::Result<Config> config = load(options);
  ASSERT_TRUE(config.is_ok()) << config.status().message();
  EXPECT_EQ(config->logging.level, "warn");
  EXPECT_EQ(config->logging.format, "json");
  EXPECT_EQ(config->server.threads, 16);
  EXPECT_EQ(config->server.port, 8080);  // from the main file
  EXPECT_EQ(config->database.kind, DatabaseKind::kPostgres);
  EXPECT_EQ(config->database.password, "pw");
}

TEST(Loader, MissingFileIsNamed) {
  const std::string message = error_of(load(options_for("/nonexistent/autoglm.yaml")));
  EXPECT_NE(message.find("'/nonexistent/autoglm.yaml' does not exist"), std::string::npos)
      << message;
}

TEST(Loader, MissingProfileFileIsNamed) {
  TempDir dir;
  LoadOptions options = options_for(dir.write("autoglm.yaml", "server:\n  port: 1\n"));
  options.profile = "staging";
  const std::string message = error_of(load(options));
  EXPECT_NE(message.find(dir.path("autoglm-staging.yaml")), std::string::npos) << message;
}

TEST(Loader, BadProfileNameIsRejected) {
  TempDir dir;
  LoadOptions options = options_for(dir.write("autoglm.yaml", ""));
  options.profile = "../etc";
  EXPECT_NE(error_of(load(options)).find("profile name"), std::string::npos);
}

TEST(Loader, SyntaxErrorNamesFileAndLine) {
  TempDir dir;
  const std::string path = dir.write("bad.yaml", "server:\n  port: 8080\n  host: [unclosed\n");
  const std::string message = error_of(load(options_for(path)));
  EXPECT_EQ(message.rfind(path + ":", 0), 0u) << message;
  EXPECT_NE(message.find("YAML syntax error"), std::string::npos) << message;
}

TEST(Loader, TopLevelMustBeAMap) {
  EXPECT_NE(error_of(load_from_string("- a\n- b\n", "list.yaml", empty_env()))
                .find("list.yaml:1: the configuration must be a map"),
            std::string::npos);
}

// YAML aliases can name a cyclic or exponentially large tree in a few bytes.
TEST(Loader, CyclicAndExplodingAliasesAreRefused) {
  EXPECT_NE(error_of(load_from_string("server: &a [*a]\n", "cycle.yaml", empty_env()))
                .find("nested deeper than 64 levels"),
            std::string::npos);
  std::string laughs = "x0: &x0 [a, a]\n";
  for (int i = 1; i < 30; ++i) {
    const std::string prev = "*x" + std::to_string(i - 1);
    laughs += "x" + std::to_string(i) + ": &x" + std::to_string(i) + " [" + prev + ", " + prev +
              ", " + prev + "]\n";
  }
  EXPECT_NE(error_of(load_from_string(laughs, "laughs.yaml", empty_env()))
                .find("aliases expand to too many values"),
            std::string::npos);
}

TEST(Loader, EmptyFileAndEmptyPathGiveDefaults) {
  TempDir dir;
  core::Result<Config> from_empty_file = load(options_for(dir.write("empty.yaml", "")));
  ASSERT_TRUE(from_empty_file.is_ok()) << from_empty_file.status().message();
  core::Result<Config> from_nothing = load(options_for(""));
  ASSERT_TRUE(from_nothing.is_ok()) << from_nothing.status().message();
  Config defaults;
  EXPECT_EQ(from_nothing->server, defaults.server);
  EXPECT_EQ(from_nothing->database, defaults.database);
  EXPECT_EQ(from_nothing->simulated, defaults.simulated);
  EXPECT_EQ(from_empty_file->logging, defaults.logging);
}

TEST(Loader, ProfilePathSitsBesideTheFile) {
  EXPECT_EQ(profile_path("config/autoglm.yaml", "prod"), "config/autoglm-prod.yaml");
  EXPECT_EQ(profile_path("/etc/x/my.yml", "dev"), "/etc/x/my-dev.yml");
  EXPECT_EQ(profile_path("autoglm.yaml", "dev"), "autoglm-dev.yaml");
}

TEST(Loader, OptionsFromEnvironmentUseReservedVariables) {
  LoadOptions options = options_from_env(
      env_from({{"AUTOGLM_CONFIG", "/etc/autoglm.yaml"}, {"AUTOGLM_PROFILE", "prod"}}));
  EXPECT_EQ(options.path, "/etc/autoglm.yaml");
  EXPECT_EQ(options.profile, "prod");
  LoadOptions plain = options_from_env(empty_env());
  EXPECT_EQ(plain.path, "config/autoglm.yaml");
  EXPECT_EQ(plain.profile, "");
}

}  // namespace
}  // namespace autoglm::config

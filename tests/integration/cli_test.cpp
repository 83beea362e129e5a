// The autoglm binary as a user meets it: help, config check, the embedded default cluster.
#include <signal.h>

#include <set>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "integration/http_client.hpp"
#include "integration/process.hpp"

namespace autoglm::testing {
namespace {

TEST(Cli, HelpListsEveryCommand) {
  std::string out;
  EXPECT_EQ(run_autoglm({"--help"}, out), 0);
  for (const char* cmd : {"serve", "simnode", "config", "version"}) {
    EXPECT_NE(out.find(cmd), std::string::npos) << cmd << " missing from:\n" << out;
  }
  for (const char* cmd : {"serve", "simnode", "version"}) {
    EXPECT_EQ(run_autoglm({cmd, "--help"}, out), 0) << cmd;
  }
  EXPECT_EQ(run_autoglm({"config", "check", "--help"}, out), 0);
}

TEST(Cli, VersionPrintsTheVersion) {
  std::string out;
  EXPECT_EQ(run_autoglm({"version"}, out), 0);
  EXPECT_NE(out.find("autoglm "), std::string::npos);
}

TEST(Cli, ConfigCheckPrintsEffectiveConfigWithSecretsMasked) {
  TempDir dir;
  auto path = dir.write("seed.yaml",
                        "server:\n  port: 8080\n  context-path: /api\n"
                        "database:\n  url: jdbc:postgresql://localhost:5432/myapp\n"
                        "  username: admin\n  password: s3cret-literal\n"
                        "logging:\n  level: INFO\n");
  std::string out;
  EXPECT_EQ(run_autoglm({"config", "check", "-c", path.string()}, out), 0) << out;
  EXPECT_NE(out.find("8080"), std::string::npos) << out;
  EXPECT_NE(out.find("/api"), std::string::npos) << out;
  EXPECT_EQ(out.find("s3cret-literal"), std::string::npos) << "secret leaked:\n" << out;
}

TEST(Cli, ConfigCheckFailsWithFileLineAndKey) {
  TempDir dir;
  auto path = dir.write("bad.yaml", "server:\n  prot: 8080\n");
  std::string out;
  EXPECT_NE(run_autoglm({"config", "check", "-c", path.string()}, out), 0);
  EXPECT_NE(out.find("bad.yaml:2"), std::string::npos) << out;
  EXPECT_NE(out.find("server.prot"), std::string::npos) << out;
  EXPECT_NE(out.find("port"), std::string::npos) << "no did-you-mean in:\n" << out;
}

TEST(Cli, ConfigCheckKnowsPolicyPartNames) {
  TempDir dir;
  auto path = dir.write("policy.yaml",
                        "scheduler:\n  pipeline:\n    scorers: {queue_dept: 1}\n");
  std::string out;
  EXPECT_NE(run_autoglm({"config", "check", "-c", path.string()}, out), 0);
  EXPECT_NE(out.find("scheduler.pipeline"), std::string::npos) << out;
  EXPECT_NE(out.find("unknown scorer 'queue_dept'"), std::string::npos) << out;
}

TEST(Cli, ShippedDefaultConfigIsValid) {
  std::string out;
  EXPECT_EQ(run_autoglm({"config", "check", "-c", AUTOGLM_SOURCE_DIR "/config/autoglm.yaml"}, out),
            0)
      << out;
}

TEST(Cli, ServeWithEmbeddedSimulatedClusterAnswersChat) {
  TempDir dir;
  auto started = start_autoglm(
      dir, "embedded",
      {"serve", "-c", AUTOGLM_SOURCE_DIR "/config/autoglm.yaml", "--set", "server.port=0",
       "--set", "server.host=127.0.0.1", "--set", "cluster.simulated.speedup=20", "--set", "scheduler.policy=round_robin", "--set",
       "database.url=sqlite://" + (dir.path() / "autoglm.db").string()});
  auto models = http_get(started.port, "/v1/models");
  ASSERT_EQ(models.status, 200) << models.error;
  EXPECT_NE(models.body.find("autoglm-sim-8b"), std::string::npos);
  std::set<std::string> nodes;
  for (int i = 0; i < 4; ++i) {
    auto res = http_post(started.port, "/v1/chat/completions",
                         chat_body("autoglm-sim-8b", 4, i % 2 == 0));
    ASSERT_EQ(res.status, 200) << res.error << res.body;
    nodes.insert(res.header("x-autoglm-node"));
  }
  EXPECT_EQ(nodes.size(), 4u) << "four embedded nodes by round robin";
  started.process->signal(SIGTERM);
  EXPECT_EQ(started.process->wait(std::chrono::seconds(10)), 0) << started.process->log();
}

}  // namespace
}  // namespace autoglm::testing

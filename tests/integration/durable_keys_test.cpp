// Run-time API keys kept in the store: a key made through POST /admin/v1/keys still
// authenticates after the gateway restarts (SQLite file in the test's directory), a revoked
// one still fails, SIGHUP keeps them; and between two replicas on one PostgreSQL, a key
// made on one works on the other at its first use there, and a revocation reaches the
// other within its auth.key-refresh.
#include <gtest/gtest.h>
#include <signal.h>

#include <boost/json.hpp>
#include <cstdio>
#include <thread>

#include "integration/http_client.hpp"
#include "integration/pg_server.hpp"
#include "integration/process.hpp"

namespace autoglm::testing {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

constexpr const char* kModel = "autoglm-sim-8b";
constexpr const char* kAdminKey = "agk_admin-0123456789abcdef";
constexpr const char* kOtherKey = "agk_other-0123456789abcdef";

// `refresh` and `miss` are auth.key-refresh and auth.key-miss-refresh; `extra_key` adds a
// second configuration key (to see a SIGHUP reload applied).
std::string keys_config(const std::string& db_url, const std::string& refresh = "300ms",
                        const std::string& miss = "1s", bool extra_key = false) {
  std::string c =
      "server: {port: 0, host: 127.0.0.1, threads: 2, drain-pause: 0s}\n"
      "database: {url: '" +
      db_url +
      "'}\n"
      "logging: {level: warn}\n"
      "cluster:\n  simulated:\n    enabled: true\n    speedup: 200\n"
      "    nodes: [{profile: h100-80gb-8b, count: 1}]\n"
      "auth:\n  enabled: true\n  key-refresh: " +
      refresh + "\n  key-miss-refresh: " + miss +
      "\n  keys:\n"
      "    - {id: key_admin, tenant: ops, admin: true, key: " +
      std::string(kAdminKey) + "}\n";
  if (extra_key) c += "    - {id: key_other, tenant: ops, key: " + std::string(kOtherKey) + "}\n";
  return c;
}

struct Key {
  std::string id;
  std::string secret;
};

Key create_key(std::uint16_t port, const std::string& body) {
  auto created = http_request(port, "POST", "/admin/v1/keys", body, as_key(kAdminKey));
  EXPECT_EQ(created.status, 201) << created.body;
  if (created.status != 201) return {};
  auto o = json::parse(created.body).as_object();
  return {std::string(o.at("id").as_string()), std::string(o.at("key").as_string())};
}

int models_status(std::uint16_t port, const std::string& key) {
  return http_request(port, "GET", "/v1/models", "", as_key(key)).status;
}

TEST(DurableKeys, ARuntimeKeySurvivesARestartAndARevokedOneStaysRevoked) {
  TempDir dir;
  const auto config =
      dir.write("gateway.yaml", keys_config("sqlite://" + (dir.path() / "keys.db").string()));
  Started gateway = start_autoglm(dir, "gateway", {"serve", "-c", config.string()});
  ASSERT_NE(gateway.port, 0) << gateway.process->log();
  const Key kept = create_key(
      gateway.port,
      std::string(R"({"tenant":"acme","label":"ci","default_class":"batch","models":[")") + kModel +
          R"("],"limits":{"max_concurrent":4}})");
  const Key dropped = create_key(gateway.port, R"({"tenant":"acme"})");
  ASSERT_FALSE(kept.id.empty() || dropped.id.empty());
  ASSERT_EQ(
      http_request(gateway.port, "DELETE", "/admin/v1/keys/" + dropped.id, "", as_key(kAdminKey))
          .status,
      200);
  ASSERT_EQ(models_status(gateway.port, kept.secret), 200);
  ASSERT_EQ(models_status(gateway.port, dropped.secret), 401);

  gateway.process->signal(SIGTERM);
  ASSERT_EQ(gateway.process->wait(10s), 0) << gateway.process->log();
  gateway = start_autoglm(dir, "gateway-again", {"serve", "-c", config.string()});
  ASSERT_NE(gateway.port, 0) << gateway.process->log();

  EXPECT_EQ(models_status(gateway.port, kept.secret), 200) << "the key outlived the restart";
  auto chat = http_request(gateway.port, "POST", "/v1/chat/completions",
                           chat_body(kModel, 2, false), as_key(kept.secret));
  EXPECT_EQ(chat.status, 200) << chat.body;
  EXPECT_EQ(models_status(gateway.port, dropped.secret), 401) << "still revoked";
  auto shown = json::parse(
      http_request(gateway.port, "GET", "/admin/v1/keys/" + kept.id, "", as_key(kAdminKey)).body);
  EXPECT_EQ(shown.at("source").as_string(), "api");
  EXPECT_EQ(shown.at("default_class").as_string(), "batch");
  EXPECT_EQ(shown.at("models").as_array().at(0).as_string(), kModel);
  EXPECT_EQ(shown.at("limits").at("max_concurrent").to_number<int>(), 4);
  auto gone = json::parse(
      http_request(gateway.port, "GET", "/admin/v1/keys/" + dropped.id, "", as_key(kAdminKey))
          .body);
  EXPECT_TRUE(gone.at("revoked").as_bool());

  // SIGHUP rebuilds the configuration keys; the stored ones stay.
  dir.write("gateway.yaml",
            keys_config("sqlite://" + (dir.path() / "keys.db").string(), "300ms", "1s", true));
  gateway.process->signal(SIGHUP);
  ASSERT_TRUE(eventually([&] { return models_status(gateway.port, kOtherKey) == 200; }, 5s));
  EXPECT_EQ(models_status(gateway.port, kept.secret), 200);
  EXPECT_EQ(gateway.process->log().find(kept.secret), std::string::npos) << "never logged";
}

TEST(DurableKeys, ReplicasOnOneDatabaseShareKeysAndRevocations) {
  if (!PgServer::available()) GTEST_SKIP() << "PostgreSQL server not installed";
  TempDir dir;
  PgServer pg(dir);
  ASSERT_TRUE(pg.ok()) << "could not start PostgreSQL";
  // A re-reads the keys every 300 ms; B only on a miss (its periodic read is 10 minutes
  // away), so each direction shows one of the two paths.
  const auto a_config = dir.write("a.yaml", keys_config(pg.url(), "300ms", "1s"));
  const auto b_config = dir.write("b.yaml", keys_config(pg.url(), "10m", "100ms"));
  Started a = start_autoglm(dir, "a", {"serve", "-c", a_config.string()});
  ASSERT_NE(a.port, 0) << a.process->log();
  Started b = start_autoglm(dir, "b", {"serve", "-c", b_config.string()});
  ASSERT_NE(b.port, 0) << b.process->log();

  const Key key = create_key(a.port, R"({"tenant":"acme"})");
  ASSERT_FALSE(key.id.empty());
  // B read the store at start; once its 100 ms negative cache has passed, an unknown key
  // makes it read again, so the first use there succeeds.
  std::this_thread::sleep_for(150ms);
  EXPECT_EQ(models_status(b.port, key.secret), 200) << b.process->log();

  ASSERT_EQ(
      http_request(b.port, "DELETE", "/admin/v1/keys/" + key.id, "", as_key(kAdminKey)).status,
      200);
  EXPECT_EQ(models_status(b.port, key.secret), 401);
  const auto revoked_at = std::chrono::steady_clock::now();
  // Within A's key-refresh (300 ms); the slack is for a loaded machine.
  EXPECT_TRUE(eventually([&] { return models_status(a.port, key.secret) == 401; }, 5s));
  std::printf("the revocation reached the other replica after %lld ms\n",
              static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                         std::chrono::steady_clock::now() - revoked_at)
                                         .count()));
}

}  // namespace
}  // namespace autoglm::testing

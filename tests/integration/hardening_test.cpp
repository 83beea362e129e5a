// The gateway's hardening over real sockets: API keys and tenants (401, 403, isolation),
// rate limits (429 and headers), model allow-lists, run-time keys, the response cache,
// canary routes, SIGHUP reload and the SIGTERM drain pause. The embedded simulated cluster
// serves the model.
#include <signal.h>

#include <sstream>
#include <thread>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "integration/http_client.hpp"
#include "integration/process.hpp"

namespace autoglm::testing {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

constexpr const char* kModel = "autoglm-sim-8b";
constexpr const char* kAdminKey = "agk_admin-0123456789abcdef";
constexpr const char* kAcmeKey = "agk_acme-0123456789abcdef";
constexpr const char* kBetaKey = "agk_beta-0123456789abcdef";
constexpr const char* kH100 = "sim-h100-80gb-8b-0";
constexpr const char* kA100 = "sim-a100-80gb-8b-0";

// `routes` and `extra_keys` vary between the start-up file and the reloaded one.
std::string hardening_config(const TempDir& dir, std::uint32_t h100_weight,
                             std::uint32_t a100_weight, const std::string& extra = "") {
  return "server: {port: 0, host: 127.0.0.1, threads: 2, drain-pause: 0s}\n"
         "database: {url: 'sqlite://" + (dir.path() / "autoglm.db").string() + "'}\n"
         "scheduler: {policy: round_robin}\n"
         "cluster:\n  simulated:\n    enabled: true\n    speedup: 50\n"
         "    nodes: [{profile: h100-80gb-8b, count: 1}, {profile: a100-80gb-8b, count: 1}]\n"
         "auth:\n  enabled: true\n  keys:\n"
         "    - {id: key_admin, tenant: ops, admin: true, key: " + kAdminKey + "}\n"
         "    - {id: key_acme, tenant: acme, key: " + kAcmeKey + "}\n"
         "    - {id: key_beta, tenant: beta, key: " + kBetaKey + "}\n" + extra +
         "tenants:\n"
         "  - {id: acme, models: [" + kModel + "], limits: {requests-per-second: 1, burst: 20}}\n"
         "  - {id: beta, models: [other-model]}\n"
         "routes:\n  - model: " + kModel + "\n    subsets:\n"
         "      - {name: h100, weight: " + std::to_string(h100_weight) + ", nodes: [" + kH100 + "]}\n"
         "      - {name: a100, weight: " + std::to_string(a100_weight) + ", nodes: [" + kA100 + "]}\n";
}

class HardeningTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.write("gateway.yaml", hardening_config(dir_, 0, 1));
    gateway_ = start_autoglm(dir_, "gateway", {"serve", "-c", path_.string()});
    ASSERT_NE(gateway_.port, 0) << gateway_.process->log();
  }
  std::uint16_t port() const { return gateway_.port; }
  HttpResponse chat(const char* key, const std::string& body,
                    std::map<std::string, std::string> extra = {}) {
    auto headers = as_key(key);
    headers.insert(extra.begin(), extra.end());
    return http_request(port(), "POST", "/v1/chat/completions", body, headers);
  }
  // Polls until `want` is the node that served a request (reloads are asynchronous).
  bool served_by(const char* want) {
    for (int i = 0; i < 50; ++i) {
      if (chat(kAcmeKey, chat_body(kModel, 1, false)).header("x-autoglm-node") == want) return true;
      std::this_thread::sleep_for(100ms);
    }
    return false;
  }
  void reload(const std::string& config) {
    dir_.write("gateway.yaml", config);
    gateway_.process->signal(SIGHUP);
  }

  TempDir dir_;
  std::filesystem::path path_;
  Started gateway_;
};

TEST_F(HardeningTest, MissingOrWrongKeyIs401WithAnOpenAIErrorBody) {
  auto none = http_post(port(), "/v1/chat/completions", chat_body(kModel, 4, false));
  EXPECT_EQ(none.status, 401) << none.body;
  EXPECT_EQ(none.header("www-authenticate"), "Bearer");
  auto body = json::parse(none.body).as_object();
  EXPECT_EQ(body.at("error").at("type").as_string(), "authentication_error");
  EXPECT_EQ(body.at("error").at("code").as_string(), "invalid_api_key");

  auto wrong = chat("agk_wrong-0123456789abcdef", chat_body(kModel, 4, false));
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(wrong.body.find("wrong-0123456789"), std::string::npos) << wrong.body;
  EXPECT_EQ(gateway_.process->log().find("wrong-0123456789"), std::string::npos);
  // Probes need no key.
  EXPECT_EQ(http_get(port(), "/healthz").status, 200);
  EXPECT_EQ(http_get(port(), "/readyz").status, 200);
}

TEST_F(HardeningTest, AdminRoutesNeedAnAdminKey) {
  auto denied = http_request(port(), "GET", "/admin/v1/scheduler", "", as_key(kAcmeKey));
  EXPECT_EQ(denied.status, 403) << denied.body;
  EXPECT_EQ(json::parse(denied.body).at("error").at("type").as_string(), "permission_error");
  EXPECT_EQ(http_request(port(), "GET", "/admin/v1/scheduler", "", as_key(kAdminKey)).status, 200);
}

TEST_F(HardeningTest, ATenantOverItsRateGets429WithRetryAfterAndRateHeaders) {
  auto first = http_request(port(), "GET", "/v1/models", "", as_key(kAcmeKey));
  ASSERT_EQ(first.status, 200);
  EXPECT_EQ(first.header("x-ratelimit-limit-requests"), "20");
  HttpResponse last;
  for (int i = 0; i < 25 && last.status != 429; ++i) {
    last = http_request(port(), "GET", "/v1/models", "", as_key(kAcmeKey));
  }
  ASSERT_EQ(last.status, 429) << "burst 20 at 1/s";
  EXPECT_FALSE(last.header("retry-after").empty());
  EXPECT_EQ(last.header("x-ratelimit-remaining-requests"), "0");
  EXPECT_FALSE(last.header("x-ratelimit-reset-requests").empty());
  EXPECT_EQ(json::parse(last.body).at("error").at("type").as_string(), "rate_limit_error");
  // The other tenant is not limited by acme's bucket.
  EXPECT_EQ(http_request(port(), "GET", "/v1/models", "", as_key(kBetaKey)).status, 200);
}

TEST_F(HardeningTest, AModelOutsideTheAllowListLooksUnknown) {
  auto forbidden = chat(kBetaKey, chat_body(kModel, 4, false));
  auto unknown = chat(kBetaKey, chat_body("no-such-model", 4, false));
  EXPECT_EQ(forbidden.status, 404) << forbidden.body;
  EXPECT_EQ(unknown.status, 404);
  auto models = http_request(port(), "GET", "/v1/models", "", as_key(kBetaKey));
  EXPECT_EQ(models.body.find(kModel), std::string::npos) << models.body;
  EXPECT_EQ(chat(kAcmeKey, chat_body(kModel, 4, false)).status, 200);
}

TEST_F(HardeningTest, ATenantCannotSeeAnotherTenantsTask) {
  const std::string task = std::string(R"({"kind":"chat","model":")") + kModel +
                           R"(","payload":{"messages":[{"role":"user","content":"hi"}],"max_tokens":2}})";
  auto created = http_request(port(), "POST", "/v1/tasks", task, as_key(kAcmeKey));
  ASSERT_TRUE(created.status == 201 || created.status == 202) << created.status << created.body;
  const std::string id = std::string(json::parse(created.body).at("id").as_string());
  EXPECT_EQ(http_request(port(), "GET", "/v1/tasks/" + id, "", as_key(kAcmeKey)).status, 200);
  auto other = http_request(port(), "GET", "/v1/tasks/" + id, "", as_key(kBetaKey));
  auto missing = http_request(port(), "GET", "/v1/tasks/999999999", "", as_key(kBetaKey));
  EXPECT_EQ(other.status, 404) << other.body;
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(http_request(port(), "DELETE", "/v1/tasks/" + id, "", as_key(kBetaKey)).status, 404);
  auto list = http_request(port(), "GET", "/v1/tasks", "", as_key(kBetaKey));
  EXPECT_EQ(list.body.find(id), std::string::npos) << list.body;
}

TEST_F(HardeningTest, KeysCreatedAtRunTimeAreShownOnceAndCanBeRevoked) {
  auto created = http_request(port(), "POST", "/admin/v1/keys",
                              R"({"tenant":"acme","label":"laptop"})", as_key(kAdminKey));
  ASSERT_EQ(created.status, 201) << created.body;
  auto body = json::parse(created.body).as_object();
  const std::string secret(body.at("key").as_string());
  const std::string id(body.at("id").as_string());
  EXPECT_EQ(chat(secret.c_str(), chat_body(kModel, 2, false)).status, 200);

  auto listed = http_request(port(), "GET", "/admin/v1/keys", "", as_key(kAdminKey));
  EXPECT_NE(listed.body.find(id), std::string::npos);
  EXPECT_EQ(listed.body.find(secret), std::string::npos) << "a key is shown only once";
  EXPECT_EQ(gateway_.process->log().find(secret), std::string::npos) << "never logged";

  EXPECT_EQ(
      http_request(port(), "DELETE", "/admin/v1/keys/" + id, "", as_key(kAdminKey)).status, 200);
  EXPECT_EQ(chat(secret.c_str(), chat_body(kModel, 2, false)).status, 401);
  EXPECT_EQ(
      http_request(port(), "DELETE", "/admin/v1/keys/key_acme", "", as_key(kAdminKey)).status,
      409);
  EXPECT_EQ(
      http_request(port(), "POST", "/admin/v1/keys", R"({"tenant":"x"})", as_key(kAcmeKey)).status,
      403);
}

std::string deterministic_chat(bool stream, const std::string& text = "cache me") {
  return std::string(R"({"model":")") + kModel +
         R"(","temperature":0,"max_tokens":6,"stream":)" + (stream ? "true" : "false") +
         R"(,"messages":[{"role":"user","content":")" + text + R"("}]})";
}

TEST_F(HardeningTest, ASecondIdenticalTemperatureZeroRequestIsACacheHit) {
  auto first = chat(kAcmeKey, deterministic_chat(false));
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(first.header("x-autoglm-cache"), "miss");
  auto second = chat(kAcmeKey, deterministic_chat(false));
  ASSERT_EQ(second.status, 200);
  EXPECT_EQ(second.header("x-autoglm-cache"), "hit");
  EXPECT_EQ(second.body, first.body);

  auto streamed = chat(kAcmeKey, deterministic_chat(true));
  ASSERT_EQ(streamed.status, 200);
  EXPECT_EQ(streamed.header("x-autoglm-cache"), "hit");
  EXPECT_NE(streamed.body.find("chat.completion.chunk"), std::string::npos);
  EXPECT_NE(streamed.body.find("data: [DONE]"), std::string::npos);

  auto fresh = chat(kAcmeKey, deterministic_chat(false), {{"cache-control", "no-cache"}});
  EXPECT_EQ(fresh.header("x-autoglm-cache"), "bypass");
  // Without a temperature (sampled, not deterministic) the cache is not consulted at all.
  auto sampled = chat(kAcmeKey, std::string(R"({"model":")") + kModel +
                                    R"(","max_tokens":6,"messages":[{"role":"user","content":"cache me"}]})");
  ASSERT_EQ(sampled.status, 200) << sampled.body;
  EXPECT_EQ(sampled.header("x-autoglm-cache"), "");
  // Tenants never share entries: beta cannot use the model, ops gets its own miss.
  EXPECT_EQ(chat(kAdminKey, deterministic_chat(false)).header("x-autoglm-cache"), "miss");

  auto stats = http_request(port(), "GET", "/admin/v1/cache", "", as_key(kAdminKey));
  auto counters = json::parse(stats.body).as_object();
  EXPECT_EQ(counters.at("hits").to_number<std::int64_t>(), 2) << stats.body;
  EXPECT_GE(counters.at("misses").to_number<std::int64_t>(), 2);
  // The same counters on /metrics, for Prometheus.
  auto metrics = http_request(port(), "GET", "/metrics", "", as_key(kAdminKey));
  EXPECT_NE(metrics.body.find("\nautoglm_cache_hits_total 2\n"), std::string::npos)
      << metrics.body.substr(0, 2000);
  EXPECT_NE(metrics.body.find("# TYPE autoglm_cache_bytes gauge"), std::string::npos);
}

// A streamed miss is stored as the answer its events add up to, and then serves both kinds.
TEST_F(HardeningTest, AStreamedMissIsStoredAndServesLaterRequests) {
  auto streamed = chat(kAcmeKey, deterministic_chat(true, "stream me"));
  ASSERT_EQ(streamed.status, 200) << streamed.body;
  EXPECT_EQ(streamed.header("x-autoglm-cache"), "miss");
  auto plain = chat(kAcmeKey, deterministic_chat(false, "stream me"));
  ASSERT_EQ(plain.status, 200) << plain.body;
  EXPECT_EQ(plain.header("x-autoglm-cache"), "hit");
  const auto answer = json::parse(plain.body).as_object();
  EXPECT_EQ(answer.at("object"), "chat.completion");
  const std::string content(
      answer.at("choices").as_array().at(0).at("message").at("content").as_string());
  EXPECT_FALSE(content.empty());
  // The text the stream carried, delta by delta, is the stored answer's content.
  std::string joined;
  std::istringstream events(streamed.body);
  for (std::string line; std::getline(events, line);) {
    if (!line.starts_with("data: {")) continue;
    const auto event = json::parse(line.substr(6)).as_object();
    for (const auto& choice : event.at("choices").as_array()) {
      const auto* piece = choice.at("delta").as_object().if_contains("content");
      if (piece && piece->is_string()) joined += piece->as_string();
    }
  }
  EXPECT_EQ(joined, content);
  EXPECT_EQ(chat(kAcmeKey, deterministic_chat(true, "stream me")).header("x-autoglm-cache"), "hit");
}

TEST_F(HardeningTest, CanaryRouteSendsTrafficToItsSubsetAndSighupChangesIt) {
  for (int i = 0; i < 4; ++i) {
    auto res = chat(kAcmeKey, chat_body(kModel, 1, false));
    ASSERT_EQ(res.status, 200) << res.body;
    EXPECT_EQ(res.header("x-autoglm-node"), kA100) << "the a100 subset has all the weight";
    EXPECT_EQ(res.header("x-autoglm-route"), "a100");
  }
  // Reload: weights swap and a new key appears.
  reload(hardening_config(dir_, 1, 0,
                          "    - {tenant: acme, key: agk_acme-second-0123456789}\n"));
  EXPECT_TRUE(served_by(kH100)) << gateway_.process->log();
  EXPECT_EQ(chat("agk_acme-second-0123456789", chat_body(kModel, 1, false)).status, 200);

  // An invalid file is refused and the running settings stay.
  reload("tenants: [{id: 'no spaces allowed'}]\n");
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(chat(kAcmeKey, chat_body(kModel, 1, false)).header("x-autoglm-node"), kH100);
  EXPECT_NE(gateway_.process->log().find("keeping the running one"), std::string::npos)
      << gateway_.process->log();
  EXPECT_TRUE(gateway_.process->running());
}

// Tokens per minute are charged the estimate (input + max output) at admission and
// corrected to what the answer used: a request without max_tokens is estimated at the
// gateway's default (256) but the node generates its own (128), so the corrected bucket
// admits about twice as many requests as the estimates alone would.
TEST(TokensPerMinute, TheBucketIsCorrectedToTheTokensReallyUsed) {
  TempDir dir;
  auto path = dir.write(
      "gateway.yaml",
      "server: {port: 0, host: 127.0.0.1, drain-pause: 0s}\n"
      "database: {url: 'sqlite://" + (dir.path() / "autoglm.db").string() + "'}\n"
      "cluster:\n  simulated:\n    enabled: true\n    speedup: 50\n"
      "    nodes: [{profile: h100-80gb-8b, count: 1}]\n"
      "auth:\n  enabled: true\n  keys:\n"
      "    - {id: key_acme, tenant: acme, key: " + std::string(kAcmeKey) + "}\n"
      "tenants:\n  - {id: acme, limits: {tokens-per-minute: 1000}}\n");
  auto gateway = start_autoglm(dir, "gateway", {"serve", "-c", path.string()});
  const std::string body = std::string(R"({"model":")") + kModel +
                           R"(","messages":[{"role":"user","content":"hi"}]})";
  int served = 0;
  for (int i = 0; i < 7; ++i) {
    auto r = http_request(gateway.port, "POST", "/v1/chat/completions", body, as_key(kAcmeKey));
    if (r.status != 200) break;
    ++served;
  }
  // Estimates alone (about 266 each) would put the bucket in debt after 4 requests.
  EXPECT_EQ(served, 7) << gateway.process->log();
}

TEST(DrainPause, ReadinessTurns503AtOnceWhileStillServingDuringThePause) {
  TempDir dir;
  auto path = dir.write(
      "gateway.yaml",
      "server: {port: 0, host: 127.0.0.1, drain-pause: 1500ms}\n"
      "database: {url: 'sqlite://" + (dir.path() / "autoglm.db").string() + "'}\n"
      "cluster:\n  simulated:\n    enabled: true\n    speedup: 50\n"
      "    nodes: [{profile: h100-80gb-8b, count: 1}]\n");
  auto gateway = start_autoglm(dir, "gateway", {"serve", "-c", path.string()});
  ASSERT_EQ(http_get(gateway.port, "/readyz").status, 200);
  gateway.process->signal(SIGTERM);
  // Readiness flips as soon as the signal is handled (polled: a loaded or sanitizer build
  // may take a moment), well inside the pause.
  int ready = 200;
  for (int i = 0; i < 50 && ready != 503; ++i) {
    std::this_thread::sleep_for(20ms);
    ready = http_get(gateway.port, "/readyz").status;
  }
  EXPECT_EQ(ready, 503);
  auto res = http_post(gateway.port, "/v1/chat/completions", chat_body(kModel, 2, false));
  EXPECT_EQ(res.status, 200) << "new connections are still served during the pause";
  EXPECT_EQ(gateway.process->wait(30s), 0) << gateway.process->log();
  EXPECT_NE(gateway.process->log().find("authentication is off"), std::string::npos);
}

}  // namespace
}  // namespace autoglm::testing

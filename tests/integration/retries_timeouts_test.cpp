// Retries and upstream timeouts over real sockets: a request walks past dead nodes within
// upstream.retries and the retry budget; a stream that goes silent is cut after the idle
// timeout of its route or of the request's own header.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/socket.h>

#include <cstdio>
#include <vector>

#include "integration/http_client.hpp"
#include "integration/process.hpp"
#include "integration/raw_server.hpp"

namespace autoglm::testing {
namespace {

using namespace std::chrono_literals;
constexpr const char* kModel = "autoglm-sim-8b";

// Answers every request with the head of an SSE stream and one event, then goes silent
// with the connection open: a backend that stalls mid-answer.
class StallingStreamServer : public RawServer {
 public:
  StallingStreamServer() : RawServer(answer_then_stall) {}

 private:
  static void answer_then_stall(int c) {
    char buf[4096];
    if (::recv(c, buf, sizeof buf, 0) <= 0) return;
    const std::string event = "data: {\"choices\":[{\"delta\":{\"content\":\"hi\"}}]}\n\n";
    char size[16];
    std::snprintf(size, sizeof size, "%zx", event.size());
    const std::string answer =
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
        "Transfer-Encoding: chunked\r\n\r\n" +
        std::string(size) + "\r\n" + event + "\r\n";
    ::send(c, answer.data(), answer.size(), MSG_NOSIGNAL);
  }
};

std::string node_entry(const std::string& id, std::uint16_t port) {
  return "  - id: " + id + "\n    url: http://127.0.0.1:" + std::to_string(port) +
         "\n    models: [" + kModel + "]\n";
}

// Health checks off, so only requests find the dead nodes; a failed node is then skipped
// for the rest of the test, so each dead node is tried exactly once.
std::string gateway_config(const std::string& upstream, const std::string& nodes) {
  return "server:\n  port: 0\n  host: 127.0.0.1\n  threads: 2\n"
         "upstream:\n  connect-timeout: 500ms\n  failure-backoff: 1h\n" +
         upstream +
         "scheduler:\n  policy: round_robin\n"
         "monitor:\n  health-check:\n    enabled: false\n"
         "cluster:\n  simulated:\n    enabled: false\n"
         "nodes:\n" +
         nodes;
}

Started start_gateway(const TempDir& dir, const std::string& upstream, const std::string& nodes) {
  auto path = dir.write("gateway.yaml", gateway_config(upstream, nodes));
  return start_autoglm(dir, "gateway", {"serve", "-c", path.string()});
}

// A healthy simulated node; the test's dead nodes are free_port()s nothing listens on.
Started start_good_node(const TempDir& dir) {
  return start_autoglm(dir, "good",
                       {"simnode", "--port", "0", "--model", kModel, "--profile", "h100-80gb-8b",
                        "--node-id", "good", "--speedup", "50"});
}

struct Tally {
  int ok = 0;
  int failed = 0;
  int retries = 0;
  std::vector<std::string> failures;
};

Tally send_requests(std::uint16_t port, int n) {
  Tally t;
  for (int i = 0; i < n; ++i) {
    auto r = http_post(port, "/v1/chat/completions", chat_body(kModel, 4, false));
    if (r.status == 200) {
      ++t.ok;
      const std::string retries = r.header("x-autoglm-retries");
      if (!retries.empty()) t.retries += std::stoi(retries);
    } else {
      ++t.failed;
      t.failures.push_back(std::to_string(r.status) + " " + r.body);
    }
  }
  return t;
}

TEST(Retries, ARequestWalksPastEveryDeadNodeWithinItsRetries) {
  TempDir dir;
  Started good = start_good_node(dir);
  Started gw = start_gateway(dir, "  retries: 2\n  retry-backoff: 10ms\n",
                             node_entry("dead1", free_port()) + node_entry("dead2", free_port()) +
                                 node_entry("good", good.port));
  const Tally t = send_requests(gw.port, 6);
  EXPECT_EQ(t.ok, 6) << (t.failures.empty() ? "" : t.failures.front());
  EXPECT_EQ(t.retries, 2);  // each dead node cost one retry, once
}

TEST(Retries, WithoutRetriesEachDeadNodeFailsOneRequest) {
  TempDir dir;
  Started good = start_good_node(dir);
  Started gw = start_gateway(dir, "  retries: 0\n",
                             node_entry("dead1", free_port()) + node_entry("dead2", free_port()) +
                                 node_entry("good", good.port));
  const Tally t = send_requests(gw.port, 6);
  EXPECT_EQ(t.ok, 4);
  EXPECT_EQ(t.failed, 2);
  for (const auto& f : t.failures) EXPECT_EQ(f.substr(0, 3), "502") << f;
}

TEST(Retries, AnEmptyRetryBudgetRefusesTheRetry) {
  TempDir dir;
  Started good = start_good_node(dir);
  // One active request may retry floor(0.01 * 1) = 0 times, and no minimum is granted.
  Started gw = start_gateway(dir, "  retries: 2\n  retry-budget: 0.01\n  retry-budget-min: 0\n",
                             node_entry("dead", free_port()) + node_entry("good", good.port));
  const Tally t = send_requests(gw.port, 4);
  EXPECT_EQ(t.ok, 3);
  ASSERT_EQ(t.failed, 1);
  EXPECT_EQ(t.failures[0].substr(0, 3), "503") << t.failures[0];
  EXPECT_NE(t.failures[0].find("retried"), std::string::npos) << t.failures[0];
}

class StreamTimeouts : public ::testing::Test {
 protected:
  void SetUp() override {
    // Streams may stay silent for an hour by default; /v1/completions only 300 ms.
    gw_ = start_gateway(dir_,
                        "  idle-timeout: 1h\n  retries: 0\n"
                        "  routes:\n    /v1/completions:\n      idle-timeout: 300ms\n",
                        node_entry("stall", stall_.port()));
  }
  // A streamed request; returns the response and how long it took.
  std::pair<HttpResponse, std::chrono::steady_clock::duration> stream(
      const std::string& route, const std::string& body,
      std::map<std::string, std::string> headers = {}) {
    headers["content-type"] = "application/json";
    const auto began = std::chrono::steady_clock::now();
    auto r = http_request(gw_.port, "POST", route, body, headers, 20s);
    return {r, std::chrono::steady_clock::now() - began};
  }
  TempDir dir_;
  StallingStreamServer stall_;
  Started gw_;
};

TEST_F(StreamTimeouts, ARouteIdleTimeoutCutsASilentStream) {
  auto [r, took] =
      stream("/v1/completions", std::string(R"({"model":")") + kModel +
                                    R"(","prompt":"hi","max_tokens":8,"stream":true})");
  ASSERT_EQ(r.status, 200) << r.error;
  EXPECT_NE(r.body.find("\"hi\""), std::string::npos) << r.body;  // the event before the stall
  EXPECT_NE(r.body.find("[DONE]"), std::string::npos) << r.body;  // then a clean end
  EXPECT_LT(took, 5s);
}

TEST_F(StreamTimeouts, ARequestHeaderShortensTheIdleTimeout) {
  auto [r, took] = stream("/v1/chat/completions", chat_body(kModel, 8, true),
                          {{"x-autoglm-idle-timeout-ms", "300"}});
  ASSERT_EQ(r.status, 200) << r.error;
  EXPECT_NE(r.body.find("[DONE]"), std::string::npos) << r.body;
  EXPECT_LT(took, 5s);
}

TEST_F(StreamTimeouts, OutOfBoundsHeadersAreClampedAndMalformedOnesRefused) {
  auto [r, took] = stream("/v1/chat/completions", chat_body(kModel, 8, true),
                          {{"x-autoglm-idle-timeout-ms", "1"}});
  ASSERT_EQ(r.status, 200) << r.error;
  EXPECT_EQ(r.header("x-autoglm-timeout-clamped"), "x-autoglm-idle-timeout-ms");
  EXPECT_LT(took, 5s);

  auto bad =
      stream("/v1/chat/completions", chat_body(kModel, 8, true), {{"x-autoglm-timeout-ms", "soon"}})
          .first;
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("x-autoglm-timeout-ms"), std::string::npos) << bad.body;
}

// SIGHUP applies new upstream timeouts to the next requests.
TEST(UpstreamReload, SighupAppliesANewIdleTimeout) {
  TempDir dir;
  StallingStreamServer stall;
  Started gw =
      start_gateway(dir, "  idle-timeout: 1h\n  retries: 0\n", node_entry("stall", stall.port()));
  dir.write("gateway.yaml", gateway_config("  idle-timeout: 300ms\n  retries: 0\n",
                                           node_entry("stall", stall.port())));
  gw.process->signal(SIGHUP);
  ASSERT_TRUE(eventually(
      [&] { return gw.process->log().find("upstream retries and timeouts") != std::string::npos; },
      5s))
      << gw.process->log();
  const auto began = std::chrono::steady_clock::now();
  auto r = http_request(gw.port, "POST", "/v1/chat/completions", chat_body(kModel, 8, true),
                        {{"content-type", "application/json"}}, 20s);
  ASSERT_EQ(r.status, 200) << r.error;
  EXPECT_NE(r.body.find("[DONE]"), std::string::npos) << r.body;
  EXPECT_LT(std::chrono::steady_clock::now() - began, 5s);
}

}  // namespace
}  // namespace autoglm::testing

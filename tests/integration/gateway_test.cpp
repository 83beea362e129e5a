// The gateway in front of two real simnode processes, over loopback.
#include <gtest/gtest.h>
#include <signal.h>

#include <boost/json.hpp>
#include <future>
#include <map>
#include <thread>

#include "integration/http_client.hpp"
#include "integration/process.hpp"

namespace autoglm::testing {
namespace {

namespace json = boost::json;
constexpr const char* kModel = "autoglm-sim-8b";

class GatewayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (int i = 0; i < 2; ++i) {
      nodes_.push_back(start_autoglm(dir_, "node" + std::to_string(i),
                                     {"simnode", "--port", "0", "--model", kModel, "--profile",
                                      i == 0 ? "h100-80gb-8b" : "a100-80gb-8b", "--node-id",
                                      "node" + std::to_string(i), "--speedup", "20"}));
    }
    std::string config =
        "server:\n  port: 0\n  host: 127.0.0.1\n  context-path: /api\n"
        "  threads: 2\n  drain-timeout: 10s\n"
        "upstream:\n  failure-backoff: 30s\n  connect-timeout: 1s\n"
        "scheduler:\n  policy: round_robin\n"
        "cluster:\n  simulated:\n    enabled: false\n"
        "nodes:\n";
    for (std::size_t i = 0; i < nodes_.size(); ++i) {
      config += "  - id: node" + std::to_string(i) +
                "\n    url: http://127.0.0.1:" + std::to_string(nodes_[i].port) +
                "\n    models: [" + kModel + "]\n";
    }
    auto path = dir_.write("gateway.yaml", config);
    gateway_ = start_autoglm(dir_, "gateway", {"serve", "-c", path.string()});
  }

  std::uint16_t port() const { return gateway_.port; }

  TempDir dir_;
  std::vector<Started> nodes_;
  Started gateway_;
};

TEST_F(GatewayTest, NonStreamingChatReturnsCompletionWithUsage) {
  auto res = http_request(port(), "POST", "/api/v1/chat/completions", chat_body(kModel, 8, false),
                          {{"content-type", "application/json"}, {"x-request-id", "test-42"}});
  ASSERT_EQ(res.status, 200) << res.error << res.body;
  EXPECT_EQ(res.header("x-request-id"), "test-42");
  EXPECT_FALSE(res.header("x-autoglm-node").empty());
  auto body = json::parse(res.body).as_object();
  EXPECT_EQ(body["object"].as_string(), "chat.completion");
  EXPECT_EQ(body["usage"].at("completion_tokens").as_int64(), 8);
  EXPECT_GT(body["usage"].at("prompt_tokens").as_int64(), 0);
  auto content = body["choices"].as_array()[0].at("message").at("content").as_string();
  EXPECT_FALSE(content.empty());
}

TEST_F(GatewayTest, EmbeddingsAreRoutedToANodeAndAnsweredInOpenAiShape) {
  const std::string body = std::string(R"({"model": ")") + kModel +
                           R"(", "input": ["first text", "second text"], "dimensions": 8})";
  auto res = http_request(port(), "POST", "/api/v1/embeddings", body,
                          {{"content-type", "application/json"}});
  ASSERT_EQ(res.status, 200) << res.error << res.body;
  EXPECT_FALSE(res.header("x-autoglm-node").empty());
  auto doc = json::parse(res.body).as_object();
  EXPECT_EQ(doc["object"].as_string(), "list");
  ASSERT_EQ(doc["data"].as_array().size(), 2u);
  EXPECT_EQ(doc["data"].as_array()[1].at("embedding").as_array().size(), 8u);
  EXPECT_GT(doc["usage"].at("prompt_tokens").as_int64(), 0);
  auto bad = http_request(port(), "POST", "/api/v1/embeddings",
                          std::string(R"({"model": ")") + kModel + R"("})",
                          {{"content-type", "application/json"}});
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_NE(bad.body.find("input"), std::string::npos) << bad.body;
}

TEST_F(GatewayTest, StreamingChatEndsWithDone) {
  auto res = http_post(port(), "/api/v1/chat/completions", chat_body(kModel, 12, true));
  ASSERT_EQ(res.status, 200) << res.error << res.body;
  EXPECT_EQ(res.header("content-type"), "text/event-stream");
  int content_chunks = 0;
  for (std::size_t pos = 0; (pos = res.body.find("\"content\":\"", pos)) != std::string::npos;
       ++pos) {
    if (res.body.compare(pos, 13, "\"content\":\"\"") != 0) ++content_chunks;
  }
  EXPECT_EQ(content_chunks, 12);
  ASSERT_GE(res.body.size(), 14u);
  EXPECT_EQ(res.body.substr(res.body.size() - 14), "data: [DONE]\n\n");
}

TEST_F(GatewayTest, CompletionsEndpointStreamsToo) {
  auto res =
      http_post(port(), "/api/v1/completions",
                R"({"model":"autoglm-sim-8b","prompt":"hello","max_tokens":4,"stream":true})");
  ASSERT_EQ(res.status, 200) << res.error;
  EXPECT_NE(res.body.find("\"object\":\"text_completion\""), std::string::npos);
  EXPECT_NE(res.body.find("data: [DONE]"), std::string::npos);
}

TEST_F(GatewayTest, RoundRobinSpreadsRequestsEvenly) {
  std::map<std::string, int> per_node;
  for (int i = 0; i < 10; ++i) {
    auto res = http_post(port(), "/api/v1/chat/completions", chat_body(kModel, 1, false));
    ASSERT_EQ(res.status, 200) << res.error;
    ++per_node[res.header("x-autoglm-node")];
  }
  EXPECT_EQ(per_node["node0"], 5);
  EXPECT_EQ(per_node["node1"], 5);
}

TEST_F(GatewayTest, MalformedJsonIsAnOpenAiError400) {
  auto res = http_post(port(), "/api/v1/chat/completions", "{\"model\": ");
  ASSERT_EQ(res.status, 400);
  auto error = json::parse(res.body).at("error").as_object();
  EXPECT_EQ(error.at("type").as_string(), "invalid_request_error");
  EXPECT_TRUE(error.contains("param"));
  EXPECT_TRUE(error.contains("code"));
}

TEST_F(GatewayTest, MissingMessagesNamesTheField) {
  auto res = http_post(port(), "/api/v1/chat/completions", R"({"model":"autoglm-sim-8b"})");
  ASSERT_EQ(res.status, 400);
  EXPECT_EQ(json::parse(res.body).at("error").at("param").as_string(), "messages");
}

TEST_F(GatewayTest, UnknownModelIs404) {
  auto res = http_post(port(), "/api/v1/chat/completions", chat_body("no-such-model", 1, false));
  ASSERT_EQ(res.status, 404);
  EXPECT_EQ(json::parse(res.body).at("error").at("param").as_string(), "model");
}

TEST_F(GatewayTest, WrongMethodIs405WithAllow) {
  auto res = http_get(port(), "/api/v1/chat/completions");
  ASSERT_EQ(res.status, 405) << res.body;
  EXPECT_EQ(res.header("allow"), "POST");
  EXPECT_NE(json::parse(res.body).at("error").at("message").as_string().find("GET"),
            std::string::npos);
  EXPECT_EQ(http_get(port(), "/api/v1/nope").status, 404);
}

TEST_F(GatewayTest, ModelsHealthAndReadiness) {
  auto models = http_get(port(), "/api/v1/models");
  ASSERT_EQ(models.status, 200);
  auto data = json::parse(models.body).at("data").as_array();
  ASSERT_EQ(data.size(), 1u);
  EXPECT_EQ(data[0].at("id").as_string(), kModel);
  EXPECT_EQ(http_get(port(), "/api/healthz").status, 200);
  EXPECT_EQ(http_get(port(), "/api/readyz").status, 200);
  EXPECT_EQ(http_get(port(), "/v1/models").status, 404) << "routes live under the context path";
}

TEST_F(GatewayTest, KilledNodeIsRoutedAroundWithoutHanging) {
  nodes_[0].process->signal(SIGKILL);
  nodes_[0].process->wait(std::chrono::seconds(5));
  for (int i = 0; i < 6; ++i) {
    auto res = http_request(port(), "POST", "/api/v1/chat/completions", chat_body(kModel, 1, false),
                            {{"content-type", "application/json"}}, std::chrono::seconds(10));
    ASSERT_EQ(res.status, 200) << res.error << res.body;
    EXPECT_EQ(res.header("x-autoglm-node"), "node1");
  }
}

TEST_F(GatewayTest, AllNodesDeadGives5xxQuickly) {
  for (auto& node : nodes_) {
    node.process->signal(SIGKILL);
    node.process->wait(std::chrono::seconds(5));
  }
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 3; ++i) {
    auto res = http_request(port(), "POST", "/api/v1/chat/completions", chat_body(kModel, 1, false),
                            {{"content-type", "application/json"}}, std::chrono::seconds(10));
    EXPECT_TRUE(res.status == 502 || res.status == 503) << res.status << " " << res.error;
    EXPECT_NE(res.body.find("\"error\""), std::string::npos);
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  EXPECT_EQ(http_get(port(), "/api/readyz").status, 503);
}

TEST_F(GatewayTest, SigtermDrainsAnInFlightStream) {
  // 3000 tokens at speedup 20 take over a second: long enough to signal mid-stream.
  auto pending = std::async(std::launch::async, [this] {
    return http_post(port(), "/api/v1/chat/completions", chat_body(kModel, 3000, true));
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  gateway_.process->signal(SIGTERM);
  auto res = pending.get();
  ASSERT_EQ(res.status, 200) << res.error;
  ASSERT_GE(res.body.size(), 14u);
  EXPECT_EQ(res.body.substr(res.body.size() - 14), "data: [DONE]\n\n");
  EXPECT_EQ(res.body.find("\"error\""), std::string::npos);
  EXPECT_EQ(gateway_.process->wait(std::chrono::seconds(10)), 0) << gateway_.process->log();
}

}  // namespace
}  // namespace autoglm::testing

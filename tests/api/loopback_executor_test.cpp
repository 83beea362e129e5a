// The loopback executor: the call it builds from a claimed task, how answers become
// outcomes, and real calls to a stand-in gateway on loopback (success and cancel).
#include "api/loopback_executor.hpp"

#include <gtest/gtest.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>
#include <future>
#include <thread>

#include "http/server.hpp"
#include "workflow/wall_clock.hpp"

namespace autoglm::api {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using namespace std::chrono_literals;

workflow::ClaimedTask chat_task(std::string payload) {
  workflow::ClaimedTask c;
  c.task.id = 42;
  c.task.attempts = 2;
  c.task.input.kind = "chat";
  c.task.input.model = "autoglm-sim-8b";
  c.task.input.priority = 3;
  c.task.input.payload = std::move(payload);
  return c;
}

std::string header_of(const LoopbackCall& call, const std::string& name) {
  for (const auto& [k, v] : call.headers) {
    if (k == name) return v;
  }
  return "<absent>";
}

TEST(LoopbackRequest, ChatGoesToChatCompletionsWithModelPriorityAndNoStream) {
  auto call = loopback_request(
      chat_task(R"({"messages":[{"role":"user","content":"hi"}],"stream":true})"), core::Time{});
  ASSERT_TRUE(call) << call.status().message();
  EXPECT_EQ(call->path, "/v1/chat/completions");
  const auto body = json::parse(call->body).as_object();
  EXPECT_EQ(body.at("model").as_string(), "autoglm-sim-8b");
  EXPECT_FALSE(body.at("stream").as_bool());
  EXPECT_EQ(header_of(*call, "x-autoglm-priority"), "3");
  EXPECT_EQ(header_of(*call, "x-request-id"), "task-42-2");
  EXPECT_EQ(header_of(*call, "x-autoglm-deadline-ms"), "<absent>");
}

TEST(LoopbackRequest, TheClaimsPreferredNodeBecomesThePreferNodeHeader) {
  auto task = chat_task(R"({"messages":[{"role":"user","content":"Translate: ..."}]})");
  auto plain = loopback_request(task, core::Time{});
  ASSERT_TRUE(plain);
  EXPECT_EQ(header_of(*plain, "x-autoglm-prefer-node"), "<absent>");
  // A DAG node's cache hint or a vision batch's node: the engine puts it on the claim.
  task.preferred_node = "node-a";
  auto hinted = loopback_request(task, core::Time{});
  ASSERT_TRUE(hinted);
  EXPECT_EQ(header_of(*hinted, "x-autoglm-prefer-node"), "node-a");
}

TEST(LoopbackRequest, PayloadModelWinsAndDeadlineIsTimeLeft) {
  auto task = chat_task(R"({"model":"other","messages":[]})");
  task.task.input.deadline = core::Time{std::chrono::seconds(100)};
  auto call = loopback_request(task, core::Time{std::chrono::seconds(98)});
  ASSERT_TRUE(call);
  EXPECT_EQ(json::parse(call->body).at("model").as_string(), "other");
  EXPECT_EQ(header_of(*call, "x-autoglm-deadline-ms"), "2000");
  // A deadline already past still reaches the scheduler, which decides what to do.
  call = loopback_request(task, core::Time{std::chrono::seconds(200)});
  ASSERT_TRUE(call);
  EXPECT_EQ(header_of(*call, "x-autoglm-deadline-ms"), "1");
}

TEST(LoopbackRequest, KindsMapToTheirRoutes) {
  auto task = chat_task(R"({"prompt":"x"})");
  task.task.input.kind = "completion";
  EXPECT_EQ(loopback_request(task, {})->path, "/v1/completions");
  task.task.input.kind = "embedding";
  EXPECT_EQ(loopback_request(task, {})->path, "/v1/embeddings");
  task.task.input.kind = "resize";
  auto call = loopback_request(task, {});
  ASSERT_FALSE(call);
  EXPECT_EQ(call.status().param(), "kind");
}

// Each pipeline step's call: its route, and the content of the chat request's one message.
json::object step_call(const std::string& kind, const std::string& payload) {
  auto task = chat_task(payload);
  task.task.input.kind = kind;
  auto call = loopback_request(task, {});
  EXPECT_TRUE(call) << kind << ": " << call.status().message();
  if (!call) return {};
  EXPECT_EQ(call->path, "/v1/chat/completions") << kind;
  auto body = json::parse(call->body).as_object();
  EXPECT_EQ(body.at("model").as_string(), "autoglm-sim-8b") << kind;
  EXPECT_FALSE(body.at("stream").as_bool()) << kind;
  EXPECT_EQ(header_of(*call, "x-autoglm-priority"), "3") << kind;
  return body.at("messages").at(0).as_object();
}

std::string part_type(const json::object& message, std::size_t i) {
  return std::string(message.at("content").at(i).at("type").as_string());
}

TEST(LoopbackRequest, VisionStepsRunAsChatWithImageParts) {
  for (const std::string kind : {"image_classification", "image_captioning", "ocr"}) {
    auto message = step_call(
        kind, R"({"images": ["https://img.example/1.png", "data:image/png;base64,AAAA"]})");
    ASSERT_EQ(message.at("content").as_array().size(), 3u) << kind;
    EXPECT_EQ(part_type(message, 0), "text");
    EXPECT_EQ(part_type(message, 1), "image_url");
    EXPECT_EQ(message.at("content").at(2).at("image_url").at("url").as_string(),
              "data:image/png;base64,AAAA");
  }
}

TEST(LoopbackRequest, SpeechTranscriptionRunsAsChatWithAnAudioPart) {
  auto message = step_call("speech_transcription", R"({"audio": "UklGRg==", "format": "wav"})");
  ASSERT_EQ(message.at("content").as_array().size(), 2u);
  EXPECT_EQ(part_type(message, 1), "input_audio");
}

TEST(LoopbackRequest, TextStepsRunAsChatWithTheTextInTheMessage) {
  auto summary = step_call("summarization", R"({"text": "A long report."})");
  EXPECT_NE(std::string(summary.at("content").as_string()).find("A long report."),
            std::string::npos);
  auto translation = step_call("translation", R"({"text": "Hallo", "target_language": "French"})");
  EXPECT_NE(std::string(translation.at("content").as_string()).find("Translate into French."),
            std::string::npos);
}

TEST(LoopbackRequest, AStepPayloadThatNoLongerChecksIsAFieldError) {
  auto task = chat_task(R"({"image_url": 5})");
  task.task.input.kind = "ocr";
  auto call = loopback_request(task, {});
  ASSERT_FALSE(call);
  EXPECT_EQ(call.status().param(), "payload.image_url");
}

TEST(LoopbackRequest, PayloadMustBeAnObject) {
  EXPECT_FALSE(loopback_request(chat_task("[1,2]"), {}));
  EXPECT_FALSE(loopback_request(chat_task("not json"), {}));
}

TEST(LoopbackResult, SuccessKeepsBodyAndNode) {
  auto r = loopback_result(200, R"({"choices":[]})", "node1");
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.output, R"({"choices":[]})");
  EXPECT_EQ(r.node, "node1");
}

TEST(LoopbackResult, RetryableOnlyWhereARetryCanHelp) {
  for (unsigned status : {408u, 409u, 429u, 500u, 502u, 503u, 504u}) {
    auto r = loopback_result(status, "", "");
    EXPECT_FALSE(r.ok);
    EXPECT_TRUE(r.retryable) << status;
  }
  for (unsigned status : {400u, 404u, 413u}) {
    EXPECT_FALSE(loopback_result(status, "", "").retryable) << status;
  }
  auto r = loopback_result(404, R"({"error":{"message":"the model 'x' is not served here"}})", "");
  EXPECT_EQ(r.error, "the gateway answered 404: the model 'x' is not served here");
}

// A stand-in gateway: /v1/chat/completions answers at once with what it received;
// /v1/completions never answers on its own (for cancel).
class LoopbackExecutorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<http::Server>(io_, http::ServerOptions{},
                                             [this](http::Exchange& ex) { return handle(ex); });
    server_->start();
    LoopbackOptions options;
    options.timeout = 10s;
    options.post_blocking = [](std::function<void()> fn) { std::thread(std::move(fn)).detach(); };
    executor_ = std::make_unique<LoopbackExecutor>(io_, clock_, options);
    executor_->set_base_url("http://127.0.0.1:" + std::to_string(server_->port()) + "/api");
    thread_ = std::thread([this] { io_.run(); });
  }
  void TearDown() override {
    server_->stop_accepting();
    work_.reset();
    io_.stop();
    thread_.join();
  }

  asio::awaitable<void> handle(http::Exchange& ex) {
    if (ex.target_path() == "/api/v1/chat/completions") {
      http::Response res{boost::beast::http::status::ok, 11};
      res.set("x-autoglm-node", "node7");
      res.set(boost::beast::http::field::content_type, "application/json");
      res.body() = R"({"priority":")" + std::string(ex.request()["x-autoglm-priority"]) +
                   R"(","body":)" + ex.request().body() + "}";
      co_await ex.respond(std::move(res));
      co_return;
    }
    if (ex.target_path() == "/api/v1/embeddings") {
      // Busy once (as a full queue answers), then served.
      if (++embedding_calls_ == 1) {
        http::Response res{boost::beast::http::status::service_unavailable, 11};
        res.set(boost::beast::http::field::retry_after, "1");
        res.body() = R"({"error":{"message":"queue full"}})";
        co_await ex.respond(std::move(res));
      } else {
        co_await ex.respond(200, R"({"data":[]})");
      }
      co_return;
    }
    ++slow_started_;
    asio::steady_timer timer(co_await asio::this_coro::executor, 30s);
    co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    co_await ex.respond(200, "{}");
  }

  workflow::ExecutionResult run(const workflow::ClaimedTask& task,
                                const std::function<void()>& after_start = {}) {
    std::promise<workflow::ExecutionResult> result;
    executor_->execute(task, [&](workflow::ExecutionResult r) { result.set_value(std::move(r)); });
    if (after_start) after_start();
    auto future = result.get_future();
    EXPECT_EQ(future.wait_for(5s), std::future_status::ready);
    return future.get();
  }

  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_ = asio::make_work_guard(io_);
  workflow::WallClock clock_;
  std::unique_ptr<http::Server> server_;
  std::unique_ptr<LoopbackExecutor> executor_;
  std::atomic<int> slow_started_{0};
  std::atomic<int> embedding_calls_{0};
  std::thread thread_;
};

TEST_F(LoopbackExecutorTest, RunsTheTaskThroughTheGatewayRoute) {
  auto r = run(chat_task(R"({"messages":[{"role":"user","content":"hi"}]})"));
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.node, "node7");
  const auto out = json::parse(r.output).as_object();
  EXPECT_EQ(out.at("priority").as_string(), "3");
  EXPECT_EQ(out.at("body").at("model").as_string(), "autoglm-sim-8b");
  EXPECT_EQ(executor_->in_flight(), 0u);
}

TEST_F(LoopbackExecutorTest, CancelAbortsTheCallAndStillReportsDone) {
  auto task = chat_task(R"({"prompt":"x"})");
  task.task.input.kind = "completion";
  auto r = run(task, [&] {
    while (slow_started_ == 0) std::this_thread::sleep_for(1ms);
    executor_->cancel(task.task.id);
  });
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error, "cancelled");  // within run()'s wait, long before the stand-in answers
}

TEST_F(LoopbackExecutorTest, ABusyGatewayIsAskedAgainWithoutFailingTheTask) {
  auto task = chat_task(R"({"input":"x"})");
  task.task.input.kind = "embedding";
  auto r = run(task);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.output, R"({"data":[]})");
  EXPECT_EQ(embedding_calls_, 2);
}

TEST_F(LoopbackExecutorTest, AnUnknownKindFailsForGood) {
  auto task = chat_task("{}");
  task.task.input.kind = "resize";
  auto r = run(task);
  EXPECT_FALSE(r.ok);
  EXPECT_FALSE(r.retryable);
}

}  // namespace
}  // namespace autoglm::api

// Test support for durable work: a gateway with the embedded simulated cluster and its
// own SQLite file, and helpers to submit tasks and wait for states over HTTP.
#pragma once

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <functional>
#include <string>
#include <thread>

#include "integration/http_client.hpp"
#include "integration/process.hpp"

namespace autoglm::testing {

inline constexpr const char* kWorkflowModel = "autoglm-sim-8b";

// A gateway config: simulated nodes `speedup` times faster than real time, a quick engine
// step, a short lease (so a crashed gateway's running tasks are claimed again soon), the
// store at `db`.
inline std::string workflow_config(const std::filesystem::path& db, int speedup = 200,
                                   int lease_ms = 2000) {
  return "server:\n  port: 0\n  host: 127.0.0.1\n  threads: 2\n  drain-timeout: 5s\n"
         "database:\n  url: sqlite://" +
         db.string() +
         "\n"
         "workflow:\n  step-interval: 20ms\n  lease: " +
         std::to_string(lease_ms) +
         "ms\n"
         "logging:\n  level: warn\n"
         "cluster:\n  simulated:\n    enabled: true\n    speedup: " +
         std::to_string(speedup) +
         "\n"
         "    nodes:\n      - {profile: h100-80gb-8b, count: 2}\n";
}

// A POST /v1/tasks body: a chat task with a short answer.
inline std::string chat_task_body(const std::string& text, int max_tokens = 4) {
  boost::json::object payload;
  payload["messages"] =
      boost::json::array{boost::json::object{{"role", "user"}, {"content", text}}};
  payload["max_tokens"] = max_tokens;
  boost::json::object body;
  body["kind"] = "chat";
  body["model"] = kWorkflowModel;
  body["priority"] = "batch";
  body["payload"] = std::move(payload);
  return boost::json::serialize(body);
}

inline HttpResponse post_json(std::uint16_t port, const std::string& target,
                              const std::string& body,
                              std::map<std::string, std::string> headers = {}) {
  headers["content-type"] = "application/json";
  return http_request(port, "POST", target, body, headers);
}

inline boost::json::object json_of(const HttpResponse& r) {
  boost::system::error_code ec;
  auto v = boost::json::parse(r.body, ec);
  return !ec && v.is_object() ? v.as_object() : boost::json::object{};
}

inline std::string str(const boost::json::value& v) {
  return v.is_string() ? std::string(v.get_string()) : boost::json::serialize(v);
}

// How many times a task's event stream (GET /v1/tasks/{id}/events) entered `state`: a
// task with exactly one result has one "succeeded".
inline int state_entries(std::uint16_t port, const std::string& task_id, const std::string& state) {
  const std::string events = http_get(port, "/v1/tasks/" + task_id + "/events").body;
  const std::string needle = "event: " + state;
  int n = 0;
  for (auto p = events.find(needle); p != std::string::npos; p = events.find(needle, p + 1)) ++n;
  return n;
}

// Polls `done` every 50 ms until it holds or `timeout` passes.
inline bool wait_until(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return done();
}

// GET `target` until its "state" is `state` (or terminal); the last answer's JSON.
inline boost::json::object wait_for_state(std::uint16_t port, const std::string& target,
                                          const std::string& state,
                                          std::chrono::milliseconds timeout) {
  boost::json::object last;
  wait_until(
      [&] {
        last = json_of(http_get(port, target));
        const auto* s = last.if_contains("state");
        return s != nullptr && str(*s) == state;
      },
      timeout);
  return last;
}

// A gateway (workflow_config) with its own store in a fresh directory, per test.
class WorkflowGatewayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto config = dir_.write("gateway.yaml", workflow_config(dir_.path() / "data" / "wf.db"));
    gateway_ = start_autoglm(dir_, "gateway", {"serve", "-c", config.string()});
  }
  std::uint16_t port() const { return gateway_.port; }

  TempDir dir_;
  Started gateway_;
};

}  // namespace autoglm::testing

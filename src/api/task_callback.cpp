#include "api/task_callback.hpp"

#include <spdlog/spdlog.h>

#include <boost/json/serialize.hpp>
#include <thread>

#include "api/workflow_json.hpp"
#include "http/client.hpp"

namespace autoglm::api {

bool deliver_callback(const store::TaskRecord& task, const CallbackOptions& options) {
  if (task.input.callback_url.empty()) return true;
  const std::string body = boost::json::serialize(task_json(task));
  auto delay = options.backoff;
  for (int attempt = 1; attempt <= options.attempts; ++attempt) {
    http::ClientRequest req;
    req.method = "POST";
    req.url = task.input.callback_url;
    req.body = body;
    req.timeout = options.timeout;
    req.headers = {{"x-autoglm-task-id", std::to_string(task.id)}};
    auto res = http::fetch_blocking(std::move(req));
    if (res && res->status >= 200 && res->status < 300) return true;
    const std::string why = res ? "status " + std::to_string(res->status) : res.status().message();
    if (attempt == options.attempts) {
      spdlog::warn("task {}: callback to {} failed after {} attempts: {}", task.id,
                   task.input.callback_url, attempt, why);
      break;
    }
    spdlog::info("task {}: callback attempt {} failed ({}); retrying in {} ms", task.id, attempt,
                 why, delay.count());
    if (options.sleep) {
      options.sleep(delay);
    } else {
      std::this_thread::sleep_for(delay);
    }
    delay *= 2;
  }
  return false;
}

}  // namespace autoglm::api

// `autoglm task submit|get|list|cancel`: durable async tasks on a running gateway.
#include <boost/json.hpp>

#include "cli/commands.hpp"
#include "cli/gateway_client.hpp"

namespace autoglm::cli {
namespace {

namespace json = boost::json;

struct TaskArgs {
  std::string url;
  std::string file;  // a whole POST /v1/tasks body; the flags below build one otherwise
  std::string kind = "chat";
  std::string model = "autoglm-sim-8b";
  std::string prompt;
  int max_tokens = 64;
  std::string priority;
  int retries = 0;
  std::string timeout;
  std::string idempotency_key;
  std::string state;
  int limit = 0;
  std::string cursor;
};

std::string body_from_flags(const TaskArgs& a) {
  json::object payload;
  if (a.kind == "completion") {
    payload["prompt"] = a.prompt;
  } else if (a.kind == "embedding") {
    payload["input"] = a.prompt;
  } else {
    payload["messages"] = json::array{json::object{{"role", "user"}, {"content", a.prompt}}};
  }
  if (a.kind != "embedding") payload["max_tokens"] = a.max_tokens;
  json::object body;
  body["kind"] = a.kind;
  body["model"] = a.model;
  if (!a.priority.empty()) body["priority"] = a.priority;
  if (a.retries > 0) body["retries"] = a.retries;
  if (!a.timeout.empty()) body["timeout"] = a.timeout;
  body["payload"] = std::move(payload);
  return json::serialize(body);
}

core::Result<std::string> submit_body(const TaskArgs& a) {
  if (!a.file.empty()) return read_input(a.file);
  if (a.prompt.empty()) return core::invalid_argument("give --prompt TEXT or --file BODY.json");
  return body_from_flags(a);
}

void submit(const TaskArgs& a) {
  post_to_gateway(a.url, "task submit", "/v1/tasks", submit_body(a), a.idempotency_key);
}

std::string list_path(const TaskArgs& a) {
  std::string query;
  const auto add = [&query](const std::string& k, const std::string& v) {
    if (!v.empty()) query += (query.empty() ? "?" : "&") + k + "=" + v;
  };
  add("state", a.state);
  add("limit", a.limit > 0 ? std::to_string(a.limit) : "");
  add("cursor", a.cursor);
  return "/v1/tasks" + query;
}

}  // namespace

void add_task_command(CLI::App& app) {
  auto args = std::make_shared<TaskArgs>();
  auto* task = app.add_subcommand("task", "Durable async tasks on a running gateway");
  task->require_subcommand(1);

  auto* submit_cmd = task->add_subcommand("submit", "Submit a task (POST /v1/tasks)");
  add_url_option(*submit_cmd, args->url);
  submit_cmd->add_option("-f,--file", args->file, "The whole request body as JSON ('-': stdin)");
  submit_cmd->add_option("--kind", args->kind, "chat, completion or embedding")
      ->capture_default_str();
  submit_cmd->add_option("--model", args->model, "Model")->capture_default_str();
  submit_cmd->add_option("-p,--prompt", args->prompt, "The user message or prompt");
  submit_cmd->add_option("--max-tokens", args->max_tokens, "Most output tokens")
      ->capture_default_str();
  submit_cmd->add_option("--priority", args->priority, "critical, standard, batch, sheddable or 0-9");
  submit_cmd->add_option("--retries", args->retries, "Failed attempts retried");
  submit_cmd->add_option("--timeout", args->timeout, "Per attempt, e.g. 30s");
  submit_cmd->add_option("--idempotency-key", args->idempotency_key,
                         "Resubmitting with the same key returns the first task");
  submit_cmd->callback([args] { submit(*args); });

  add_id_command(*task, "get", "Show a task with its state and output", "GET", "/v1/tasks");
  add_id_command(*task, "cancel", "Cancel a task (DELETE /v1/tasks/{id})", "DELETE", "/v1/tasks");

  auto* list_cmd = task->add_subcommand("list", "List tasks, newest first");
  add_url_option(*list_cmd, args->url);
  list_cmd->add_option("--state", args->state, "queued, running, succeeded, failed, cancelled...");
  list_cmd->add_option("--limit", args->limit, "1-1000 (default 50)");
  list_cmd->add_option("--cursor", args->cursor, "A page's next_cursor");
  list_cmd->callback([args] { call_gateway(args->url, "GET", list_path(*args)); });
}

}  // namespace autoglm::cli

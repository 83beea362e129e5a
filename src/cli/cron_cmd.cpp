// `autoglm cron list|add|remove`: cron triggers on a running gateway.
#include <boost/json.hpp>

#include "cli/commands.hpp"
#include "cli/gateway_client.hpp"

namespace autoglm::cli {
namespace {

namespace json = boost::json;

struct CronArgs {
  std::string url;
  std::string file;  // a whole POST /v1/cron body; the flags below build one otherwise
  std::string id;
  std::string schedule;
  std::string timezone;
  std::string missed;
  std::string overlap;
  std::string task_file;
  std::string dag_file;
};

// The trigger from the flags, or a message saying what is missing.
core::Result<std::string> body_from_flags(const CronArgs& a) {
  if (a.id.empty() || a.schedule.empty() || a.task_file.empty() == a.dag_file.empty()) {
    return core::invalid_argument(
        "give FILE, or --id, --schedule and one of --task-file or --dag-file");
  }
  auto target = read_input(a.task_file.empty() ? a.dag_file : a.task_file);
  if (!target) return target.status();
  boost::system::error_code ec;
  json::value parsed = json::parse(*target, ec);
  if (ec) return core::invalid_argument("the task or DAG file is not JSON: " + ec.message());
  json::object body;
  body["id"] = a.id;
  body["schedule"] = a.schedule;
  if (!a.timezone.empty()) body["timezone"] = a.timezone;
  if (!a.missed.empty()) body["missed"] = a.missed;
  if (!a.overlap.empty()) body["overlap"] = a.overlap;
  body[a.task_file.empty() ? "dag" : "task"] = std::move(parsed);
  return json::serialize(body);
}

void add(const CronArgs& a) {
  post_to_gateway(a.url, "cron add", "/v1/cron",
                  a.file.empty() ? body_from_flags(a) : read_input(a.file));
}

}  // namespace

void add_cron_command(CLI::App& app) {
  auto args = std::make_shared<CronArgs>();
  auto* cron = app.add_subcommand("cron", "Cron triggers on a running gateway");
  cron->require_subcommand(1);

  add_get_command(*cron, "list", "List cron triggers with their next firing", "/v1/cron");

  auto* add_cmd = cron->add_subcommand("add", "Add or replace a cron trigger (POST /v1/cron)");
  add_url_option(*add_cmd, args->url);
  add_cmd->add_option("file", args->file, "The whole trigger as JSON ('-': stdin)");
  add_cmd->add_option("--id", args->id, "Trigger name");
  add_cmd->add_option("--schedule", args->schedule, "5 fields or @daily, @hourly...");
  add_cmd->add_option("--timezone", args->timezone, "tz database name (default UTC)");
  add_cmd->add_option("--missed", args->missed, "skip, run_once or run_all");
  add_cmd->add_option("--overlap", args->overlap, "skip, queue or allow");
  add_cmd->add_option("--task-file", args->task_file, "A POST /v1/tasks body to submit");
  add_cmd->add_option("--dag-file", args->dag_file, "A POST /v1/dags body (JSON) to start");
  add_cmd->callback([args] { add(*args); });

  add_id_command(*cron, "remove", "Remove a cron trigger", "DELETE", "/v1/cron");
}

}  // namespace autoglm::cli

// `autoglm dag submit|status|cancel|list`: DAG workflows on a running gateway.
#include "cli/commands.hpp"
#include "cli/gateway_client.hpp"

namespace autoglm::cli {
namespace {

struct DagArgs {
  std::string url;
  std::string file;
  std::string idempotency_key;
};

void submit(const DagArgs& a) {
  // The gateway reads JSON or YAML whatever the type says; the type is for proxies and logs.
  const bool yaml = a.file.ends_with(".yaml") || a.file.ends_with(".yml");
  post_to_gateway(a.url, "dag submit", "/v1/dags", read_input(a.file), a.idempotency_key,
                  yaml ? "application/yaml" : "application/json");
}

}  // namespace

void add_dag_command(CLI::App& app) {
  auto args = std::make_shared<DagArgs>();
  auto* dag = app.add_subcommand("dag", "DAG workflows on a running gateway");
  dag->require_subcommand(1);

  auto* submit_cmd = dag->add_subcommand("submit", "Submit a DAG spec, JSON or YAML (POST /v1/dags)");
  add_url_option(*submit_cmd, args->url);
  submit_cmd->add_option("file", args->file, "The spec file ('-': stdin)")->required();
  submit_cmd->add_option("--idempotency-key", args->idempotency_key,
                         "Resubmitting with the same key returns the first run");
  submit_cmd->callback([args] { submit(*args); });

  add_id_command(*dag, "status", "Show a run and each task's state and output", "GET",
                 "/v1/dags");
  add_id_command(*dag, "cancel", "Cancel a run and its unfinished tasks", "DELETE", "/v1/dags");
  add_get_command(*dag, "list", "List DAG runs, newest first", "/v1/dags");
}

}  // namespace autoglm::cli

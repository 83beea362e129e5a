// DAG workflow specs: the data a user submits to POST /v1/dags (JSON or YAML), parsed into
// plain structs. Parsing checks field types only; validate_dag (dag_validate.hpp) checks the graph.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/status.hpp"

namespace autoglm::workflow {

using core::Duration;

// When a node whose upstream nodes have finished may run.
//   all_success (default): every upstream succeeded; skipped if any did not.
//   all_done:   every upstream finished, whatever the outcome.
//   one_failed: at least one upstream failed; skipped if all finished without failure.
enum class TriggerRule { kAllSuccess, kAllDone, kOneFailed };
std::string_view trigger_rule_name(TriggerRule r);

struct DagTaskSpec {
  std::string id;
  std::string kind = "chat";
  std::string model;
  std::string modality = "text";
  std::string payload = "{}";         // JSON text; strings may hold {{tasks.X.output}}
  std::vector<std::string> upstream;  // "requires" on the wire
  int retries = 0;
  Duration backoff = std::chrono::seconds(1);
  Duration timeout{0};  // per attempt; 0 for none
  TriggerRule trigger_rule = TriggerRule::kAllSuccess;
  int priority = 3;  // 0-9; a class name on the wire maps to its level
};

struct DagSpec {
  std::string name;
  std::vector<DagTaskSpec> tasks;
  int max_parallelism = 0;  // 0 for unbounded
};

// Field errors are kInvalidArgument with param naming the field ("tasks[2].retries").
core::Result<DagSpec> parse_dag_json(std::string_view text);
core::Result<DagSpec> parse_dag_yaml(std::string_view text);
// JSON when the text starts with '{' (after blanks), YAML otherwise.
core::Result<DagSpec> parse_dag(std::string_view text);

// The spec as canonical JSON (what the store keeps with the run).
std::string dag_to_json(const DagSpec& spec);

// "250ms", "10s", "5m", "1h" or a bare number of seconds.
core::Result<Duration> parse_duration(std::string_view text, std::string_view param);

}  // namespace autoglm::workflow

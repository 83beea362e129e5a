#include "api/workflow_json.hpp"

#include <charconv>
#include <cstdio>
#include <ctime>
#include <map>
#include <vector>

#include <boost/json.hpp>

#include "workflow/dag_spec.hpp"
#include "workflow/templating.hpp"

namespace autoglm::api {

namespace json = boost::json;

namespace {

json::value time_or_null(const std::optional<core::Time>& t) {
  if (!t) return nullptr;
  return json::value(rfc3339(*t));
}

json::value id_or_null(std::int64_t id) {
  if (id == 0) return nullptr;
  return json::value(std::to_string(id));
}

// The stored JSON text as a value; a string when it does not parse.
json::value json_or_string(const std::string& text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec) return json::value(text);
  return v;
}

}  // namespace

std::string rfc3339(core::Time t) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t).count();
  const std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(ms % 1000));
  return buf;
}

json::object task_json(const store::TaskRecord& t) {
  json::object o;
  o["id"] = std::to_string(t.id);
  o["object"] = "task";
  o["kind"] = t.input.kind;
  o["model"] = t.input.model;
  o["modality"] = t.input.modality;
  o["priority"] = t.input.priority;
  o["payload"] = json_or_string(t.input.payload);
  o["state"] = std::string(store::task_state_name(t.state));
  o["attempts"] = t.attempts;
  o["failures"] = t.failures;
  o["created_at"] = rfc3339(t.created_at);
  o["started_at"] = time_or_null(t.started_at);
  o["finished_at"] = time_or_null(t.finished_at);
  o["dag_run"] = id_or_null(t.dag_run);
  if (!t.input.dag_node.empty()) o["dag_node"] = t.input.dag_node;
  if (t.result) {
    o["output"] = json_or_string(*t.result);
    o["output_text"] = workflow::output_text(*t.result);
  } else {
    o["output"] = nullptr;
  }
  if (!t.error.empty()) o["error"] = t.error;
  if (!t.ran_on.empty()) o["ran_on"] = t.ran_on;
  return o;
}

json::object dag_run_json(const store::DagRunRecord& run) {
  json::object o;
  o["id"] = std::to_string(run.id);
  o["object"] = "dag_run";
  o["name"] = run.input.name;
  o["state"] = std::string(store::task_state_name(run.state));
  o["max_parallelism"] = run.input.max_parallelism;
  o["created_at"] = rfc3339(run.created_at);
  o["finished_at"] = time_or_null(run.finished_at);
  return o;
}

namespace {

// Each node's upstream ids from the run's stored spec; empty when it does not parse.
std::map<std::string, std::vector<std::string>> upstream_of(const store::DagRunRecord& run) {
  std::map<std::string, std::vector<std::string>> out;
  auto spec = workflow::parse_dag_json(run.input.spec);
  if (!spec) return out;
  for (auto& task : spec->tasks) out[task.id] = std::move(task.upstream);
  return out;
}

}  // namespace

json::object dag_status_json(const workflow::DagStatus& status) {
  json::object o = dag_run_json(status.run);
  const auto upstream = upstream_of(status.run);
  json::array tasks;
  for (const auto& node : status.nodes) {
    json::object t = task_json(node);
    json::array requires_ids;
    if (auto it = upstream.find(node.input.dag_node); it != upstream.end()) {
      for (const auto& id : it->second) requires_ids.emplace_back(id);
    }
    t["requires"] = std::move(requires_ids);
    json::value task_id = t["id"];  // copied: inserting may move t's values
    t["task_id"] = std::move(task_id);
    t["id"] = node.input.dag_node;
    t.erase("dag_node");
    t.erase("dag_run");
    tasks.push_back(std::move(t));
  }
  o["tasks"] = std::move(tasks);
  return o;
}

json::object task_event_json(const store::TaskEvent& e) {
  json::object o;
  o["seq"] = e.seq;
  o["task"] = id_or_null(e.task);
  o["dag_run"] = id_or_null(e.dag_run);
  o["state"] = std::string(store::task_state_name(e.state));
  o["at"] = rfc3339(e.at);
  o["detail"] = e.detail;
  return o;
}

json::object trigger_json(const store::TriggerRecord& tr, std::string_view id) {
  json::object o;
  o["id"] = id;
  o["object"] = tr.kind == store::TriggerKind::kCron ? "cron_trigger" : "event_trigger";
  o["enabled"] = tr.enabled;
  o["next_fire"] = time_or_null(tr.next_fire);
  o["last_fired"] = time_or_null(tr.last_fired);
  o["last_target"] = tr.last_target;
  o["created_at"] = rfc3339(tr.created_at);
  json::value spec = json_or_string(tr.spec);
  if (spec.is_object()) {
    spec.as_object()["id"] = id;
    spec.as_object().erase("tenant");
  }
  o["spec"] = std::move(spec);
  return o;
}

std::string scoped_trigger_id(std::string_view tenant, std::string_view id) {
  return std::string(tenant) + "/" + std::string(id);
}

std::optional<std::string> tenant_trigger_id(const store::TriggerRecord& trigger,
                                             std::string_view tenant) {
  const std::string prefix = scoped_trigger_id(tenant, "");
  if (!trigger.id.starts_with(prefix)) return std::nullopt;
  // The prefix alone could match another tenant whose name extends this one's with a
  // '/'; the spec's tenant settles it.
  boost::system::error_code ec;
  const json::value spec = json::parse(trigger.spec, ec);
  if (ec || !spec.is_object()) return std::nullopt;
  const auto* t = spec.as_object().if_contains("tenant");
  if (t == nullptr || !t->is_string() || t->get_string() != tenant) return std::nullopt;
  return trigger.id.substr(prefix.size());
}

core::Result<std::string> scope_trigger_body(std::string_view body, std::string_view tenant) {
  boost::system::error_code ec;
  json::value doc = json::parse(body, ec);
  if (ec || !doc.is_object()) {
    return core::invalid_argument("a trigger must be a JSON object", "id");
  }
  json::object& o = doc.as_object();
  const auto* id = o.if_contains("id");
  if (id == nullptr || !id->is_string() || id->get_string().empty()) {
    return core::invalid_argument("id is required: a name of 1-128 characters", "id");
  }
  const std::string scoped = scoped_trigger_id(tenant, id->get_string());
  o["id"] = scoped;
  o["tenant"] = tenant;
  return json::serialize(doc);
}

std::optional<std::int64_t> parse_record_id(std::string_view text) {
  if (text.empty()) return std::nullopt;
  std::int64_t id = 0;
  const auto* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, id);
  if (ec != std::errc() || ptr != end || id <= 0) return std::nullopt;
  return id;
}

}  // namespace autoglm::api

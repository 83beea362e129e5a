#include "workflow/dag_spec.hpp"

#include <charconv>

#include "workflow/json_fields.hpp"

namespace autoglm::workflow {

namespace json = boost::json;
using json_fields::get_int;
using json_fields::get_priority;
using json_fields::get_string;

std::string_view trigger_rule_name(TriggerRule r) {
  switch (r) {
    case TriggerRule::kAllSuccess:
      return "all_success";
    case TriggerRule::kAllDone:
      return "all_done";
    case TriggerRule::kOneFailed:
      return "one_failed";
  }
  return "all_success";
}

core::Result<Duration> parse_duration(std::string_view text, std::string_view param) {
  std::size_t i = 0;
  while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) != 0)) ++i;
  std::int64_t n = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + i, n);
  const std::string_view unit = text.substr(i);
  auto bad = [&] {
    return core::invalid_argument(std::string(param) +
                                      " must be a duration like 250ms, 10s, 5m "
                                      "or 1h (got '" +
                                      std::string(text) + "')",
                                  std::string(param));
  };
  if (i == 0 || ec != std::errc() || n > 10'000'000) return bad();
  if (unit == "ms") return Duration{std::chrono::milliseconds(n)};
  if (unit == "s" || unit.empty()) return Duration{std::chrono::seconds(n)};
  if (unit == "m") return Duration{std::chrono::minutes(n)};
  if (unit == "h") return Duration{std::chrono::hours(n)};
  return bad();
}

namespace {

// "backoff": "10s" | 10 (seconds); "backoff_ms": 10000.
core::Result<Duration> get_duration(const json::object& o, std::string_view field,
                                    std::string_view prefix, Duration fallback) {
  const std::string ms_field = std::string(field) + "_ms";
  if (o.contains(ms_field)) {
    auto n = get_int(o, ms_field, prefix, 0, 0, 7LL * 24 * 3600 * 1000);
    if (!n) return n.status();
    return Duration{std::chrono::milliseconds(*n)};
  }
  const auto* v = o.if_contains(field);
  if (v == nullptr || v->is_null()) return fallback;
  const std::string name = json_fields::join(prefix, field);
  if (v->is_string()) return parse_duration(v->get_string(), name);
  auto n = get_int(o, field, prefix, 0, 0, 7LL * 24 * 3600);
  if (!n) return n.status();
  return Duration{std::chrono::seconds(*n)};
}

core::Result<std::vector<std::string>> get_requires(const json::object& o,
                                                    std::string_view prefix) {
  std::vector<std::string> out;
  const auto* v = o.if_contains("requires");
  if (v == nullptr || v->is_null()) return out;
  const std::string name = json_fields::join(prefix, "requires");
  if (!v->is_array()) return core::invalid_argument(name + " must be a list of task ids", name);
  for (std::size_t i = 0; i < v->get_array().size(); ++i) {
    const auto& item = v->get_array()[i];
    const std::string item_name = name + "[" + std::to_string(i) + "]";
    if (!item.is_string())
      return core::invalid_argument(item_name + " must be a task id string", item_name);
    out.emplace_back(item.get_string());
  }
  return out;
}

core::Result<DagTaskSpec> parse_task(const json::value& v, const std::string& prefix) {
  if (!v.is_object()) return core::invalid_argument(prefix + " must be an object", prefix);
  const auto& o = v.as_object();
  DagTaskSpec t;
  auto id = get_string(o, "id", prefix);
  if (!id) return id.status();
  if (id->empty()) return core::invalid_argument(prefix + ".id is required", prefix + ".id");
  t.id = *id;
  auto kind = get_string(o, "kind", prefix, "chat");
  auto model = get_string(o, "model", prefix);
  auto modality = get_string(o, "modality", prefix, "text");
  if (!kind) return kind.status();
  if (!model) return model.status();
  if (!modality) return modality.status();
  t.kind = *kind;
  t.model = *model;
  t.modality = *modality;
  if (t.modality != "text" && t.modality != "vision" && t.modality != "speech") {
    return core::invalid_argument(prefix + ".modality must be text, vision or speech",
                                  prefix + ".modality");
  }
  if (const auto* p = o.if_contains("payload"); p != nullptr && !p->is_null()) {
    if (!p->is_object()) {
      return core::invalid_argument(prefix + ".payload must be an object", prefix + ".payload");
    }
    t.payload = json::serialize(*p);
  }
  auto req = get_requires(o, prefix);
  if (!req) return req.status();
  t.upstream = std::move(*req);
  auto retries = get_int(o, "retries", prefix, 0, 0, 100);
  if (!retries) return retries.status();
  t.retries = static_cast<int>(*retries);
  auto backoff = get_duration(o, "backoff", prefix, t.backoff);
  if (!backoff) return backoff.status();
  t.backoff = *backoff;
  auto timeout = get_duration(o, "timeout", prefix, t.timeout);
  if (!timeout) return timeout.status();
  t.timeout = *timeout;
  auto rule = get_string(o, "trigger_rule", prefix, "all_success");
  if (!rule) return rule.status();
  if (*rule == "all_success")
    t.trigger_rule = TriggerRule::kAllSuccess;
  else if (*rule == "all_done")
    t.trigger_rule = TriggerRule::kAllDone;
  else if (*rule == "one_failed")
    t.trigger_rule = TriggerRule::kOneFailed;
  else {
    return core::invalid_argument(prefix +
                                      ".trigger_rule must be all_success, all_done or "
                                      "one_failed (got '" +
                                      *rule + "')",
                                  prefix + ".trigger_rule");
  }
  auto prio = get_priority(o, "priority", prefix, 3);
  if (!prio) return prio.status();
  t.priority = *prio;
  return t;
}

core::Result<DagSpec> parse_dag_value(const json::value& v) {
  if (!v.is_object()) return core::invalid_argument("a DAG spec must be an object with \"tasks\"");
  const auto& o = v.as_object();
  DagSpec spec;
  auto name = get_string(o, "name", "", "dag");
  if (!name) return name.status();
  spec.name = *name;
  auto par = get_int(o, "max_parallelism", "", 0, 0, 10'000);
  if (!par) return par.status();
  spec.max_parallelism = static_cast<int>(*par);
  const auto* tasks = o.if_contains("tasks");
  if (tasks == nullptr || !tasks->is_array()) {
    return core::invalid_argument("tasks must be a list of task objects", "tasks");
  }
  for (std::size_t i = 0; i < tasks->get_array().size(); ++i) {
    auto t = parse_task(tasks->get_array()[i], "tasks[" + std::to_string(i) + "]");
    if (!t) return t.status();
    spec.tasks.push_back(std::move(*t));
  }
  return spec;
}

}  // namespace

core::Result<DagSpec> parse_dag_json(std::string_view text) {
  auto v = json_fields::parse_json(text, "the DAG spec");
  if (!v) return v.status();
  return parse_dag_value(*v);
}

core::Result<DagSpec> parse_dag_yaml(std::string_view text) {
  auto v = json_fields::yaml_to_json(text, "the DAG spec");
  if (!v) return v.status();
  return parse_dag_value(*v);
}

core::Result<DagSpec> parse_dag(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && text[first] == '{') return parse_dag_json(text);
  return parse_dag_yaml(text);
}

std::string dag_to_json(const DagSpec& spec) {
  json::object o;
  o["name"] = spec.name;
  o["max_parallelism"] = spec.max_parallelism;
  json::array tasks;
  for (const auto& t : spec.tasks) {
    json::object j;
    j["id"] = t.id;
    j["kind"] = t.kind;
    j["model"] = t.model;
    j["modality"] = t.modality;
    j["payload"] = json::parse(t.payload);
    json::array req;
    for (const auto& r : t.upstream) req.emplace_back(r);
    j["requires"] = std::move(req);
    j["retries"] = t.retries;
    j["backoff_ms"] = std::chrono::duration_cast<std::chrono::milliseconds>(t.backoff).count();
    j["timeout_ms"] = std::chrono::duration_cast<std::chrono::milliseconds>(t.timeout).count();
    j["trigger_rule"] = trigger_rule_name(t.trigger_rule);
    j["priority"] = t.priority;
    tasks.push_back(std::move(j));
  }
  o["tasks"] = std::move(tasks);
  return json::serialize(o);
}

}  // namespace autoglm::workflow

#include "workflow/trigger_spec.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <functional>

#include "workflow/json_fields.hpp"
#include "workflow/task_request.hpp"

namespace autoglm::workflow {

namespace json = boost::json;
using json_fields::get_string;

namespace {

core::Result<json::object> object_of(std::string_view text, std::string_view what) {
  auto v = json_fields::parse_json(text, what);
  if (!v) return v.status();
  if (!v->is_object()) return core::invalid_argument(std::string(what) + " must be a JSON object");
  return std::move(v->as_object());
}

core::Result<TriggerTarget> target_of(const json::object& o) {
  const auto* task = o.if_contains("task");
  const auto* dag = o.if_contains("dag");
  if ((task == nullptr) == (dag == nullptr)) {
    return core::invalid_argument("a trigger needs exactly one of \"task\" or \"dag\"", "task");
  }
  const auto* v = task != nullptr ? task : dag;
  if (!v->is_object()) {
    return core::invalid_argument(std::string(task ? "task" : "dag") + " must be an object",
                                  task ? "task" : "dag");
  }
  return TriggerTarget{task ? TriggerTarget::Kind::kTask : TriggerTarget::Kind::kDag,
                       json::serialize(*v)};
}

core::Result<bool> enabled_of(const json::object& o) {
  const auto* v = o.if_contains("enabled");
  if (v == nullptr) return true;
  if (!v->is_bool()) return core::invalid_argument("enabled must be true or false", "enabled");
  return v->get_bool();
}

core::Result<std::string> id_of(const json::object& o) {
  auto id = get_string(o, "id", "");
  if (!id) return id.status();
  if (id->empty() || id->size() > 128) {
    return core::invalid_argument("id is required: a name of 1-128 characters", "id");
  }
  return *id;
}

std::string as_text(const json::value& v) {
  return v.is_string() ? std::string(v.get_string()) : json::serialize(v);
}

void replace_all(std::string& s, std::string_view from, std::string_view to) {
  for (std::size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size()) {
    s.replace(pos, from.size(), to);
  }
}

std::string render_event(const TriggerTarget& target, const Event& e) {
  json::value doc = json::parse(target.body);
  boost::system::error_code ec;
  const json::value payload = json::parse(e.payload, ec);
  json_fields::walk_strings(doc, [&](json::string& js) {
    std::string s(js.data(), js.size());
    if (s.find("{{") == std::string::npos) return;
    if (!ec && payload.is_object()) {
      for (const auto& kv : payload.as_object()) {
        replace_all(s, "{{event.payload." + std::string(kv.key()) + "}}", as_text(kv.value()));
      }
    }
    replace_all(s, "{{event.payload}}", ec ? e.payload : as_text(payload));
    replace_all(s, "{{event.name}}", e.name);
    js = s;
  });
  if (target.kind == TriggerTarget::Kind::kTask) {
    auto& o = doc.as_object();
    if (!o.contains("modality")) o["modality"] = e.modality;
    if (!o.contains("priority")) o["priority"] = default_priority_for_modality(e.modality);
  }
  return json::serialize(doc);
}

// The fields every trigger has besides its own: `tenant`, `enabled` and the `target` it
// starts.
template <typename Spec>
core::Status read_enabled_and_target(const json::object& o, Spec& spec) {
  auto tenant = get_string(o, "tenant", "");
  if (!tenant) return tenant.status();
  spec.tenant = std::move(*tenant);
  auto enabled = enabled_of(o);
  if (!enabled) return enabled.status();
  spec.enabled = *enabled;
  auto target = target_of(o);
  if (!target) return target.status();
  spec.target = std::move(*target);
  return core::Status::ok();
}

}  // namespace

core::Result<CronTriggerSpec> parse_cron_trigger(std::string_view text,
                                                 std::string_view zoneinfo_dir) {
  auto o = object_of(text, "the cron trigger");
  if (!o) return o.status();
  CronTriggerSpec spec;
  auto id = id_of(*o);
  if (!id) return id.status();
  spec.id = *id;
  auto schedule = get_string(*o, "schedule", "");
  if (!schedule) return schedule.status();
  auto expr = CronExpr::parse(*schedule);
  if (!expr) return expr.status();
  spec.schedule = std::move(*expr);
  auto tz_name = get_string(*o, "timezone", "", "UTC");
  if (!tz_name) return tz_name.status();
  auto tz = TimeZone::load(*tz_name, zoneinfo_dir);
  if (!tz) return tz.status();
  spec.tz = std::move(*tz);
  auto missed = get_string(*o, "missed", "", "skip");
  auto overlap = get_string(*o, "overlap", "", "skip");
  if (!missed) return missed.status();
  if (!overlap) return overlap.status();
  auto mp = missed_policy_from_name(*missed);
  if (!mp) return core::invalid_argument("missed must be skip, run_once or run_all", "missed");
  auto op = overlap_policy_from_name(*overlap);
  if (!op) return core::invalid_argument("overlap must be skip, queue or allow", "overlap");
  spec.missed = *mp;
  spec.overlap = *op;
  if (auto st = read_enabled_and_target(*o, spec); !st.is_ok()) return st;
  return spec;
}

core::Result<EventTriggerSpec> parse_event_trigger(std::string_view text) {
  auto o = object_of(text, "the event trigger");
  if (!o) return o.status();
  EventTriggerSpec spec;
  auto id = id_of(*o);
  if (!id) return id.status();
  spec.id = *id;
  auto ev = get_string(*o, "event", "");
  if (!ev) return ev.status();
  if (ev->empty())
    return core::invalid_argument("event is required: the event name to match", "event");
  spec.event = *ev;
  if (const auto* m = o->if_contains("modalities"); m != nullptr && !m->is_null()) {
    if (!m->is_array()) return core::invalid_argument("modalities must be a list", "modalities");
    for (const auto& x : m->get_array()) {
      if (!x.is_string() ||
          (x.get_string() != "text" && x.get_string() != "vision" && x.get_string() != "speech")) {
        return core::invalid_argument("modalities may hold text, vision and speech", "modalities");
      }
      spec.modalities.emplace_back(x.get_string());
    }
  }
  if (auto st = read_enabled_and_target(*o, spec); !st.is_ok()) return st;
  return spec;
}

core::Result<Event> parse_event(std::string_view text) {
  auto o = object_of(text, "the event");
  if (!o) return o.status();
  Event e;
  auto name = get_string(*o, "name", "");
  if (!name) return name.status();
  if (name->empty()) return core::invalid_argument("name is required: the event's name", "name");
  e.name = *name;
  auto modality = get_string(*o, "modality", "", "text");
  if (!modality) return modality.status();
  if (*modality != "text" && *modality != "vision" && *modality != "speech") {
    return core::invalid_argument("modality must be text, vision or speech", "modality");
  }
  e.modality = *modality;
  if (const auto* p = o->if_contains("payload")) e.payload = json::serialize(*p);
  if (const auto* ts = o->if_contains("timestamp")) e.timestamp = as_text(*ts);
  return e;
}

std::vector<EventSubmission> match_event(const Event& event,
                                         const std::vector<EventTriggerSpec>& triggers) {
  std::vector<EventSubmission> out;
  for (const auto& t : triggers) {
    if (!t.enabled || t.event != event.name) continue;
    if (!t.modalities.empty() &&
        std::find(t.modalities.begin(), t.modalities.end(), event.modality) == t.modalities.end()) {
      continue;
    }
    out.push_back({t.id, {t.target.kind, render_event(t.target, event)}});
  }
  return out;
}

}  // namespace autoglm::workflow

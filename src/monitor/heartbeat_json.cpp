#include "monitor/heartbeat_json.hpp"

#include <boost/json.hpp>

namespace autoglm::monitor {

namespace json = boost::json;

namespace {

void put(json::object& o, std::string_view key, const std::optional<double>& v) {
  if (v) o[key] = *v;
}

void put_nonnegative(json::object& o, std::string_view key, double v) {
  if (v >= 0) o[key] = v;
}

std::optional<double> number(const json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  if (!v || v->is_null()) return std::nullopt;
  if (v->is_double()) return v->get_double();
  if (v->is_int64()) return static_cast<double>(v->get_int64());
  if (v->is_uint64()) return static_cast<double>(v->get_uint64());
  return std::nullopt;
}

double number_or(const json::object& o, std::string_view key, double fallback) {
  return number(o, key).value_or(fallback);
}

std::string string_or(const json::object& o, std::string_view key, std::string fallback = {}) {
  auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : fallback;
}

std::vector<std::string> strings(const json::object& o, std::string_view key) {
  std::vector<std::string> out;
  auto* v = o.if_contains(key);
  if (!v || !v->is_array()) return out;
  for (const auto& e : v->get_array()) {
    if (e.is_string()) out.emplace_back(e.get_string());
  }
  return out;
}

json::array string_array(const std::vector<std::string>& values) {
  json::array a;
  for (const auto& s : values) a.emplace_back(s);
  return a;
}

json::object backend_json(const BackendMetrics& b) {
  json::object o;
  o["flavour"] = flavour_name(b.flavour);
  if (b.running >= 0) o["running"] = b.running;
  if (b.waiting >= 0) o["waiting"] = b.waiting;
  put_nonnegative(o, "kv_cache_usage", b.kv_cache_usage);
  put_nonnegative(o, "prefix_cache_hit_rate", b.prefix_cache_hit_rate);
  put_nonnegative(o, "prompt_tokens_total", b.prompt_tokens_total);
  put_nonnegative(o, "generation_tokens_total", b.generation_tokens_total);
  put_nonnegative(o, "preemptions_total", b.preemptions_total);
  put_nonnegative(o, "generation_tokens_per_s", b.generation_tokens_per_s);
  put_nonnegative(o, "gpu_mem_used_bytes", b.gpu_mem_used_bytes);
  put_nonnegative(o, "gpu_mem_total_bytes", b.gpu_mem_total_bytes);
  return o;
}

BackendMetrics backend_from(const json::object& o) {
  BackendMetrics b;
  b.flavour = flavour_from_name(string_or(o, "flavour"));
  b.running = static_cast<int>(number_or(o, "running", -1));
  b.waiting = static_cast<int>(number_or(o, "waiting", -1));
  b.kv_cache_usage = number_or(o, "kv_cache_usage", -1);
  b.prefix_cache_hit_rate = number_or(o, "prefix_cache_hit_rate", -1);
  b.prompt_tokens_total = number_or(o, "prompt_tokens_total", -1);
  b.generation_tokens_total = number_or(o, "generation_tokens_total", -1);
  b.preemptions_total = number_or(o, "preemptions_total", -1);
  b.generation_tokens_per_s = number_or(o, "generation_tokens_per_s", -1);
  b.gpu_mem_used_bytes = number_or(o, "gpu_mem_used_bytes", -1);
  b.gpu_mem_total_bytes = number_or(o, "gpu_mem_total_bytes", -1);
  return b;
}

GpuSample gpu_from(const json::object& o) {
  GpuSample g;
  g.index = static_cast<unsigned>(number_or(o, "index", 0));
  g.name = string_or(o, "name");
  g.uuid = string_or(o, "uuid");
  g.util = number(o, "util");
  g.mem_used_bytes = number(o, "mem_used_bytes");
  g.mem_total_bytes = number(o, "mem_total_bytes");
  g.temperature_c = number(o, "temperature_c");
  g.power_watts = number(o, "power_watts");
  return g;
}

json::object host_json(const HostSample& h) {
  json::object o;
  put(o, "cpu_util", h.cpu_util);
  put(o, "mem_total_bytes", h.mem_total_bytes);
  put(o, "mem_available_bytes", h.mem_available_bytes);
  put(o, "net_rx_bytes_per_s", h.net_rx_bytes_per_s);
  put(o, "net_tx_bytes_per_s", h.net_tx_bytes_per_s);
  put(o, "net_util", h.net_util);
  return o;
}

HostSample host_from(const json::object& o) {
  HostSample h;
  h.cpu_util = number(o, "cpu_util");
  h.mem_total_bytes = number(o, "mem_total_bytes");
  h.mem_available_bytes = number(o, "mem_available_bytes");
  h.net_rx_bytes_per_s = number(o, "net_rx_bytes_per_s");
  h.net_tx_bytes_per_s = number(o, "net_tx_bytes_per_s");
  h.net_util = number(o, "net_util");
  return h;
}

core::Result<json::object> parse_object(std::string_view text, std::string_view what) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec) return core::invalid_argument(std::string(what) + " is not valid JSON: " + ec.message());
  if (!v.is_object()) return core::invalid_argument(std::string(what) + " must be a JSON object");
  return std::move(v.get_object());
}

const json::object* object_at(const json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  return v && v->is_object() ? &v->get_object() : nullptr;
}

}  // namespace

json::object gpu_json(const GpuSample& g) {
  json::object o;
  o["index"] = g.index;
  if (!g.name.empty()) o["name"] = g.name;
  if (!g.uuid.empty()) o["uuid"] = g.uuid;
  put(o, "util", g.util);
  put(o, "mem_used_bytes", g.mem_used_bytes);
  put(o, "mem_total_bytes", g.mem_total_bytes);
  put(o, "temperature_c", g.temperature_c);
  put(o, "power_watts", g.power_watts);
  return o;
}

std::string to_json(const Heartbeat& h) {
  json::object o;
  o["node_id"] = h.node_id;
  o["seq"] = h.seq;
  o["interval_ms"] = h.interval_ms;
  o["host"] = host_json(h.host);
  o["gpu_status"] = h.gpu_status;
  json::array gpus;
  for (const auto& g : h.gpus) gpus.emplace_back(gpu_json(g));
  o["gpus"] = std::move(gpus);
  if (h.backend) o["backend"] = backend_json(*h.backend);
  if (!h.backend_error.empty()) o["backend_error"] = h.backend_error;
  if (!h.models.empty()) o["models"] = string_array(h.models);
  return json::serialize(o);
}

core::Result<Heartbeat> heartbeat_from_json(std::string_view text) {
  auto parsed = parse_object(text, "heartbeat body");
  if (!parsed) return parsed.status();
  const json::object& o = *parsed;
  Heartbeat h;
  h.node_id = string_or(o, "node_id");
  h.seq = static_cast<std::uint64_t>(number_or(o, "seq", 0));
  h.interval_ms = static_cast<std::int64_t>(number_or(o, "interval_ms", 0));
  if (h.interval_ms < 0) return core::invalid_argument("'interval_ms' must be >= 0", "interval_ms");
  if (auto* host = object_at(o, "host")) h.host = host_from(*host);
  h.gpu_status = string_or(o, "gpu_status", "ok");
  if (auto* gpus = o.if_contains("gpus"); gpus && gpus->is_array()) {
    for (const auto& g : gpus->get_array()) {
      if (g.is_object()) h.gpus.push_back(gpu_from(g.get_object()));
    }
  }
  if (auto* backend = object_at(o, "backend")) h.backend = backend_from(*backend);
  h.backend_error = string_or(o, "backend_error");
  h.models = strings(o, "models");
  return h;
}

std::string to_json(const NodeRegistration& r) {
  json::object o;
  o["id"] = r.node.id;
  o["url"] = r.node.url;
  o["models"] = string_array(r.node.models);
  json::object labels;
  for (const auto& [k, v] : r.node.labels) labels[k] = v;
  o["labels"] = std::move(labels);
  o["capacity"] = r.node.capacity;
  if (r.heartbeat_interval_ms > 0) o["heartbeat_interval_ms"] = r.heartbeat_interval_ms;
  if (!r.agent_version.empty()) o["agent_version"] = r.agent_version;
  return json::serialize(o);
}

core::Result<NodeRegistration> registration_from_json(std::string_view text) {
  auto parsed = parse_object(text, "registration body");
  if (!parsed) return parsed.status();
  const json::object& o = *parsed;
  NodeRegistration r;
  r.node.id = string_or(o, "id");
  r.node.url = string_or(o, "url");
  if (r.node.id.empty())
    return core::invalid_argument("'id' is required: the node's unique name", "id");
  if (r.node.url.empty()) {
    return core::invalid_argument("'url' is required, e.g. \"http://10.0.0.5:8000\"", "url");
  }
  r.node.models = strings(o, "models");
  if (auto* labels = object_at(o, "labels")) {
    for (const auto& [k, v] : *labels) {
      if (!v.is_string()) return core::invalid_argument("label values must be strings", "labels");
      r.node.labels[std::string(k)] = std::string(v.get_string());
    }
  }
  double capacity = number_or(o, "capacity", 0);
  if (capacity < 0) return core::invalid_argument("'capacity' must be >= 0", "capacity");
  r.node.capacity = static_cast<int>(capacity);
  r.heartbeat_interval_ms = static_cast<std::int64_t>(number_or(o, "heartbeat_interval_ms", 0));
  r.agent_version = string_or(o, "agent_version");
  return r;
}

core::NodeMetrics to_node_metrics(const Heartbeat& h, core::Time received_at) {
  core::NodeMetrics m;
  double util_sum = 0, mem_used = 0, mem_total = 0, power = 0;
  int util_n = 0, mem_used_n = 0, mem_total_n = 0, power_n = 0;
  for (const auto& g : h.gpus) {
    if (g.util) util_sum += *g.util, ++util_n;
    if (g.mem_used_bytes) mem_used += *g.mem_used_bytes, ++mem_used_n;
    if (g.mem_total_bytes) mem_total += *g.mem_total_bytes, ++mem_total_n;
    if (g.power_watts) power += *g.power_watts, ++power_n;
  }
  if (util_n > 0) m.gpu_util = util_sum / util_n;
  if (mem_used_n > 0) m.gpu_mem_used = mem_used;
  if (mem_total_n > 0) m.gpu_mem_total = mem_total;
  if (power_n > 0) m.power_watts = power;
  if (h.host.cpu_util) m.cpu_util = *h.host.cpu_util;
  if (h.host.mem_total_bytes && h.host.mem_available_bytes && *h.host.mem_total_bytes > 0) {
    m.mem_util = 1.0 - *h.host.mem_available_bytes / *h.host.mem_total_bytes;
  }
  if (h.host.net_util) m.net_util = *h.host.net_util;
  if (h.backend) apply_backend_metrics(*h.backend, received_at, m);
  m.updated_at = received_at;
  return m;
}

}  // namespace autoglm::monitor

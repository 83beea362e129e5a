#include "config/schema.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "config/cluster_keys.hpp"
#include "config/database_url.hpp"
#include "config/hardening_lists.hpp"
#include "config/lists.hpp"
#include "config/policy_config.hpp"

namespace autoglm::config {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;

constexpr std::uint64_t kKiB = 1024;
constexpr std::uint64_t kMiB = 1024 * kKiB;
constexpr std::uint64_t kGiB = 1024 * kMiB;
constexpr milliseconds kDay = hours(24);

constexpr std::array<std::string_view, 7> kLevels{"trace",   "debug", "info", "warn",
                                                  "warning", "error", "off"};
constexpr std::array<std::string_view, 2> kFormats{"text", "json"};
constexpr std::array<std::string_view, 10> kPolicies{
    "round_robin", "random",           "least_request", "p2c",       "seed_load",
    "resource",    "latency_weighted", "prefix_aware",  "slo_aware", "dynamic"};

void apply_context_path(const Field& field, Config& config) {
  std::string text;
  if (!field.read_string(text)) return;
  core::Result<std::string> normalized = normalize_context_path(text);
  if (!normalized) return field.error(normalized.status().message());
  config.server.context_path = *normalized;
}

void apply_database_url(const Field& field, Config& config) {
  std::string url;
  if (!field.read_nonempty_string(url)) return;
  core::Result<DatabaseTarget> target = parse_database_url(url);
  if (!target) return field.error(target.status().message());
  config.database.url = url;
  config.database.kind = target->kind;
  config.database.sqlite_path = target->sqlite_path;
  config.database.postgres_conninfo = target->postgres_conninfo;
}

// A path on the node such as /health: starts with '/', no spaces.
void read_probe_path(const Field& field, std::string& path) {
  std::string text;
  if (!field.read_nonempty_string(text)) return;
  if (text.front() != '/' || text.find_first_of(" \t\r\n?#") != std::string::npos) {
    return field.error("must be a path starting with '/', e.g. /health");
  }
  path = text;
}

void apply_log_level(const Field& field, Config& config) {
  if (!field.read_choice(config.logging.level, kLevels)) return;
  if (config.logging.level == "warning") config.logging.level = "warn";
}

std::vector<KeySpec> build_schema() {
  return {
      {"server.host", true,
       [](const Field& f, Config& c) { f.read_nonempty_string(c.server.host); }},
      {"server.port", true, [](const Field& f, Config& c) { f.read_int(c.server.port, 0, 65535); }},
      {"server.context-path", true, apply_context_path},
      {"server.threads", true,
       [](const Field& f, Config& c) { f.read_int(c.server.threads, 0, 1024); }},
      {"server.max-header-bytes", true,
       [](const Field& f, Config& c) { f.read_size(c.server.max_header_bytes, kKiB, kMiB); }},
      {"server.max-body-bytes", true,
       [](const Field& f, Config& c) { f.read_size(c.server.max_body_bytes, kKiB, kGiB); }},
      {"server.header-timeout", true,
       [](const Field& f, Config& c) {
         f.read_duration(c.server.header_timeout, milliseconds(1), kDay);
       }},
      {"server.idle-timeout", true,
       [](const Field& f, Config& c) {
         f.read_duration(c.server.idle_timeout, milliseconds(1), kDay);
       }},
      {"server.drain-timeout", true,
       [](const Field& f, Config& c) {
         f.read_duration(c.server.drain_timeout, milliseconds(0), kDay);
       }},
      {"server.drain-pause", true,
       [](const Field& f, Config& c) {
         f.read_duration(c.server.drain_pause, milliseconds(0), minutes(10));
       }},
      {"database.url", true, apply_database_url},
      {"database.username", true,
       [](const Field& f, Config& c) { f.read_string(c.database.username); }},
      {"database.password", true,
       [](const Field& f, Config& c) { f.read_string(c.database.password); }},
      {"workflow.enabled", true,
       [](const Field& f, Config& c) { f.read_bool(c.workflow.enabled); }},
      {"workflow.step-interval", true,
       [](const Field& f, Config& c) {
         f.read_duration(c.workflow.step_interval, milliseconds(1), minutes(1));
       }},
      {"workflow.lease", true,
       [](const Field& f, Config& c) {
         f.read_duration(c.workflow.lease, milliseconds(100), kDay);
       }},
      {"workflow.max-in-flight", true,
       [](const Field& f, Config& c) { f.read_int(c.workflow.max_in_flight, 1, 100000); }},
      {"workflow.workers", true,
       [](const Field& f, Config& c) { f.read_int(c.workflow.workers, 1, 256); }},
      {"workflow.vision-batch.per-image-bytes", true,
       [](const Field& f, Config& c) {
         f.read_size(c.workflow.vision_per_image_bytes, kKiB, 64 * kGiB);
       }},
      {"workflow.vision-batch.reserve-bytes", true,
       [](const Field& f, Config& c) {
         f.read_size(c.workflow.vision_reserve_bytes, 0, 1024 * kGiB);
       }},
      {"workflow.vision-batch.max-batch", true,
       [](const Field& f, Config& c) { f.read_int(c.workflow.vision_max_batch, 1, 1024); }},
      {"logging.level", true, apply_log_level},
      {"logging.format", true,
       [](const Field& f, Config& c) { f.read_choice(c.logging.format, kFormats); }},
      {"upstream.connect-timeout", true,
       [](const Field& f, Config& c) {
         f.read_duration(c.upstream.connect_timeout, milliseconds(1), kDay);
       }},
      {"upstream.response-timeout", true,
       [](const Field& f, Config& c) {
         f.read_duration(c.upstream.response_timeout, milliseconds(1), kDay);
       }},
      {"upstream.first-byte-timeout", true,
       [](const Field& f, Config& c) {
         f.read_duration(c.upstream.first_byte_timeout, milliseconds(1), kDay);
       }},
      {"upstream.idle-timeout", true,
       [](const Field& f, Config& c) {
         f.read_duration(c.upstream.idle_timeout, milliseconds(1), kDay);
       }},
      {"upstream.max-timeout-override", true,
       [](const Field& f, Config& c) {
         f.read_duration(c.upstream.max_timeout_override, milliseconds(100), kDay);
       }},
      {"upstream.routes", false,
       [](const Field& f, Config& c) { read_route_upstream(f, c.upstream.routes); }},
      {"upstream.retries", true,
       [](const Field& f, Config& c) { f.read_int(c.upstream.retries, 0, 10); }},
      {"upstream.retry-backoff", true,
       [](const Field& f, Config& c) {
         f.read_duration(c.upstream.retry_backoff, milliseconds(0), minutes(1));
       }},
      {"upstream.retry-backoff-max", true,
       [](const Field& f, Config& c) {
         f.read_duration(c.upstream.retry_backoff_max, milliseconds(0), minutes(1));
       }},
      {"upstream.retry-budget", true,
       [](const Field& f, Config& c) { f.read_positive_number(c.upstream.retry_budget, 1.0); }},
      {"upstream.retry-budget-min", true,
       [](const Field& f, Config& c) { f.read_int(c.upstream.retry_budget_min, 0, 100000); }},
      {"upstream.max-idle-per-node", true,
       [](const Field& f, Config& c) { f.read_int(c.upstream.max_idle_per_node, 0, 4096); }},
      {"upstream.failure-backoff", true,
       [](const Field& f, Config& c) {
         f.read_duration(c.upstream.failure_backoff, milliseconds(0), kDay);
       }},
      {"scheduler.policy", true,
       [](const Field& f, Config& c) { f.read_choice(c.scheduler.policy, kPolicies); }},
      {"scheduler.pipeline", false,
       [](const Field& f, Config& c) { read_pipeline(f, c.scheduler.pipeline); }},
      {"scheduler.models", false,
       [](const Field& f, Config& c) { read_model_policies(f, c.scheduler.models); }},
      {"scheduler.tick", true,
       [](const Field& f, Config& c) {
         f.read_duration(c.scheduler.tick, milliseconds(1), std::chrono::seconds(10));
       }},
      {"scheduler.feedback-interval", true,
       [](const Field& f, Config& c) {
         f.read_duration(c.scheduler.feedback_interval, milliseconds(100), kDay);
       }},
      {"scheduler.cpu-threshold", true,
       [](const Field& f, Config& c) { f.read_positive_number(c.scheduler.cpu_threshold, 1.0); }},
      {"scheduler.memory-threshold", true,
       [](const Field& f, Config& c) {
         f.read_positive_number(c.scheduler.memory_threshold, 1.0);
       }},
      {"monitor.heartbeat", true,
       [](const Field& f, Config& c) {
         f.read_duration(c.monitor.heartbeat, milliseconds(10), hours(1));
       }},
      {"monitor.missed-heartbeats", true,
       [](const Field& f, Config& c) { f.read_int(c.monitor.missed_heartbeats, 1, 100); }},
      {"monitor.scrape-interval", true,
       [](const Field& f, Config& c) {
         f.read_duration(c.monitor.scrape_interval, milliseconds(0), hours(1));
       }},
      {"monitor.scrape-timeout", true,
       [](const Field& f, Config& c) {
         f.read_duration(c.monitor.scrape_timeout, milliseconds(1), minutes(10));
       }},
      {"monitor.health-check.enabled", true,
       [](const Field& f, Config& c) { f.read_bool(c.monitor.health_check.enabled); }},
      {"monitor.health-check.path", true,
       [](const Field& f, Config& c) { read_probe_path(f, c.monitor.health_check.path); }},
      {"monitor.health-check.interval", true,
       [](const Field& f, Config& c) {
         f.read_duration(c.monitor.health_check.interval, milliseconds(10), hours(1));
       }},
      {"monitor.health-check.timeout", true,
       [](const Field& f, Config& c) {
         f.read_duration(c.monitor.health_check.timeout, milliseconds(1), minutes(10));
       }},
      {"monitor.health-check.healthy-threshold", true,
       [](const Field& f, Config& c) {
         f.read_int(c.monitor.health_check.healthy_threshold, 1, 100);
       }},
      {"monitor.health-check.unhealthy-threshold", true,
       [](const Field& f, Config& c) {
         f.read_int(c.monitor.health_check.unhealthy_threshold, 1, 100);
       }},
      {"monitor.outlier.enabled", true,
       [](const Field& f, Config& c) { f.read_bool(c.monitor.outlier.enabled); }},
      {"monitor.outlier.consecutive-5xx", true,
       [](const Field& f, Config& c) { f.read_int(c.monitor.outlier.consecutive_5xx, 0, 10000); }},
      {"monitor.outlier.consecutive-gateway-failure", true,
       [](const Field& f, Config& c) {
         f.read_int(c.monitor.outlier.consecutive_gateway_failure, 0, 10000);
       }},
      {"monitor.outlier.interval", true,
       [](const Field& f, Config& c) {
         f.read_duration(c.monitor.outlier.interval, milliseconds(10), hours(1));
       }},
      {"monitor.outlier.base-ejection-time", true,
       [](const Field& f, Config& c) {
         f.read_duration(c.monitor.outlier.base_ejection_time, milliseconds(1), kDay);
       }},
      {"monitor.outlier.max-ejection-time", true,
       [](const Field& f, Config& c) {
         f.read_duration(c.monitor.outlier.max_ejection_time, milliseconds(1), kDay);
       }},
      {"monitor.outlier.max-ejection-percent", true,
       [](const Field& f, Config& c) {
         f.read_int(c.monitor.outlier.max_ejection_percent, 0, 100);
       }},
      {"monitor.breaker.enabled", true,
       [](const Field& f, Config& c) { f.read_bool(c.monitor.breaker.enabled); }},
      {"monitor.breaker.failure-threshold", true,
       [](const Field& f, Config& c) {
         f.read_int(c.monitor.breaker.failure_threshold, 1, 10000);
       }},
      {"monitor.breaker.open-time", true,
       [](const Field& f, Config& c) {
         f.read_duration(c.monitor.breaker.open_time, milliseconds(1), kDay);
       }},
      {"monitor.breaker.half-open-trials", true,
       [](const Field& f, Config& c) { f.read_int(c.monitor.breaker.half_open_trials, 1, 1000); }},
      {"monitor.breaker.max-pending", true,
       [](const Field& f, Config& c) { f.read_int(c.monitor.breaker.max_pending, 0, 1000000); }},
      {"monitor.slow-start.window", true,
       [](const Field& f, Config& c) {
         f.read_duration(c.monitor.slow_start.window, milliseconds(0), kDay);
       }},
      {"monitor.slow-start.aggression", true,
       [](const Field& f, Config& c) {
         f.read_positive_number(c.monitor.slow_start.aggression, 100.0);
       }},
      {"monitor.slow-start.min-weight", true,
       [](const Field& f, Config& c) {
         f.read_positive_number(c.monitor.slow_start.min_weight, 1.0);
       }},
      {"ui.enabled", true, [](const Field& f, Config& c) { f.read_bool(c.ui.enabled); }},
      {"ui.dir", true, [](const Field& f, Config& c) { f.read_nonempty_string(c.ui.dir); }},
      {"nodes", false, [](const Field& f, Config& c) { read_nodes(f, c.nodes); }},
      {"cluster.simulated.enabled", true,
       [](const Field& f, Config& c) { f.read_bool(c.simulated.enabled); }},
      {"cluster.simulated.model", true,
       [](const Field& f, Config& c) { f.read_nonempty_string(c.simulated.model); }},
      {"cluster.simulated.seed", true,
       [](const Field& f, Config& c) { f.read_uint64(c.simulated.seed); }},
      {"cluster.simulated.speedup", true,
       [](const Field& f, Config& c) { f.read_positive_number(c.simulated.speedup, 1e6); }},
      {"cluster.simulated.nodes", false,
       [](const Field& f, Config& c) { read_groups(f, c.simulated.groups); }},
      {"cluster.etcd.endpoints", true,
       [](const Field& f, Config& c) { read_etcd_endpoints(f, c.cluster.etcd.endpoints); }},
      {"cluster.etcd.prefix", true,
       [](const Field& f, Config& c) { read_etcd_prefix(f, c.cluster.etcd.prefix); }},
      {"cluster.etcd.request-timeout", true,
       [](const Field& f, Config& c) {
         f.read_duration(c.cluster.etcd.request_timeout, milliseconds(10), minutes(1));
       }},
      {"cluster.etcd.poll-interval", true,
       [](const Field& f, Config& c) {
         f.read_duration(c.cluster.etcd.poll_interval, milliseconds(10), minutes(1));
       }},
      {"cluster.replica-id", true,
       [](const Field& f, Config& c) { read_replica_id(f, c.cluster.replica_id); }},
      {"cluster.advertise-url", true,
       [](const Field& f, Config& c) { read_advertise_url(f, c.cluster.advertise_url); }},
      {"cluster.lease-ttl", true,
       [](const Field& f, Config& c) { read_lease_ttl(f, c.cluster.lease_ttl); }},
      {"auth.enabled", true, [](const Field& f, Config& c) { f.read_bool(c.auth.enabled); }},
      {"auth.keys", false, [](const Field& f, Config& c) { read_api_keys(f, c.auth.keys); }},
      {"auth.key-refresh", true,
       [](const Field& f, Config& c) {
         f.read_duration(c.auth.key_refresh, milliseconds(100), minutes(10));
       }},
      {"auth.key-miss-refresh", true,
       [](const Field& f, Config& c) {
         f.read_duration(c.auth.key_miss_refresh, milliseconds(0), minutes(10));
       }},
      {"tenants", false, [](const Field& f, Config& c) { read_tenants(f, c.tenants); }},
      {"limits.global.requests-per-second", true,
       [](const Field& f, Config& c) { read_rate(f, c.limits.global_requests_per_second); }},
      {"limits.global.burst", true,
       [](const Field& f, Config& c) { read_rate(f, c.limits.global_burst); }},
      {"limits.tenant-default.requests-per-second", true,
       [](const Field& f, Config& c) {
         read_rate(f, c.limits.tenant_default.requests_per_second);
       }},
      {"limits.tenant-default.burst", true,
       [](const Field& f, Config& c) { read_rate(f, c.limits.tenant_default.burst); }},
      {"limits.tenant-default.tokens-per-minute", true,
       [](const Field& f, Config& c) {
         read_tokens_per_minute(f, c.limits.tenant_default.tokens_per_minute);
       }},
      {"limits.tenant-default.max-concurrent", true,
       [](const Field& f, Config& c) {
         read_max_concurrent(f, c.limits.tenant_default.max_concurrent);
       }},
      {"cache.enabled", true, [](const Field& f, Config& c) { f.read_bool(c.cache.enabled); }},
      {"cache.ttl", true,
       [](const Field& f, Config& c) { f.read_duration(c.cache.ttl, milliseconds(1), kDay); }},
      {"cache.max-bytes", true,
       [](const Field& f, Config& c) { f.read_size(c.cache.max_bytes, kKiB, 64 * kGiB); }},
      {"cache.max-entry-bytes", true,
       [](const Field& f, Config& c) { f.read_size(c.cache.max_entry_bytes, 1, kGiB); }},
      {"routes", false, [](const Field& f, Config& c) { read_routes(f, c.routes); }},
  };
}

bool is_path_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_' ||
         c == '~' || c == '/';
}

}  // namespace

const std::vector<KeySpec>& key_schema() {
  static const std::vector<KeySpec> schema = build_schema();
  return schema;
}

const KeySpec* find_key(std::string_view path) {
  for (const KeySpec& spec : key_schema()) {
    if (spec.path == path) return &spec;
  }
  return nullptr;
}

std::vector<std::string> child_names(std::string_view section) {
  std::vector<std::string> names;
  for (const KeySpec& spec : key_schema()) {
    std::string_view rest = spec.path;
    if (!section.empty()) {
      if (rest.substr(0, section.size()) != section || rest.size() <= section.size() ||
          rest[section.size()] != '.') {
        continue;
      }
      rest.remove_prefix(section.size() + 1);
    }
    std::string name(rest.substr(0, rest.find('.')));
    if (names.empty() || names.back() != name) names.push_back(std::move(name));
  }
  return names;
}

std::vector<std::string> all_paths() {
  std::vector<std::string> paths;
  for (const KeySpec& spec : key_schema()) {
    std::string_view path = spec.path;
    for (std::size_t dot = path.find('.'); dot != std::string_view::npos;
         dot = path.find('.', dot + 1)) {
      std::string section(path.substr(0, dot));
      if (std::find(paths.begin(), paths.end(), section) == paths.end()) paths.push_back(section);
    }
    paths.emplace_back(path);
  }
  return paths;
}

std::string env_variable_for(std::string_view path) {
  std::string name = "AUTOGLM_";
  for (char c : path) {
    name += (c == '.' || c == '-') ? '_'
                                   : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return name;
}

core::Result<std::string> normalize_context_path(std::string_view text) {
  if (text.empty()) return std::string();
  if (text.front() != '/') {
    return core::invalid_argument("must start with '/', got '" + std::string(text) + "'");
  }
  for (char c : text) {
    if (!is_path_char(c)) {
      return core::invalid_argument("may hold only letters, digits and - . _ ~ /, got '" +
                                    std::string(text) + "'");
    }
  }
  std::string path(text);
  while (!path.empty() && path.back() == '/') path.pop_back();
  if (path.find("//") != std::string::npos) {
    return core::invalid_argument("must not contain an empty segment '//', got '" +
                                  std::string(text) + "'");
  }
  return path;
}

std::vector<std::string_view> scheduler_policies() { return {kPolicies.begin(), kPolicies.end()}; }

}  // namespace autoglm::config

// to_yaml: the effective configuration as YAML that load_from_string reads back.
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "config/database_url.hpp"
#include "config/hardening_yaml.hpp"
#include "config/loader.hpp"
#include "config/scalars.hpp"
#include "config/substitution.hpp"

namespace autoglm::config {
namespace {

constexpr const char* kMask = "******";

// Strings are always double-quoted (so "8080" or "null" stay strings) and "${" is
// escaped so reading the output back does not substitute.
void emit_string(YAML::Emitter& out, const std::string& text) {
  out << YAML::DoubleQuoted << escape_substitution(text);
}

void emit_server(YAML::Emitter& out, const ServerConfig& server) {
  out << YAML::Key << "server" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "host" << YAML::Value;
  emit_string(out, server.host);
  out << YAML::Key << "port" << YAML::Value << server.port;
  out << YAML::Key << "context-path" << YAML::Value;
  emit_string(out, server.context_path);
  out << YAML::Key << "threads" << YAML::Value << server.threads;
  out << YAML::Key << "max-header-bytes" << YAML::Value << format_size(server.max_header_bytes);
  out << YAML::Key << "max-body-bytes" << YAML::Value << format_size(server.max_body_bytes);
  out << YAML::Key << "header-timeout" << YAML::Value << format_duration(server.header_timeout);
  out << YAML::Key << "idle-timeout" << YAML::Value << format_duration(server.idle_timeout);
  out << YAML::Key << "drain-timeout" << YAML::Value << format_duration(server.drain_timeout);
  out << YAML::Key << "drain-pause" << YAML::Value << format_duration(server.drain_pause);
  out << YAML::EndMap;
}

void emit_database(YAML::Emitter& out, const DatabaseConfig& database) {
  out << YAML::Key << "database" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "url" << YAML::Value;
  emit_string(out, mask_database_url(database.url));
  out << YAML::Key << "username" << YAML::Value;
  emit_string(out, database.username);
  out << YAML::Key << "password" << YAML::Value;
  emit_string(out, database.password.empty() ? "" : kMask);
  out << YAML::EndMap;
}

void emit_workflow(YAML::Emitter& out, const WorkflowConfig& workflow) {
  out << YAML::Key << "workflow" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "enabled" << YAML::Value << workflow.enabled;
  out << YAML::Key << "step-interval" << YAML::Value << format_duration(workflow.step_interval);
  out << YAML::Key << "lease" << YAML::Value << format_duration(workflow.lease);
  out << YAML::Key << "max-in-flight" << YAML::Value << workflow.max_in_flight;
  out << YAML::Key << "workers" << YAML::Value << workflow.workers;
  out << YAML::Key << "vision-batch" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "per-image-bytes" << YAML::Value
      << format_size(workflow.vision_per_image_bytes);
  out << YAML::Key << "reserve-bytes" << YAML::Value << format_size(workflow.vision_reserve_bytes);
  out << YAML::Key << "max-batch" << YAML::Value << workflow.vision_max_batch;
  out << YAML::EndMap;
  out << YAML::EndMap;
}

void emit_ui(YAML::Emitter& out, const UiConfig& ui) {
  out << YAML::Key << "ui" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "enabled" << YAML::Value << ui.enabled;
  out << YAML::Key << "dir" << YAML::Value;
  emit_string(out, ui.dir);
  out << YAML::EndMap;
}

void emit_pipeline(YAML::Emitter& out, const PipelineConfig& pipeline) {
  out << YAML::BeginMap;
  out << YAML::Key << "filters" << YAML::Value << YAML::Flow << pipeline.filters;
  out << YAML::Key << "scorers" << YAML::Value << YAML::Flow << YAML::BeginMap;
  for (const auto& [name, weight] : pipeline.scorers)
    out << YAML::Key << name << YAML::Value << weight;
  out << YAML::EndMap;
  out << YAML::Key << "picker" << YAML::Value << pipeline.picker;
  out << YAML::EndMap;
}

void emit_policies(YAML::Emitter& out, const SchedulerConfig& scheduler) {
  out << YAML::Key << "policy" << YAML::Value << scheduler.policy;
  if (scheduler.pipeline) {
    out << YAML::Key << "pipeline" << YAML::Value;
    emit_pipeline(out, *scheduler.pipeline);
  }
  if (scheduler.models.empty()) return;
  out << YAML::Key << "models" << YAML::Value << YAML::BeginMap;
  for (const auto& [model, choice] : scheduler.models) {
    out << YAML::Key << model << YAML::Value;
    if (choice.pipeline) {
      emit_pipeline(out, *choice.pipeline);
    } else {
      out << choice.preset;
    }
  }
  out << YAML::EndMap;
}

void emit_logging_upstream_scheduler(YAML::Emitter& out, const Config& config) {
  out << YAML::Key << "logging" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "level" << YAML::Value << config.logging.level;
  out << YAML::Key << "format" << YAML::Value << config.logging.format;
  out << YAML::EndMap;

  const UpstreamConfig& upstream = config.upstream;
  out << YAML::Key << "upstream" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "connect-timeout" << YAML::Value << format_duration(upstream.connect_timeout);
  out << YAML::Key << "response-timeout" << YAML::Value
      << format_duration(upstream.response_timeout);
  out << YAML::Key << "first-byte-timeout" << YAML::Value
      << format_duration(upstream.first_byte_timeout);
  out << YAML::Key << "idle-timeout" << YAML::Value << format_duration(upstream.idle_timeout);
  out << YAML::Key << "max-timeout-override" << YAML::Value
      << format_duration(upstream.max_timeout_override);
  if (!upstream.routes.empty()) {
    out << YAML::Key << "routes" << YAML::Value << YAML::BeginMap;
    for (const auto& [route, t] : upstream.routes) {
      out << YAML::Key << route << YAML::Value << YAML::BeginMap;
      const std::pair<const char*, const std::optional<Millis>*> fields[] = {
          {"connect-timeout", &t.connect_timeout},
          {"first-byte-timeout", &t.first_byte_timeout},
          {"response-timeout", &t.response_timeout},
          {"idle-timeout", &t.idle_timeout}};
      for (const auto& [key, value] : fields) {
        if (*value) out << YAML::Key << key << YAML::Value << format_duration(**value);
      }
      if (t.resume_on_failure) out << YAML::Key << "resume-on-failure" << YAML::Value << true;
      if (t.max_resumes != RouteUpstream{}.max_resumes) {
        out << YAML::Key << "max-resumes" << YAML::Value << t.max_resumes;
      }
      out << YAML::EndMap;
    }
    out << YAML::EndMap;
  }
  out << YAML::Key << "max-idle-per-node" << YAML::Value << upstream.max_idle_per_node;
  out << YAML::Key << "failure-backoff" << YAML::Value << format_duration(upstream.failure_backoff);
  out << YAML::Key << "retries" << YAML::Value << upstream.retries;
  out << YAML::Key << "retry-backoff" << YAML::Value << format_duration(upstream.retry_backoff);
  out << YAML::Key << "retry-backoff-max" << YAML::Value
      << format_duration(upstream.retry_backoff_max);
  out << YAML::Key << "retry-budget" << YAML::Value << upstream.retry_budget;
  out << YAML::Key << "retry-budget-min" << YAML::Value << upstream.retry_budget_min;
  out << YAML::EndMap;

  out << YAML::Key << "scheduler" << YAML::Value << YAML::BeginMap;
  emit_policies(out, config.scheduler);
  out << YAML::Key << "tick" << YAML::Value << format_duration(config.scheduler.tick);
  out << YAML::Key << "feedback-interval" << YAML::Value
      << format_duration(config.scheduler.feedback_interval);
  out << YAML::Key << "cpu-threshold" << YAML::Value << config.scheduler.cpu_threshold;
  out << YAML::Key << "memory-threshold" << YAML::Value << config.scheduler.memory_threshold;
  out << YAML::EndMap;
}

void emit_monitor(YAML::Emitter& out, const MonitorConfig& m) {
  out << YAML::Key << "monitor" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "heartbeat" << YAML::Value << format_duration(m.heartbeat);
  out << YAML::Key << "missed-heartbeats" << YAML::Value << m.missed_heartbeats;
  out << YAML::Key << "scrape-interval" << YAML::Value << format_duration(m.scrape_interval);
  out << YAML::Key << "scrape-timeout" << YAML::Value << format_duration(m.scrape_timeout);
  out << YAML::Key << "health-check" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "enabled" << YAML::Value << m.health_check.enabled;
  out << YAML::Key << "path" << YAML::Value << m.health_check.path;
  out << YAML::Key << "interval" << YAML::Value << format_duration(m.health_check.interval);
  out << YAML::Key << "timeout" << YAML::Value << format_duration(m.health_check.timeout);
  out << YAML::Key << "healthy-threshold" << YAML::Value << m.health_check.healthy_threshold;
  out << YAML::Key << "unhealthy-threshold" << YAML::Value << m.health_check.unhealthy_threshold;
  out << YAML::EndMap;
  out << YAML::Key << "outlier" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "enabled" << YAML::Value << m.outlier.enabled;
  out << YAML::Key << "consecutive-5xx" << YAML::Value << m.outlier.consecutive_5xx;
  out << YAML::Key << "consecutive-gateway-failure" << YAML::Value
      << m.outlier.consecutive_gateway_failure;
  out << YAML::Key << "interval" << YAML::Value << format_duration(m.outlier.interval);
  out << YAML::Key << "base-ejection-time" << YAML::Value
      << format_duration(m.outlier.base_ejection_time);
  out << YAML::Key << "max-ejection-time" << YAML::Value
      << format_duration(m.outlier.max_ejection_time);
  out << YAML::Key << "max-ejection-percent" << YAML::Value << m.outlier.max_ejection_percent;
  out << YAML::EndMap;
  out << YAML::Key << "breaker" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "enabled" << YAML::Value << m.breaker.enabled;
  out << YAML::Key << "failure-threshold" << YAML::Value << m.breaker.failure_threshold;
  out << YAML::Key << "open-time" << YAML::Value << format_duration(m.breaker.open_time);
  out << YAML::Key << "half-open-trials" << YAML::Value << m.breaker.half_open_trials;
  out << YAML::Key << "max-pending" << YAML::Value << m.breaker.max_pending;
  out << YAML::EndMap;
  out << YAML::Key << "slow-start" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "window" << YAML::Value << format_duration(m.slow_start.window);
  out << YAML::Key << "aggression" << YAML::Value << m.slow_start.aggression;
  out << YAML::Key << "min-weight" << YAML::Value << m.slow_start.min_weight;
  out << YAML::EndMap;
  out << YAML::EndMap;
}

void emit_nodes(YAML::Emitter& out, const std::vector<core::NodeSpec>& nodes) {
  out << YAML::Key << "nodes" << YAML::Value;
  if (nodes.empty()) {
    out << YAML::Flow << YAML::BeginSeq << YAML::EndSeq;
    return;
  }
  out << YAML::BeginSeq;
  for (const core::NodeSpec& node : nodes) {
    out << YAML::BeginMap;
    out << YAML::Key << "id" << YAML::Value;
    emit_string(out, node.id);
    out << YAML::Key << "url" << YAML::Value;
    emit_string(out, node.url);
    out << YAML::Key << "models" << YAML::Value << YAML::BeginSeq;
    for (const std::string& model : node.models) emit_string(out, model);
    out << YAML::EndSeq;
    if (!node.labels.empty()) {
      out << YAML::Key << "labels" << YAML::Value << YAML::BeginMap;
      for (const auto& [key, value] : node.labels) {
        out << YAML::Key << key << YAML::Value;
        emit_string(out, value);
      }
      out << YAML::EndMap;
    }
    if (node.capacity > 0) out << YAML::Key << "capacity" << YAML::Value << node.capacity;
    out << YAML::EndMap;
  }
  out << YAML::EndSeq;
}

void emit_etcd(YAML::Emitter& out, const ClusterConfig& cluster) {
  out << YAML::Key << "etcd" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "endpoints" << YAML::Value << YAML::Flow << YAML::BeginSeq;
  for (const std::string& url : cluster.etcd.endpoints) emit_string(out, url);
  out << YAML::EndSeq;
  out << YAML::Key << "prefix" << YAML::Value;
  emit_string(out, cluster.etcd.prefix);
  out << YAML::Key << "request-timeout" << YAML::Value
      << format_duration(cluster.etcd.request_timeout);
  out << YAML::Key << "poll-interval" << YAML::Value << format_duration(cluster.etcd.poll_interval);
  out << YAML::EndMap;
  out << YAML::Key << "replica-id" << YAML::Value;
  emit_string(out, cluster.replica_id);
  out << YAML::Key << "advertise-url" << YAML::Value;
  emit_string(out, cluster.advertise_url);
  out << YAML::Key << "lease-ttl" << YAML::Value << format_duration(cluster.lease_ttl);
}

void emit_cluster(YAML::Emitter& out, const SimulatedCluster& simulated,
                  const ClusterConfig& cluster) {
  out << YAML::Key << "cluster" << YAML::Value << YAML::BeginMap;
  emit_etcd(out, cluster);
  out << YAML::Key << "simulated" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "enabled" << YAML::Value << (simulated.enabled ? "true" : "false");
  out << YAML::Key << "model" << YAML::Value;
  emit_string(out, simulated.model);
  out << YAML::Key << "seed" << YAML::Value << simulated.seed;
  out << YAML::Key << "speedup" << YAML::Value << fmt::format("{}", simulated.speedup);
  out << YAML::Key << "nodes" << YAML::Value;
  if (simulated.groups.empty()) {
    out << YAML::Flow << YAML::BeginSeq << YAML::EndSeq;
  } else {
    out << YAML::BeginSeq;
    for (const SimulatedGroup& group : simulated.groups) {
      out << YAML::BeginMap << YAML::Key << "profile" << YAML::Value;
      emit_string(out, group.profile);
      out << YAML::Key << "count" << YAML::Value << group.count << YAML::EndMap;
    }
    out << YAML::EndSeq;
  }
  out << YAML::EndMap << YAML::EndMap;
}

}  // namespace

std::string to_yaml(const Config& config) {
  YAML::Emitter out;
  std::string note = "Effective Open-AutoGLM configuration; secrets are masked.";
  if (!config.source_file.empty()) note += " Loaded from " + config.source_file + ".";
  out << YAML::Comment(note) << YAML::Newline;
  out << YAML::BeginMap;
  emit_server(out, config.server);
  emit_database(out, config.database);
  emit_workflow(out, config.workflow);
  emit_logging_upstream_scheduler(out, config);
  emit_monitor(out, config.monitor);
  emit_ui(out, config.ui);
  emit_nodes(out, config.nodes);
  emit_cluster(out, config.simulated, config.cluster);
  emit_hardening(out, config);
  out << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

}  // namespace autoglm::config

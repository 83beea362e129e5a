// The typed, validated configuration of one Open-AutoGLM process.
// Built only by config::load (loader.hpp); every other module reads these plain structs.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/hardening_config.hpp"
#include "core/node.hpp"

namespace autoglm::config {

using Millis = std::chrono::milliseconds;

struct ServerConfig {
  std::string host = "0.0.0.0";
  int port = 8080;
  std::string context_path;  // "" or "/api": prefix for every route
  int threads = 0;           // I/O threads; 0 means one per core
  std::size_t max_header_bytes = 16 * 1024;
  std::size_t max_body_bytes = 8 * 1024 * 1024;
  Millis header_timeout{10'000};  // time to read a request's header
  Millis idle_timeout{60'000};    // keep-alive connection with no request
  Millis drain_timeout{30'000};   // SIGTERM: how long in-flight work may finish
  Millis drain_pause{2'000};      // SIGTERM: /readyz 503 but still serving, before closing

  bool operator==(const ServerConfig&) const = default;
};

enum class DatabaseKind { kSqlite, kPostgres };

struct DatabaseConfig {
  std::string url = "sqlite:///./data/autoglm.db";  // as written (after substitution)
  DatabaseKind kind = DatabaseKind::kSqlite;
  std::string sqlite_path = "./data/autoglm.db";  // set when kind == kSqlite
  std::string postgres_conninfo;                  // libpq URI when kind == kPostgres
  std::string username;
  std::string password;  // secret: masked when printed

  bool operator==(const DatabaseConfig&) const = default;
};

// `workflow`: durable async tasks, DAG runs and triggers (docs/workflows.md).
struct WorkflowConfig {
  bool enabled = true;        // open the store and serve /v1/tasks, /v1/dags, /v1/cron...
  Millis step_interval{100};  // how often the engine claims work and advances DAG runs
  Millis lease{30'000};       // a running task's lease; a crashed gateway's tasks rerun after it
  int max_in_flight = 64;     // tasks this gateway runs at once
  int workers = 8;            // threads for blocking store calls from the HTTP routes
  // Elastic batching of vision tasks (workflow.vision-batch.*): GPU memory one image needs,
  // the memory left free on a node, and the most tasks in one batch.
  std::size_t vision_per_image_bytes = 256u << 20;
  std::size_t vision_reserve_bytes = 1u << 30;
  int vision_max_batch = 32;

  bool operator==(const WorkflowConfig&) const = default;
};

struct LoggingConfig {
  std::string level = "info";   // trace, debug, info, warn, error, off (case-insensitive in YAML)
  std::string format = "text";  // text or json

  bool operator==(const LoggingConfig&) const = default;
};

// `upstream.routes.<route>`: one OpenAI route's timeouts (an absent one is the
// upstream's) and whether a stream that breaks mid-way resumes on another node.
struct RouteUpstream {
  std::optional<Millis> connect_timeout;
  std::optional<Millis> first_byte_timeout;
  std::optional<Millis> response_timeout;
  std::optional<Millis> idle_timeout;
  // Mid-stream failover (completion routes only): a stream whose node fails after the
  // first byte continues on another node, at most max_resumes times per request.
  bool resume_on_failure = false;
  int max_resumes = 1;

  bool operator==(const RouteUpstream&) const = default;
};

// Timeouts, retries and pooling for requests from the gateway to nodes.
struct UpstreamConfig {
  Millis connect_timeout{2'000};
  Millis response_timeout{300'000};  // whole request, first byte to last
  // From sending a request to the first byte of the answer (a stream's first event); a
  // node that hangs past it is treated as failed and the request retried elsewhere.
  Millis first_byte_timeout{300'000};
  Millis idle_timeout{60'000};  // longest silence between two reads of a streamed answer
  // Ceiling for the per-request x-autoglm-*-timeout-ms headers (floor: 100 ms).
  Millis max_timeout_override{3'600'000};
  std::map<std::string, RouteUpstream> routes;  // by route, e.g. "/v1/embeddings"
  int max_idle_per_node = 64;                   // pooled keep-alive connections kept per node
  Millis failure_backoff{2'000};  // a node that failed to connect is skipped this long
  // Retries on another node before the first byte reached the client: how many, the
  // exponential backoff with full jitter between them, and the budget (retries in flight
  // at most max(retry_budget_min, retry_budget * active requests)).
  int retries = 2;
  Millis retry_backoff{25};
  Millis retry_backoff_max{250};
  double retry_budget = 0.2;
  int retry_budget_min = 3;

  bool operator==(const UpstreamConfig&) const = default;
};

// One group of identical simulated GPU nodes started inside the gateway process.
struct SimulatedGroup {
  std::string profile;  // a GPU profile name, e.g. h100-80gb-8b
  int count = 1;

  bool operator==(const SimulatedGroup&) const = default;
};

// `cluster.simulated`: the embedded default cluster, real HTTP servers on loopback.
struct SimulatedCluster {
  bool enabled = false;
  std::string model = "autoglm-sim-8b";
  std::vector<SimulatedGroup> groups;
  std::uint64_t seed = 42;
  double speedup = 1.0;  // >1 runs the latency model faster than real time (tests)

  bool operator==(const SimulatedCluster&) const = default;
};

// `cluster.etcd`, `cluster.replica-id`, `cluster.lease-ttl`: several gateway replicas
// coordinated through etcd (docs/operations.md). Off while the endpoint list is empty.
struct EtcdConfig {
  std::vector<std::string> endpoints;  // http://host:port client URLs of the etcd members
  std::string prefix = "/autoglm";     // every key this deployment writes lives under it
  Millis request_timeout{2'000};       // one call to one etcd member
  Millis poll_interval{250};           // election and membership re-reads; handover latency

  bool operator==(const EtcdConfig&) const = default;
};

struct ClusterConfig {
  EtcdConfig etcd;
  std::string replica_id;     // "": <hostname>:<port>, once the server listens
  std::string advertise_url;  // "": http://<server.host, or the hostname>:<port><context-path>
  Millis lease_ttl{10'000};   // whole seconds; a dead leader is replaced within about twice it

  bool enabled() const { return !etcd.endpoints.empty(); }
  bool operator==(const ClusterConfig&) const = default;
};

// A policy pipeline composed from part names (see docs/policies.md).
struct PipelineConfig {
  std::vector<std::string> filters;
  std::vector<std::pair<std::string, double>> scorers;  // name, weight
  std::string picker = "max_score";

  bool operator==(const PipelineConfig&) const = default;
};

// A preset name, or a composed pipeline.
struct PolicyChoice {
  std::string preset;
  std::optional<PipelineConfig> pipeline;

  bool operator==(const PolicyChoice&) const = default;
};

struct SchedulerConfig {
  std::string policy = "dynamic";
  std::optional<PipelineConfig> pipeline;      // when set, used instead of `policy`
  std::map<std::string, PolicyChoice> models;  // per-model overrides
  Millis tick{10};                             // queued work is retried at least this often
  Millis feedback_interval{10'000};            // node weights recomputed from measured latencies
  double cpu_threshold = 0.85;                 // a node above gets no new dispatches
  double memory_threshold = 0.90;              // a node above has its not-yet-started work moved

  bool operator==(const SchedulerConfig&) const = default;
};

// `monitor`: how the gateway learns each node's state (docs/monitoring.md).
struct HealthCheckConfig {
  bool enabled = true;
  std::string path = "/health";
  Millis interval{1'000};
  Millis timeout{500};
  int healthy_threshold = 2;    // passes in a row to (re)join
  int unhealthy_threshold = 3;  // failures in a row to go down

  bool operator==(const HealthCheckConfig&) const = default;
};

struct OutlierEjectionConfig {
  bool enabled = true;
  int consecutive_5xx = 5;              // 0: off
  int consecutive_gateway_failure = 5;  // 502/503/504 and connect failures; 0: off
  Millis interval{10'000};
  Millis base_ejection_time{30'000};  // times the number of ejections so far
  Millis max_ejection_time{300'000};
  int max_ejection_percent = 10;

  bool operator==(const OutlierEjectionConfig&) const = default;
};

struct BreakerConfig {
  bool enabled = true;
  int failure_threshold = 5;  // node failures in a row that open it
  Millis open_time{10'000};
  int half_open_trials = 3;
  int max_pending = 0;  // requests in flight per node; 0: no bound

  bool operator==(const BreakerConfig&) const = default;
};

struct SlowStartSettings {
  Millis window{30'000};  // 0: off
  double aggression = 1.0;
  double min_weight = 0.1;

  bool operator==(const SlowStartSettings&) const = default;
};

struct MonitorConfig {
  Millis heartbeat{1'000};      // the agents' heartbeat period
  int missed_heartbeats = 3;    // missed in a row: down
  Millis scrape_interval{200};  // backend /metrics of nodes without an agent; 0: off
  Millis scrape_timeout{1'000};
  HealthCheckConfig health_check;
  OutlierEjectionConfig outlier;
  BreakerConfig breaker;
  SlowStartSettings slow_start;

  bool operator==(const MonitorConfig&) const = default;
};

// `ui`: the dashboard's built files, served at {context-path}/ui/ (docs/dashboard.md).
struct UiConfig {
  bool enabled = true;
  std::string dir = "web/dist";  // `make build` writes it; relative to the working directory

  bool operator==(const UiConfig&) const = default;
};

struct Config {
  ServerConfig server;
  DatabaseConfig database;
  WorkflowConfig workflow;
  LoggingConfig logging;
  UpstreamConfig upstream;
  SimulatedCluster simulated;
  ClusterConfig cluster;
  SchedulerConfig scheduler;
  MonitorConfig monitor;
  UiConfig ui;
  std::vector<core::NodeSpec> nodes;
  AuthConfig auth;  // hardening_config.hpp; reloaded on SIGHUP
  std::vector<TenantConfig> tenants;
  LimitsConfig limits;
  CacheConfig cache;
  std::vector<RouteConfig> routes;

  std::string source_file;  // the file it was loaded from, for messages
};

}  // namespace autoglm::config

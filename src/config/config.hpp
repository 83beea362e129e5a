// The typed, validated configuration of one Open-AutoGLM process.
// Built only by config::load (loader.hpp); every other module reads these plain structs.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

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

struct LoggingConfig {
  std::string level = "info";   // trace, debug, info, warn, error, off (case-insensitive in YAML)
  std::string format = "text";  // text or json

  bool operator==(const LoggingConfig&) const = default;
};

// Timeouts and pooling for connections from the gateway to nodes.
struct UpstreamConfig {
  Millis connect_timeout{2'000};
  Millis response_timeout{300'000};  // whole request, first byte to last
  int max_idle_per_node = 64;        // pooled keep-alive connections kept per node
  Millis failure_backoff{2'000};     // a node that failed to connect is skipped this long

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
  Millis tick{10};                  // queued work is retried at least this often
  Millis feedback_interval{10'000}; // node weights recomputed from measured latencies
  double cpu_threshold = 0.85;      // a node above gets no new dispatches
  double memory_threshold = 0.90;   // a node above has its not-yet-started work moved

  bool operator==(const SchedulerConfig&) const = default;
};

struct Config {
  ServerConfig server;
  DatabaseConfig database;
  LoggingConfig logging;
  UpstreamConfig upstream;
  SimulatedCluster simulated;
  SchedulerConfig scheduler;
  std::vector<core::NodeSpec> nodes;

  std::string source_file;  // the file it was loaded from, for messages
};

}  // namespace autoglm::config

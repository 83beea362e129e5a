#include "api/gateway_metrics.hpp"

#include <charconv>

#include "core/task.hpp"

namespace autoglm::api {

namespace {

double seconds(std::chrono::nanoseconds d) { return std::chrono::duration<double>(d).count(); }

// From 5 ms to about 80 s: TTFT and end-to-end times of LLM requests.
std::vector<double> latency_bounds() { return metrics::exponential_buckets(0.005, 2, 15); }

std::string class_label(std::size_t c) {
  return std::string(core::priority_class_name(static_cast<core::PriorityClass>(c)));
}

double breaker_value(const std::string& state) {
  return state == "open" ? 2 : state == "half_open" ? 1 : 0;
}

}  // namespace

GatewayMetrics::GatewayMetrics(const NodeMonitor& monitor)
    : latency_bounds_(latency_bounds()),
      requests_(registry_.counter("autoglm_requests_total",
                                  "Requests answered, by model, node, HTTP status and policy",
                                  {"model", "node", "status", "policy"})),
      ttft_(registry_.histogram("autoglm_ttft_seconds", "Time to first token", {"model"},
                                latency_bounds_)),
      tpot_(registry_.histogram("autoglm_tpot_seconds", "Time per output token after the first",
                                {"model"}, metrics::exponential_buckets(0.001, 2, 12))),
      e2e_(registry_.histogram("autoglm_e2e_seconds", "End-to-end request time", {"model"},
                               latency_bounds_)),
      retries_(registry_.counter("autoglm_retries_total",
                                 "Requests retried on another node before anything was sent")),
      vision_batches_(registry_.counter("autoglm_vision_batches_total",
                                        "Batches of 2 or more vision tasks sent to one node "
                                        "together, by model and node",
                                        {"model", "node"})),
      vision_batched_(registry_.counter("autoglm_vision_batched_tasks_total",
                                        "Vision tasks sent as part of a batch, by model and node",
                                        {"model", "node"})),
      // Batches hold 2 to workflow.vision-batch.max-batch (32 by default) tasks.
      vision_batch_size_(registry_.histogram("autoglm_vision_batch_size",
                                             "Tasks per vision batch, bounded by the node's free "
                                             "GPU memory",
                                             {"model"}, {2, 3, 4, 6, 8, 12, 16, 24, 32, 64})),
      stream_resumes_(registry_.counter(
          "autoglm_stream_resumes_total",
          "Streams whose node failed mid-way, by outcome: continued on another node or failed",
          {"outcome"})),
      monitor_(monitor) {
  using Series = metrics::CallbackFamily::Series;
  // The scheduler's counters, as of the render in progress.
  const auto per_class = [this](auto member) {
    return [this, member] {
      std::lock_guard lock(mu_);
      Series out;
      for (std::size_t c = 0; c < sched::kClasses; ++c) {
        out.push_back({{class_label(c)}, static_cast<double>((last_.*member)[c])});
      }
      return out;
    };
  };
  registry_.callback("autoglm_queue_depth", "Tasks waiting for a node, by class", "gauge",
                     {"class"}, per_class(&sched::Snapshot::queued));
  registry_.callback("autoglm_shed_total", "Tasks shed under overload, by class", "counter",
                     {"class"}, per_class(&sched::Snapshot::shed_total));
  registry_.callback("autoglm_timed_out_total", "Tasks whose deadline passed while queued",
                     "counter", {"class"}, per_class(&sched::Snapshot::timed_out_total));
  registry_.callback("autoglm_rejected_total", "Tasks turned away: the queue was full", "counter",
                     {"class"}, per_class(&sched::Snapshot::rejected_total));
  registry_.callback("autoglm_in_flight", "Tasks dispatched and not finished", "gauge", {}, [this] {
    std::lock_guard lock(mu_);
    return Series{{{}, static_cast<double>(last_.in_flight)}};
  });
  // Every node family reads the one report taken at the start of the render.
  const auto per_node = [this](auto value) {
    return [this, value] {
      std::lock_guard lock(mu_);
      Series out;
      for (const auto& r : nodes_) value(r, out);
      return out;
    };
  };
  using Report = monitor::NodeReport;
  registry_.callback("autoglm_node_up", "1 when the node takes new work", "gauge", {"node"},
                     per_node([](const Report& r, Series& out) {
                       out.push_back({{r.spec.id}, r.accepts_work ? 1.0 : 0.0});
                     }));
  registry_.callback("autoglm_node_state", "1 for the node's current state", "gauge",
                     {"node", "state"}, per_node([](const Report& r, Series& out) {
                       out.push_back({{r.spec.id, r.state}, 1.0});
                     }));
  registry_.callback("autoglm_node_breaker_state", "Circuit breaker: 0 closed, 1 half-open, 2 open",
                     "gauge", {"node"}, per_node([](const Report& r, Series& out) {
                       out.push_back({{r.spec.id}, breaker_value(r.breaker)});
                     }));
  registry_.callback("autoglm_node_ejections_total", "Outlier ejections of the node", "counter",
                     {"node"}, per_node([](const Report& r, Series& out) {
                       out.push_back({{r.spec.id}, static_cast<double>(r.outlier.total_ejections)});
                     }));
  registry_.callback("autoglm_node_pending", "Requests in flight on the node", "gauge", {"node"},
                     per_node([](const Report& r, Series& out) {
                       out.push_back({{r.spec.id}, static_cast<double>(r.pending)});
                     }));
  registry_.callback("autoglm_node_heartbeat_age_seconds", "Time since the agent's last heartbeat",
                     "gauge", {"node"}, per_node([](const Report& r, Series& out) {
                       if (r.heartbeat_age) out.push_back({{r.spec.id}, seconds(*r.heartbeat_age)});
                     }));
  registry_.callback("autoglm_node_scrape_age_seconds",
                     "Time since the backend's metrics were read", "gauge", {"node"},
                     per_node([](const Report& r, Series& out) {
                       if (r.scrape_age) out.push_back({{r.spec.id}, seconds(*r.scrape_age)});
                     }));
}

void GatewayMetrics::request(const std::string& model, const std::string& node, int status,
                             const std::string& policy) {
  char code[12];
  const auto end = std::to_chars(code, code + sizeof code, status).ptr;
  requests_.with({model, node, std::string_view(code, end - code), policy}).inc();
}

void GatewayMetrics::latency(const std::string& model, std::chrono::nanoseconds ttft,
                             std::chrono::nanoseconds e2e, std::int64_t output_tokens) {
  ttft_.with({model}).observe(seconds(ttft));
  e2e_.with({model}).observe(seconds(e2e));
  all_ttft_.observe(seconds(ttft));
  all_e2e_.observe(seconds(e2e));
  if (output_tokens > 1) {
    tpot_.with({model}).observe(seconds(e2e - ttft) / static_cast<double>(output_tokens - 1));
  }
}

GatewayMetrics::LatencyBuckets GatewayMetrics::latency_buckets() const {
  return LatencyBuckets{latency_bounds_, all_ttft_.snapshot(), all_e2e_.snapshot()};
}

void GatewayMetrics::retry() { retries_.with(std::span<const std::string_view>{}).inc(); }

void GatewayMetrics::vision_batch(const std::string& model, const std::string& node, int size) {
  vision_batches_.with({model, node}).inc();
  vision_batched_.with({model, node}).inc(size);
  vision_batch_size_.with({model}).observe(size);
}

void GatewayMetrics::stream_resume(bool continued) {
  stream_resumes_.with({continued ? "continued" : "failed"}).inc();
}

void GatewayMetrics::watch_cache(std::function<cache::CacheStats()> stats) {
  using Series = metrics::CallbackFamily::Series;
  using cache::CacheStats;
  struct Family {
    const char* name;
    const char* help;
    const char* type;
    double (*value)(const CacheStats&);
  };
  static constexpr Family kFamilies[] = {
      {"autoglm_cache_hits_total", "Answers served from the response cache", "counter",
       [](const CacheStats& s) { return static_cast<double>(s.hits); }},
      {"autoglm_cache_misses_total", "Cacheable requests not found (or expired) in the cache",
       "counter", [](const CacheStats& s) { return static_cast<double>(s.misses); }},
      {"autoglm_cache_insertions_total", "Answers stored in the response cache", "counter",
       [](const CacheStats& s) { return static_cast<double>(s.insertions); }},
      {"autoglm_cache_evictions_total", "Entries pushed out by the byte bound", "counter",
       [](const CacheStats& s) { return static_cast<double>(s.evictions); }},
      {"autoglm_cache_expirations_total", "Entries dropped when their TTL passed", "counter",
       [](const CacheStats& s) { return static_cast<double>(s.expirations); }},
      {"autoglm_cache_rejected_total", "Answers too large to store", "counter",
       [](const CacheStats& s) { return static_cast<double>(s.rejected); }},
      {"autoglm_cache_bytes", "Bytes held by the response cache", "gauge",
       [](const CacheStats& s) { return static_cast<double>(s.bytes); }},
      {"autoglm_cache_entries", "Entries in the response cache", "gauge",
       [](const CacheStats& s) { return static_cast<double>(s.entries); }},
  };
  auto shared = std::make_shared<std::function<CacheStats()>>(std::move(stats));
  for (const Family& f : kFamilies) {
    registry_.callback(f.name, f.help, f.type, {}, [shared, value = f.value] {
      return Series{{{}, value((*shared)())}};
    });
  }
}

std::string GatewayMetrics::render(const sched::Snapshot& snapshot) {
  auto nodes = monitor_.report();  // once per render, not once per family
  {
    std::lock_guard lock(mu_);
    last_ = snapshot;
    nodes_ = std::move(nodes);
  }
  return registry_.render();
}

}  // namespace autoglm::api

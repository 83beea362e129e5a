// The gateway's own Prometheus metrics (GET /metrics, names prefixed autoglm_): requests by
// model, node, status and policy; TTFT, time per output token and end-to-end histograms;
// queue depth, shed and timed-out counts by class; and each node's state, breaker,
// ejections and heartbeat and scrape ages, read from the monitor when scraped; and the
// workflow engine's elastic batches of vision tasks.
// Thread-safe: record from any I/O thread.
#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "api/node_monitor.hpp"
#include "cache/response_cache.hpp"
#include "metrics/registry.hpp"
#include "sched/scheduler.hpp"

namespace autoglm::api {

class GatewayMetrics {
 public:
  explicit GatewayMetrics(const NodeMonitor& monitor);

  // One finished request. `node` is empty when no node served it; `status` is the HTTP
  // status the client got (499: the client went away).
  void request(const std::string& model, const std::string& node, int status,
               const std::string& policy);
  // Timings of a request a node served; `output_tokens` > 1 gives time per output token.
  void latency(const std::string& model, std::chrono::nanoseconds ttft,
               std::chrono::nanoseconds e2e, std::int64_t output_tokens);
  void retry();
  // A batch of `size` vision tasks of `model` the workflow engine sent to `node` together
  // (workflow::StepReport::vision_batches).
  void vision_batch(const std::string& model, const std::string& node, int size);
  // A stream whose node failed mid-way: continued on another node (`continued`), or
  // ended with an error event because no continuation could be made or served.
  void stream_resume(bool continued);
  // Exposes the response cache's counters (autoglm_cache_*); `stats` is read per render.
  void watch_cache(std::function<cache::CacheStats()> stats);

  // The text format 0.0.4; `snapshot` supplies the scheduler's queue and counters.
  std::string render(const sched::Snapshot& snapshot);

  // TTFT and end-to-end times of every model together, as cumulative bucket counts since
  // start: the dashboard turns the difference of two readings into percentiles.
  struct LatencyBuckets {
    std::vector<double> bounds;  // seconds; the last bucket (+Inf) has no bound
    metrics::Histogram::Snapshot ttft;
    metrics::Histogram::Snapshot e2e;
  };
  LatencyBuckets latency_buckets() const;

 private:
  const std::vector<double> latency_bounds_;      // outlives the histograms below
  metrics::Histogram all_ttft_{latency_bounds_};  // every model's, for the dashboard
  metrics::Histogram all_e2e_{latency_bounds_};
  metrics::Registry registry_;
  metrics::Family<metrics::Counter>& requests_;
  metrics::Family<metrics::Histogram>& ttft_;
  metrics::Family<metrics::Histogram>& tpot_;
  metrics::Family<metrics::Histogram>& e2e_;
  metrics::Family<metrics::Counter>& retries_;
  metrics::Family<metrics::Counter>& vision_batches_;
  metrics::Family<metrics::Counter>& vision_batched_;
  metrics::Family<metrics::Histogram>& vision_batch_size_;
  metrics::Family<metrics::Counter>& stream_resumes_;
  std::mutex mu_;
  sched::Snapshot last_;                    // the scheduler's state at the latest render (mu_)
  std::vector<monitor::NodeReport> nodes_;  // the nodes at the latest render (mu_)
  const NodeMonitor& monitor_;
};

}  // namespace autoglm::api

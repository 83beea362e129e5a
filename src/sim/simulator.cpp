#include "sim/simulator.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <utility>

#include "policy/pipeline.hpp"
#include "sim/engine.hpp"
#include "sim/event_queue.hpp"
#include "sim/gpu_memory.hpp"
#include "sim/node_speed.hpp"
#include "sim/prefix_cache.hpp"

namespace autoglm::sim {
namespace {

using Kind = SimEvent::Kind;
constexpr std::int64_t kNever = std::numeric_limits<std::int64_t>::max();
constexpr std::uint64_t kProgressEvery = 1 << 16;

struct NodeState {
  const SimNodeSpec* spec = nullptr;
  Engine engine;
  PrefixCache cache;
  int down = 0;                // failure windows now open (they may overlap)
  bool iterating = false;
  bool kick = false;           // queued for a kick after the current event
  std::uint32_t epoch = 0;     // bumped when a failure voids the iteration in flight
  std::int64_t iter_start = 0, iter_end = 0;
  std::int64_t busy_ns = 0;    // completed iterations
  std::int64_t busy_at_metrics = 0, metrics_at = 0;
  std::int64_t busy_at_sample = 0;
  std::int64_t down_since = 0, down_ns = 0;
  std::int64_t busy_offered_ns = -1;  // busy time at the last arrival, once it came
  std::uint64_t placements = 0;

  NodeState(const SimNodeSpec& s, std::size_t cache_blocks)
      : spec(&s), engine(LatencyModel(s.profile)), cache(cache_blocks) {
    engine.set_token_events(false);
  }
  bool up() const { return down == 0; }
  std::int64_t busy_until(std::int64_t now) const {
    return busy_ns + (iterating ? std::min(now, iter_end) - iter_start : 0);
  }
};

enum class Phase : std::uint8_t { kNotArrived, kQueued, kRunning, kDone };

struct Live {
  Phase phase = Phase::kNotArrived;
  std::int64_t dispatched = 0;
  std::int64_t first_token = -1;
};

class Simulation {
 public:
  Simulation(const ClusterSpec& cluster, const Workload& workload, const SimulationOptions& opt,
             std::unique_ptr<policy::Pipeline> pipeline)
      : cluster_(cluster), workload_(workload), opt_(opt),
        tick_ns_(std::max<std::int64_t>(1, opt.scheduler.tick.count())),
        metrics_ns_(opt.metrics_interval.count() > 0 ? opt.metrics_interval.count() : tick_ns_),
        scheduler_(opt.scheduler, clock_, std::move(pipeline), opt.seed),
        live_(workload.requests.size()) {
    result_.policy = opt.policy;
    result_.requests.resize(workload.requests.size());
    nodes_.reserve(cluster.nodes.size());
    for (const SimNodeSpec& n : cluster.nodes) {
      const auto blocks = static_cast<std::size_t>(n.profile.kv_capacity_tokens / kPrefixBlockTokens);
      nodes_.emplace_back(n, n.profile.prefix_caching ? blocks : 0);
      core::NodeView view;
      view.id = n.id;
      view.models = {n.model};
      view.labels = {{"profile", n.profile.name}};
      view.capacity = n.profile.max_batch;
      view.speed = node_speed(n.profile);
      scheduler_.add_node(std::move(view));
    }
  }

  SimulationResult run() {
    const auto& reqs = workload_.requests;
    if (!reqs.empty()) result_.start = reqs.front().arrival;
    for (std::size_t w = 0; w < cluster_.failures.size(); ++w) {
      const FailureWindow& f = cluster_.failures[w];
      events_.push({f.from.count(), 0, Kind::kFailureStart, static_cast<std::uint32_t>(w), 0});
      events_.push({f.to.count(), 0, Kind::kFailureEnd, static_cast<std::uint32_t>(w), 0});
    }
    if (!reqs.empty()) events_.push({reqs.front().arrival.count(), 0, Kind::kTick, 0, 0});
    start_sampling();

    while (ended_ < reqs.size()) {
      const std::int64_t arrival = next_ < reqs.size() ? reqs[next_].arrival.count() : kNever;
      if (!events_.empty() && events_.top().time_ns <= arrival) {
        const SimEvent e = events_.pop();
        sample_until(e.time_ns);
        clock_.set(core::Time(e.time_ns));
        handle(e);
      } else {
        sample_until(arrival);
        clock_.set(core::Time(arrival));
        arrive(next_++);
      }
      kick_pending();
      if (++result_.events % kProgressEvery == 0 && opt_.progress) {
        opt_.progress(static_cast<double>(ended_) / static_cast<double>(reqs.size()));
      }
    }
    finish();
    return std::move(result_);
  }

 private:
  std::int64_t now() const { return clock_.now().count(); }

  void handle(const SimEvent& e) {
    switch (e.kind) {
      case Kind::kIterationEnd: return iteration_end(e.a, e.b);
      case Kind::kTick: return tick();
      case Kind::kFailureStart: return failure_start(cluster_.failures[e.a].node);
      case Kind::kFailureEnd: return failure_end(cluster_.failures[e.a].node);
      case Kind::kClientTimeout: return client_timeout(e.a);
    }
  }

  // --- requests ---

  core::TaskSpec task_for(std::size_t i) const {
    const Request& r = workload_.requests[i];
    core::TaskSpec t;
    t.id = i + 1;
    t.model = workload_.model;
    t.input_tokens = r.input_tokens;
    t.max_output_tokens = r.max_output_tokens;
    t.modality = r.modality;
    t.priority_class = r.priority_class;
    t.priority_level = r.priority_level;
    t.latency = r.latency;
    t.preemptible = r.preemptible;
    t.stream = true;
    t.prefix_hashes = r.prefix_hashes;
    return t;
  }

  // Every phase change goes through here, so the queued count stays exact.
  void set_phase(std::size_t i, Phase p) {
    if (live_[i].phase == Phase::kQueued) --queued_count_;
    if (p == Phase::kQueued) ++queued_count_;
    live_[i].phase = p;
  }

  void arrive(std::size_t i) {
    set_phase(i, Phase::kQueued);
    ++live_count_;
    if (opt_.client_timeout.count() > 0) {
      events_.push({now() + opt_.client_timeout.count(), 0, Kind::kClientTimeout,
                    static_cast<std::uint32_t>(i), 0});
    }
    if (i + 1 == workload_.requests.size()) {
      result_.last_arrival = clock_.now();
      for (NodeState& node : nodes_) node.busy_offered_ns = node.busy_until(now());
    }
    scheduler_.submit(task_for(i));
    apply_actions();
  }

  void end(std::size_t i, Outcome outcome) {
    RequestResult& r = result_.requests[i];
    ++r.ends;
    if (live_[i].phase == Phase::kDone) return;  // counted in `ends`; a test catches it
    set_phase(i, Phase::kDone);
    r.outcome = outcome;
    r.end = clock_.now();
    r.e2e = r.end - workload_.requests[i].arrival;
    --live_count_;
    ++ended_;
    result_.end = std::max(result_.end, r.end);
  }

  void apply_actions() {
    while (true) {
      sched::Actions a = scheduler_.take_actions();
      if (a.empty()) return;
      for (const auto& c : a.cancel) cancel_placement(c.task - 1, c.node);
      for (const auto& p : a.dispatch) place(p.task - 1, p.node);
      for (const auto& r : a.reject) {
        end(r.task - 1,
            r.status.code() == core::ErrorCode::kTimeout ? Outcome::kTimeout : Outcome::kShed);
      }
    }
  }

  void place(std::size_t i, core::NodeIndex n) {
    const Request& r = workload_.requests[i];
    NodeState& node = nodes_[n];
    RequestResult& res = result_.requests[i];
    ++res.placements;
    res.node = n;
    std::int64_t cached = 0;
    if (!r.prefix_hashes.empty() && node.spec->profile.prefix_caching) {
      const std::size_t blocks = node.cache.match(r.prefix_hashes);
      cached = std::min<std::int64_t>(static_cast<std::int64_t>(blocks) * kPrefixBlockTokens,
                                      r.input_tokens - 1);
    }
    const bool fits =
        node.up() && node.engine.add(SequenceRequest{i + 1, r.input_tokens, r.output_tokens, cached})
                         .is_ok();
    if (!fits) {
      if (node.up()) ++result_.too_long;
      end(i, Outcome::kFailed);
      scheduler_.finished(i + 1, sched::TaskResult{false, {}, {}, 0});
      return;  // the caller's loop takes the actions this made
    }
    ++node.placements;
    res.cached_tokens = cached;
    result_.cached_tokens_placed += cached;
    result_.prompt_tokens_placed += r.input_tokens;
    set_phase(i, Phase::kRunning);
    live_[i].dispatched = now();
    live_[i].first_token = -1;
    request_kick(n);
  }

  void cancel_placement(std::size_t i, core::NodeIndex n) {
    if (live_[i].phase != Phase::kRunning) return;
    nodes_[n].engine.cancel(i + 1);
    set_phase(i, Phase::kQueued);  // the scheduler queued it again
    live_[i].first_token = -1;
  }

  void first_token(std::size_t i, NodeState& node) {
    live_[i].first_token = now();
    result_.requests[i].ttft = clock_.now() - workload_.requests[i].arrival;
    scheduler_.started(i + 1);
    if (node.spec->profile.prefix_caching) node.cache.insert(workload_.requests[i].prefix_hashes);
  }

  void completed(std::size_t i) {
    const Live& l = live_[i];
    const sched::TaskResult tr{true, core::Duration(l.first_token - l.dispatched),
                               core::Duration(now() - l.dispatched),
                               workload_.requests[i].output_tokens};
    end(i, Outcome::kSuccess);
    scheduler_.finished(i + 1, tr);
    apply_actions();
  }

  void client_timeout(std::size_t i) {
    const Phase phase = live_[i].phase;
    if (phase == Phase::kDone) return;
    if (phase == Phase::kRunning) nodes_[result_.requests[i].node].engine.cancel(i + 1);
    end(i, Outcome::kTimeout);
    scheduler_.cancelled(i + 1);
    apply_actions();
  }

  // --- engines ---

  void request_kick(core::NodeIndex n) {
    if (nodes_[n].kick) return;
    nodes_[n].kick = true;
    to_kick_.push_back(n);
  }

  // Starts an iteration on each node that got work during this event and is not busy, so
  // work placed at one instant shares a batch.
  void kick_pending() {
    for (const core::NodeIndex n : to_kick_) {
      NodeState& node = nodes_[n];
      node.kick = false;
      if (node.iterating || !node.up() || node.engine.idle()) continue;
      const double ms = node.engine.plan_iteration();
      node.iterating = true;
      node.iter_start = now();
      node.iter_end = now() + std::max<std::int64_t>(1, static_cast<std::int64_t>(ms * 1e6));
      events_.push({node.iter_end, 0, Kind::kIterationEnd, n, node.epoch});
    }
    to_kick_.clear();
  }

  void iteration_end(core::NodeIndex n, std::uint32_t epoch) {
    NodeState& node = nodes_[n];
    if (epoch != node.epoch || !node.iterating) return;  // voided by a failure
    node.iterating = false;
    node.busy_ns += node.iter_end - node.iter_start;
    engine_events_.clear();
    node.engine.finish_iteration(engine_events_);
    for (const EngineEvent& e : engine_events_) {
      if (e.kind == EngineEvent::Kind::kToken) continue;
      const std::size_t i = e.id - 1;
      // A request the scheduler cancelled while this iteration's events were being handled
      // (preempted for critical work) is queued again, maybe already elsewhere: the rest of
      // its events here no longer count.
      if (live_[i].phase != Phase::kRunning || result_.requests[i].node != n) continue;
      if (e.kind == EngineEvent::Kind::kFirstToken) {
        first_token(i, node);
      } else {
        completed(i);
      }
    }
    apply_actions();
    request_kick(n);
  }

  // --- scheduler ticks and metrics ---

  void push_metrics() {
    const std::int64_t t = now();
    for (core::NodeIndex n = 0; n < nodes_.size(); ++n) {
      NodeState& node = nodes_[n];
      if (!node.up()) continue;  // nothing to scrape
      const EngineStats s = node.engine.stats();
      const std::int64_t busy = node.busy_until(t);
      const std::int64_t dt = t - node.metrics_at;
      core::NodeMetrics m;
      m.backend_running = static_cast<int>(s.running);
      m.backend_waiting = static_cast<int>(s.waiting);
      m.kv_cache_usage = s.kv_usage();
      if (const auto mem = gpu_memory(node.spec->profile, s.kv_used_tokens)) {
        m.gpu_mem_used = static_cast<double>(mem->used_bytes);
        m.gpu_mem_total = static_cast<double>(mem->total_bytes);
      }
      m.gpu_util = dt > 0 ? std::clamp(double(busy - node.busy_at_metrics) / double(dt), 0.0, 1.0)
                          : 0.0;
      m.updated_at = clock_.now();
      node.busy_at_metrics = busy;
      node.metrics_at = t;
      scheduler_.update_metrics(n, m);
      apply_actions();
    }
  }

  void tick() {
    const std::int64_t t = now();
    if (t >= next_metrics_) {
      push_metrics();
      next_metrics_ = t + metrics_ns_;
    }
    scheduler_.tick();
    apply_actions();
    std::int64_t next = t + tick_ns_;
    if (live_count_ == 0) {
      if (next_ >= workload_.requests.size()) return;  // nothing left to tick for
      // Idle until the next arrival: skip the empty ticks, staying on the tick grid.
      const std::int64_t arrival = workload_.requests[next_].arrival.count();
      if (arrival > next) next = t + (arrival - t + tick_ns_ - 1) / tick_ns_ * tick_ns_;
    }
    events_.push({next, 0, Kind::kTick, 0, 0});
  }

  // --- time series (options.sample_interval) ---

  void start_sampling() {
    if (opt_.sample_interval.count() <= 0 || workload_.requests.empty()) return;
    result_.series = TimeSeries(result_.start, opt_.sample_interval, opt_.max_samples);
    next_sample_ = result_.start.count() + opt_.sample_interval.count();
  }

  // Records every sample point up to `t`, before the events at `t` run: nothing changes
  // between events, so the state now is the state at those points.
  void sample_until(std::int64_t t) {
    if (opt_.sample_interval.count() <= 0) return;
    while (next_sample_ <= t) {
      const std::int64_t s = next_sample_;
      ClusterSample sample;
      sample.queued = static_cast<double>(queued_count_);
      for (NodeState& node : nodes_) {
        const std::int64_t busy = node.busy_until(s);
        sample.gpu_util += double(busy - node.busy_at_sample) / double(opt_.sample_interval.count());
        node.busy_at_sample = busy;
        const EngineStats st = node.engine.stats();
        sample.waiting += double(st.waiting);
        sample.running += double(st.running);
      }
      sample.gpu_util /= double(nodes_.size());
      result_.series.push(sample);
      next_sample_ += opt_.sample_interval.count();
    }
  }

  // --- failures ---

  void failure_start(std::size_t n) {
    NodeState& node = nodes_[n];
    if (node.down++ > 0) return;  // already down
    node.down_since = now();
    if (node.iterating) {
      node.busy_ns += now() - node.iter_start;
      node.iterating = false;
    }
    ++node.epoch;
    scheduler_.set_healthy(static_cast<core::NodeIndex>(n), false);
    apply_actions();
    // Everything it was running fails; it comes back with an empty engine and cache.
    for (std::size_t i = 0; i < live_.size(); ++i) {
      if (live_[i].phase != Phase::kRunning || result_.requests[i].node != n) continue;
      end(i, Outcome::kFailed);
      scheduler_.finished(i + 1, sched::TaskResult{false, {}, {}, 0});
      apply_actions();
    }
    accumulate_engine_totals(node);
    node.engine = Engine(LatencyModel(node.spec->profile));
    node.engine.set_token_events(false);
    node.cache.clear();
  }

  void failure_end(std::size_t n) {
    NodeState& node = nodes_[n];
    if (node.down == 0 || --node.down > 0) return;
    node.down_ns += now() - node.down_since;
    node.busy_at_metrics = node.busy_ns;
    node.metrics_at = now();
    scheduler_.set_healthy(static_cast<core::NodeIndex>(n), true);
    apply_actions();
  }

  void accumulate_engine_totals(const NodeState& node) {
    const EngineStats s = node.engine.stats();
    preemptions_[node.spec - cluster_.nodes.data()] += s.preemptions_total;
    generated_[node.spec - cluster_.nodes.data()] += s.generation_tokens_total;
  }

  void finish() {
    const std::int64_t t = result_.end.count();
    for (std::size_t n = 0; n < nodes_.size(); ++n) {
      NodeState& node = nodes_[n];
      accumulate_engine_totals(node);
      NodeResult out;
      out.id = node.spec->id;
      out.profile = node.spec->profile.name;
      out.placements = node.placements;
      out.peak_tokens_per_s = 1000.0 / node.spec->profile.linear_saturated_ms;
      out.busy_s = static_cast<double>(node.busy_until(t)) / 1e9;
      out.busy_offered_s = static_cast<double>(std::max<std::int64_t>(0, node.busy_offered_ns)) / 1e9;
      out.down_s = static_cast<double>(node.down_ns + (node.up() ? 0 : t - node.down_since)) / 1e9;
      out.preemptions = preemptions_[n];
      out.generated_tokens = generated_[n];
      result_.nodes.push_back(std::move(out));
    }
    const sched::Snapshot snap = scheduler_.snapshot();
    result_.scheduler_preempted = snap.preempted_total;
    result_.scheduler_evacuated = snap.evacuated_total;
  }

  const ClusterSpec& cluster_;
  const Workload& workload_;
  const SimulationOptions& opt_;
  const std::int64_t tick_ns_;
  const std::int64_t metrics_ns_;
  core::ManualClock clock_;
  sched::Scheduler scheduler_;
  std::vector<NodeState> nodes_;
  std::vector<Live> live_;
  EventQueue events_;
  std::vector<core::NodeIndex> to_kick_;
  std::vector<EngineEvent> engine_events_;
  std::vector<std::int64_t> preemptions_ = std::vector<std::int64_t>(cluster_.nodes.size());
  std::vector<std::int64_t> generated_ = std::vector<std::int64_t>(cluster_.nodes.size());
  std::size_t next_ = 0;        // the next request to arrive
  std::size_t ended_ = 0;
  std::size_t live_count_ = 0;  // arrived and not ended
  std::size_t queued_count_ = 0;  // in Phase::kQueued: waiting in the scheduler
  std::int64_t next_sample_ = kNever;
  std::int64_t next_metrics_ = 0;
  SimulationResult result_;
};

}  // namespace

core::Result<SimulationResult> simulate(const ClusterSpec& cluster, const Workload& workload,
                                        const SimulationOptions& options) {
  if (cluster.nodes.empty()) return core::invalid_argument("the cluster has no nodes");
  bool served = false;
  for (const SimNodeSpec& n : cluster.nodes) served = served || n.model == workload.model;
  if (!served) {
    return core::invalid_argument(
        fmt::format("no node serves the workload's model '{}'", workload.model), "model");
  }
  for (const FailureWindow& f : cluster.failures) {
    if (f.node >= cluster.nodes.size() || f.to < f.from) {
      return core::invalid_argument("a failure window names an unknown node or ends before it starts");
    }
  }
  auto spec = options.pipeline ? core::Result<policy::PipelineSpec>(*options.pipeline)
                              : policy::preset(options.policy);
  if (!spec) return spec.status();
  auto pipeline = policy::build_pipeline(*spec);
  if (!pipeline) return pipeline.status();
  Simulation sim(cluster, workload, options, std::move(*pipeline));
  return sim.run();
}

}  // namespace autoglm::sim

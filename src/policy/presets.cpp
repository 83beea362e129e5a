// The named policies. Each is only a PipelineSpec: parts and weights, nothing else, so a
// preset can be copied into `scheduler.pipeline` and tuned without touching code.
#include <string>
#include <vector>

#include "policy/pipeline.hpp"

namespace autoglm::policy {
namespace {

// Every preset starts here: a node must be up, serve the model and accept the tenant, and
// one that just (re)joined takes only its slow-start share.
std::vector<std::string> base_filters() {
  return {"healthy", "serves_model", "tenant_allowed", "slow_start"};
}

// Presets that look at load also skip saturated nodes and honour the CPU pause threshold.
std::vector<std::string> load_aware_filters() {
  auto f = base_filters();
  f.insert(f.end(), {"not_saturated", "below_cpu_threshold"});
  return f;
}

std::vector<std::string> with_batch_lane(std::vector<std::string> f) {
  f.push_back("batch_lane");
  return f;
}

PipelineSpec spec(std::string name, std::vector<std::string> filters,
                  std::vector<std::pair<std::string, double>> scorers, std::string picker) {
  return PipelineSpec{std::move(name), std::move(filters), std::move(scorers), std::move(picker)};
}

struct Preset {
  const char* name;
  PipelineSpec (*make)();
};

const Preset kPresets[] = {
    {"round_robin", [] { return spec("round_robin", base_filters(), {}, "round_robin"); }},
    // No scorers: every total is 0, and weighted_random then draws uniformly.
    {"random", [] { return spec("random", base_filters(), {}, "weighted_random"); }},
    {"least_request",
     [] {
       return spec("least_request", load_aware_filters(), {{"least_request", 1}}, "max_score");
     }},
    {"p2c",
     [] {
       return spec("p2c", load_aware_filters(), {{"queue_depth", 1}}, "p2c");
     }},
    {"seed_load",
     [] {
       return spec("seed_load", load_aware_filters(), {{"seed_load", 1}}, "max_score");
     }},
    {"resource",
     [] {
       return spec("resource", load_aware_filters(), {{"resource", 1}}, "max_score");
     }},
    // The seed's response-time weights are weights: traffic is shared in proportion to them
    // (max_score would send everything to the single fastest node until its EWMA moved).
    {"latency_weighted",
     [] {
       return spec("latency_weighted", load_aware_filters(), {{"latency_weight", 1}},
                   "weighted_random");
     }},
    // Cache affinity first, with queue depth to break ties and spread new prefixes; the
    // scorer's own balance guard hands over to load when nodes diverge.
    {"prefix_aware",
     [] {
       return spec("prefix_aware", load_aware_filters(),
                   {{"prefix_affinity", 2}, {"queue_depth", 1}}, "max_score");
     }},
    // Predicted latency dominates; queue depth and KV room react to what the backend reports
    // before the prediction's inputs catch up.
    {"slo_aware",
     [] {
       return spec("slo_aware", with_batch_lane(load_aware_filters()),
                   {{"predicted_latency", 4}, {"queue_depth", 1}, {"kv_cache_free", 1}},
                   "max_score");
     }},
    // The default. Why these parts and weights:
    //  - predicted_latency (3): what users feel, and the one term that sees both a node's
    //    speed (H100 vs A100, its batch size now) and the task's size.
    //  - prefix_affinity (2): a cache hit skips prefill, the biggest published routing win
    //    (SGLang 1.9x throughput, llm-d 31 s vs 93 s TTFT p90); weighted so that a full
    //    prefix match outweighs a moderate latency gap, while the scorer's balance guard
    //    and predicted_latency stop it from piling onto one hot node.
    //  - queue_depth (1): counts the backend's own waiting queue (other gateways' work),
    //    which the prediction only partly sees.
    //  - kv_cache_free (1): a node near a full KV cache preempts running sequences.
    //  - energy (0.1): a tiebreaker among otherwise equal nodes.
    // Filters: everything load-aware, plus batch_lane so batch work never takes the last
    // slots interactive work needs.
    {"dynamic",
     [] {
       return spec("dynamic", with_batch_lane(load_aware_filters()),
                   {{"predicted_latency", 3},
                    {"prefix_affinity", 2},
                    {"queue_depth", 1},
                    {"kv_cache_free", 1},
                    {"energy", 0.1}},
                   "max_score");
     }},
};

}  // namespace

std::vector<std::string> preset_names() {
  std::vector<std::string> out;
  for (const auto& p : kPresets) out.emplace_back(p.name);
  return out;
}

core::Result<PipelineSpec> preset(const std::string& name) {
  for (const auto& p : kPresets) {
    if (name == p.name) return p.make();
  }
  std::string known;
  for (const auto& n : preset_names()) known += (known.empty() ? "" : ", ") + n;
  return core::invalid_argument("unknown policy '" + name + "'; known policies: " + known +
                                    " (or compose one under scheduler.pipeline)",
                                "scheduler.policy");
}

}  // namespace autoglm::policy

// Part names -> factories, and build_pipeline: the only place that names concrete parts.
// To add a part: write its class under filters/, scorers/ or pickers/ and add a line here.
#include <cmath>
#include <memory>
#include <string>
#include <string_view>

#include "policy/filters/batch_lane.hpp"
#include "policy/filters/below_cpu_threshold.hpp"
#include "policy/filters/healthy.hpp"
#include "policy/filters/not_saturated.hpp"
#include "policy/filters/serves_model.hpp"
#include "policy/filters/slow_start.hpp"
#include "policy/filters/tenant_allowed.hpp"
#include "policy/pickers/max_score.hpp"
#include "policy/pickers/p2c.hpp"
#include "policy/pickers/round_robin.hpp"
#include "policy/pickers/weighted_random.hpp"
#include "policy/pipeline.hpp"
#include "policy/scorers/energy.hpp"
#include "policy/scorers/kv_cache_free.hpp"
#include "policy/scorers/latency_weight.hpp"
#include "policy/scorers/least_request.hpp"
#include "policy/scorers/predicted_latency.hpp"
#include "policy/scorers/prefix_affinity.hpp"
#include "policy/scorers/queue_depth.hpp"
#include "policy/scorers/resource.hpp"
#include "policy/scorers/seed_load.hpp"

namespace autoglm::policy {
namespace {

template <typename Base>
struct Entry {
  std::string_view name;
  std::unique_ptr<Base> (*make)();
};

template <typename Base, typename Part>
std::unique_ptr<Base> make() {
  return std::make_unique<Part>();
}

// Registration order is the order names are listed in errors and docs.
const Entry<Filter> kFilters[] = {
    {"healthy", make<Filter, HealthyFilter>},
    {"serves_model", make<Filter, ServesModelFilter>},
    {"tenant_allowed", make<Filter, TenantAllowedFilter>},
    {"not_saturated", make<Filter, NotSaturatedFilter>},
    {"below_cpu_threshold", make<Filter, BelowCpuThresholdFilter>},
    {"batch_lane", make<Filter, BatchLaneFilter>},
    {"slow_start", make<Filter, SlowStartFilter>},
};

const Entry<Scorer> kScorers[] = {
    {"queue_depth", make<Scorer, QueueDepthScorer>},
    {"least_request", make<Scorer, LeastRequestScorer>},
    {"kv_cache_free", make<Scorer, KvCacheFreeScorer>},
    {"seed_load", make<Scorer, SeedLoadScorer>},
    {"resource", make<Scorer, ResourceScorer>},
    {"latency_weight", make<Scorer, LatencyWeightScorer>},
    {"predicted_latency", make<Scorer, PredictedLatencyScorer>},
    {"prefix_affinity", make<Scorer, PrefixAffinityScorer>},
    {"energy", make<Scorer, EnergyScorer>},
};

const Entry<Picker> kPickers[] = {
    {"max_score", make<Picker, MaxScorePicker>},
    {"weighted_random", make<Picker, WeightedRandomPicker>},
    {"p2c", make<Picker, P2cPicker>},
    {"round_robin", make<Picker, RoundRobinPicker>},
};

template <typename Base, std::size_t N>
const Entry<Base>* find(const Entry<Base> (&table)[N], std::string_view name) {
  for (const auto& e : table) {
    if (e.name == name) return &e;
  }
  return nullptr;
}

template <typename Base, std::size_t N>
std::vector<std::string> names(const Entry<Base> (&table)[N]) {
  std::vector<std::string> out;
  for (const auto& e : table) out.emplace_back(e.name);
  return out;
}

std::string join(const std::vector<std::string>& names) {
  std::string s;
  for (const auto& n : names) {
    if (!s.empty()) s += ", ";
    s += n;
  }
  return s;
}

core::Status unknown(const PipelineSpec& spec, std::string_view kind, const std::string& name,
                     const std::vector<std::string>& known, std::string param) {
  return core::invalid_argument("pipeline '" + spec.name + "': unknown " + std::string(kind) +
                                    " '" + name + "'; known " + std::string(kind) +
                                    "s: " + join(known),
                                std::move(param));
}

}  // namespace

std::vector<std::string> filter_names() { return names(kFilters); }
std::vector<std::string> scorer_names() { return names(kScorers); }
std::vector<std::string> picker_names() { return names(kPickers); }

core::Result<std::unique_ptr<Pipeline>> build_pipeline(const PipelineSpec& spec) {
  std::vector<std::unique_ptr<Filter>> filters;
  for (const auto& name : spec.filters) {
    const auto* e = find(kFilters, name);
    if (e == nullptr) return unknown(spec, "filter", name, filter_names(), "filters");
    filters.push_back(e->make());
  }

  std::vector<WeightedScorer> scorers;
  for (const auto& [name, weight] : spec.scorers) {
    const auto* e = find(kScorers, name);
    if (e == nullptr) return unknown(spec, "scorer", name, scorer_names(), "scorers");
    if (!std::isfinite(weight) || weight < 0) {
      return core::invalid_argument("pipeline '" + spec.name + "': scorer '" + name +
                                        "' has weight " + std::to_string(weight) +
                                        "; a weight must be a finite number >= 0",
                                    "scorers");
    }
    for (const auto& ws : scorers) {
      if (ws.scorer->name() == name) {
        return core::invalid_argument(
            "pipeline '" + spec.name + "': scorer '" + name + "' is listed twice", "scorers");
      }
    }
    scorers.push_back({e->make(), weight});
  }

  const std::string picker_name = spec.picker.empty() ? "max_score" : spec.picker;
  const auto* picker = find(kPickers, picker_name);
  if (picker == nullptr) return unknown(spec, "picker", picker_name, picker_names(), "picker");

  return std::make_unique<Pipeline>(spec.name, std::move(filters), std::move(scorers),
                                    picker->make());
}

}  // namespace autoglm::policy

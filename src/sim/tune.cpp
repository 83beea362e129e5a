#include "sim/tune.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "sim/distributions.hpp"

namespace autoglm::sim {
namespace {

constexpr double kZeroChance = 0.2;
constexpr double kMinFactor = 1.05;

class Search {
 public:
  Search(const std::vector<TuneParameter>& params, const TuneEvaluate& evaluate,
         const TuneOptions& options, const TuneProgress& progress)
      : params_(params),
        evaluate_(evaluate),
        options_(options),
        progress_(progress),
        rng_(make_rng(options.seed, 0x7e11e)) {}

  TuneResult run() {
    std::vector<double> start;
    for (const auto& p : params_) start.push_back(round_weight(p.initial));
    try_point(start, "start");
    result_.initial_score = result_.best_score;
    const int random = static_cast<int>(std::lround(options_.budget * options_.random_share));
    for (int i = 0; i < random * 4 && spent() < random + 1 && left(); ++i) {
      try_point(random_point(), "random");
    }
    refine();
    return std::move(result_);
  }

 private:
  int spent() const { return static_cast<int>(result_.trials.size()); }
  bool left() const { return spent() < options_.budget; }

  double clamp(std::size_t i, double w) const {
    return round_weight(std::clamp(w, params_[i].min, params_[i].max));
  }

  std::vector<double> random_point() {
    std::vector<double> w(params_.size());
    bool any = false;
    for (std::size_t i = 0; i < params_.size(); ++i) {
      const TuneParameter& p = params_[i];
      const double u = uniform01(rng_), v = uniform01(rng_);
      if (p.min <= 0 && u < kZeroChance) continue;
      const double lo = std::max(p.min, p.max / 200), hi = p.max;
      w[i] = clamp(i, lo * std::pow(hi / lo, v));
      any = any || w[i] > 0;
    }
    if (!any) w[static_cast<std::size_t>(uniform01(rng_) * double(w.size()))] = 1;
    return w;
  }

  // Evaluates `w` unless it was already; false when it was or the budget is spent.
  bool try_point(const std::vector<double>& w, const char* phase) {
    if (!left() || !seen_.insert(w).second) return false;
    TuneTrial t;
    t.index = spent();
    t.phase = phase;
    t.weights = w;
    t.score = evaluate_(w);
    t.improved = result_.trials.empty() || t.score < result_.best_score;
    if (t.improved) {
      result_.best_score = t.score;
      result_.best_weights = w;
    }
    result_.trials.push_back(t);
    if (progress_) progress_(result_.trials.back(), result_);
    return t.improved;
  }

  std::vector<double> candidates(std::size_t i, double factor) const {
    const double w = result_.best_weights[i];
    if (w <= 0) return {clamp(i, std::max(params_[i].min, params_[i].max / 20))};
    std::vector<double> out;
    if (params_[i].min <= 0 && factor >= 2) out.push_back(0);  // switching a part off first
    out.push_back(clamp(i, w * factor));
    out.push_back(clamp(i, w / factor));
    return out;
  }

  void refine() {
    double factor = 2;
    while (left() && factor >= kMinFactor) {
      bool improved = false;
      for (std::size_t i = 0; i < params_.size() && left(); ++i) {
        for (const double c : candidates(i, factor)) {
          std::vector<double> w = result_.best_weights;
          if (c == w[i]) continue;
          w[i] = c;
          if (std::none_of(w.begin(), w.end(), [](double x) { return x > 0; })) continue;
          if (try_point(w, "refine")) {
            improved = true;
            break;
          }
        }
      }
      if (!improved) factor = std::sqrt(factor);
    }
  }

  const std::vector<TuneParameter>& params_;
  const TuneEvaluate& evaluate_;
  const TuneOptions& options_;
  const TuneProgress& progress_;
  Rng rng_;
  std::set<std::vector<double>> seen_;
  TuneResult result_;
};

}  // namespace

double round_weight(double w) {
  if (w == 0 || !std::isfinite(w)) return 0;
  const double scale = std::pow(10.0, 2 - std::floor(std::log10(std::fabs(w))));
  return std::round(w * scale) / scale;
}

TuneResult tune_weights(const std::vector<TuneParameter>& params, const TuneEvaluate& evaluate,
                        const TuneOptions& options, const TuneProgress& progress) {
  return Search(params, evaluate, options, progress).run();
}

double tune_objective(const PolicyReport& r, double failure_ms) {
  if (r.requests == 0) return 0;
  const double ok = r.e2e.mean_ms * double(r.succeeded);
  return (ok + failure_ms * double(r.requests - r.succeeded)) / double(r.requests);
}

std::vector<TuneParameter> weight_parameters(const policy::PipelineSpec& spec) {
  std::vector<TuneParameter> out;
  for (const auto& [name, weight] : spec.scorers) {
    out.push_back(TuneParameter{name, weight, 0, std::max(10.0, 2 * weight)});
  }
  return out;
}

policy::PipelineSpec with_weights(policy::PipelineSpec spec, const std::vector<double>& weights) {
  for (std::size_t i = 0; i < spec.scorers.size() && i < weights.size(); ++i) {
    spec.scorers[i].second = weights[i];
  }
  return spec;
}

std::string pipeline_yaml(const policy::PipelineSpec& spec, const std::string& name) {
  std::string filters, scorers;
  for (const auto& f : spec.filters) filters += (filters.empty() ? "" : ", ") + f;
  for (const auto& [scorer, w] : spec.scorers) {
    if (w > 0) scorers += fmt::format("{}{}: {:g}", scorers.empty() ? "" : ", ", scorer, w);
  }
  return fmt::format(
      "scheduler:\n  pipeline:  # {0}: used instead of scheduler.policy\n"
      "    filters: [{1}]\n    scorers: {{{2}}}\n    picker: {3}\n",
      name, filters, scorers, spec.picker);
}

}  // namespace autoglm::sim

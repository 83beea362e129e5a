// `autoglm tune`: fits the dynamic policy's scorer weights to a scenario's workload on the
// twin and prints the best weights, their gain over dynamic and round_robin, and the YAML.
#include "sim/tune.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <chrono>
#include <iostream>
#include <limits>

#include "cli/commands.hpp"
#include "sim/report.hpp"
#include "sim/scenario.hpp"

namespace autoglm::cli {

namespace {

namespace json = boost::json;

constexpr double kNoTimeoutFailureMs = 60'000;  // what a failure costs without a client timeout

struct TuneArgs {
  std::string scenario;
  std::string base = "dynamic";
  std::string name = "dynamic_tuned";
  int budget = 40;
  std::uint64_t seed = 1;
  double rate_scale = 1;
  bool json = false;
  bool quiet = false;
};

int fail(const std::string& message, int code) {
  std::cerr << "autoglm tune: " << message << "\n";
  return code;
}

struct Evaluated {
  sim::PolicyReport report;
  double objective = 0;
};

// Runs the scenario's workload under one pipeline.
class Twin {
 public:
  Twin(const sim::Scenario& s, const sim::Workload& w) : scenario_(s), workload_(w) {
    const double timeout_ms = core::to_ms(s.client_timeout);
    failure_ms_ = timeout_ms > 0 ? timeout_ms : kNoTimeoutFailureMs;
  }
  core::Result<Evaluated> run(const std::string& label, const policy::PipelineSpec& spec) const {
    sim::SimulationOptions o = sim::simulation_options(scenario_, label);
    o.policy = label;
    o.pipeline = spec;
    auto result = sim::simulate(scenario_.cluster, workload_, o);
    if (!result) return result.status();
    Evaluated e{sim::summarize(workload_, *result), 0};
    e.objective = sim::tune_objective(e.report, failure_ms_);
    return e;
  }
  double failure_ms() const { return failure_ms_; }

 private:
  const sim::Scenario& scenario_;
  const sim::Workload& workload_;
  double failure_ms_ = 0;
};

std::string weights_text(const policy::PipelineSpec& spec) {
  std::string out;
  for (const auto& [name, w] : spec.scorers)
    out += fmt::format("{}{} {:g}", out.empty() ? "" : ", ", name, w);
  return out;
}

double gain(double base, double tuned) { return base > 0 ? (base - tuned) / base : 0; }

json::object row_json(const Evaluated& e) {
  return {{"mean_e2e_ms", e.report.e2e.mean_ms},
          {"p99_e2e_ms", e.report.e2e.p99_ms},
          {"success_rate", e.report.success_rate},
          {"objective_ms", e.objective}};
}

void print_text(const TuneArgs& a, const policy::PipelineSpec& best, const Evaluated& tuned,
                const Evaluated& dyn, const Evaluated& rr) {
  std::cout << fmt::format("{:<16} {:>12} {:>12} {:>10} {:>14}\n", "policy", "mean e2e ms",
                           "p99 e2e ms", "success %", "objective ms");
  const auto row = [](const std::string& name, const Evaluated& e) {
    std::cout << fmt::format("{:<16} {:>12.0f} {:>12.0f} {:>10.1f} {:>14.0f}\n", name,
                             e.report.e2e.mean_ms, e.report.e2e.p99_ms, 100 * e.report.success_rate,
                             e.objective);
  };
  row("round_robin", rr);
  row(a.base, dyn);
  row(a.name, tuned);
  const auto vs = [&](const std::string& name, const Evaluated& b) {
    std::cout << fmt::format(
        "{} vs {}: objective {:+.1f}%, mean e2e {:+.1f}%, p99 e2e {:+.1f}%, "
        "success {:+.1f} points\n",
        a.name, name, -100 * gain(b.objective, tuned.objective),
        -100 * gain(b.report.e2e.mean_ms, tuned.report.e2e.mean_ms),
        -100 * gain(b.report.e2e.p99_ms, tuned.report.e2e.p99_ms),
        100 * (tuned.report.success_rate - b.report.success_rate));
  };
  std::cout << "\n";
  vs(a.base, dyn);
  vs("round_robin", rr);
  std::cout << "best weights: " << weights_text(best) << "\n\n"
            << "# paste into the gateway configuration; in a scenario, put the map under pipelines: {"
            << a.name << ": ...}\n"
            << sim::pipeline_yaml(best, a.name);
}

int run_tune(const TuneArgs& args) {
  auto scenario = sim::load_scenario(args.scenario);
  if (!scenario) return fail(scenario.status().message(), 2);
  sim::Scenario& s = *scenario;
  s.workload.rate_scale *= args.rate_scale;
  auto base = s.pipelines.count(args.base)
                  ? core::Result<policy::PipelineSpec>(s.pipelines.at(args.base))
                  : policy::preset(args.base);
  if (!base) return fail(base.status().message(), 2);
  if (base->scorers.empty()) return fail("policy '" + args.base + "' has no scorers to weigh", 2);
  auto workload = sim::build_workload(s.workload, s.seed);
  if (!workload) return fail(workload.status().message(), 2);

  const Twin twin(s, *workload);
  if (!args.quiet) {
    std::cerr << fmt::format(
        "tuning {} on {}: {}\nobjective: mean e2e over all requests, a failed one counted as "
        "{:g} ms; budget {}, seed {}\n",
        args.base, s.name, workload->description, twin.failure_ms(), args.budget, args.seed);
  }
  auto rr = twin.run("round_robin", *policy::preset("round_robin"));
  if (!rr) return fail(rr.status().message(), 2);

  const auto params = sim::weight_parameters(*base);
  core::Status error;
  const auto started = std::chrono::steady_clock::now();
  const auto evaluate = [&](const std::vector<double>& w) {
    auto e = twin.run(args.name, sim::with_weights(*base, w));
    if (!e) {
      if (error.is_ok()) error = e.status();
      return std::numeric_limits<double>::infinity();
    }
    return e->objective;
  };
  const auto progress = [&](const sim::TuneTrial& t, const sim::TuneResult& r) {
    if (args.quiet) return;
    const double s_elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::cerr << fmt::format("trial {:>3}/{} {:<7} {:>10.0f} ms  best {:>10.0f} ms  {:>6.1f} s{}\n",
                             t.index + 1, args.budget, t.phase, t.score, r.best_score, s_elapsed,
                             t.improved ? "  *" : "");
  };
  const sim::TuneResult result =
      sim::tune_weights(params, evaluate, sim::TuneOptions{args.budget, args.seed, 0.4}, progress);
  if (!error.is_ok()) return fail(error.message(), 2);

  const policy::PipelineSpec best = sim::with_weights(*base, result.best_weights);
  auto dyn = twin.run(args.base, *base);
  auto tuned = twin.run(args.name, best);
  if (!dyn || !tuned) return fail((dyn ? tuned.status() : dyn.status()).message(), 2);

  if (!args.json) {
    print_text(args, best, *tuned, *dyn, *rr);
    return 0;
  }
  json::object weights;
  for (const auto& [name, w] : best.scorers) weights[name] = w;
  json::array trials;
  for (const auto& t : result.trials) {
    trials.push_back(
        {{"phase", t.phase}, {"objective_ms", t.score}, {"weights", json::value_from(t.weights)}});
  }
  json::object out{{"scenario", s.name},
                   {"base", args.base},
                   {"name", args.name},
                   {"budget", args.budget},
                   {"seed", args.seed},
                   {"failure_ms", twin.failure_ms()},
                   {"weights", weights},
                   {"policies", json::object{{"round_robin", row_json(*rr)},
                                             {args.base, row_json(*dyn)},
                                             {args.name, row_json(*tuned)}}},
                   {"gain_vs_base", gain(dyn->objective, tuned->objective)},
                   {"gain_vs_round_robin", gain(rr->objective, tuned->objective)},
                   {"yaml", sim::pipeline_yaml(best, args.name)},
                   {"trials", trials}};
  std::cout << json::serialize(out) << "\n";
  return 0;
}

}  // namespace

void add_tune_command(CLI::App& app) {
  auto args = std::make_shared<TuneArgs>();
  auto* cmd = app.add_subcommand(
      "tune",
      "Search the dynamic policy's scorer weights on the simulator for a scenario's "
      "workload and print the best (see docs/simulator.md)");
  cmd->add_option("--scenario,-s", args->scenario, "Scenario file (scenarios/*.yaml)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--budget,-n", args->budget, "Simulations to spend on the search")
      ->capture_default_str()
      ->check(CLI::Range(1, 100000));
  cmd->add_option("--seed", args->seed, "Seed of the search (the workload keeps the scenario's)")
      ->capture_default_str();
  cmd->add_option("--policy", args->base,
                  "Pipeline whose weights are searched (a preset or one "
                  "of the scenario's pipelines)")
      ->capture_default_str();
  cmd->add_option("--name", args->name, "Name of the tuned pipeline in the YAML")
      ->capture_default_str();
  cmd->add_option("--rate-scale", args->rate_scale, "Multiply the arrival rate")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->add_flag("--json", args->json, "Print the result as JSON");
  cmd->add_flag("--quiet,-q", args->quiet, "No progress on stderr");
  cmd->callback([args] { set_exit_code(run_tune(*args)); });
}

}  // namespace autoglm::cli

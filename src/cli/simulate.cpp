// `autoglm simulate`: runs a scenario (scenarios/*.yaml) through the cluster simulator once
// per policy and prints the comparison. Speed figures and the progress bar go to stderr.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fmt/format.h>
#include <fstream>
#include <iostream>
#include <optional>

#include "cli/commands.hpp"
#include "sim/plots.hpp"
#include "sim/report.hpp"
#include "sim/scenario.hpp"
#include "sim/workload_export.hpp"

namespace autoglm::cli {

namespace {

struct SimulateArgs {
  std::string scenario;
  std::vector<std::string> policies;
  std::string format = "table";
  std::string out;
  std::string plot_dir;
  std::string dump_requests;
  std::optional<std::uint64_t> seed;
  double rate_scale = 1;
  bool progress = false;
  bool quiet = false;
};

// A one-line bar on stderr, drawn only once a run has taken a second, and only on a
// terminal unless forced.
class ProgressBar {
 public:
  ProgressBar(std::string label, bool enabled)
      : label_(std::move(label)), enabled_(enabled), start_(Clock::now()) {}
  ~ProgressBar() { clear(); }
  void clear() {
    if (drawn_) std::fprintf(stderr, "\r%*s\r", 60, "");
    drawn_ = false;
  }
  void update(double fraction) {
    if (!enabled_) return;
    const auto now = Clock::now();
    if (now - start_ < std::chrono::seconds(1) || now - last_ < std::chrono::milliseconds(100)) {
      return;
    }
    last_ = now;
    drawn_ = true;
    const int filled = static_cast<int>(fraction * 30);
    std::fprintf(stderr, "\r%-16.16s [%s%s] %3d%%", label_.c_str(), std::string(filled, '#').c_str(),
                 std::string(30 - filled, ' ').c_str(), static_cast<int>(fraction * 100));
    std::fflush(stderr);
  }

 private:
  using Clock = std::chrono::steady_clock;
  std::string label_;
  bool enabled_;
  bool drawn_ = false;
  Clock::time_point start_, last_{};
};

int fail(const std::string& message, int code) {
  std::cerr << "autoglm simulate: " << message << "\n";
  return code;
}

int run_simulate(const SimulateArgs& args) {
  const auto format = sim::report_format_from_name(args.format);
  if (!format) return fail("unknown --format '" + args.format + "'; expected table, json, csv, md or seed-table", 2);
  auto scenario = sim::load_scenario(args.scenario);
  if (!scenario) return fail(scenario.status().message(), 2);
  sim::Scenario& s = *scenario;
  if (args.seed) s.seed = *args.seed;
  s.workload.rate_scale *= args.rate_scale;
  if (!args.policies.empty()) {
    for (const auto& p : args.policies) {
      if (!sim::knows_policy(s, p)) {
        return fail("unknown policy '" + p + "'; name a preset (docs/policies.md) or one of the "
                    "scenario's pipelines", 2);
      }
    }
    s.policies = args.policies;
  }

  const auto t0 = std::chrono::steady_clock::now();
  auto workload = sim::build_workload(s.workload, s.seed);
  if (!workload) return fail(workload.status().message(), 2);
  const double load_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!args.quiet) {
    std::cerr << fmt::format("{}: {} ({:.2f} s to load)\n", s.name, workload->description, load_s);
  }

  if (!args.dump_requests.empty()) {
    std::ofstream dump(args.dump_requests);
    if (!(dump << sim::requests_csv(*workload))) return fail("cannot write " + args.dump_requests, 1);
  }

  sim::ScenarioReport report{s.name, workload->description, {}};
  std::vector<sim::PolicyPlotData> plots;
  const bool show_bar = args.progress || ::isatty(STDERR_FILENO);
  for (const std::string& policy : s.policies) {
    sim::SimulationOptions options = sim::simulation_options(s, policy);
    if (!args.plot_dir.empty() && !workload->requests.empty()) {
      options.sample_interval = sim::plot_sample_interval(workload->requests.back().arrival -
                                                          workload->requests.front().arrival);
    }
    ProgressBar bar(policy, show_bar && !args.quiet);
    options.progress = [&bar](double f) { bar.update(f); };
    const auto start = std::chrono::steady_clock::now();
    auto result = sim::simulate(s.cluster, *workload, options);
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    bar.clear();
    if (!result) return fail(result.status().message(), 2);
    if (!args.quiet) {
      std::cerr << fmt::format("{:<16} {} requests, {} events in {:.2f} s ({:.2f} M events/s)\n",
                               policy, result->requests.size(), result->events, wall,
                               wall > 0 ? double(result->events) / wall / 1e6 : 0.0);
    }
    report.policies.push_back(sim::summarize(*workload, *result));
    if (!args.plot_dir.empty()) plots.push_back(sim::plot_data(*result));
  }
  if (!args.plot_dir.empty()) {
    if (auto st = sim::write_plots(args.plot_dir, sim::scenario_plots(s.name, plots)); !st) {
      return fail(st.message(), 1);
    }
    if (!args.quiet) {
      std::cerr << fmt::format("charts in {}: e2e_cdf.svg, ttft_cdf.svg, utilisation.svg, "
                               "queue.svg\n", args.plot_dir);
    }
  }

  const std::string text = sim::render_report(report, *format);
  if (args.out.empty()) {
    std::cout << text;
  } else {
    std::ofstream out(args.out);
    if (!(out << text)) return fail("cannot write " + args.out, 1);
  }
  return 0;
}

}  // namespace

void add_simulate_command(CLI::App& app) {
  auto args = std::make_shared<SimulateArgs>();
  auto* cmd = app.add_subcommand(
      "simulate", "Replay a scenario's workload through the real scheduler on simulated GPUs and "
                  "compare policies (see docs/simulator.md)");
  cmd->add_option("--scenario,-s", args->scenario, "Scenario file (scenarios/*.yaml)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--policies,-p", args->policies, "Policies to compare, e.g. round_robin,dynamic "
                                                   "(default: the scenario's)")
      ->delimiter(',');
  cmd->add_option("--format,-f", args->format, "table, json, csv, md or seed-table")
      ->capture_default_str();
  cmd->add_option("--out,-o", args->out, "Write the report here instead of stdout");
  cmd->add_option("--plot", args->plot_dir,
                  "Write SVG charts here: latency CDFs, utilisation and queue length over time");
  cmd->add_option("--dump-requests", args->dump_requests,
                  "Write the workload's request list here as CSV (for replaying it live)");
  cmd->add_option("--seed", args->seed, "Override the scenario's seed");
  cmd->add_option("--rate-scale", args->rate_scale,
                  "Multiply the arrival rate (2: twice as fast; 0.5: half)")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->add_flag("--progress", args->progress, "Draw the progress bar even when stderr is not a terminal");
  cmd->add_flag("--quiet,-q", args->quiet, "Print only the report");
  cmd->callback([args] { set_exit_code(run_simulate(*args)); });
}

}  // namespace autoglm::cli

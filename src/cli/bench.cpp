// `autoglm bench`: an open-loop load generator for OpenAI-compatible servers (the gateway,
// vLLM, nginx in front of either...). Arrivals come from a trace or a Poisson/Gamma process;
// results go to stdout as a summary and to --out as JSON; progress goes to stderr.
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <optional>

#include "cli/commands.hpp"
#include "loadgen/charts.hpp"
#include "loadgen/plan.hpp"
#include "loadgen/report.hpp"
#include "loadgen/runner.hpp"
#include "sim/workload.hpp"

namespace autoglm::cli {

namespace {

struct BenchArgs {
  std::string url = "http://127.0.0.1:8080";
  std::string label;
  std::string api_key;
  std::string model = "autoglm-sim-8b";
  std::string trace;
  std::string trace_format;
  double trace_start_s = 0;
  double rate = 1;
  std::string arrival = "poisson";
  double cv = 1;
  double rate_scale = 1;
  std::int64_t input_tokens = 512;
  std::int64_t output_tokens = 128;
  double length_sigma = 0;
  std::int64_t max_input_tokens = 30000;
  std::int64_t max_output_tokens = 0;
  std::size_t requests = 0;
  double duration_s = 0;
  std::size_t warmup = 0;
  std::size_t concurrency = 0;
  double timeout_s = 300;
  bool no_stream = false;
  bool completions = false;
  bool per_request = false;
  std::vector<std::string> metrics_urls;
  int metrics_interval_ms = 500;
  std::uint64_t seed = 1;
  std::string out;
  bool quiet = false;
  std::vector<std::string> compare;
  std::string chart_dir = ".";
};

sim::LengthDistribution lengths(std::int64_t mean, double sigma) {
  sim::LengthDistribution d;
  if (sigma <= 0) {
    d.kind = sim::LengthDistribution::Kind::kFixed;
    d.value = double(mean);
  } else {
    d.kind = sim::LengthDistribution::Kind::kLognormal;
    d.mean = double(mean);
    d.sigma = sigma;
  }
  return d;
}

core::Result<sim::WorkloadSpec> workload_spec(const BenchArgs& a) {
  sim::WorkloadSpec spec;
  spec.model = a.model;
  spec.rate_scale = a.rate_scale;
  if (a.duration_s > 0) spec.duration_s = a.duration_s;
  if (a.max_output_tokens > 0) spec.max_output_tokens = a.max_output_tokens;
  if (!a.trace.empty()) {
    sim::TraceSource t;
    t.path = a.trace;
    std::string format = a.trace_format;
    if (format.empty()) format = a.trace.ends_with(".jsonl") ? "mooncake" : "azure";
    auto parsed = sim::trace_format_from_name(format);
    if (!parsed) {
      return core::invalid_argument("unknown trace format '" + format + "' (one of " +
                                    sim::trace_format_names() + ")");
    }
    t.format = *parsed;
    t.start_s = a.trace_start_s;
    if (a.duration_s > 0) t.end_s = a.trace_start_s + a.duration_s * a.rate_scale;
    spec.source = t;
    return spec;
  }
  if (a.requests == 0 && a.duration_s <= 0) {
    return core::invalid_argument("give --requests or --duration (or a --trace)");
  }
  sim::SyntheticSource s;
  s.arrival.kind = a.arrival == "gamma" ? sim::ArrivalProcess::Kind::kGamma
                                        : sim::ArrivalProcess::Kind::kPoisson;
  s.arrival.rate = a.rate > 0 ? a.rate : 1;  // rate 0 is closed loop: arrival times unused
  s.arrival.cv = a.cv;
  s.input = lengths(a.input_tokens, a.length_sigma);
  s.output = lengths(a.output_tokens, a.length_sigma);
  s.requests = a.requests == 0 ? 0 : static_cast<std::int64_t>(a.requests + a.warmup);
  spec.source = s;
  return spec;
}

// --compare: no load, only CDF charts of earlier runs' JSON (written with --per-request).
void compare_runs(const BenchArgs& a) {
  std::vector<loadgen::RunLatencies> runs;
  for (const auto& path : a.compare) {
    std::ifstream f(path);
    std::string text((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    auto run = loadgen::read_run_latencies(text);
    if (!f || !run) {
      std::cerr << "autoglm bench: " << path << ": " << (f ? run.status().message() : "cannot read")
                << "\n";
      set_exit_code(2);
      return;
    }
    runs.push_back(std::move(run).value());
  }
  const std::string title = a.label.empty() ? "latency by system" : a.label;
  for (const char* metric : {"ttft", "e2e"}) {
    const std::string path = a.chart_dir + "/" + metric + "_cdf.svg";
    std::ofstream(path) << loadgen::latency_cdf_svg(runs, metric, title);
    std::cout << path << "\n";
  }
}

void run_bench(const BenchArgs& a) {
  if (!a.compare.empty()) {
    compare_runs(a);
    return;
  }
  if (a.rate <= 0 && a.concurrency == 0 && a.trace.empty()) {
    std::cerr << "autoglm bench: --rate 0 (closed loop) needs --concurrency\n";
    set_exit_code(2);
    return;
  }
  auto spec = workload_spec(a);
  auto workload =
      spec ? sim::build_workload(*spec, a.seed) : core::Result<sim::Workload>(spec.status());
  if (!workload) {
    std::cerr << "autoglm bench: " << workload.status().message() << "\n";
    set_exit_code(2);
    return;
  }
  loadgen::PlanOptions plan_options;
  plan_options.warmup = a.warmup;
  plan_options.max_requests = a.requests;
  plan_options.max_input_tokens = a.max_input_tokens;
  plan_options.closed_loop = a.trace.empty() && a.rate <= 0;
  plan_options.seed = a.seed;
  const auto plan = loadgen::plan_requests(*workload, plan_options);

  loadgen::RunOptions run;
  run.base_url = a.url;
  run.api_key = a.api_key;
  run.body.model = a.model;
  run.body.chat = !a.completions;
  run.body.stream = !a.no_stream;
  run.max_concurrency = a.concurrency;
  run.timeout = std::chrono::milliseconds(static_cast<std::int64_t>(a.timeout_s * 1000));
  run.metrics_urls = a.metrics_urls;
  run.metrics_interval = std::chrono::milliseconds(a.metrics_interval_ms);
  run.progress =
      a.quiet ? loadgen::Progress::kOff
              : (isatty(STDERR_FILENO) ? loadgen::Progress::kLine : loadgen::Progress::kLines);
  loadgen::RunOutput output;
  try {
    output = loadgen::run_load(plan, run);
  } catch (const std::exception& e) {
    std::cerr << "autoglm bench: " << e.what() << "\n";
    set_exit_code(2);
    return;
  }

  loadgen::ReportInput report;
  report.label = a.label.empty() ? a.url : a.label;
  report.workload = workload->description;
  report.base_url = a.url;
  report.stream = run.body.stream;
  report.wall_s = output.wall_s;
  report.summary = loadgen::summarize(output.results);
  report.nodes = output.nodes;
  if (a.per_request) report.requests = &output.results;
  if (!a.out.empty()) {
    std::ofstream f(a.out);
    f << loadgen::report_json(report);
    if (!f) {
      std::cerr << "autoglm bench: cannot write " << a.out << "\n";
      set_exit_code(1);
    }
  }
  std::cout << loadgen::report_text(report);
  if (report.summary.measured > 0 && report.summary.succeeded == 0) set_exit_code(1);
}

}  // namespace

void add_bench_command(CLI::App& app) {
  auto a = std::make_shared<BenchArgs>();
  auto* cmd = app.add_subcommand(
      "bench", "Load-test an OpenAI-compatible server: open-loop arrivals, streamed, timed");
  cmd->add_option("--url,-u", a->url, "Server base URL (the API paths are added)")
      ->capture_default_str();
  cmd->add_option("--label", a->label, "Name of the system under test in the results");
  cmd->add_option("--api-key", a->api_key, "Sent as a bearer token");
  cmd->add_option("--model,-m", a->model, "Model name in each request")->capture_default_str();
  cmd->add_option("--trace", a->trace,
                  "Replay this trace's arrivals and lengths (azure CSV, mooncake JSONL)");
  cmd->add_option("--trace-format", a->trace_format,
                  "azure, mooncake or burstgpt (default: from the file name)");
  cmd->add_option("--trace-start", a->trace_start_s, "Start this many seconds into the trace");
  cmd->add_option("--rate-scale", a->rate_scale, "Replay the arrivals this many times faster")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->add_option("--rate,-r", a->rate, "Requests per second without a trace (0: closed loop)")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--arrival", a->arrival, "poisson or gamma")
      ->capture_default_str()
      ->check(CLI::IsMember({"poisson", "gamma"}));
  cmd->add_option("--cv", a->cv, "Gamma arrivals: coefficient of variation of the gaps")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->add_option("--input-tokens", a->input_tokens, "Prompt tokens (mean) without a trace")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->add_option("--output-tokens", a->output_tokens, "max_tokens (mean) without a trace")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->add_option("--length-sigma", a->length_sigma,
                  "Lognormal lengths with this log-sigma (0: fixed)")
      ->capture_default_str();
  cmd->add_option("--max-input-tokens", a->max_input_tokens, "Clamp longer prompts (0: none)")
      ->capture_default_str();
  cmd->add_option("--max-output-tokens", a->max_output_tokens, "Cap max_tokens (0: none)");
  cmd->add_option("--requests,-n", a->requests, "Measured requests (after warm-up)");
  cmd->add_option("--duration,-d", a->duration_s, "Seconds of arrivals");
  cmd->add_option("--warmup", a->warmup, "Requests sent first and left out of the statistics")
      ->capture_default_str();
  cmd->add_option("--concurrency,-c", a->concurrency, "Requests in flight at most (0: no limit)")
      ->capture_default_str();
  cmd->add_option("--timeout", a->timeout_s, "Seconds per request")->capture_default_str();
  cmd->add_flag("--no-stream", a->no_stream, "Ask for whole answers (no SSE, no TTFT)");
  cmd->add_flag("--completions", a->completions, "Use /v1/completions instead of chat");
  cmd->add_option("--metrics-url", a->metrics_urls, "A backend's /metrics to sample (repeatable)");
  cmd->add_option("--metrics-interval-ms", a->metrics_interval_ms, "How often to sample them")
      ->capture_default_str()
      ->check(CLI::Range(50, 60000));
  cmd->add_option("--seed", a->seed, "Seed of the arrivals, lengths and prompt text")
      ->capture_default_str();
  cmd->add_option("--out,-o", a->out, "Write the results as JSON here");
  cmd->add_flag("--per-request", a->per_request, "Include every request in the JSON");
  cmd->add_flag("--quiet,-q", a->quiet, "No progress line");
  cmd->add_option("--compare", a->compare,
                  "Send nothing: draw latency CDFs of these result files (--per-request runs)");
  cmd->add_option("--chart-dir", a->chart_dir,
                  "Where --compare writes ttft_cdf.svg and e2e_cdf.svg")
      ->capture_default_str();
  cmd->callback([a] { run_bench(*a); });
}

}  // namespace autoglm::cli

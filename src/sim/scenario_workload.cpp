// The `workload:` section of a scenario.
#include <filesystem>
#include <fmt/format.h>

#include "sim/scenario_parts.hpp"

namespace autoglm::sim::detail {
namespace {

using Sign = YamlFields::Sign;

void read_length(YamlFields& f, LengthDistribution& d) {
  const auto dist = f.string("dist", true);
  if (!dist) return;
  if (*dist == "fixed") {
    d.kind = LengthDistribution::Kind::kFixed;
    d.value = double(f.integer("value", true).value_or(1));
    f.reject_unknown({"dist", "value"});
  } else if (*dist == "uniform") {
    d.kind = LengthDistribution::Kind::kUniform;
    d.min = f.integer("min", true).value_or(1);
    d.max = f.integer("max", true).value_or(1);
    d.low = double(d.min);
    d.high = double(d.max);
    if (f.ok() && d.max < d.min) f.fail(f.get("max"), "max", "must be at least min");
    f.reject_unknown({"dist", "min", "max"});
  } else if (*dist == "lognormal") {
    d.kind = LengthDistribution::Kind::kLognormal;
    d.mean = f.number("mean", true).value_or(1);
    d.sigma = f.number("sigma", false).value_or(1);
    d.min = f.integer("min", false).value_or(1);
    d.max = f.integer("max", false).value_or(0);
    if (f.ok() && d.max > 0 && d.max < d.min) f.fail(f.get("max"), "max", "must be at least min");
    f.reject_unknown({"dist", "mean", "sigma", "min", "max"});
  } else {
    f.fail(f.get("dist"), "dist",
           fmt::format("unknown distribution '{}'; expected fixed, uniform or lognormal", *dist));
  }
}

void read_arrival(YamlFields& f, ArrivalProcess& a) {
  const std::string process = f.string("process", false).value_or("poisson");
  a.rate = f.number("rate", true).value_or(1);
  if (process == "poisson") {
    a.kind = ArrivalProcess::Kind::kPoisson;
    f.reject_unknown({"process", "rate"});
  } else if (process == "gamma") {
    a.kind = ArrivalProcess::Kind::kGamma;
    a.cv = f.number("cv", true).value_or(1);
    f.reject_unknown({"process", "rate", "cv"});
  } else {
    f.fail(f.get("process"), "process",
           fmt::format("unknown arrival process '{}'; expected poisson or gamma", process));
  }
}

void read_synthetic(YamlFields& f, SyntheticSource& s) {
  s.requests = f.integer("requests", false).value_or(0);
  if (auto a = f.map("arrival", true)) read_arrival(*a, s.arrival);
  if (auto in = f.map("input", true)) read_length(*in, s.input);
  if (auto out = f.map("output", true)) read_length(*out, s.output);
  f.reject_unknown({"requests", "arrival", "input", "output"});
}

void read_trace(YamlFields& f, const std::string& base_dir, TraceSource& t) {
  if (auto format = f.string("format", true)) {
    if (auto parsed = trace_format_from_name(*format)) {
      t.format = *parsed;
    } else {
      f.fail(f.get("format"), "format",
             fmt::format("unknown trace format '{}'; expected one of {}", *format,
                         trace_format_names()));
    }
  }
  if (auto path = f.string("path", true)) {
    std::filesystem::path p(*path);
    if (p.is_relative() && !base_dir.empty()) p = std::filesystem::path(base_dir) / p;
    t.path = p.lexically_normal().string();
    if (f.ok() && !std::filesystem::exists(t.path)) {
      f.fail(f.get("path"), "path", fmt::format("no such file: {}", t.path));
    }
  }
  t.start_s = f.number("start_s", false, Sign::kNonNegative).value_or(0);
  t.end_s = f.number("end_s", false);
  if (f.ok() && t.end_s && *t.end_s <= t.start_s) {
    f.fail(f.get("end_s"), "end_s", "must be after start_s");
  }
  t.model_filter = f.string("model", false).value_or("");
  t.spread_steps = f.boolean("spread_steps").value_or(true);
  f.reject_unknown({"format", "path", "start_s", "end_s", "model", "spread_steps"});
}

void read_mixes(YamlFields& f, WorkloadSpec& w) {
  if (auto g = f.map("prefix_groups")) {
    w.prefix_groups.groups = static_cast<int>(g->integer("groups", true).value_or(0));
    w.prefix_groups.tokens = g->integer("tokens", true).value_or(0);
    w.prefix_groups.share = g->number("share", true).value_or(0);
    if (g->ok() && w.prefix_groups.share > 1) g->fail(g->get("share"), "share", "must be at most 1");
    g->reject_unknown({"groups", "tokens", "share"});
  }
  if (auto p = f.map("priority")) {
    const char* names[] = {"critical", "standard", "batch", "sheddable"};
    double total = 0;
    for (std::size_t c = 0; c < w.priority.weights.size(); ++c) {
      w.priority.weights[c] = p->number(names[c], false, Sign::kNonNegative).value_or(0);
      total += w.priority.weights[c];
    }
    if (p->ok() && total <= 0) p->fail_here("at least one class needs a positive weight");
    p->reject_unknown({"critical", "standard", "batch", "sheddable"});
  }
  if (auto m = f.map("multimodal")) {
    w.modality.vision = m->number("vision", false, Sign::kNonNegative).value_or(0);
    w.modality.speech = m->number("speech", false, Sign::kNonNegative).value_or(0);
    w.modality.vision_tokens = m->integer("vision_tokens", false).value_or(576);
    w.modality.speech_tokens = m->integer("speech_tokens", false).value_or(300);
    if (m->ok() && w.modality.vision + w.modality.speech > 1) {
      m->fail_here("vision + speech must be at most 1");
    }
    m->reject_unknown({"vision", "speech", "vision_tokens", "speech_tokens"});
  }
}

}  // namespace

void read_workload(YamlFields& f, const std::string& base_dir, WorkloadSpec& w) {
  w.model = f.string("model", false).value_or("");
  w.rate_scale = f.number("rate_scale", false).value_or(1);
  if (f.ok() && f.has("max_output_tokens")) {
    const YAML::Node node = f.get("max_output_tokens");
    if (node.IsScalar() && node.Scalar() == "actual") {
      w.max_output_tokens.reset();
    } else {
      w.max_output_tokens = f.integer("max_output_tokens");
    }
  }
  const bool trace = f.has("trace"), synthetic = f.has("synthetic");
  if (trace == synthetic) {
    f.fail_here(trace ? "give either `trace` or `synthetic`, not both"
                      : "missing field 'trace' or 'synthetic'");
  } else if (trace) {
    TraceSource t;
    if (auto m = f.map("trace")) read_trace(*m, base_dir, t);
    w.source = t;
  } else {
    SyntheticSource s;
    if (auto m = f.map("synthetic")) read_synthetic(*m, s);
    w.source = s;
  }
  read_mixes(f, w);
  f.reject_unknown({"model", "rate_scale", "max_output_tokens", "trace", "synthetic",
                    "prefix_groups", "priority", "multimodal"});
}

}  // namespace autoglm::sim::detail

#include "sim/workload.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <limits>

namespace autoglm::sim {
namespace {

// Random streams: one per concern, so one knob does not reshuffle the others.
enum Stream : std::uint64_t { kArrivals = 1, kInputs, kOutputs, kGroups, kPriority, kModality,
                              kSpread };

// Block ids from different sources live in different ranges of the 64-bit id space.
constexpr std::uint64_t kGroupIds = 1ULL << 62;
constexpr std::uint64_t kUniqueIds = 1ULL << 63;

core::Time seconds(double s) { return core::Time(static_cast<std::int64_t>(std::llround(s * 1e9))); }

core::Result<std::vector<Request>> read_trace(const TraceSource& src, double rate_scale,
                                              std::optional<double> duration_s,
                                              std::uint64_t seed) {
  auto reader = open_trace(src.format, src.path,
                           TraceOpenOptions{src.spread_steps, make_rng(seed, kSpread)()});
  if (!reader) return reader.status();
  std::vector<Request> out;
  TraceRecord rec;
  while (true) {
    auto got = (*reader)->next(rec);
    if (!got) return got.status();
    if (!*got) break;
    if (rec.arrival_s < src.start_s) continue;
    if (src.end_s && rec.arrival_s >= *src.end_s) continue;
    if (!src.model_filter.empty() && rec.model != src.model_filter) continue;
    const double at = (rec.arrival_s - src.start_s) / rate_scale;
    if (duration_s && at > *duration_s) continue;
    Request r;
    r.arrival = seconds(at);
    r.input_tokens = std::max<std::int64_t>(1, rec.input_tokens);
    r.output_tokens = std::max<std::int64_t>(1, rec.output_tokens);
    std::uint64_t h = 0;
    r.prefix_hashes.reserve(rec.block_ids.size());
    for (std::uint64_t id : rec.block_ids) {
      h = chain_block_hash(h, id);
      r.prefix_hashes.push_back(h);
    }
    out.push_back(std::move(r));
  }
  return out;
}

core::Result<std::vector<Request>> generate(const SyntheticSource& src, double rate_scale,
                                            std::optional<double> duration_s,
                                            std::uint64_t seed) {
  if (src.requests <= 0 && !duration_s) {
    return core::invalid_argument(
        "a synthetic workload needs `requests` or a duration to know when to stop");
  }
  ArrivalProcess arrival = src.arrival;
  arrival.rate *= rate_scale;
  Rng arrivals = make_rng(seed, kArrivals);
  Rng inputs = make_rng(seed, kInputs);
  Rng outputs = make_rng(seed, kOutputs);
  std::vector<Request> out;
  if (src.requests > 0) out.reserve(static_cast<std::size_t>(src.requests));
  double t = 0;
  while (src.requests <= 0 || static_cast<std::int64_t>(out.size()) < src.requests) {
    t += arrival.next_gap_s(arrivals);
    if (duration_s && t > *duration_s) break;
    Request r;
    r.arrival = seconds(t);
    r.input_tokens = std::max<std::int64_t>(1, src.input.sample(inputs));
    r.output_tokens = std::max<std::int64_t>(1, src.output.sample(outputs));
    out.push_back(std::move(r));
  }
  return out;
}

std::size_t pick(const double* weights, std::size_t n, double u) {
  double total = 0;
  for (std::size_t i = 0; i < n; ++i) total += weights[i];
  double x = u * total;
  for (std::size_t i = 0; i < n; ++i) {
    if (x < weights[i]) return i;
    x -= weights[i];
  }
  return n - 1;
}

void add_prefix_groups(const PrefixGroups& g, std::vector<Request>& requests, std::uint64_t seed) {
  if (g.groups <= 0 || g.share <= 0) return;
  Rng rng = make_rng(seed, kGroups);
  const std::int64_t shared_blocks = g.tokens / kPrefixBlockTokens;
  for (std::size_t i = 0; i < requests.size(); ++i) {
    Request& r = requests[i];
    const double u = uniform01(rng);
    const auto group = static_cast<std::uint64_t>(uniform01(rng) * g.groups);
    if (!r.prefix_hashes.empty() || u >= g.share) continue;
    r.input_tokens += g.tokens;
    const std::int64_t blocks = (r.input_tokens + kPrefixBlockTokens - 1) / kPrefixBlockTokens;
    r.prefix_hashes.reserve(static_cast<std::size_t>(blocks));
    std::uint64_t h = 0;
    for (std::int64_t b = 0; b < blocks; ++b) {
      const std::uint64_t id =
          b < shared_blocks ? kGroupIds | (group << 24) | static_cast<std::uint64_t>(b)
                            : kUniqueIds | (static_cast<std::uint64_t>(i) << 20) |
                                  static_cast<std::uint64_t>(b);
      h = chain_block_hash(h, id);
      r.prefix_hashes.push_back(h);
    }
  }
}

void add_priorities(const PriorityMix& mix, std::vector<Request>& requests, std::uint64_t seed) {
  Rng rng = make_rng(seed, kPriority);
  for (Request& r : requests) {
    const auto c = static_cast<core::PriorityClass>(
        pick(mix.weights.data(), mix.weights.size(), uniform01(rng)));
    r.priority_class = c;
    r.priority_level = core::default_level(c);
    const bool batch = c == core::PriorityClass::kBatch || c == core::PriorityClass::kSheddable;
    r.latency = batch ? core::LatencyClass::kBatch : core::LatencyClass::kInteractive;
    r.preemptible = c == core::PriorityClass::kBatch;
  }
}

void add_modalities(const ModalityMix& mix, std::vector<Request>& requests, std::uint64_t seed) {
  if (mix.vision <= 0 && mix.speech <= 0) return;
  Rng rng = make_rng(seed, kModality);
  for (Request& r : requests) {
    const double u = uniform01(rng);
    if (u < mix.vision) {
      r.modality = core::Modality::kVision;
      r.input_tokens += mix.vision_tokens;
    } else if (u < mix.vision + mix.speech) {
      r.modality = core::Modality::kSpeech;
      r.input_tokens += mix.speech_tokens;
    }
  }
}

std::string describe(const WorkloadSpec& spec, std::size_t n) {
  std::string what;
  if (const auto* t = std::get_if<TraceSource>(&spec.source)) {
    what = fmt::format("{} trace {}", trace_format_name(t->format), t->path);
    if (t->start_s > 0 || t->end_s) {
      what += fmt::format(" [{}-{} s]", t->start_s,
                          t->end_s ? fmt::format("{}", *t->end_s) : std::string("end"));
    }
  } else {
    const auto& s = std::get<SyntheticSource>(spec.source);
    what = fmt::format("synthetic {} arrivals at {} req/s",
                       s.arrival.kind == ArrivalProcess::Kind::kGamma
                           ? fmt::format("gamma (cv {})", s.arrival.cv)
                           : std::string("poisson"),
                       s.arrival.rate);
  }
  if (spec.rate_scale != 1) what += fmt::format(", rate x{}", spec.rate_scale);
  return fmt::format("{}: {} requests", what, n);
}

}  // namespace

std::uint64_t chain_block_hash(std::uint64_t previous, std::uint64_t id) {
  std::uint64_t z = previous * 0x9e3779b97f4a7c15ULL + id + 0x632be59bd9b4e019ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

core::Result<Workload> build_workload(const WorkloadSpec& spec, std::uint64_t seed) {
  if (!(spec.rate_scale > 0) || !std::isfinite(spec.rate_scale)) {
    return core::invalid_argument(fmt::format("rate_scale must be positive, got {}",
                                              spec.rate_scale), "rate_scale");
  }
  core::Result<std::vector<Request>> requests =
      std::holds_alternative<TraceSource>(spec.source)
          ? read_trace(std::get<TraceSource>(spec.source), spec.rate_scale, spec.duration_s, seed)
          : generate(std::get<SyntheticSource>(spec.source), spec.rate_scale, spec.duration_s,
                     seed);
  if (!requests) return requests.status();
  std::vector<Request>& rs = *requests;
  std::stable_sort(rs.begin(), rs.end(),
                   [](const Request& a, const Request& b) { return a.arrival < b.arrival; });
  add_prefix_groups(spec.prefix_groups, rs, seed);
  add_priorities(spec.priority, rs, seed);
  add_modalities(spec.modality, rs, seed);
  for (Request& r : rs) {
    // A cap is also what the engine stops at.
    if (spec.max_output_tokens) r.output_tokens = std::min(r.output_tokens, *spec.max_output_tokens);
    r.max_output_tokens = spec.max_output_tokens.value_or(r.output_tokens);
  }
  Workload w;
  w.model = spec.model;
  w.description = describe(spec, rs.size());
  w.requests = std::move(rs);
  return w;
}

}  // namespace autoglm::sim

#include "policy/pipeline.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <numeric>
#include <random>

#include "policy/double_pair.hpp"
#include "policy/pickers/max_score.hpp"

namespace autoglm::policy {
namespace {

const Thresholds kDefaultThresholds{};

// p2c-style sampling draws at most this many nodes per wanted sample before it gives up and
// filters every node (only when most nodes fail the filters).
constexpr std::size_t kDrawsPerSample = 16;

constexpr std::size_t kSlice = 64;

bool better(const Candidate& a, const Candidate& b) {
  return a.score != b.score ? a.score > b.score : a.node < b.node;
}

// The n best candidates, best first. A few (the usual explain_top of 3) are kept by
// insertion in one pass; more by a partial sort.
void best_first(std::span<const Candidate> scored, std::size_t n, std::vector<Candidate>& top) {
  n = std::min(n, scored.size());
  if (n > 8) {
    top.resize(n);
    std::partial_sort_copy(scored.begin(), scored.end(), top.begin(), top.end(), better);
    return;
  }
  top.clear();
  if (n == 0) return;
  const auto insert = [&top](std::size_t i) {  // moves top[i] up to its place
    for (; i > 0 && better(top[i], top[i - 1]); --i) std::swap(top[i], top[i - 1]);
  };
  std::size_t i = 0;
  for (; i < scored.size() && top.size() < n; ++i) {
    top.push_back(scored[i]);
    insert(top.size() - 1);
  }
  // The list is full: most candidates score below the last kept one and are skipped with a
  // single compare; only those at or above it need the full (score, node) order.
  double floor = top.back().score;
#pragma GCC unroll 4
  for (; i < scored.size(); ++i) {
    if (scored[i].score < floor || !better(scored[i], top.back())) continue;
    top.back() = scored[i];
    insert(n - 1);
    floor = top.back().score;
  }
}

// total[i] = w * part[i] for the first scorer (no separate zeroing pass), then
// total[i] += w * part[i] for the others; two doubles at a time (the build's -O2 does not
// vectorise loops of unknown length by itself). `other`, when given, is added in the same
// pass with `other_w`: one pass over the totals for every two scorers, with the additions in
// the same order (so the same sums) as one scorer at a time.
void add_weighted(double* total, const double* part, double w, const double* other, double other_w,
                  std::size_t n, bool first) {
  const DoublePair wv = splat(w);
  const DoublePair ov = splat(other_w);
  std::size_t i = 0;
  for (; i + 2 <= n; i += 2) {  // `first` and `other` are loop-invariant: GCC unswitches
    DoublePair t = first ? splat(0.0) : load_pair(total + i);
    t += wv * load_pair(part + i);
    if (other != nullptr) t += ov * load_pair(other + i);
    store_pair(total + i, t);
  }
  for (; i < n; ++i) {
    double t = (first ? 0.0 : total[i]) + w * part[i];
    if (other != nullptr) t += other_w * other[i];
    total[i] = t;
  }
}

}  // namespace

Pipeline::Pipeline(std::string name, std::vector<std::unique_ptr<Filter>> filters,
                   std::vector<WeightedScorer> scorers, std::unique_ptr<Picker> picker)
    : name_(std::move(name)),
      filters_(std::move(filters)),
      scorers_(std::move(scorers)),
      picker_(picker ? std::move(picker) : std::make_unique<MaxScorePicker>()) {}

Decision Pipeline::choose(const TaskSpec& task, std::span<const NodeView> nodes,
                          const std::vector<NodeIndex>* eligible, const Context& ctx,
                          int explain_top) {
  Decision d;
  choose_into(d, task, nodes, eligible, ctx, explain_top);
  return d;
}

void Pipeline::choose_into(Decision& out, const TaskSpec& task, std::span<const NodeView> nodes,
                           const std::vector<NodeIndex>* eligible, const Context& ctx_in,
                           int explain_top) {
  out.node.reset();
  out.policy.assign(name_);
  out.top.clear();
  out.rejected_by.clear();

  const Context ctx = with_defaults(ctx_in, eligible);
  select_scorers();

  const std::size_t start = eligible != nullptr ? eligible->size() : nodes.size();
  if (start == 0) return;
  const auto k = static_cast<std::size_t>(std::max(0, picker_->sample_size()));
  if (k > 0) {
    // Sampling picker: test and score only k random nodes; filter everything only when
    // sampling keeps failing (most nodes filtered out), then sample among the survivors.
    if (start <= k || !sample(task, nodes, eligible, ctx, k)) {
      if (!filter_and_measure(task, nodes, eligible, ctx, /*measure=*/false, out)) return;
      sample_survivors(k, *ctx.rng);
    }
    score_whole(task, nodes, ctx);
  } else {
    if (!filter_and_measure(task, nodes, eligible, ctx, /*measure=*/true, out)) return;
    finish_scores(task, nodes, ctx);
  }

  const std::size_t chosen = picker_->pick(scored_, *ctx.rng);
  out.node = scored_[chosen].node;

  if (explain_top > 0) best_first(scored_, static_cast<std::size_t>(explain_top), out.top);
}

void Pipeline::score_all(const TaskSpec& task, std::span<const NodeView> nodes,
                         const std::vector<NodeIndex>* eligible, const Context& ctx_in,
                         std::vector<Candidate>& out) {
  out.clear();
  const Context ctx = with_defaults(ctx_in, eligible);
  select_scorers();
  Decision unused;
  if (!filter_and_measure(task, nodes, eligible, ctx, /*measure=*/true, unused)) return;
  finish_scores(task, nodes, ctx);
  out.assign(scored_.begin(), scored_.end());
}

Context Pipeline::with_defaults(const Context& ctx, const std::vector<NodeIndex>* eligible) {
  Context c = ctx;
  if (eligible == nullptr) c.eligible_serve_model = false;
  if (c.thresholds == nullptr) c.thresholds = &kDefaultThresholds;
  if (c.rng == nullptr) c.rng = &rng_;
  return c;
}

bool Pipeline::passes_all(const TaskSpec& task, const NodeView& node, const Context& ctx) const {
  for (const auto& f : filters_) {
    if (!f->allows(task, node, ctx)) return false;
  }
  return true;
}

// Draws up to k distinct nodes that pass every filter, testing only the drawn ones.
bool Pipeline::sample(const TaskSpec& task, std::span<const NodeView> nodes,
                      const std::vector<NodeIndex>* eligible, const Context& ctx, std::size_t k) {
  const std::size_t start = eligible != nullptr ? eligible->size() : nodes.size();
  std::uniform_int_distribution<std::size_t> draw(0, start - 1);
  candidates_.clear();
  for (std::size_t tries = 0; tries < k * kDrawsPerSample && candidates_.size() < k; ++tries) {
    const std::size_t pos = draw(*ctx.rng);
    const NodeIndex n = eligible != nullptr ? (*eligible)[pos] : static_cast<NodeIndex>(pos);
    if (std::find(candidates_.begin(), candidates_.end(), n) != candidates_.end()) continue;
    if (passes_all(task, nodes[n], ctx)) candidates_.push_back(n);
  }
  return candidates_.size() == k;
}

// The scorers that count (positive weight) and their weights' sum; weights may have been
// changed through mutable_scorers() since the last call.
void Pipeline::select_scorers() {
  active_.clear();
  total_weight_ = 0;
  for (std::size_t j = 0; j < scorers_.size(); ++j) {
    if (!(scorers_[j].weight > 0)) continue;
    active_.push_back(j);
    total_weight_ += scorers_[j].weight;
  }
  if (measures_.size() < scorers_.size()) measures_.resize(scorers_.size());
}

void Pipeline::sample_survivors(std::size_t k, Rng& rng) {
  for (std::size_t i = 0; i < k && i + 1 < candidates_.size(); ++i) {
    std::uniform_int_distribution<std::size_t> draw(i, candidates_.size() - 1);
    std::swap(candidates_[i], candidates_[draw(rng)]);
  }
  if (candidates_.size() > k) candidates_.resize(k);
}

// The candidates are processed in slices of kSlice nodes: every filter, and then every
// scorer's measure, sees a slice while its node views are still in L1, instead of each part
// streaming the whole node table from L2 or L3. Equivalent to running each part over the
// whole list, since filters and measures decide node by node.
bool Pipeline::filter_and_measure(const TaskSpec& task, std::span<const NodeView> nodes,
                                  const std::vector<NodeIndex>* eligible, const Context& ctx,
                                  bool measure, Decision& out) {
  if (measure) {
    for (const std::size_t j : active_) scorers_[j].scorer->prepare(task, ctx);
  }

  const std::size_t start = eligible != nullptr ? eligible->size() : nodes.size();
  candidates_.clear();
  std::size_t emptied_by = 0;  // the last filter position that emptied a slice
  for (std::size_t begin = 0; begin < start; begin += kSlice) {
    const std::size_t end = std::min(start, begin + kSlice);
    slice_.resize(end - begin);
    if (eligible != nullptr) {
      std::copy(eligible->begin() + begin, eligible->begin() + end, slice_.begin());
    } else {
      std::iota(slice_.begin(), slice_.end(), static_cast<NodeIndex>(begin));
    }
    for (std::size_t f = 0; f < filters_.size(); ++f) {
      filters_[f]->apply(task, nodes, slice_, ctx);
      if (slice_.empty()) {
        emptied_by = std::max(emptied_by, f);
        break;
      }
    }
    if (slice_.empty()) continue;
    const std::size_t at = candidates_.size();
    candidates_.insert(candidates_.end(), slice_.begin(), slice_.end());
    if (!measure) continue;
    for (const std::size_t j : active_) {
      auto& m = measures_[j];  // only grows: values past candidates_.size() are stale
      if (m.size() < candidates_.size()) m.resize(std::max(candidates_.size(), 2 * m.size()));
      scorers_[j].scorer->measure(task, nodes, slice_,
                                  std::span<double>(m.data() + at, slice_.size()), ctx);
    }
  }
  if (!candidates_.empty()) return true;
  // Every slice emptied: the whole set was empty after the latest such filter.
  out.rejected_by.assign(filters_[emptied_by]->name());
  return false;
}

// Total score = sum(weight * score) / sum(weight) over the positively weighted scorers, so
// totals stay in [0, 1]. Sums are kept in a flat array and copied into `scored_` at the end.
void Pipeline::finish_scores(const TaskSpec& task, std::span<const NodeView> nodes,
                             const Context& ctx) {
  const std::size_t n = candidates_.size();
  if (active_.empty()) total_.assign(n, 0.0);
  total_.resize(n);
  for (const std::size_t j : active_) {
    scorers_[j].scorer->normalise(task, nodes, candidates_,
                                  std::span<double>(measures_[j].data(), n), ctx);
  }
  for (std::size_t a = 0; a < active_.size(); a += 2) {  // two scorers per pass
    const std::size_t j = active_[a];
    const bool pair = a + 1 < active_.size();
    const std::size_t k = pair ? active_[a + 1] : j;
    add_weighted(total_.data(), measures_[j].data(), scorers_[j].weight / total_weight_,
                 pair ? measures_[k].data() : nullptr, scorers_[k].weight / total_weight_, n,
                 a == 0);
  }
  fill_scored();
}

// The same total for a few sampled candidates, each scorer run over them in one go.
void Pipeline::score_whole(const TaskSpec& task, std::span<const NodeView> nodes,
                           const Context& ctx) {
  const std::size_t n = candidates_.size();
  if (active_.empty()) total_.assign(n, 0.0);
  total_.resize(n);
  partial_.resize(n);
  for (const std::size_t j : active_) {
    scorers_[j].scorer->score(task, nodes, candidates_, partial_, ctx);
    add_weighted(total_.data(), partial_.data(), scorers_[j].weight / total_weight_, nullptr, 0, n,
                 j == active_.front());
  }
  fill_scored();
}

void Pipeline::fill_scored() {
  const std::size_t n = candidates_.size();
  scored_.resize(n);
  for (std::size_t i = 0; i < n; ++i) scored_[i] = Candidate{candidates_[i], total_[i]};
}

void Pipeline::on_dispatch(const TaskSpec& task, const NodeView& node) {
  for (auto& ws : scorers_) ws.scorer->on_dispatch(task, node);
}

void Pipeline::on_node_reset(NodeIndex node) {
  for (auto& ws : scorers_) ws.scorer->on_node_reset(node);
}

std::string Pipeline::describe() const {
  std::string s = "filters: ";
  for (std::size_t i = 0; i < filters_.size(); ++i) {
    if (i > 0) s += ", ";
    s += filters_[i]->name();
  }
  if (filters_.empty()) s += "none";
  s += " | scorers: ";
  for (std::size_t i = 0; i < scorers_.size(); ++i) {
    if (i > 0) s += ", ";
    char weight[32];
    std::snprintf(weight, sizeof weight, "%g", scorers_[i].weight);
    s += scorers_[i].scorer->name();
    s += '*';
    s += weight;
  }
  if (scorers_.empty()) s += "none";
  s += " | picker: ";
  s += picker_->name();
  return s;
}

}  // namespace autoglm::policy

#include "sim/time_series.hpp"

#include <algorithm>

namespace autoglm::sim {
namespace {

void add(ClusterSample& to, const ClusterSample& s) {
  to.gpu_util += s.gpu_util;
  to.queued += s.queued;
  to.waiting += s.waiting;
  to.running += s.running;
}

ClusterSample scaled(const ClusterSample& s, double k) {
  return ClusterSample{s.gpu_util * k, s.queued * k, s.waiting * k, s.running * k};
}

}  // namespace

TimeSeries::TimeSeries(core::Time start, core::Duration interval, std::size_t max_samples)
    : start_(start),
      base_(interval),
      max_samples_(std::max<std::size_t>(2, max_samples & ~std::size_t{1})) {
  samples_.reserve(max_samples_);
}

void TimeSeries::push(const ClusterSample& sample) {
  if (max_samples_ == 0) return;  // default-constructed: records nothing
  add(pending_, sample);
  if (++pending_count_ < group_) return;
  samples_.push_back(scaled(pending_, 1.0 / static_cast<double>(group_)));
  pending_ = {};
  pending_count_ = 0;
  if (samples_.size() == max_samples_) merge_pairs();
}

// Called when full (an even count), between pushes: sample k becomes the mean of samples 2k and
// 2k+1.
void TimeSeries::merge_pairs() {
  for (std::size_t k = 0; k < samples_.size() / 2; ++k) {
    ClusterSample m = samples_[2 * k];
    add(m, samples_[2 * k + 1]);
    samples_[k] = scaled(m, 0.5);
  }
  samples_.resize(samples_.size() / 2);
  group_ *= 2;
}

}  // namespace autoglm::sim

#include "sim/step_spreader.hpp"

#include <algorithm>
#include <utility>

namespace autoglm::sim {

StepSpreader::StepSpreader(std::unique_ptr<TraceReader> inner, std::uint64_t seed)
    : inner_(std::move(inner)), rng_(seed) {}

core::Status StepSpreader::fill_step() {
  step_.clear();
  served_ = 0;
  if (have_lookahead_) {
    step_.push_back(std::move(lookahead_));
    have_lookahead_ = false;
  } else if (!inner_done_) {
    TraceRecord first;
    auto got = inner_->next(first);
    if (!got) return got.status();
    if (!*got) {
      inner_done_ = true;
      return core::Status::ok();
    }
    step_.push_back(std::move(first));
  }
  if (step_.empty()) return core::Status::ok();

  const double t = step_.front().arrival_s;
  while (!inner_done_) {
    auto got = inner_->next(lookahead_);
    if (!got) return got.status();
    if (!*got) {
      inner_done_ = true;
      break;
    }
    if (lookahead_.arrival_s != t) {
      have_lookahead_ = true;
      break;
    }
    step_.push_back(std::move(lookahead_));
  }

  double width = last_width_;
  if (have_lookahead_) {
    width = std::max(0.0, lookahead_.arrival_s - t);  // an out-of-order trace: no spreading
    last_width_ = width;
  }
  if (step_.size() < 2 || width <= 0) return core::Status::ok();
  offsets_.resize(step_.size());
  for (double& o : offsets_) o = static_cast<double>(rng_() >> 11) * 0x1.0p-53 * width;
  std::sort(offsets_.begin(), offsets_.end());
  for (std::size_t i = 0; i < step_.size(); ++i) step_[i].arrival_s = t + offsets_[i];
  return core::Status::ok();
}

core::Result<bool> StepSpreader::next(TraceRecord& out) {
  if (served_ >= step_.size()) {
    if (auto s = fill_step(); !s) return s;
    if (step_.empty()) return false;
  }
  out = std::move(step_[served_++]);
  return true;
}

}  // namespace autoglm::sim

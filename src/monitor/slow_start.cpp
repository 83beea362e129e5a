#include "monitor/slow_start.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace autoglm::monitor {

SlowStart::SlowStart(SlowStartConfig config) : config_(config) {
  if (config_.aggression <= 0) throw std::invalid_argument("slow start aggression must be > 0");
  if (config_.min_weight <= 0 || config_.min_weight > 1) {
    throw std::invalid_argument("slow start min_weight must be in (0, 1]");
  }
}

void SlowStart::begin(core::Time now) {
  if (config_.window > core::Duration::zero()) started_ = now;
}

bool SlowStart::active(core::Time now) const {
  return started_ && now >= *started_ && now - *started_ < config_.window;
}

double SlowStart::multiplier(core::Time now) const {
  if (!active(now)) return 1.0;
  double factor = std::chrono::duration<double>(now - *started_).count() /
                  std::chrono::duration<double>(config_.window).count();
  double ramp = std::pow(factor, 1.0 / config_.aggression);
  return std::clamp(ramp, config_.min_weight, 1.0);
}

}  // namespace autoglm::monitor

// Slow start for a node that (re)joins: its weight multiplier ramps from `min_weight` to
// 1 over `window`, as Envoy's slow start mode: max(min_weight, (t/window)^(1/aggression)).
// Pure logic on injected time. Not thread-safe: owned with the node's entry.
#pragma once

#include <optional>

#include "core/clock.hpp"

namespace autoglm::monitor {

struct SlowStartConfig {
  core::Duration window = std::chrono::seconds(30);  // 0: off
  double aggression = 1.0;  // > 0; 1 is linear, larger ramps up faster at first
  double min_weight = 0.1;  // in (0, 1]; Envoy's min_weight_percent 10%
};

class SlowStart {
 public:
  explicit SlowStart(SlowStartConfig config);

  // The node came into service at `now` (joined, un-ejected, back from down).
  void begin(core::Time now);
  void cancel() { started_.reset(); }

  bool active(core::Time now) const;
  // The share multiplier in [min_weight, 1]; 1 when not ramping.
  double multiplier(core::Time now) const;

 private:
  SlowStartConfig config_;
  std::optional<core::Time> started_;
};

}  // namespace autoglm::monitor

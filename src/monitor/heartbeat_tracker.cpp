#include "monitor/heartbeat_tracker.hpp"

#include <stdexcept>

namespace autoglm::monitor {

HeartbeatTracker::HeartbeatTracker(core::Duration interval) { set_interval(interval); }

void HeartbeatTracker::set_interval(core::Duration interval) {
  if (interval <= core::Duration::zero()) {
    throw std::invalid_argument("heartbeat interval must be positive");
  }
  interval_ = interval;
}

void HeartbeatTracker::beat(core::Time now) {
  if (!last_seen_ || now > *last_seen_) last_seen_ = now;
}

std::optional<core::Duration> HeartbeatTracker::age(core::Time now) const {
  if (!last_seen_) return std::nullopt;
  return now - *last_seen_;
}

int HeartbeatTracker::missed(core::Time now, core::Time since) const {
  core::Time from = last_seen_.value_or(since);
  if (now <= from) return 0;
  return static_cast<int>((now - from) / interval_);
}

}  // namespace autoglm::monitor

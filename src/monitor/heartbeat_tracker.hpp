// Liveness of a push-mode node: when its agent last sent a heartbeat and how many it has
// missed since. Pure logic on injected time. Owned by the node registry (one strand).
#pragma once

#include <optional>

#include "core/clock.hpp"

namespace autoglm::monitor {

class HeartbeatTracker {
 public:
  // `interval`: how often the agent promised to beat (> 0).
  explicit HeartbeatTracker(core::Duration interval);

  void beat(core::Time now);
  // The agent may announce another interval (on registration or in a heartbeat).
  void set_interval(core::Duration interval);

  bool ever_seen() const { return last_seen_.has_value(); }
  std::optional<core::Time> last_seen() const { return last_seen_; }
  // Time since the last heartbeat; nullopt before the first.
  std::optional<core::Duration> age(core::Time now) const;
  // Whole intervals passed since the last heartbeat (0 right after a beat). Counts from
  // `since` (e.g. registration) when no beat ever came.
  int missed(core::Time now, core::Time since = core::Time{0}) const;
  core::Duration interval() const { return interval_; }

 private:
  core::Duration interval_;
  std::optional<core::Time> last_seen_;
};

}  // namespace autoglm::monitor

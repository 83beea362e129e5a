// Passive outlier detection after Envoy's: consecutive node failures eject a node for a
// time that grows with each ejection, never more than a share of the nodes at once, and
// ejections end at interval sweeps. Only node failures count: a 4xx is the request's
// fault and resets the streak like a success. Not thread-safe: one strand owns it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/clock.hpp"
#include "monitor/request_outcome.hpp"

namespace autoglm::monitor {

// Defaults follow Envoy's OutlierDetection proto, except that gateway failures (502/503/
// 504 and connect failures, timeouts, resets) are enforced: Envoy leaves
// enforcing_consecutive_gateway_failure at 0%, but a dead GPU node shows up exactly so.
struct OutlierConfig {
  bool enabled = true;
  int consecutive_5xx = 5;              // 5xx or local-origin failures in a row; 0: off
  int consecutive_gateway_failure = 5;  // 502/503/504 or local-origin failures; 0: off
  core::Duration interval = std::chrono::seconds(10);            // sweep period
  core::Duration base_ejection_time = std::chrono::seconds(30);  // x times ejected
  core::Duration max_ejection_time = std::chrono::seconds(300);  // cap of the above
  int max_ejection_percent = 10;  // share of nodes ejected at once; one is always allowed
};

struct Ejection {
  std::string node_id;
  std::string reason;  // "5 consecutive gateway failures (last: connect_failure)"
  core::Time until;
  int times_ejected = 0;  // this ejection included
};

struct OutlierInfo {
  bool ejected = false;
  core::Time ejected_until{0};
  int times_ejected = 0;  // the multiplier of base_ejection_time; decays while healthy
  std::uint64_t total_ejections = 0;
  int consecutive_5xx = 0;
  int consecutive_gateway_failures = 0;
  std::string last_reason;
};

class OutlierDetector {
 public:
  OutlierDetector(OutlierConfig config, core::Time now);

  void add_node(const std::string& node_id);
  void remove_node(const std::string& node_id);

  // Records one finished request; returns the ejection it caused, if any. Unknown nodes
  // are ignored.
  std::optional<Ejection> record(const std::string& node_id, RequestOutcome outcome,
                                 core::Time now);

  // Ends ejections whose time is up and, once per `interval`, lowers the multiplier of
  // nodes that stayed in service. Call it at least every `interval` (more often is fine).
  // Returns the nodes returned to service.
  std::vector<std::string> tick(core::Time now);

  bool is_ejected(const std::string& node_id) const;
  std::optional<OutlierInfo> info(const std::string& node_id) const;
  int ejected_count() const;
  const OutlierConfig& config() const { return config_; }

 private:
  bool ejection_allowed() const;
  core::Duration ejection_time(int times) const;
  Ejection eject(const std::string& node_id, OutlierInfo& node, std::string reason, core::Time now);

  OutlierConfig config_;
  std::unordered_map<std::string, OutlierInfo> nodes_;
  core::Time last_sweep_;
};

}  // namespace autoglm::monitor

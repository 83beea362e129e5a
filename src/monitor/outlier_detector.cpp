#include "monitor/outlier_detector.hpp"

#include <algorithm>

namespace autoglm::monitor {

OutlierDetector::OutlierDetector(OutlierConfig config, core::Time now)
    : config_(config), last_sweep_(now) {}

void OutlierDetector::add_node(const std::string& node_id) { nodes_.try_emplace(node_id); }

void OutlierDetector::remove_node(const std::string& node_id) { nodes_.erase(node_id); }

int OutlierDetector::ejected_count() const {
  int n = 0;
  for (const auto& [id, node] : nodes_) n += node.ejected ? 1 : 0;
  return n;
}

bool OutlierDetector::ejection_allowed() const {
  int ejected = ejected_count();
  if (ejected == 0) return true;  // Envoy always allows one
  return ejected * 100 < config_.max_ejection_percent * static_cast<int>(nodes_.size());
}

core::Duration OutlierDetector::ejection_time(int times) const {
  auto t = config_.base_ejection_time * times;
  return std::min(t, std::max(config_.max_ejection_time, config_.base_ejection_time));
}

Ejection OutlierDetector::eject(const std::string& node_id, OutlierInfo& node, std::string reason,
                                core::Time now) {
  ++node.times_ejected;
  ++node.total_ejections;
  node.ejected = true;
  node.ejected_until = now + ejection_time(node.times_ejected);
  node.last_reason = reason;
  node.consecutive_5xx = 0;
  node.consecutive_gateway_failures = 0;
  return Ejection{node_id, std::move(reason), node.ejected_until, node.times_ejected};
}

std::optional<Ejection> OutlierDetector::record(const std::string& node_id, RequestOutcome outcome,
                                                core::Time now) {
  auto it = nodes_.find(node_id);
  if (it == nodes_.end()) return std::nullopt;
  OutlierInfo& node = it->second;
  if (!is_node_failure(outcome)) {  // success or 4xx: the node answered
    node.consecutive_5xx = 0;
    node.consecutive_gateway_failures = 0;
    return std::nullopt;
  }
  ++node.consecutive_5xx;
  if (is_gateway_failure(outcome))
    ++node.consecutive_gateway_failures;
  else
    node.consecutive_gateway_failures = 0;
  if (!config_.enabled || node.ejected) return std::nullopt;

  std::string reason;
  if (config_.consecutive_gateway_failure > 0 &&
      node.consecutive_gateway_failures >= config_.consecutive_gateway_failure) {
    reason = std::to_string(node.consecutive_gateway_failures) + " consecutive gateway failures";
  } else if (config_.consecutive_5xx > 0 && node.consecutive_5xx >= config_.consecutive_5xx) {
    reason = std::to_string(node.consecutive_5xx) + " consecutive 5xx or connection failures";
  } else {
    return std::nullopt;
  }
  if (!ejection_allowed()) return std::nullopt;  // streak kept: it may eject later
  reason += " (last: " + std::string(outcome_name(outcome)) + ")";
  return eject(node_id, node, std::move(reason), now);
}

std::vector<std::string> OutlierDetector::tick(core::Time now) {
  std::vector<std::string> returned;
  bool sweep = now - last_sweep_ >= config_.interval;
  if (sweep) last_sweep_ = now;
  for (auto& [id, node] : nodes_) {
    if (node.ejected && now >= node.ejected_until) {
      node.ejected = false;
      returned.push_back(id);
    } else if (sweep && !node.ejected && node.times_ejected > 0) {
      --node.times_ejected;  // a node that stays well is forgiven one ejection per sweep
    }
  }
  std::sort(returned.begin(), returned.end());
  return returned;
}

bool OutlierDetector::is_ejected(const std::string& node_id) const {
  auto it = nodes_.find(node_id);
  return it != nodes_.end() && it->second.ejected;
}

std::optional<OutlierInfo> OutlierDetector::info(const std::string& node_id) const {
  auto it = nodes_.find(node_id);
  if (it == nodes_.end()) return std::nullopt;
  return it->second;
}

}  // namespace autoglm::monitor

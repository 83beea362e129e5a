#include "monitor/node_state.hpp"

#include <string>

namespace autoglm::monitor {

std::string_view node_state_name(NodeState state) {
  switch (state) {
    case NodeState::kJoining:
      return "joining";
    case NodeState::kHealthy:
      return "healthy";
    case NodeState::kDegraded:
      return "degraded";
    case NodeState::kDraining:
      return "draining";
    case NodeState::kEjected:
      return "ejected";
    case NodeState::kDown:
      return "down";
  }
  return "unknown";
}

NodeStateMachine::NodeStateMachine(NodeStateOptions options, core::Time now)
    : options_(options), since_(now) {}

NodeState NodeStateMachine::derive() const {
  if (removed_ || down_by_heartbeats_ || down_by_checks_) return NodeState::kDown;
  if (draining_) return NodeState::kDraining;
  if (ejected_) return NodeState::kEjected;
  if (!joined_) return NodeState::kJoining;
  if (degraded_ || check_fails_ > 0) return NodeState::kDegraded;
  return NodeState::kHealthy;
}

std::optional<StateChange> NodeStateMachine::update(core::Time now, std::string reason) {
  NodeState next = derive();
  if (next == state_) return std::nullopt;
  StateChange change{state_, next, std::move(reason), now};
  state_ = next;
  reason_ = change.reason;
  since_ = now;
  return change;
}

std::optional<StateChange> NodeStateMachine::on_heartbeat(core::Time now) {
  if (removed_) return std::nullopt;
  bool was_down = down_by_heartbeats_;
  joined_ = true;
  down_by_heartbeats_ = false;
  return update(now, was_down ? "heartbeats resumed" : "heartbeat received");
}

std::optional<StateChange> NodeStateMachine::on_missed_heartbeats(int missed, core::Time now) {
  if (removed_ || missed < options_.missed_heartbeats_down) return std::nullopt;
  down_by_heartbeats_ = true;
  return update(now, "missed " + std::to_string(missed) + " heartbeats in a row");
}

std::optional<StateChange> NodeStateMachine::on_health_check(bool passed, core::Time now,
                                                             std::string_view detail) {
  if (removed_) return std::nullopt;
  std::string suffix = detail.empty() ? "" : ": " + std::string(detail);
  if (passed) {
    check_fails_ = 0;
    ++check_passes_;
    if (check_passes_ >= options_.healthy_threshold) {
      joined_ = true;
      down_by_checks_ = false;
    }
    return update(now, std::to_string(check_passes_) + " health checks passed" + suffix);
  }
  check_passes_ = 0;
  ++check_fails_;
  if (check_fails_ >= options_.unhealthy_threshold) down_by_checks_ = true;
  return update(now, std::to_string(check_fails_) + " health checks failed in a row" + suffix);
}

std::optional<StateChange> NodeStateMachine::mark_up(core::Time now, std::string_view reason) {
  if (removed_) return std::nullopt;
  joined_ = true;
  down_by_heartbeats_ = false;
  down_by_checks_ = false;
  check_fails_ = 0;
  return update(now, std::string(reason));
}

std::optional<StateChange> NodeStateMachine::on_ejected(core::Time now, std::string_view reason) {
  if (removed_) return std::nullopt;
  ejected_ = true;
  return update(now, std::string(reason));
}

std::optional<StateChange> NodeStateMachine::on_unejected(core::Time now) {
  if (removed_) return std::nullopt;
  ejected_ = false;
  return update(now, "ejection ended");
}

std::optional<StateChange> NodeStateMachine::set_degraded(bool degraded, core::Time now,
                                                          std::string_view reason) {
  if (removed_) return std::nullopt;
  degraded_ = degraded;
  return update(now, std::string(reason));
}

std::optional<StateChange> NodeStateMachine::drain(core::Time now) {
  if (removed_) return std::nullopt;
  draining_ = true;
  return update(now, "drain requested");
}

std::optional<StateChange> NodeStateMachine::undrain(core::Time now) {
  if (removed_) return std::nullopt;
  draining_ = false;
  return update(now, "drain cancelled");
}

std::optional<StateChange> NodeStateMachine::deregister(core::Time now) {
  if (removed_) return std::nullopt;
  removed_ = true;
  if (auto change = update(now, "deregistered")) return change;
  reason_ = "deregistered";  // it was down already; say why it will stay so
  since_ = now;
  return StateChange{NodeState::kDown, NodeState::kDown, reason_, now};
}

}  // namespace autoglm::monitor

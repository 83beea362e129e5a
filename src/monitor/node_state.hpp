// The life of one node as the gateway sees it: joining, healthy, degraded, draining,
// ejected or down, with the reason and since when. Driven by events (heartbeats, health
// checks, ejections, drain, deregister) on injected time. Not thread-safe: owned by the
// node registry, which touches it from one strand.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/clock.hpp"

namespace autoglm::monitor {

enum class NodeState { kJoining, kHealthy, kDegraded, kDraining, kEjected, kDown };

std::string_view node_state_name(NodeState state);

struct NodeStateOptions {
  int healthy_threshold = 2;       // consecutive passing health checks to (re)join
  int unhealthy_threshold = 3;     // consecutive failing health checks to go down
  int missed_heartbeats_down = 3;  // heartbeats missed in a row to go down (push mode)
};

struct StateChange {
  NodeState from;
  NodeState to;
  std::string reason;
  core::Time at;
};

// The visible state is derived, strongest first: down (deregistered, missed heartbeats or
// failed health checks) > draining > ejected > joining > degraded > healthy. So a draining
// node that dies shows down, and shows draining again when it comes back.
class NodeStateMachine {
 public:
  NodeStateMachine(NodeStateOptions options, core::Time now);

  NodeState state() const { return state_; }
  const std::string& reason() const { return reason_; }
  core::Time since() const { return since_; }
  bool removed() const { return removed_; }
  // New work may go to the node: healthy or degraded.
  bool accepts_new_work() const {
    return state_ == NodeState::kHealthy || state_ == NodeState::kDegraded;
  }

  // Every event returns the change when the visible state changed.
  std::optional<StateChange> on_heartbeat(core::Time now);
  std::optional<StateChange> on_missed_heartbeats(int missed, core::Time now);
  std::optional<StateChange> on_health_check(bool passed, core::Time now,
                                             std::string_view detail = {});
  // A node configured statically with no health checks joins at once.
  std::optional<StateChange> mark_up(core::Time now, std::string_view reason);
  std::optional<StateChange> on_ejected(core::Time now, std::string_view reason);
  std::optional<StateChange> on_unejected(core::Time now);
  // Degraded from outside (an open breaker, a backend near its limits); cleared with false.
  std::optional<StateChange> set_degraded(bool degraded, core::Time now, std::string_view reason);
  std::optional<StateChange> drain(core::Time now);
  std::optional<StateChange> undrain(core::Time now);
  // Terminal: the node leaves the registry.
  std::optional<StateChange> deregister(core::Time now);

 private:
  NodeState derive() const;
  std::optional<StateChange> update(core::Time now, std::string reason);

  NodeStateOptions options_;
  bool joined_ = false;
  bool down_by_heartbeats_ = false;
  bool down_by_checks_ = false;
  bool degraded_ = false;
  bool ejected_ = false;
  bool draining_ = false;
  bool removed_ = false;
  int check_passes_ = 0;
  int check_fails_ = 0;
  NodeState state_ = NodeState::kJoining;
  std::string reason_ = "registered";
  core::Time since_;
};

}  // namespace autoglm::monitor

#include "monitor/node_state.hpp"

#include <gtest/gtest.h>

namespace autoglm::monitor {
namespace {

using std::chrono::seconds;
constexpr core::Time kT0{seconds(100)};

TEST(NodeState, StartsJoiningAndJoinsOnFirstHeartbeat) {
  NodeStateMachine node({}, kT0);
  EXPECT_EQ(node.state(), NodeState::kJoining);
  EXPECT_FALSE(node.accepts_new_work());
  auto change = node.on_heartbeat(kT0 + seconds(1));
  ASSERT_TRUE(change);
  EXPECT_EQ(change->from, NodeState::kJoining);
  EXPECT_EQ(change->to, NodeState::kHealthy);
  EXPECT_EQ(node.since(), kT0 + seconds(1));
  EXPECT_TRUE(node.accepts_new_work());
  EXPECT_FALSE(node.on_heartbeat(kT0 + seconds(2))) << "no change, no event";
}

TEST(NodeState, ThreeMissedHeartbeatsMeanDownAndABeatBringsItBack) {
  NodeStateMachine node({}, kT0);
  node.on_heartbeat(kT0);
  EXPECT_FALSE(node.on_missed_heartbeats(2, kT0 + seconds(2)));
  EXPECT_EQ(node.state(), NodeState::kHealthy);
  auto down = node.on_missed_heartbeats(3, kT0 + seconds(3));
  ASSERT_TRUE(down);
  EXPECT_EQ(node.state(), NodeState::kDown);
  EXPECT_EQ(node.reason(), "missed 3 heartbeats in a row");
  EXPECT_EQ(node.since(), kT0 + seconds(3));
  auto up = node.on_heartbeat(kT0 + seconds(10));
  ASSERT_TRUE(up);
  EXPECT_EQ(up->from, NodeState::kDown);
  EXPECT_EQ(up->to, NodeState::kHealthy);
  EXPECT_EQ(node.reason(), "heartbeats resumed");
}

TEST(NodeState, HealthCheckThresholds) {
  NodeStateMachine node({.healthy_threshold = 2, .unhealthy_threshold = 3}, kT0);
  EXPECT_FALSE(node.on_health_check(true, kT0));
  EXPECT_EQ(node.state(), NodeState::kJoining) << "one pass is not enough";
  EXPECT_TRUE(node.on_health_check(true, kT0 + seconds(1)));
  EXPECT_EQ(node.state(), NodeState::kHealthy);

  EXPECT_TRUE(node.on_health_check(false, kT0 + seconds(2), "HTTP 500"));
  EXPECT_EQ(node.state(), NodeState::kDegraded) << "failing, but not yet down";
  EXPECT_EQ(node.reason(), "1 health checks failed in a row: HTTP 500");
  node.on_health_check(false, kT0 + seconds(3));
  EXPECT_EQ(node.state(), NodeState::kDegraded);
  node.on_health_check(false, kT0 + seconds(4));
  EXPECT_EQ(node.state(), NodeState::kDown);

  node.on_health_check(true, kT0 + seconds(5));
  EXPECT_EQ(node.state(), NodeState::kDown) << "needs healthy_threshold passes";
  node.on_health_check(true, kT0 + seconds(6));
  EXPECT_EQ(node.state(), NodeState::kHealthy);
}

TEST(NodeState, OnePassClearsDegradedFromChecks) {
  NodeStateMachine node({}, kT0);
  node.mark_up(kT0, "static node");
  node.on_health_check(false, kT0 + seconds(1));
  EXPECT_EQ(node.state(), NodeState::kDegraded);
  node.on_health_check(true, kT0 + seconds(2));
  EXPECT_EQ(node.state(), NodeState::kHealthy);
}

TEST(NodeState, EjectionAndReturn) {
  NodeStateMachine node({}, kT0);
  node.mark_up(kT0, "static node");
  auto out = node.on_ejected(kT0 + seconds(1), "5 consecutive gateway failures");
  ASSERT_TRUE(out);
  EXPECT_EQ(node.state(), NodeState::kEjected);
  EXPECT_FALSE(node.accepts_new_work());
  EXPECT_EQ(node.reason(), "5 consecutive gateway failures");
  node.on_unejected(kT0 + seconds(31));
  EXPECT_EQ(node.state(), NodeState::kHealthy);
}

TEST(NodeState, DrainingSurvivesHealthEventsButDownWins) {
  NodeStateMachine node({}, kT0);
  node.on_heartbeat(kT0);
  node.drain(kT0 + seconds(1));
  EXPECT_EQ(node.state(), NodeState::kDraining);
  EXPECT_FALSE(node.accepts_new_work());
  node.on_heartbeat(kT0 + seconds(2));
  EXPECT_EQ(node.state(), NodeState::kDraining);
  node.on_missed_heartbeats(3, kT0 + seconds(5));
  EXPECT_EQ(node.state(), NodeState::kDown);
  node.on_heartbeat(kT0 + seconds(6));
  EXPECT_EQ(node.state(), NodeState::kDraining) << "back, but still draining";
  node.undrain(kT0 + seconds(7));
  EXPECT_EQ(node.state(), NodeState::kHealthy);
}

TEST(NodeState, DegradedFromOutside) {
  NodeStateMachine node({}, kT0);
  node.on_heartbeat(kT0);
  node.set_degraded(true, kT0 + seconds(1), "circuit breaker open");
  EXPECT_EQ(node.state(), NodeState::kDegraded);
  EXPECT_TRUE(node.accepts_new_work());
  EXPECT_EQ(node.reason(), "circuit breaker open");
  node.set_degraded(false, kT0 + seconds(2), "circuit breaker closed");
  EXPECT_EQ(node.state(), NodeState::kHealthy);
}

TEST(NodeState, DeregisterIsTerminal) {
  NodeStateMachine node({}, kT0);
  node.on_heartbeat(kT0);
  auto gone = node.deregister(kT0 + seconds(1));
  ASSERT_TRUE(gone);
  EXPECT_EQ(gone->to, NodeState::kDown);
  EXPECT_TRUE(node.removed());
  EXPECT_EQ(node.reason(), "deregistered");
  EXPECT_FALSE(node.on_heartbeat(kT0 + seconds(2)));
  EXPECT_EQ(node.state(), NodeState::kDown);
}

TEST(NodeState, DeregisterADownNodeStillSaysWhy) {
  NodeStateMachine node({}, kT0);
  node.on_heartbeat(kT0);
  node.on_missed_heartbeats(3, kT0 + seconds(3));
  auto gone = node.deregister(kT0 + seconds(4));
  ASSERT_TRUE(gone);
  EXPECT_EQ(node.reason(), "deregistered");
}

TEST(NodeState, Names) {
  EXPECT_EQ(node_state_name(NodeState::kJoining), "joining");
  EXPECT_EQ(node_state_name(NodeState::kHealthy), "healthy");
  EXPECT_EQ(node_state_name(NodeState::kDegraded), "degraded");
  EXPECT_EQ(node_state_name(NodeState::kDraining), "draining");
  EXPECT_EQ(node_state_name(NodeState::kEjected), "ejected");
  EXPECT_EQ(node_state_name(NodeState::kDown), "down");
}

}  // namespace
}  // namespace autoglm::monitor

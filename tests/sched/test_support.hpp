// Helpers for scheduler tests: a manual clock, tiny test-local policy parts, node and task
// factories, and a harness that drives one Scheduler and collects its actions.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.hpp"
#include "policy/pipeline.hpp"
#include "sched/scheduler.hpp"

namespace autoglm::sched::testing {

using namespace std::chrono_literals;
using core::PriorityClass;

// Picks the candidate with the lowest node index: makes node choice obvious in tests.
class LowestIndexPicker final : public policy::Picker {
 public:
  std::string_view name() const override { return "lowest_index"; }
  std::size_t pick(std::span<const policy::Candidate> scored, policy::Rng&) override {
    std::size_t best = 0;
    for (std::size_t i = 1; i < scored.size(); ++i) {
      if (scored[i].node < scored[best].node) best = i;
    }
    return best;
  }
};

// Free share of the node's capacity: 1 - in_flight / capacity (1 when unbounded).
class FreeSlotsScorer final : public policy::Scorer {
 public:
  std::string_view name() const override { return "free_slots"; }
  void measure(const TaskSpec&, std::span<const core::NodeView> nodes,
               std::span<const core::NodeIndex> candidates, std::span<double> out,
               const policy::Context&) override {
    for (std::size_t i = 0; i < candidates.size(); ++i) {
      const auto& n = nodes[candidates[i]];
      out[i] = n.capacity > 0 ? 1.0 - static_cast<double>(n.in_flight) / n.capacity : 1.0;
    }
  }
};

// Rules out the node with one id.
class ExcludeNodeFilter final : public policy::Filter {
 public:
  explicit ExcludeNodeFilter(std::string id) : id_(std::move(id)) {}
  std::string_view name() const override { return "exclude_node"; }
  void apply(const TaskSpec& task, std::span<const core::NodeView> nodes,
             std::vector<NodeIndex>& candidates, const policy::Context& ctx) const override {
    std::erase_if(candidates, [&](NodeIndex i) { return !allows(task, nodes[i], ctx); });
  }
  bool allows(const TaskSpec&, const core::NodeView& node, const policy::Context&) const override {
    return node.id != id_;
  }

 private:
  std::string id_;
};

// No filters at all: every guarantee about forbidden nodes then comes from the core.
inline std::unique_ptr<policy::Pipeline> first_fit(std::string name = "first_fit") {
  return std::make_unique<policy::Pipeline>(
      std::move(name), std::vector<std::unique_ptr<policy::Filter>>{},
      std::vector<policy::WeightedScorer>{}, std::make_unique<LowestIndexPicker>());
}

// A named preset from the policy library.
inline std::unique_ptr<policy::Pipeline> preset_pipeline(const std::string& name) {
  auto spec = policy::preset(name);
  EXPECT_TRUE(spec.is_ok()) << name;
  auto pipeline = policy::build_pipeline(*spec);
  EXPECT_TRUE(pipeline.is_ok()) << name;
  return std::move(pipeline).value();
}

inline core::NodeView node_view(std::string id, int capacity,
                                std::vector<std::string> models = {"m"}) {
  core::NodeView v;
  v.id = std::move(id);
  v.capacity = capacity;
  v.models = std::move(models);
  return v;
}

inline TaskSpec task(TaskId id, PriorityClass cls = PriorityClass::kStandard,
                     std::string model = "m") {
  TaskSpec t;
  t.id = id;
  t.model = std::move(model);
  t.priority_class = cls;
  t.priority_level = core::default_level(cls);
  t.input_tokens = 100;
  t.max_output_tokens = 50;
  return t;
}

inline TaskSpec async_task(TaskId id, PriorityClass cls = PriorityClass::kBatch,
                           std::string model = "m") {
  TaskSpec t = task(id, cls, std::move(model));
  t.kind = core::TaskKind::kAsync;
  t.latency = core::LatencyClass::kBatch;
  t.preemptible = true;
  return t;
}

struct Harness {
  explicit Harness(SchedulerOptions options = {},
                   std::unique_ptr<policy::Pipeline> pipeline = first_fit(), std::uint64_t seed = 1)
      : scheduler(std::move(options), clock, std::move(pipeline), seed) {}

  NodeIndex add(std::string id, int capacity, std::vector<std::string> models = {"m"}) {
    NodeIndex i = scheduler.add_node(node_view(std::move(id), capacity, std::move(models)));
    scheduler.take_actions();
    return i;
  }
  Actions submit(TaskSpec t) {
    scheduler.submit(std::move(t));
    return scheduler.take_actions();
  }
  Actions finish(TaskId id, TaskResult result = {}) {
    scheduler.finished(id, result);
    return scheduler.take_actions();
  }
  Actions tick() {
    scheduler.tick();
    return scheduler.take_actions();
  }
  const core::NodeView& node(NodeIndex i) const { return scheduler.nodes()[i]; }

  core::ManualClock clock;
  Scheduler scheduler;
};

// The ids placed, in order.
inline std::vector<TaskId> placed(const Actions& a) {
  std::vector<TaskId> ids;
  for (const auto& p : a.dispatch) ids.push_back(p.task);
  return ids;
}
inline std::vector<TaskId> rejected(const Actions& a) {
  std::vector<TaskId> ids;
  for (const auto& r : a.reject) ids.push_back(r.task);
  return ids;
}
inline std::vector<TaskId> cancelled(const Actions& a) {
  std::vector<TaskId> ids;
  for (const auto& c : a.cancel) ids.push_back(c.task);
  return ids;
}

}  // namespace autoglm::sched::testing

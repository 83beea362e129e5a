// Builds the scheduler core for the live gateway from the configuration: options, the
// policy pipeline, and one NodeView per node (with its GPU's latency constants when the
// node names a known profile in its `profile` label).
#pragma once

#include <memory>
#include <vector>

#include "config/config.hpp"
#include "core/node.hpp"
#include "core/status.hpp"
#include "sched/scheduler.hpp"

namespace autoglm::api {

sched::SchedulerOptions scheduler_options(const config::SchedulerConfig& config);

// A preset by name, or the composed pipeline when given; errors name `where` (the key).
core::Result<std::unique_ptr<policy::Pipeline>> make_pipeline(
    const std::string& preset, const std::optional<config::PipelineConfig>& composed,
    const std::string& where);

// The scheduler's view of a node as configured or registered (its GPU's latency constants
// when it names a known profile in its `profile` label).
core::NodeView node_view_for(const core::NodeSpec& spec);

core::Result<std::unique_ptr<sched::Scheduler>> make_scheduler(
    const config::Config& config, const std::vector<core::NodeSpec>& nodes,
    const core::Clock& clock);

}  // namespace autoglm::api

// Renders scheduler decisions and snapshots for people: the x-autoglm-decision header and
// the JSON of GET /admin/v1/scheduler.
#pragma once

#include <string>

#include "dispatch/node_set.hpp"
#include "policy/pipeline.hpp"
#include "sched/scheduler.hpp"

namespace autoglm::api {

// "policy=dynamic; node=gpu-1; queued_ms=0.0; top=gpu-1:0.912,gpu-0:0.705"
std::string decision_header(const sched::Placement& placement, const dispatch::NodeSet& nodes);

std::string snapshot_json(const sched::Snapshot& snapshot);

}  // namespace autoglm::api

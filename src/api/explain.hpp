// Renders scheduler decisions and snapshots for people: the x-autoglm-decision header and
// the JSON of GET /admin/v1/scheduler.
#pragma once

#include <string>

#include <boost/json/object.hpp>

#include "dispatch/node_set.hpp"
#include "policy/pipeline.hpp"
#include "sched/scheduler.hpp"

namespace autoglm::api {

// "policy=dynamic; node=gpu-1; queued_ms=0.0; top=gpu-1:0.912,gpu-0:0.705"
std::string decision_header(const sched::Placement& placement, const dispatch::NodeSet& nodes);

// One node's line of a snapshot: {"id", "score", "eligible", "in_flight", "failures",
// "ewma": {"ttft_ms", "tpot_ms", "e2e_ms", "samples", "weight"}}.
boost::json::object node_score_object(const sched::Snapshot::NodeScore& node);
// GET /admin/v1/scheduler: policy, queue, counters and each node's score and EWMA latencies.
boost::json::object snapshot_object(const sched::Snapshot& snapshot);
std::string snapshot_json(const sched::Snapshot& snapshot);

}  // namespace autoglm::api

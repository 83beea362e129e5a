#include "api/explain.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

namespace autoglm::api {

namespace json = boost::json;

std::string decision_header(const sched::Placement& placement, const dispatch::NodeSet& nodes) {
  std::string out = fmt::format("policy={}; node={}; queued_ms={:.1f}; top=",
                                placement.decision.policy,
                                nodes.at(placement.node).spec.id,
                                core::to_ms(placement.queued_for));
  bool first = true;
  for (const auto& candidate : placement.decision.top) {
    if (candidate.node >= nodes.size()) continue;
    fmt::format_to(std::back_inserter(out), "{}{}:{:.3f}", first ? "" : ",",
                   nodes.at(candidate.node).spec.id,
                   candidate.score);
    first = false;
  }
  return out;
}

std::string snapshot_json(const sched::Snapshot& snapshot) {
  json::object queue;
  json::object shed;
  json::object timed_out;
  for (std::size_t c = 0; c < sched::kClasses; ++c) {
    const std::string name(core::priority_class_name(static_cast<core::PriorityClass>(c)));
    queue[name] = snapshot.queued[c];
    shed[name] = snapshot.shed_total[c];
    timed_out[name] = snapshot.timed_out_total[c];
  }
  json::array nodes;
  for (const auto& node : snapshot.scores) {
    json::object entry;
    entry["id"] = node.id;
    entry["score"] = node.score;
    entry["eligible"] = node.eligible;
    nodes.push_back(std::move(entry));
  }
  json::object out;
  out["policy"] = snapshot.policy;
  out["pipeline"] = snapshot.policy_parts;
  out["queue"] = std::move(queue);
  out["in_flight"] = snapshot.in_flight;
  out["dispatched_total"] = snapshot.dispatched_total;
  out["shed_total"] = std::move(shed);
  out["timed_out_total"] = std::move(timed_out);
  out["nodes"] = std::move(nodes);
  return json::serialize(out);
}

}  // namespace autoglm::api

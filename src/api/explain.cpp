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

json::object node_score_object(const sched::Snapshot::NodeScore& node) {
  json::object ewma;
  ewma["ttft_ms"] = node.feedback.ttft_ms;
  ewma["tpot_ms"] = node.feedback.tpot_ms;
  ewma["e2e_ms"] = node.feedback.e2e_ms;
  ewma["samples"] = node.feedback.samples;
  ewma["weight"] = node.feedback.weight;
  json::object entry;
  entry["id"] = node.id;
  entry["score"] = node.score;
  entry["eligible"] = node.eligible;
  entry["in_flight"] = node.in_flight;
  entry["failures"] = node.failures;
  entry["ewma"] = std::move(ewma);
  return entry;
}

json::object snapshot_object(const sched::Snapshot& snapshot) {
  json::object queue;
  json::object shed;
  json::object timed_out;
  json::object rejected;
  for (std::size_t c = 0; c < sched::kClasses; ++c) {
    const std::string name(core::priority_class_name(static_cast<core::PriorityClass>(c)));
    queue[name] = snapshot.queued[c];
    shed[name] = snapshot.shed_total[c];
    timed_out[name] = snapshot.timed_out_total[c];
    rejected[name] = snapshot.rejected_total[c];
  }
  json::array nodes;
  for (const auto& node : snapshot.scores) nodes.push_back(node_score_object(node));
  json::object out;
  out["policy"] = snapshot.policy;
  out["pipeline"] = snapshot.policy_parts;
  out["queue"] = std::move(queue);
  out["in_flight"] = snapshot.in_flight;
  out["dispatched_total"] = snapshot.dispatched_total;
  out["shed_total"] = std::move(shed);
  out["timed_out_total"] = std::move(timed_out);
  out["rejected_total"] = std::move(rejected);
  out["preempted_total"] = snapshot.preempted_total;
  out["evacuated_total"] = snapshot.evacuated_total;
  out["nodes"] = std::move(nodes);
  return out;
}

std::string snapshot_json(const sched::Snapshot& snapshot) {
  return json::serialize(snapshot_object(snapshot));
}

}  // namespace autoglm::api

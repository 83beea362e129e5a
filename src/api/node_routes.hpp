// The node registry's HTTP routes under /admin/v1/nodes: register, list, show, drain,
// deregister, and the agents' heartbeats. Wire format in docs/monitoring.md.
#pragma once

#include <string>

#include <boost/json/object.hpp>

#include "monitor/node_registry.hpp"

namespace autoglm::api {

class Gateway;
class NodeMonitor;

void add_node_routes(Gateway& gateway, NodeMonitor& monitor);

// One node as GET /admin/v1/nodes shows it (a JSON object).
boost::json::object node_report_object(const monitor::NodeReport& report);
std::string node_report_json(const monitor::NodeReport& report);

}  // namespace autoglm::api

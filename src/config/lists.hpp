// Readers for the two list-valued keys: `nodes` (real backends) and
// `cluster.simulated.nodes` (groups of simulated GPU nodes). Each item is a map whose
// keys are checked like any section's.
#pragma once

#include <vector>

#include "config/config.hpp"
#include "config/field.hpp"
#include "core/node.hpp"

namespace autoglm::config {

// Items: {id (required, unique), url (required, http://host[:port][/path]),
// models (required, non-empty list of names), labels (map of strings)}.
// A trailing '/' on url is dropped. Replaces `out` unless the value is null.
void read_nodes(const Field& field, std::vector<core::NodeSpec>& out);

// Items: {profile (required), count (1..1024, default 1)}. Replaces `out` unless null.
void read_groups(const Field& field, std::vector<SimulatedGroup>& out);

}  // namespace autoglm::config

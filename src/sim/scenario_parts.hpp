// Internal to scenario parsing: the readers of a scenario's sections, one file each.
#pragma once

#include <string>

#include "sim/scenario.hpp"
#include "sim/yaml_fields.hpp"

namespace autoglm::sim::detail {

// `workload:`; `base_dir` resolves relative trace paths.
void read_workload(YamlFields& f, const std::string& base_dir, WorkloadSpec& out);
// `cluster:` (node groups and failures).
void read_cluster(YamlFields& f, ClusterSpec& out);

}  // namespace autoglm::sim::detail

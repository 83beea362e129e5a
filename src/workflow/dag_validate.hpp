// DAG validation and ordering: checks a parsed DagSpec before anything runs (ids, edges,
// cycles, template references) and gives Kahn's topological order. Pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/status.hpp"
#include "workflow/dag_spec.hpp"

namespace autoglm::workflow {

// OK, or the first problem found, as kInvalidArgument with param naming the field:
//   empty task list ("tasks"); an empty or duplicate id ("tasks[i].id"); an unknown kind
//   ("tasks[i].kind", listing the known ones); a missing model ("tasks[i].model"); a
//   pipeline step's bad payload ("tasks[i].payload.<field>", step_kinds.hpp); a requires
//   entry naming an unknown task or the task itself ("tasks[i].requires[j]"); a
//   {{tasks.X.output}} whose X is not in the task's requires ("tasks[i].payload"); a
//   cycle, named by its path in run order ("T1 -> T3 -> T2 -> T1", param "tasks").
core::Status validate_dag(const DagSpec& spec);

// Indices into spec.tasks in Kahn topological order: repeatedly take the nodes whose
// remaining in-degree is zero, lowest spec index first. REQUIRES: validate_dag(spec) ok.
std::vector<std::size_t> topological_order(const DagSpec& spec);

// The cycle through the graph as ids in run order, first id repeated at the end; empty
// when acyclic. Unknown requires entries are ignored.
std::vector<std::string> find_cycle(const DagSpec& spec);

}  // namespace autoglm::workflow

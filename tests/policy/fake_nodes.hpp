// Small builders for policy tests: a few fake NodeViews, a task, a Context, and helpers that
// run one part over every node. Tests read as "these nodes, this expectation".
#pragma once

#include <numeric>
#include <string>
#include <vector>

#include "core/node_view.hpp"
#include "core/task.hpp"
#include "policy/policy.hpp"

namespace autoglm::policy::testing {

// `n` healthy nodes serving model "m", no capacity bound, no metrics reported.
inline std::vector<NodeView> make_nodes(int n) {
  std::vector<NodeView> nodes(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    nodes[i].index = static_cast<NodeIndex>(i);
    nodes[i].id = "node-" + std::to_string(i);
    nodes[i].models = {"m"};
  }
  return nodes;
}

inline TaskSpec make_task(std::string model = "m") {
  TaskSpec t;
  t.id = 1;
  t.model = std::move(model);
  t.input_tokens = 1000;
  t.max_output_tokens = 100;
  return t;
}

// Owns what a Context points to.
struct Env {
  Thresholds thresholds;
  Rng rng{42};
  Context ctx() { return Context{core::Time{0}, &thresholds, &rng}; }
};

inline std::vector<NodeIndex> all_of(const std::vector<NodeView>& nodes) {
  std::vector<NodeIndex> c(nodes.size());
  std::iota(c.begin(), c.end(), NodeIndex{0});
  return c;
}

// The nodes a filter keeps out of all of them.
inline std::vector<NodeIndex> kept(const Filter& f, const TaskSpec& task,
                                   const std::vector<NodeView>& nodes, Env& env) {
  auto c = all_of(nodes);
  f.apply(task, nodes, c, env.ctx());
  return c;
}

// A scorer's score for every node, in node order.
inline std::vector<double> scores(Scorer& s, const TaskSpec& task,
                                  const std::vector<NodeView>& nodes, Env& env) {
  const auto c = all_of(nodes);
  std::vector<double> out(c.size(), -1.0);
  s.score(task, nodes, c, out, env.ctx());
  return out;
}

}  // namespace autoglm::policy::testing

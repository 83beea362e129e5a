#include "workflow/dag_validate.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <queue>

#include "workflow/step_kinds.hpp"
#include "workflow/templating.hpp"

namespace autoglm::workflow {

namespace {

using Index = std::map<std::string, std::size_t, std::less<>>;

Index index_of(const DagSpec& spec) {
  Index idx;
  for (std::size_t i = 0; i < spec.tasks.size(); ++i) idx.emplace(spec.tasks[i].id, i);
  return idx;
}

// downstream[u] = the nodes that require u (edges in run order), ascending.
std::vector<std::vector<std::size_t>> downstream_edges(const DagSpec& spec, const Index& idx) {
  std::vector<std::vector<std::size_t>> out(spec.tasks.size());
  for (std::size_t v = 0; v < spec.tasks.size(); ++v) {
    for (const auto& r : spec.tasks[v].upstream) {
      auto it = idx.find(r);
      if (it != idx.end()) out[it->second].push_back(v);
    }
  }
  return out;
}

std::string join_path(const std::vector<std::string>& ids) {
  std::string s;
  for (std::size_t i = 0; i < ids.size(); ++i) s += (i ? " -> " : "") + ids[i];
  return s;
}

core::Status check_task(const DagSpec& spec, std::size_t i, const Index& idx) {
  const auto& t = spec.tasks[i];
  const std::string at = "tasks[" + std::to_string(i) + "]";
  if (t.id.empty()) return core::invalid_argument(at + ".id is required", at + ".id");
  if (auto it = idx.find(t.id); it != idx.end() && it->second != i) {
    return core::invalid_argument(at + ".id '" + t.id + "' is already used by tasks[" +
                                      std::to_string(it->second) + "]; task ids must be unique",
                                  at + ".id");
  }
  auto kind = step_kind_or_error(t.kind, at + ".kind");
  if (!kind) return kind.status();
  // Every kind runs as an OpenAI request, which names its model.
  if (t.model.empty()) {
    return core::invalid_argument(at + ".model is required for a " + t.kind + " task",
                                  at + ".model");
  }
  if (auto body = step_request_body(**kind, t.payload, at + ".payload"); !body) {
    return body.status();
  }
  for (std::size_t j = 0; j < t.upstream.size(); ++j) {
    const std::string field = at + ".requires[" + std::to_string(j) + "]";
    if (t.upstream[j] == t.id) {
      return core::invalid_argument(
          "task '" + t.id + "' requires itself (cycle " + t.id + " -> " + t.id + ")", field);
    }
    if (!idx.contains(t.upstream[j])) {
      return core::invalid_argument(field + " names unknown task '" + t.upstream[j] + "'", field);
    }
  }
  for (const auto& ref : template_refs(t.payload)) {
    if (std::find(t.upstream.begin(), t.upstream.end(), ref) == t.upstream.end()) {
      return core::invalid_argument(at + ".payload uses {{tasks." + ref + ".output}} but '" + ref +
                                        "' is not in its requires; add it there",
                                    at + ".payload");
    }
  }
  return core::Status::ok();
}

}  // namespace

std::vector<std::string> find_cycle(const DagSpec& spec) {
  const Index idx = index_of(spec);
  const auto down = downstream_edges(spec, idx);
  enum class Color { kWhite, kGray, kBlack };
  std::vector<Color> color(spec.tasks.size(), Color::kWhite);
  std::vector<std::size_t> stack;
  std::vector<std::string> cycle;
  std::function<bool(std::size_t)> visit = [&](std::size_t u) {
    color[u] = Color::kGray;
    stack.push_back(u);
    for (std::size_t v : down[u]) {
      if (color[v] == Color::kGray) {
        auto from = std::find(stack.begin(), stack.end(), v);
        for (auto it = from; it != stack.end(); ++it) cycle.push_back(spec.tasks[*it].id);
        cycle.push_back(spec.tasks[v].id);
        return true;
      }
      if (color[v] == Color::kWhite && visit(v)) return true;
    }
    stack.pop_back();
    color[u] = Color::kBlack;
    return false;
  };
  for (std::size_t u = 0; u < spec.tasks.size(); ++u) {
    if (color[u] == Color::kWhite && visit(u)) break;
  }
  return cycle;
}

core::Status validate_dag(const DagSpec& spec) {
  if (spec.tasks.empty()) {
    return core::invalid_argument("a DAG needs at least one task in tasks", "tasks");
  }
  const Index idx = index_of(spec);
  for (std::size_t i = 0; i < spec.tasks.size(); ++i) {
    if (auto s = check_task(spec, i, idx); !s) return s;
  }
  auto cycle = find_cycle(spec);
  if (!cycle.empty()) {
    return core::invalid_argument(
        "the DAG has a cycle: " + join_path(cycle) + "; remove one of these requires", "tasks");
  }
  return core::Status::ok();
}

std::vector<std::size_t> topological_order(const DagSpec& spec) {
  const Index idx = index_of(spec);
  const auto down = downstream_edges(spec, idx);
  std::vector<std::size_t> indegree(spec.tasks.size(), 0);
  for (const auto& outs : down)
    for (std::size_t v : outs) ++indegree[v];
  std::priority_queue<std::size_t, std::vector<std::size_t>, std::greater<>> ready;
  for (std::size_t i = 0; i < indegree.size(); ++i)
    if (indegree[i] == 0) ready.push(i);
  std::vector<std::size_t> order;
  while (!ready.empty()) {
    const std::size_t u = ready.top();
    ready.pop();
    order.push_back(u);
    for (std::size_t v : down[u])
      if (--indegree[v] == 0) ready.push(v);
  }
  return order;
}

}  // namespace autoglm::workflow

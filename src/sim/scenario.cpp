#include "sim/scenario.hpp"

#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <set>
#include <sstream>

#include "policy/pipeline.hpp"
#include "sim/scenario_parts.hpp"

namespace autoglm::sim {
namespace {

using Sign = YamlFields::Sign;

core::Duration seconds(double s) { return core::from_ms(s * 1000.0); }

void read_groups(YamlFields& f, ClusterSpec& out) {
  const YAML::Node list = f.get("nodes");
  if (!list) return f.fail_here("missing field 'nodes'");
  if (!list.IsSequence() || list.size() == 0) {
    return f.fail(list, "nodes", "expected a list of node groups ({profile, count})");
  }
  std::set<std::string> ids;
  for (std::size_t g = 0; g < list.size() && f.ok(); ++g) {
    if (!list[g].IsMap()) {
      return f.fail(list[g], "nodes", fmt::format("expected a map, got {}",
                                                   YamlFields::describe(list[g])));
    }
    YamlFields group(f, list[g], fmt::format("nodes[{}]", g));
    const auto profile_name = group.string("profile", true);
    const auto count = group.integer("count", false).value_or(1);
    const auto name = group.string("name", false);
    const auto model = group.string("model", false);
    group.reject_unknown({"profile", "count", "name", "model"});
    if (!group.ok()) return;
    auto profile = find_profile(*profile_name);
    if (!profile) return group.fail(list[g]["profile"], "profile", profile.status().message());
    for (std::int64_t i = 0; i < count; ++i) {
      SimNodeSpec node;
      node.id = fmt::format("{}-{}", name.value_or(profile->name), i);
      if (!ids.insert(node.id).second) {
        return group.fail(list[g], "name",
                          fmt::format("node id '{}' is used twice; give the groups a `name`",
                                      node.id));
      }
      node.model = model.value_or(profile->model);
      node.profile = *profile;
      out.nodes.push_back(std::move(node));
    }
  }
}

void read_failures(YamlFields& f, ClusterSpec& out) {
  const YAML::Node list = f.get("failures");
  if (!list || !f.ok()) return;
  if (!list.IsSequence()) return f.fail(list, "failures", "expected a list of {node, from_s, to_s}");
  for (std::size_t w = 0; w < list.size() && f.ok(); ++w) {
    if (!list[w].IsMap()) {
      return f.fail(list[w], "failures", fmt::format("expected a map, got {}",
                                                      YamlFields::describe(list[w])));
    }
    YamlFields fw(f, list[w], fmt::format("failures[{}]", w));
    const auto node = fw.string("node", true);
    const auto from = fw.number("from_s", true, Sign::kNonNegative);
    const auto to = fw.number("to_s", true, Sign::kNonNegative);
    fw.reject_unknown({"node", "from_s", "to_s"});
    if (!fw.ok()) return;
    if (*to <= *from) return fw.fail(list[w]["to_s"], "to_s", "must be after from_s");
    std::size_t index = out.nodes.size();
    for (std::size_t i = 0; i < out.nodes.size(); ++i) {
      if (out.nodes[i].id == *node) index = i;
    }
    if (index == out.nodes.size()) {
      std::string known;
      for (std::size_t i = 0; i < out.nodes.size() && i < 8; ++i) {
        known += (i ? ", " : "") + out.nodes[i].id;
      }
      if (out.nodes.size() > 8) known += ", ...";
      return fw.fail(list[w]["node"], "node",
                     fmt::format("no node '{}'; nodes are named <name or profile>-<n>: {}", *node,
                                 known));
    }
    out.failures.push_back(FailureWindow{index, core::Time(seconds(*from)),
                                         core::Time(seconds(*to))});
  }
}

// One `pipelines.<name>:` entry: {filters: [...], scorers: {name: weight}, picker: ...}.
void read_pipeline(YamlFields& p, const std::string& name, Scenario& s) {
  policy::PipelineSpec spec;
  spec.name = name;
  spec.filters = p.string_list("filters", true).value_or(std::vector<std::string>{});
  spec.picker = p.string("picker").value_or("max_score");
  if (const YAML::Node scorers = p.get("scorers"); scorers && p.ok()) {
    if (!scorers.IsMap()) return p.fail(scorers, "scorers", "expected a map of scorer: weight");
    YamlFields weights(p, scorers, "scorers");
    for (const auto& kv : scorers) {
      const std::string scorer = kv.first.as<std::string>();
      const auto w = weights.number(scorer.c_str(), true, Sign::kNonNegative);
      if (w) spec.scorers.emplace_back(scorer, *w);
    }
  }
  p.reject_unknown({"filters", "scorers", "picker"});
  if (!p.ok()) return;
  if (auto built = policy::build_pipeline(spec); !built) {
    return p.fail_here(built.status().message());
  }
  s.pipelines[name] = std::move(spec);
}

void read_pipelines(YamlFields& f, Scenario& s) {
  const YAML::Node map = f.get("pipelines");
  if (!map || !f.ok()) return;
  if (!map.IsMap()) return f.fail(map, "pipelines", "expected a map of name: {filters, scorers, picker}");
  YamlFields all(f, map, "pipelines");
  for (const auto& kv : map) {
    const std::string name = kv.first.as<std::string>();
    if (!kv.second.IsMap()) {
      return all.fail(kv.second, name, "expected a map with filters, scorers and picker");
    }
    YamlFields p(all, kv.second, name);
    read_pipeline(p, name, s);
    if (!f.ok()) return;
  }
}

void read_policies(YamlFields& f, Scenario& s) {
  const auto policies = f.string_list("policies", true);
  if (!policies) return;
  const auto known = policy::preset_names();
  for (const std::string& p : *policies) {
    if (!knows_policy(s, p)) {
      std::string list;
      for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
      for (const auto& [k, spec] : s.pipelines) list += ", " + k;
      return f.fail(f.get("policies"), "policies",
                    fmt::format("unknown policy '{}'; known policies: {}", p, list));
    }
  }
  s.policies = *policies;
}

void read_scheduler(YamlFields& f, Scenario& s) {
  if (auto tick = f.number("tick_ms")) s.scheduler.tick = core::from_ms(*tick);
  if (auto m = f.number("metrics_interval_ms")) s.metrics_interval = core::from_ms(*m);
  if (auto fb = f.number("feedback_interval_s")) s.scheduler.feedback_interval = seconds(*fb);
  f.reject_unknown({"tick_ms", "metrics_interval_ms", "feedback_interval_s"});
}

}  // namespace

core::Result<Scenario> parse_scenario(const std::string& yaml, const std::string& origin,
                                      const std::string& base_dir) {
  YAML::Node root;
  try {
    root = YAML::Load(yaml);
  } catch (const YAML::Exception& e) {
    return core::invalid_argument(fmt::format("{}:{}: {}", origin, e.mark.line + 1, e.msg));
  }
  if (!root.IsMap()) return core::invalid_argument(fmt::format("{}: expected a map", origin));

  Scenario s;
  YamlFields f(root, origin);
  s.name = f.string("name").value_or(std::filesystem::path(origin).stem().string());
  s.description = f.string("description").value_or("");
  s.seed = static_cast<std::uint64_t>(f.integer("seed", false, Sign::kNonNegative).value_or(1));
  read_pipelines(f, s);
  read_policies(f, s);
  s.client_timeout = seconds(f.number("client_timeout_s", false, Sign::kNonNegative).value_or(0));
  const auto duration = f.number("duration_s");
  if (auto cluster = f.map("cluster", true)) {
    read_groups(*cluster, s.cluster);
    read_failures(*cluster, s.cluster);
    cluster->reject_unknown({"nodes", "failures"});
  }
  if (auto sched = f.map("scheduler")) read_scheduler(*sched, s);
  if (auto workload = f.map("workload", true)) {
    detail::read_workload(*workload, base_dir, s.workload);
    if (workload->ok() && s.workload.model.empty() && !s.cluster.nodes.empty()) {
      s.workload.model = s.cluster.nodes.front().model;
    }
    bool served = false;
    for (const auto& n : s.cluster.nodes) served = served || n.model == s.workload.model;
    if (workload->ok() && !served) {
      workload->fail(workload->get("model"), "model",
                     fmt::format("no node group serves model '{}'", s.workload.model));
    }
    if (workload->ok() && duration == std::nullopt &&
        std::holds_alternative<SyntheticSource>(s.workload.source) &&
        std::get<SyntheticSource>(s.workload.source).requests <= 0) {
      workload->fail_here("a synthetic workload needs `synthetic.requests` or a `duration_s`");
    }
  }
  s.workload.duration_s = duration;
  f.reject_unknown({"name", "description", "seed", "policies", "pipelines", "client_timeout_s",
                    "duration_s", "cluster", "scheduler", "workload"});
  if (!f.ok()) return f.status();
  return s;
}

core::Result<Scenario> load_scenario(const std::string& path) {
  std::ifstream in(path);
  if (!in) return core::not_found(fmt::format("{}: cannot open the scenario file", path), "scenario");
  std::stringstream text;
  text << in.rdbuf();
  const std::string dir = std::filesystem::path(path).parent_path().string();
  return parse_scenario(text.str(), path, dir);
}

bool knows_policy(const Scenario& scenario, const std::string& name) {
  const auto known = policy::preset_names();
  return scenario.pipelines.count(name) > 0 ||
         std::find(known.begin(), known.end(), name) != known.end();
}

SimulationOptions simulation_options(const Scenario& scenario, const std::string& policy) {
  SimulationOptions o;
  o.policy = policy;
  if (auto it = scenario.pipelines.find(policy); it != scenario.pipelines.end()) {
    o.pipeline = it->second;
  }
  o.seed = scenario.seed;
  o.client_timeout = scenario.client_timeout;
  o.scheduler = scenario.scheduler;
  o.metrics_interval = scenario.metrics_interval;
  return o;
}

}  // namespace autoglm::sim

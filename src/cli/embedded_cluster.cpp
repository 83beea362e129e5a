#include "cli/embedded_cluster.hpp"

#include <fmt/format.h>

#include "sim/gpu_profile.hpp"

namespace autoglm::cli {

core::Status EmbeddedCluster::start(const config::SimulatedCluster& cluster) {
  if (!cluster.enabled) return core::Status::ok();
  for (const auto& group : cluster.groups) {
    auto profile = sim::find_profile(group.profile);
    if (!profile) {
      return core::invalid_argument("cluster.simulated.nodes: " + profile.status().message());
    }
    for (int i = 0; i < group.count; ++i) {
      simnode::SimNodeOptions options;
      options.node_id = fmt::format("sim-{}-{}", group.profile, i);
      options.model = cluster.model;
      options.profile = *profile;
      options.seed = cluster.seed + nodes_.size();
      options.speedup = cluster.speedup;
      auto node = std::make_unique<simnode::SimNode>(options);
      try {
        node->start();
      } catch (const std::exception& e) {
        return core::unavailable(std::string("cannot start a simulated node: ") + e.what());
      }
      nodes_.push_back(std::move(node));
    }
  }
  return core::Status::ok();
}

void EmbeddedCluster::stop() {
  for (auto& node : nodes_) node->stop();
}

std::vector<core::NodeSpec> EmbeddedCluster::node_specs() const {
  std::vector<core::NodeSpec> specs;
  for (const auto& node : nodes_) {
    const auto& options = node->options();
    specs.push_back(core::NodeSpec{options.node_id,
                                   node->url(),
                                   {options.model},
                                   {{"gpu", options.profile.gpu},
                                    {"profile", options.profile.name},
                                    {"simulated", "true"}},
                                   options.profile.max_batch});
  }
  return specs;
}

}  // namespace autoglm::cli

// The embedded simulated cluster (`cluster.simulated`): simnode servers started inside the
// gateway process on loopback, so a machine with no GPU still gets a working endpoint.
#pragma once

#include <memory>
#include <vector>

#include "config/config.hpp"
#include "core/node.hpp"
#include "core/status.hpp"
#include "simnode/simnode.hpp"

namespace autoglm::cli {

class EmbeddedCluster {
 public:
  // Starts every node of `cluster`; an unknown profile or a bind failure is an error.
  core::Status start(const config::SimulatedCluster& cluster);
  void stop();
  // The running nodes as the gateway sees them.
  std::vector<core::NodeSpec> node_specs() const;

 private:
  std::vector<std::unique_ptr<simnode::SimNode>> nodes_;
};

}  // namespace autoglm::cli

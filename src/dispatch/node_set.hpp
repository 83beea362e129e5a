// The nodes the gateway can send work to, with their passive health and the round-robin
// choice this first slice uses (the scheduler core replaces the choice in its own issue).
// Thread-safe: every member may be called from any I/O thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/node.hpp"

namespace autoglm::dispatch {

using SteadyTime = std::chrono::steady_clock::time_point;

// A node plus what the gateway has learned about it by using it.
struct NodeState {
  explicit NodeState(core::NodeSpec node) : spec(std::move(node)) {}
  core::NodeSpec spec;
  std::string host;  // parsed from spec.url
  std::string port;
  std::string base_path;  // path prefix of spec.url ("" for a server root), no trailing '/'
  std::atomic<std::int64_t> down_until_ns{0};  // steady-clock time until which it is skipped
  std::atomic<std::int64_t> in_flight{0};
  std::atomic<std::uint64_t> requests{0};
  std::atomic<std::uint64_t> failures{0};
};

class NodeSet {
 public:
  // Throws std::invalid_argument for a URL that is not http://host[:port] (start-up error).
  explicit NodeSet(std::vector<core::NodeSpec> nodes);

  std::size_t size() const { return nodes_.size(); }
  NodeState& at(std::size_t i) { return *nodes_[i]; }

  // Sorted, de-duplicated union of the models every node serves.
  std::vector<std::string> models() const;
  bool serves(const std::string& model) const;

  // The next node by round robin among those that serve `model` and are not marked down
  // at `now`, skipping the ids in `exclude`. Empty when there is none.
  std::optional<std::size_t> pick(const std::string& model, SteadyTime now,
                                  const std::vector<std::size_t>& exclude = {});

  // Skip the node until now + backoff (a failed connect or a broken answer).
  void mark_failed(std::size_t index, SteadyTime now, std::chrono::milliseconds backoff);
  void mark_ok(std::size_t index);
  bool is_up(std::size_t index, SteadyTime now) const;

 private:
  std::vector<std::unique_ptr<NodeState>> nodes_;
  // One round-robin cursor per model; the map is fixed after construction.
  std::unordered_map<std::string, std::unique_ptr<std::atomic<std::uint64_t>>> cursors_;
};

}  // namespace autoglm::dispatch

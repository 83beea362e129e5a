// The nodes the gateway can send work to: where to connect, and their passive health
// (a node that could not be reached is skipped for a backoff). Choosing among them is the
// scheduler core's job (sched/, policy/).
// Thread-safe: every member may be called from any I/O thread. Nodes are only ever added
// (a deregistered node stays, marked removed), so indices and references stay valid.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <vector>

#include "core/node.hpp"
#include "core/status.hpp"

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
  std::atomic<bool> removed{false};  // deregistered: never chosen again
  std::atomic<bool> accepting{true};  // monitoring says it takes new work (api/node_monitor)
};

class NodeSet {
 public:
  // Throws std::invalid_argument for a URL that is not http://host[:port] (start-up error).
  explicit NodeSet(std::vector<core::NodeSpec> nodes);
  NodeSet(const NodeSet&) = delete;
  NodeSet& operator=(const NodeSet&) = delete;

  std::size_t size() const;
  NodeState& at(std::size_t i);
  const NodeState& at(std::size_t i) const;
  // The index of the node with this id, if any (removed ones included).
  std::optional<std::size_t> find(std::string_view id) const;

  // Adds a node (its index is the old size()). Returns an error for a bad URL.
  core::Result<std::size_t> add(core::NodeSpec spec);
  void mark_removed(std::size_t index);
  // Whether monitoring lets the node take new work (health, ejection, breaker, drain).
  void set_accepting(std::size_t index, bool accepting);

  // Sorted, de-duplicated union of the models every node serves.
  std::vector<std::string> models() const;
  bool serves(const std::string& model) const;

  // Whether a node serving `model` takes new work and is not marked down at `now`.
  bool any_up(const std::string& model, SteadyTime now) const;

  // Skip the node until now + backoff (a failed connect or a broken answer).
  void mark_failed(std::size_t index, SteadyTime now, std::chrono::milliseconds backoff);
  void mark_ok(std::size_t index);
  bool is_up(std::size_t index, SteadyTime now) const;

 private:
  mutable std::shared_mutex mu_;  // guards the vector, not the nodes (they are atomics)
  std::vector<std::unique_ptr<NodeState>> nodes_;
};

}  // namespace autoglm::dispatch

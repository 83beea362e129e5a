// Pooled keep-alive HTTP connections from the gateway to each node.
// Thread-safe: connections are handed out to one request at a time and given back.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <memory>
#include <mutex>
#include <vector>

#include "dispatch/node_set.hpp"

namespace autoglm::dispatch {

namespace asio = boost::asio;

// A connection on loan; give it back with UpstreamPool::release when the exchange on it
// ended cleanly, or let it go out of scope to close it.
struct Upstream {
  std::unique_ptr<asio::ip::tcp::socket> socket;
  bool reused = false;  // came from the pool (may have been closed by the node meanwhile)
};

class UpstreamPool {
 public:
  UpstreamPool(asio::io_context& io, NodeSet& nodes, std::chrono::milliseconds connect_timeout,
               std::size_t max_idle_per_node);

  // A pooled connection to node `index` when there is one, else a new one, connected
  // within `connect_timeout` (0: the pool's own). Returns no socket when the node
  // cannot be reached (connect failed or timed out).
  asio::awaitable<Upstream> acquire(std::size_t index, bool allow_reuse = true,
                                    std::chrono::milliseconds connect_timeout = {});
  void release(std::size_t index, Upstream upstream);
  // Closes every pooled connection of a node (it failed or went away).
  void drop(std::size_t index);

 private:
  struct NodePool {
    std::mutex mu;
    std::vector<std::unique_ptr<asio::ip::tcp::socket>> idle;
  };
  NodePool& pool(std::size_t index);  // grows with the node set
  asio::io_context& io_;
  NodeSet& nodes_;
  std::chrono::milliseconds connect_timeout_;
  std::size_t max_idle_;
  std::mutex pools_mu_;  // guards the vector; NodePool::mu guards each pool
  std::vector<std::unique_ptr<NodePool>> pools_;
};

}  // namespace autoglm::dispatch

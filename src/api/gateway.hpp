// The gateway's HTTP front end: OpenAI-compatible routes under the context path, health
// and readiness, and forwarding of completions to the nodes through dispatch/.
// Shared by all I/O threads; its state is the thread-safe NodeSet and connection pool.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "core/node.hpp"
#include "dispatch/node_set.hpp"
#include "dispatch/proxy.hpp"
#include "dispatch/upstream_pool.hpp"
#include "http/server.hpp"

namespace autoglm::api {

class Gateway {
 public:
  // `nodes` are the configured nodes plus any embedded simulated ones.
  Gateway(boost::asio::io_context& io, const config::Config& config,
          std::vector<core::NodeSpec> nodes);

  http::Handler handler();
  // From now on /readyz answers 503 so load balancers stop sending work.
  void begin_drain() { draining_ = true; }
  const dispatch::NodeSet& nodes() const { return nodes_; }

 private:
  boost::asio::awaitable<void> handle(http::Exchange& exchange);
  boost::asio::awaitable<void> completions(http::Exchange& exchange, std::string_view route);
  boost::asio::awaitable<void> models(http::Exchange& exchange);
  boost::asio::awaitable<void> readyz(http::Exchange& exchange);

  std::string context_path_;
  dispatch::NodeSet nodes_;
  dispatch::UpstreamPool pool_;
  dispatch::Proxy proxy_;
  std::atomic<bool> draining_{false};
};

}  // namespace autoglm::api

#include "dispatch/upstream_pool.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <tuple>

#include "http/deadline.hpp"

namespace autoglm::dispatch {

namespace {
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
}

UpstreamPool::UpstreamPool(asio::io_context& io, NodeSet& nodes,
                           std::chrono::milliseconds connect_timeout, std::size_t max_idle_per_node)
    : io_(io), nodes_(nodes), connect_timeout_(connect_timeout), max_idle_(max_idle_per_node) {}

UpstreamPool::NodePool& UpstreamPool::pool(std::size_t index) {
  std::lock_guard lock(pools_mu_);
  while (pools_.size() <= index) pools_.push_back(std::make_unique<NodePool>());
  return *pools_[index];
}

asio::awaitable<Upstream> UpstreamPool::acquire(std::size_t index, bool allow_reuse,
                                                std::chrono::milliseconds connect_timeout) {
  if (allow_reuse) {
    NodePool& idle = pool(index);
    std::unique_lock lock(idle.mu);
    while (!idle.idle.empty()) {
      auto socket = std::move(idle.idle.back());
      idle.idle.pop_back();
      if (socket->is_open()) co_return Upstream{std::move(socket), true};
    }
  }
  NodeState& node = nodes_.at(index);
  asio::ip::tcp::resolver resolver(io_);
  auto [rec, endpoints] = co_await resolver.async_resolve(node.host, node.port, kNoThrow);
  if (rec) co_return Upstream{};
  auto socket = std::make_unique<asio::ip::tcp::socket>(io_);
  boost::system::error_code cec;
  {
    http::Deadline deadline(co_await asio::this_coro::executor);
    auto armed =
        deadline.arm(*socket, connect_timeout.count() > 0 ? connect_timeout : connect_timeout_);
    std::tie(cec, std::ignore) = co_await asio::async_connect(*socket, endpoints, kNoThrow);
  }
  if (cec) co_return Upstream{};
  boost::system::error_code ignored;
  socket->set_option(asio::ip::tcp::no_delay(true), ignored);
  co_return Upstream{std::move(socket), false};
}

void UpstreamPool::release(std::size_t index, Upstream upstream) {
  if (!upstream.socket || !upstream.socket->is_open()) return;
  NodePool& idle = pool(index);
  std::lock_guard lock(idle.mu);
  if (idle.idle.size() < max_idle_) idle.idle.push_back(std::move(upstream.socket));
}

void UpstreamPool::drop(std::size_t index) {
  NodePool& idle = pool(index);
  std::lock_guard lock(idle.mu);
  idle.idle.clear();
}

}  // namespace autoglm::dispatch

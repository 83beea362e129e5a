// UpstreamStop: lets the scheduler take back a request that a node has not started yet
// (memory evacuation, preemption): forward() stops waiting and closes the upstream socket.
// request_stop() may be called from any thread; attach/detach only from the forwarding coroutine.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <functional>
#include <memory>
#include <mutex>

namespace autoglm::dispatch {

class UpstreamStop {
 public:
  // Idempotent. Has effect only until the node's answer began (see Proxy::forward).
  void request_stop();
  bool stop_requested() const;

  // While attached, a stop request closes `socket` on `executor` (the forwarding
  // coroutine's executor, so the close is serialised with its own use of the socket).
  void attach(boost::asio::any_io_executor executor, boost::asio::ip::tcp::socket* socket);
  void detach();

 private:
  struct Target {
    boost::asio::ip::tcp::socket* socket = nullptr;  // touched only on `executor`
  };
  mutable std::mutex mu_;
  bool stopped_ = false;
  boost::asio::any_io_executor executor_;
  std::shared_ptr<Target> target_;
};

}  // namespace autoglm::dispatch

#include "dispatch/upstream_stop.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>

namespace autoglm::dispatch {

void UpstreamStop::request_stop() {
  std::shared_ptr<Target> target;
  boost::asio::any_io_executor executor;
  {
    std::lock_guard lock(mu_);
    if (stopped_) return;
    stopped_ = true;
    target = target_;
    executor = executor_;
  }
  if (!target) return;
  boost::asio::post(executor, [target] {
    if (target->socket == nullptr) return;  // detached meanwhile: the request moved on
    boost::system::error_code ignored;
    target->socket->shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
    target->socket->close(ignored);
  });
}

bool UpstreamStop::stop_requested() const {
  std::lock_guard lock(mu_);
  return stopped_;
}

void UpstreamStop::attach(boost::asio::any_io_executor executor,
                          boost::asio::ip::tcp::socket* socket) {
  std::lock_guard lock(mu_);
  executor_ = std::move(executor);
  target_ = std::make_shared<Target>(Target{socket});
}

void UpstreamStop::detach() {
  std::lock_guard lock(mu_);
  if (target_) target_->socket = nullptr;
  target_.reset();
}

}  // namespace autoglm::dispatch

// Sleeper: the cancellable wait of a cluster/ background loop. Internal to cluster/ (it
// pulls in Asio's timer); the loop that sleeps runs on `strand`.
#pragma once

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>

namespace autoglm::cluster {

class Sleeper {
 public:
  using Strand = boost::asio::strand<boost::asio::any_io_executor>;
  explicit Sleeper(Strand strand) : strand_(strand), timer_(strand) {}

  // Returns at `until`, or at once once stop() was called. Only the owning loop sleeps.
  boost::asio::awaitable<void> until(std::chrono::steady_clock::time_point until) {
    if (stopped_) co_return;
    timer_.expires_at(until);
    co_await timer_.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
  }
  boost::asio::awaitable<void> sleep(std::chrono::steady_clock::duration d) {
    co_await until(std::chrono::steady_clock::now() + d);
  }
  // Any thread: ends the current and every later sleep.
  void stop() {
    stopped_ = true;
    boost::asio::post(strand_, [this] { timer_.cancel(); });
  }
  bool stopped() const { return stopped_; }
  const Strand& strand() const { return strand_; }

 private:
  Strand strand_;
  boost::asio::steady_timer timer_;
  std::atomic<bool> stopped_{false};
};

}  // namespace autoglm::cluster

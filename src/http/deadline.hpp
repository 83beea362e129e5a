// Deadline: bounds the reads and writes of a coroutine on its sockets with one timer.
//
// beast::tcp_stream arms, cancels and completes a timer around every read and write: most
// of a proxied request's timer work, for deadlines that almost never pass. A Deadline
// keeps one timer waiting and moves only a time point. Arming costs a clock read; the
// timer is set again only when it fires before the deadline (the deadline moved later
// meanwhile) or when a deadline is armed earlier than the wait in progress.
//
// While armed, a deadline that passes closes the watched socket: the read or write in
// progress fails, and explain() turns that failure into beast::error::timeout. Outside an
// armed span nothing happens, however long the coroutine waits elsewhere.
//
// A Deadline belongs to one coroutine: arm it, and destroy it, only from the executor it
// was made with (the connection's strand), which is also where its timer completes.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/error.hpp>
#include <chrono>
#include <memory>

namespace autoglm::http {

class Deadline {
 public:
  using Clock = std::chrono::steady_clock;

  // Disarms the deadline when it goes out of scope.
  class [[nodiscard]] Armed {
   public:
    explicit Armed(Deadline& deadline) : deadline_(deadline) {}
    Armed(const Armed&) = delete;
    Armed& operator=(const Armed&) = delete;
    ~Armed() { deadline_.disarm(); }

   private:
    Deadline& deadline_;
  };

  explicit Deadline(boost::asio::any_io_executor executor);
  Deadline(const Deadline&) = delete;
  Deadline& operator=(const Deadline&) = delete;
  ~Deadline();

  // From now until the returned guard is destroyed, `socket` is closed if `timeout`
  // passes. One armed span at a time: arming again replaces the socket and the time.
  Armed arm(boost::asio::ip::tcp::socket& socket, Clock::duration timeout) {
    return arm(socket, Clock::now() + timeout);
  }
  Armed arm(boost::asio::ip::tcp::socket& socket, Clock::time_point deadline);
  void disarm();

  // Whether the deadline passed while armed (since the last arm()).
  bool expired() const;
  // `ec`, or beast::error::timeout when `ec` is a failure and the deadline had passed.
  boost::beast::error_code explain(const boost::beast::error_code& ec) const;

 private:
  struct State;
  static void start_wait(const std::shared_ptr<State>& state);
  std::shared_ptr<State> state_;
};

}  // namespace autoglm::http

#include "http/deadline.hpp"

#include <boost/asio/error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/error.hpp>

namespace autoglm::http {

struct Deadline::State {
  explicit State(boost::asio::any_io_executor executor) : timer(std::move(executor)) {}

  boost::asio::steady_timer timer;
  boost::asio::ip::tcp::socket* socket = nullptr;  // null while disarmed or once destroyed
  Clock::time_point deadline = Clock::time_point::max();
  Clock::time_point wait_until{};  // when the wait in progress completes
  bool waiting = false;
  bool expired = false;
};

Deadline::Deadline(boost::asio::any_io_executor executor)
    : state_(std::make_shared<State>(std::move(executor))) {}

Deadline::~Deadline() {
  // A completion already queued still runs: it holds the state and finds no socket.
  state_->socket = nullptr;
  state_->timer.cancel();
}

Deadline::Armed Deadline::arm(boost::asio::ip::tcp::socket& socket, Clock::time_point deadline) {
  State& s = *state_;
  s.socket = &socket;
  s.expired = false;
  s.deadline = deadline;
  if (!s.waiting || s.wait_until > s.deadline) start_wait(state_);
  return Armed(*this);
}

void Deadline::disarm() {
  state_->socket = nullptr;
  state_->deadline = Clock::time_point::max();
}

bool Deadline::expired() const { return state_->expired; }

boost::beast::error_code Deadline::explain(const boost::beast::error_code& ec) const {
  if (ec && state_->expired) return boost::beast::error::timeout;
  return ec;
}

// Waits until the current deadline. Setting the expiry cancels a wait in progress; its
// completion then sees operation_aborted and leaves the state to the new wait.
void Deadline::start_wait(const std::shared_ptr<State>& state) {
  state->waiting = true;
  state->wait_until = state->deadline;
  state->timer.expires_at(state->deadline);
  state->timer.async_wait([state](const boost::system::error_code& ec) {
    if (ec == boost::asio::error::operation_aborted) return;
    state->waiting = false;
    if (state->socket == nullptr) return;  // disarmed: the next arm() waits again
    if (Clock::now() < state->deadline) {  // moved later since this wait began
      start_wait(state);
      return;
    }
    state->expired = true;
    boost::system::error_code ignored;
    state->socket->close(ignored);
    state->socket = nullptr;
  });
}

}  // namespace autoglm::http

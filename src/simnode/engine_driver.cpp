#include "simnode/engine_driver.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace autoglm::simnode {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

namespace {
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
}

EngineDriver::EngineDriver(asio::io_context& io, sim::Engine engine, double speedup)
    : io_(io),
      engine_(std::move(engine)),
      speedup_(speedup > 0 ? speedup : 1.0),
      idle_wake_(io),
      step_timer_(io) {}

void EngineDriver::start() { asio::co_spawn(io_, run(), asio::detached); }

void EngineDriver::stop() {
  stopping_ = true;
  idle_wake_.cancel();
  step_timer_.cancel();
}

core::Result<std::shared_ptr<SequenceFeed>> EngineDriver::submit(std::int64_t prompt_tokens,
                                                                 std::int64_t output_tokens,
                                                                 std::int64_t cached_tokens) {
  const std::uint64_t id = next_id_++;
  sim::SequenceRequest request;
  request.id = id;
  request.prompt_tokens = prompt_tokens;
  request.output_tokens = output_tokens;
  request.cached_tokens = cached_tokens;
  if (auto status = engine_.add(request); !status) return status;
  auto feed = std::make_shared<SequenceFeed>(io_.get_executor());
  feeds_.emplace(id, feed);
  idle_wake_.cancel();
  return feed;
}

void EngineDriver::cancel(const std::shared_ptr<SequenceFeed>& feed) {
  for (auto it = feeds_.begin(); it != feeds_.end(); ++it) {
    if (it->second == feed) {
      engine_.cancel(it->first);
      feeds_.erase(it);
      return;
    }
  }
}

asio::awaitable<void> EngineDriver::wait(SequenceFeed& feed) {
  while (feed.events.empty() && !feed.finished) {
    feed.wake.expires_at(Clock::time_point::max());
    co_await feed.wake.async_wait(kNoThrow);
  }
}

asio::awaitable<void> EngineDriver::run() {
  auto next = Clock::now();
  while (!stopping_) {
    if (engine_.idle()) {
      idle_wake_.expires_at(Clock::time_point::max());
      co_await idle_wake_.async_wait(kNoThrow);
      next = Clock::now();
      continue;
    }
    const double ms = engine_.plan_iteration() / speedup_;
    // Absolute deadlines: timer latency does not accumulate over a long stream, but a
    // stall (a slow machine) is not paid back with a burst of instant iterations.
    next = std::max(next + std::chrono::duration_cast<Clock::duration>(
                               std::chrono::duration<double, std::milli>(ms)),
                    Clock::now() - std::chrono::milliseconds(5));
    step_timer_.expires_at(next);
    co_await step_timer_.async_wait(kNoThrow);
    events_.clear();
    engine_.finish_iteration(events_);
    for (const auto& event : events_) {
      auto it = feeds_.find(event.id);
      if (it == feeds_.end()) continue;
      std::shared_ptr<SequenceFeed> feed = it->second;
      feed->events.push_back(event);
      if (event.kind == sim::EngineEvent::Kind::kFinished) {
        feed->finished = true;
        feeds_.erase(it);
      }
      feed->wake.cancel();
    }
  }
}

}  // namespace autoglm::simnode

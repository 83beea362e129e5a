// Drives a sim::Engine in real time on an io_context: sleeps for each iteration's modelled
// duration (divided by `speedup`), then hands each request the tokens it produced.
// REQUIRES: the io_context runs on exactly one thread; every call happens on it.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <unordered_map>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "core/status.hpp"
#include "sim/engine.hpp"

namespace autoglm::simnode {

// One request's view of the engine: the events produced for it, in order.
struct SequenceFeed {
  explicit SequenceFeed(boost::asio::any_io_executor executor) : wake(executor) {}
  std::deque<sim::EngineEvent> events;
  bool finished = false;
  boost::asio::steady_timer wake;  // cancelled whenever an event arrives
};

class EngineDriver {
 public:
  EngineDriver(boost::asio::io_context& io, sim::Engine engine, double speedup);

  void start();
  void stop();

  // Queues a sequence; its events arrive in the returned feed. Fails for a sequence that
  // could never fit in the KV cache.
  // `cached_tokens` of the prompt are in the prefix cache: the prefill skips them.
  core::Result<std::shared_ptr<SequenceFeed>> submit(std::int64_t prompt_tokens,
                                                     std::int64_t output_tokens,
                                                     std::int64_t cached_tokens = 0);
  // Abandons a sequence (the client went away) and frees its slot and KV.
  void cancel(const std::shared_ptr<SequenceFeed>& feed);

  // Waits until `feed` has an event or is finished.
  static boost::asio::awaitable<void> wait(SequenceFeed& feed);

  sim::EngineStats stats() const { return engine_.stats(); }
  const sim::GpuProfile& profile() const { return engine_.model().profile(); }

 private:
  boost::asio::awaitable<void> run();

  boost::asio::io_context& io_;
  sim::Engine engine_;
  double speedup_;
  boost::asio::steady_timer idle_wake_;
  boost::asio::steady_timer step_timer_;
  bool stopping_ = false;
  std::uint64_t next_id_ = 1;
  std::unordered_map<std::uint64_t, std::shared_ptr<SequenceFeed>> feeds_;
  std::vector<sim::EngineEvent> events_;
};

}  // namespace autoglm::simnode

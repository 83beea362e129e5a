// EventQueue: the simulator's pending events, a binary min-heap on (time, insertion order):
// events at the same instant come out in the order they were pushed, so runs are
// deterministic. Not thread-safe.
#pragma once

#include <cstdint>
#include <queue>
#include <vector>

#include "core/clock.hpp"

namespace autoglm::sim {

struct SimEvent {
  enum class Kind : std::uint8_t { kIterationEnd, kTick, kFailureStart, kFailureEnd, kClientTimeout };
  std::int64_t time_ns = 0;
  std::uint64_t seq = 0;  // set by push
  Kind kind = Kind::kTick;
  std::uint32_t a = 0;    // node (iteration end), window (failure), request (timeout)
  std::uint32_t b = 0;    // the node's epoch (iteration end)
};

class EventQueue {
 public:
  void push(SimEvent e) {
    e.seq = next_seq_++;
    heap_.push(e);
  }
  bool empty() const { return heap_.empty(); }
  const SimEvent& top() const { return heap_.top(); }
  SimEvent pop() {
    SimEvent e = heap_.top();
    heap_.pop();
    return e;
  }
  std::size_t size() const { return heap_.size(); }

 private:
  struct Later {
    bool operator()(const SimEvent& x, const SimEvent& y) const {
      return x.time_ns != y.time_ns ? x.time_ns > y.time_ns : x.seq > y.seq;
    }
  };
  std::priority_queue<SimEvent, std::vector<SimEvent>, Later> heap_;
  std::uint64_t next_seq_ = 0;
};

}  // namespace autoglm::sim

// A simulated LLM engine: continuous batching with chunked prefill, a KV cache of fixed
// capacity in tokens, a waiting queue and recompute preemption, as in vLLM.
// It keeps no clock: a driver asks for the next iteration's duration, lets that much
// time pass (real time in simnode, virtual time in the simulator), then applies it.
// Not thread-safe: one driver owns it.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "core/status.hpp"
#include "sim/latency_model.hpp"

namespace autoglm::sim {

struct SequenceRequest {
  std::uint64_t id = 0;
  std::int64_t prompt_tokens = 0;  // >= 1
  std::int64_t output_tokens = 1;  // tokens to generate before finishing (>= 1)
  // Prompt tokens the driver knows are in this engine's prefix cache: skipped by the first
  // prefill (not by a recompute after preemption). Ignored when the profile has
  // prefix_caching off. The KV they occupy is still charged to this sequence.
  std::int64_t cached_tokens = 0;
};

// One output token, or the end of a sequence. Token k (1-based) of a sequence is reported
// as kFirstToken when k == 1, kFinished when k == output_tokens, kToken otherwise, so a
// sequence yields exactly output_tokens events; the one exception is output_tokens == 1,
// which yields kFirstToken then kFinished, both with generated == 1. Count tokens by
// `generated`, not by events. Events of one iteration are in batch order.
struct EngineEvent {
  enum class Kind { kFirstToken, kToken, kFinished };
  std::uint64_t id = 0;
  Kind kind = Kind::kToken;
  std::int64_t generated = 0;  // output tokens generated so far, including this one
};

struct EngineStats {
  std::int64_t running = 0;          // sequences in the running batch
  std::int64_t waiting = 0;          // sequences queued for KV room or batch slots
  std::int64_t kv_used_tokens = 0;   // reserved KV, in whole blocks
  std::int64_t kv_capacity_tokens = 0;  // the profile's capacity rounded down to blocks
  std::int64_t prompt_tokens_total = 0;      // prefilled, counting recomputation
  std::int64_t generation_tokens_total = 0;  // output tokens emitted
  std::int64_t preemptions_total = 0;
  std::int64_t finished_total = 0;
  double kv_usage() const {
    return kv_capacity_tokens ? double(kv_used_tokens) / double(kv_capacity_tokens) : 0.0;
  }
};

// Scheduling rules (vLLM-like), applied by plan_iteration():
//  1. Running sequences that are decoding take one token each from the iteration's budget
//     of max_batched_tokens, oldest first. One whose next token needs a KV block when none
//     is free preempts the most recently admitted running sequence (possibly itself): its
//     KV is freed and it goes to the front of the waiting queue, to recompute its prompt
//     and the tokens generated so far when readmitted.
//  2. Running sequences still prefilling get chunks from the remaining budget, oldest first.
//  3. If nothing was preempted, waiting sequences are admitted in FIFO order while the
//     budget lasts, fewer than max_batch run, and the head's whole prefill fits in the free
//     KV blocks (reserved at admission); a head that does not fit blocks the queue.
// Planning and applying cost O(running sequences) and allocate nothing.
class Engine {
 public:
  explicit Engine(LatencyModel model);
  ~Engine();
  Engine(Engine&&) noexcept;
  Engine& operator=(Engine&&) noexcept;

  // Queues a sequence; it joins the batch at the next planned iteration with room.
  // kInvalidArgument if the id is already queued or running, a token count is out of
  // range, or prompt_tokens + output_tokens - 1 tokens of KV can never fit in the cache.
  core::Status add(const SequenceRequest& request);
  // Removes a queued or running sequence and frees its KV; false if unknown. Allowed
  // between plan_iteration() and finish_iteration(): the sequence yields no more events.
  bool cancel(std::uint64_t id);

  bool idle() const;

  // With false, finish_iteration() reports only kFirstToken and kFinished events, not the
  // kToken ones in between (a driver that needs no per-token timing saves their cost).
  // Default true.
  void set_token_events(bool on);

  // Forms the next batch and returns its duration in ms.  REQUIRES: !idle()
  double plan_iteration();
  // Applies the planned iteration, appending token and finish events to `out`.
  // REQUIRES: plan_iteration() was called since the last finish_iteration().
  void finish_iteration(std::vector<EngineEvent>& out);

  // The shape of the iteration planned last (for metrics and tests).
  const BatchShape& planned_batch() const;

  EngineStats stats() const;
  const LatencyModel& model() const { return model_; }

 private:
  struct State;  // defined in engine.cpp
  LatencyModel model_;
  std::unique_ptr<State> state_;
};

}  // namespace autoglm::sim

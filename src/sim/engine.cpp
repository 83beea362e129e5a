#include "sim/engine.hpp"

#include <algorithm>
#include <cassert>
#include <fmt/format.h>
#include <unordered_map>
#include <utility>

namespace autoglm::sim {
namespace {

using Slot = std::uint32_t;

// A FIFO of slots that also takes pushes at the front (preempted sequences); grows by
// doubling, so steady-state use allocates nothing.
class SlotQueue {
 public:
  bool empty() const { return size_ == 0; }
  std::size_t size() const { return size_; }
  Slot front() const { return buffer_[head_]; }

  void push_back(Slot s) {
    grow_if_full();
    buffer_[(head_ + size_) & mask()] = s;
    ++size_;
  }
  void push_front(Slot s) {
    grow_if_full();
    head_ = (head_ + buffer_.size() - 1) & mask();
    buffer_[head_] = s;
    ++size_;
  }
  void pop_front() {
    head_ = (head_ + 1) & mask();
    --size_;
  }
  // Removes one occurrence of `s`, keeping the order of the rest. O(size).
  bool erase(Slot s) {
    for (std::size_t i = 0; i < size_; ++i) {
      if (at(i) != s) continue;
      for (std::size_t j = i; j + 1 < size_; ++j) at(j) = at(j + 1);
      --size_;
      return true;
    }
    return false;
  }

 private:
  std::size_t mask() const { return buffer_.size() - 1; }
  Slot& at(std::size_t i) { return buffer_[(head_ + i) & mask()]; }
  void grow_if_full() {
    if (size_ < buffer_.size()) return;
    std::vector<Slot> bigger(std::max<std::size_t>(16, buffer_.size() * 2));
    for (std::size_t i = 0; i < size_; ++i) bigger[i] = at(i);
    buffer_ = std::move(bigger);
    head_ = 0;
  }

  std::vector<Slot> buffer_;  // size is zero or a power of two
  std::size_t head_ = 0;
  std::size_t size_ = 0;
};

}  // namespace

// A sequence's progress. Invariant: while running, `blocks` covers `computed` tokens and,
// from admission until its prefill ends, all of target(); a decoding sequence has
// computed == target() - 1 (its newest token is not yet in the KV cache).
struct Engine::State {
  struct Sequence {
    SequenceRequest request;
    std::int64_t generated = 0;  // output tokens emitted
    std::int64_t computed = 0;   // tokens whose KV is in the cache
    std::int64_t blocks = 0;     // KV blocks reserved
    std::int64_t scheduled = 0;  // tokens in the planned iteration
    bool scheduled_decode = false;
    bool admitted_before = false;  // cached_tokens apply to the first admission only

    // Tokens computed when the next output token comes out: the prompt and every token
    // generated so far (a recompute after preemption feeds them all again).
    std::int64_t target() const { return request.prompt_tokens + generated; }
    bool decoding() const { return generated > 0 && computed == target() - 1; }
  };

  std::vector<Sequence> slots;
  std::vector<Slot> free_slots;
  std::unordered_map<std::uint64_t, Slot> by_id;
  SlotQueue waiting;
  std::vector<Slot> running;  // admission order: the back is the most recently admitted

  std::int64_t block_size = 16;
  std::int64_t total_blocks = 0;
  std::int64_t free_blocks = 0;
  BatchShape planned;
  bool has_plan = false;
  bool preempted_this_iteration = false;
  bool token_events = true;
  EngineStats totals;  // only the *_total fields are kept here

  std::int64_t blocks_for(std::int64_t tokens) const {
    return (tokens + block_size - 1) / block_size;
  }

  Slot new_slot() {
    if (!free_slots.empty()) {
      const Slot s = free_slots.back();
      free_slots.pop_back();
      return s;
    }
    slots.emplace_back();
    return static_cast<Slot>(slots.size() - 1);
  }

  void release(Slot s) {
    Sequence& seq = slots[s];
    free_blocks += seq.blocks;
    by_id.erase(seq.request.id);
    seq = Sequence{};
    free_slots.push_back(s);
  }

  // Moves the most recently admitted running sequence to the front of the waiting queue.
  Slot preempt_newest() {
    const Slot victim = running.back();
    running.pop_back();
    Sequence& seq = slots[victim];
    free_blocks += seq.blocks;
    seq.blocks = 0;
    seq.computed = 0;
    seq.scheduled = 0;
    waiting.push_front(victim);
    ++totals.preemptions_total;
    preempted_this_iteration = true;
    return victim;
  }

  // Reserves blocks so that `s` can hold `tokens`, preempting as needed. False if `s`
  // itself had to be preempted.
  bool reserve(Slot s, std::int64_t tokens) {
    const std::int64_t needed = blocks_for(tokens) - slots[s].blocks;
    if (needed <= 0) return true;
    while (needed > free_blocks) {
      if (preempt_newest() == s) return false;
    }
    slots[s].blocks += needed;
    free_blocks -= needed;
    return true;
  }

  void schedule_decodes(std::int64_t& budget) {
    for (std::size_t i = 0; i < running.size(); ++i) {
      const Slot s = running[i];
      slots[s].scheduled = 0;
      slots[s].scheduled_decode = false;
      if (budget == 0 || !slots[s].decoding()) continue;
      if (!reserve(s, slots[s].computed + 1)) break;  // s was the newest: nothing follows
      Sequence& seq = slots[s];
      seq.scheduled = 1;
      seq.scheduled_decode = true;
      --budget;
      ++planned.decode_sequences;
      planned.decode_context_tokens += seq.computed + 1;
    }
  }

  void schedule_chunk(Sequence& seq, std::int64_t& budget) {
    const std::int64_t chunk = std::min(budget, seq.target() - seq.computed);
    seq.scheduled = chunk;
    seq.scheduled_decode = false;
    budget -= chunk;
    planned.prefill_tokens += chunk;
    planned.prefill_attention_pairs += LatencyModel::prefill_pairs(chunk, seq.computed);
  }

  void schedule_prefills(std::int64_t& budget) {
    for (const Slot s : running) {
      if (budget == 0) return;
      Sequence& seq = slots[s];
      if (!seq.decoding()) schedule_chunk(seq, budget);
    }
  }

  void admit(std::int64_t& budget, std::size_t max_batch, bool prefix_caching) {
    if (preempted_this_iteration) return;
    while (budget > 0 && !waiting.empty() && running.size() < max_batch) {
      const Slot s = waiting.front();
      Sequence& seq = slots[s];
      const std::int64_t need = blocks_for(seq.target());
      if (need > free_blocks) return;
      waiting.pop_front();
      running.push_back(s);
      seq.blocks = need;
      free_blocks -= need;
      seq.computed = 0;
      if (!seq.admitted_before && prefix_caching) {
        seq.computed = std::clamp<std::int64_t>(seq.request.cached_tokens, 0, seq.target() - 1);
      }
      seq.admitted_before = true;
      schedule_chunk(seq, budget);
    }
  }

  // Applies one sequence's planned work; true if it finished (and was released).
  bool apply(Slot s, std::vector<EngineEvent>& out) {
    Sequence& seq = slots[s];
    if (seq.scheduled == 0) return false;
    if (!seq.scheduled_decode) totals.prompt_tokens_total += seq.scheduled;
    seq.computed += seq.scheduled;
    seq.scheduled = 0;
    if (seq.computed < seq.target()) return false;
    const std::int64_t g = ++seq.generated;
    ++totals.generation_tokens_total;
    const std::uint64_t id = seq.request.id;
    if (g == 1) out.push_back({id, EngineEvent::Kind::kFirstToken, g});
    if (g < seq.request.output_tokens) {
      if (g > 1 && token_events) out.push_back({id, EngineEvent::Kind::kToken, g});
      return false;
    }
    out.push_back({id, EngineEvent::Kind::kFinished, g});
    ++totals.finished_total;
    release(s);
    return true;
  }
};

Engine::Engine(LatencyModel model) : model_(std::move(model)), state_(std::make_unique<State>()) {
  const GpuProfile& p = model_.profile();
  state_->block_size = std::max(1, p.block_size);
  state_->total_blocks = p.kv_capacity_tokens / state_->block_size;
  state_->free_blocks = state_->total_blocks;
}

Engine::~Engine() = default;
Engine::Engine(Engine&&) noexcept = default;
Engine& Engine::operator=(Engine&&) noexcept = default;

core::Status Engine::add(const SequenceRequest& request) {
  State& st = *state_;
  if (request.prompt_tokens < 1 || request.output_tokens < 1) {
    return core::invalid_argument(
        fmt::format("sequence {}: prompt_tokens and output_tokens must be at least 1, got {} "
                    "and {}",
                    request.id, request.prompt_tokens, request.output_tokens));
  }
  const std::int64_t peak = request.prompt_tokens + request.output_tokens - 1;
  if (st.blocks_for(peak) > st.total_blocks) {
    return core::invalid_argument(
        fmt::format("sequence {}: {} prompt + {} output tokens exceed the KV cache of {} tokens",
                    request.id, request.prompt_tokens, request.output_tokens,
                    st.total_blocks * st.block_size));
  }
  if (st.by_id.count(request.id)) {
    return core::invalid_argument(fmt::format("sequence {} is already queued or running",
                                              request.id));
  }
  const Slot s = st.new_slot();
  st.slots[s].request = request;
  st.by_id.emplace(request.id, s);
  st.waiting.push_back(s);
  return core::Status::ok();
}

bool Engine::cancel(std::uint64_t id) {
  State& st = *state_;
  const auto it = st.by_id.find(id);
  if (it == st.by_id.end()) return false;
  const Slot s = it->second;
  const auto pos = std::find(st.running.begin(), st.running.end(), s);
  if (pos != st.running.end()) {
    st.running.erase(pos);
  } else {
    st.waiting.erase(s);
  }
  st.release(s);
  return true;
}

void Engine::set_token_events(bool on) { state_->token_events = on; }

bool Engine::idle() const { return state_->running.empty() && state_->waiting.empty(); }

double Engine::plan_iteration() {
  assert(!idle());
  State& st = *state_;
  const GpuProfile& p = model_.profile();
  st.planned = BatchShape{};
  st.preempted_this_iteration = false;
  std::int64_t budget = std::max(1, p.max_batched_tokens);
  st.schedule_decodes(budget);
  st.schedule_prefills(budget);
  st.admit(budget, static_cast<std::size_t>(std::max(1, p.max_batch)), p.prefix_caching);
  st.has_plan = true;
  return model_.iteration_ms(st.planned);
}

void Engine::finish_iteration(std::vector<EngineEvent>& out) {
  State& st = *state_;
  assert(st.has_plan && "finish_iteration() without plan_iteration()");
  st.has_plan = false;
  std::size_t kept = 0;
  for (const Slot s : st.running) {
    if (!st.apply(s, out)) st.running[kept++] = s;
  }
  st.running.resize(kept);
}

const BatchShape& Engine::planned_batch() const { return state_->planned; }

EngineStats Engine::stats() const {
  const State& st = *state_;
  EngineStats out = st.totals;
  out.running = static_cast<std::int64_t>(st.running.size());
  out.waiting = static_cast<std::int64_t>(st.waiting.size());
  out.kv_used_tokens = (st.total_blocks - st.free_blocks) * st.block_size;
  out.kv_capacity_tokens = st.total_blocks * st.block_size;
  return out;
}

}  // namespace autoglm::sim

// Leadership: may this replica do the work only one replica may do (fire cron triggers,
// advance DAG runs), and with which fencing token. An injected interface like Clock, so
// the workflow engine can consume it without depending on how the leader is chosen.
#pragma once

#include <cstdint>
#include <optional>

namespace autoglm::core {

// Thread-safe: both calls may come from any thread at any time and never block.
class Leadership {
 public:
  virtual ~Leadership() = default;

  // True while this replica leads. A leader can lose the role at any moment (its etcd
  // lease ran out, it resigned), so check right before each leader-only action, and make
  // the action's write carry fence() so the store rejects it from a deposed leader.
  virtual bool is_leader() const = 0;

  // The fencing token while leading, nullopt while not: one read that answers both "do I
  // lead?" and "with which token?", so a caller never pairs a stale answer with a fresh
  // one. Tokens of elected leaders are >= 1 and strictly greater than every earlier
  // leader's; 0 means "alone, nothing to fence" (the store skips the check for 0). This
  // is exactly the workflow engine's EngineOptions::leadership callback:
  //   options.leadership = [&leadership] { return leadership.fence(); };
  virtual std::optional<std::int64_t> fence() const = 0;
};

// A replica that runs alone (no cluster.etcd): always the leader, token 0 (unfenced).
class SoleLeader final : public Leadership {
 public:
  bool is_leader() const override { return true; }
  std::optional<std::int64_t> fence() const override { return 0; }
};

}  // namespace autoglm::core

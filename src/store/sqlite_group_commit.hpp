// Group commit for SqliteStore: concurrent writers queue their transaction bodies and the
// writer at the head commits all of them in one transaction (one fsync), as LevelDB's write queue.
// Thread-safe: any thread may call write(); the connection is touched only under db_mu.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <vector>

#include "core/status.hpp"
#include "store/sqlite_db.hpp"

namespace autoglm::store::sqlite {

class GroupCommit {
 public:
  // Most bodies committed together; bounds the latency a leader adds to its own write.
  static constexpr std::size_t kMaxBatch = 256;

  GroupCommit(Connection& db, std::mutex& db_mu) : db_(db), db_mu_(db_mu) {}

  // Runs `body` inside a transaction shared with the writers queued at the same time,
  // in its own SAVEPOINT: a body that returns an error (or throws SqliteError) is rolled
  // back alone; the others commit. Returns the body's result, or the commit's error.
  // `body` returns core::Status or core::Result<T>. REQUIRES: db_mu not held by the caller.
  template <typename Body>
  auto write(Body&& body) -> decltype(body()) {
    using R = decltype(body());
    std::optional<R> out;
    Writer w;
    w.run = [&]() -> bool {
      out.emplace(body());
      return out->is_ok();
    };
    w.fail = [&](const core::Status& s) { out.emplace(s); };
    submit(w);
    return std::move(*out);
  }

 private:
  struct Writer {
    std::function<bool()> run;  // true when the body succeeded
    std::function<void(const core::Status&)> fail;
    bool done = false;  // guarded by queue_mu_
    std::condition_variable cv;
  };

  void submit(Writer& w);
  void commit_batch(const std::vector<Writer*>& batch);

  Connection& db_;
  std::mutex& db_mu_;
  std::mutex queue_mu_;
  std::deque<Writer*> queue_;  // guarded by queue_mu_; front is the current leader
};

}  // namespace autoglm::store::sqlite

#include "store/sqlite_group_commit.hpp"

#include <algorithm>
#include <exception>
#include <string>

#include "store/sqlite_rows.hpp"

namespace autoglm::store::sqlite {

void GroupCommit::submit(Writer& w) {
  std::unique_lock q(queue_mu_);
  queue_.push_back(&w);
  w.cv.wait(q, [&] { return w.done || queue_.front() == &w; });
  if (w.done) return;  // a leader committed it
  // This writer leads: it commits everyone queued so far. Writers arriving meanwhile
  // queue behind the batch and form the next one.
  const std::size_t n = std::min(queue_.size(), kMaxBatch);
  std::vector<Writer*> batch(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
  q.unlock();
  commit_batch(batch);
  q.lock();
  for (Writer* b : batch) {
    queue_.pop_front();
    b->done = true;
    if (b != &w) b->cv.notify_one();
  }
  if (!queue_.empty()) queue_.front()->cv.notify_one();
}

void GroupCommit::commit_batch(const std::vector<Writer*>& batch) {
  std::lock_guard db_lock(db_mu_);
  try {
    db_.exec("BEGIN IMMEDIATE");
  } catch (const SqliteError& e) {
    for (Writer* b : batch) b->fail(to_status(e));
    return;
  }
  try {
    for (Writer* b : batch) {
      db_.exec("SAVEPOINT body");
      bool ok = false;
      try {
        ok = b->run();
      } catch (const SqliteError& e) {
        b->fail(to_status(e));
      } catch (const std::exception& e) {
        // Never leave the batch hanging: every queued writer must get an answer.
        b->fail({core::ErrorCode::kInternal, std::string("task store error: ") + e.what()});
      }
      if (!ok) db_.exec("ROLLBACK TO body");
      db_.exec("RELEASE body");
    }
    db_.exec("COMMIT");
  } catch (const SqliteError& e) {
    try {
      db_.exec("ROLLBACK");
    } catch (const SqliteError&) {
      // A failed COMMIT may have rolled back already.
    }
    for (Writer* b : batch) b->fail(to_status(e));
  }
}

}  // namespace autoglm::store::sqlite

// SqliteStore: the conformance suite on a file and in memory, plus what only SQLite has:
// WAL and the synchronous setting, migrations, reopening, and surviving a SIGKILL.
#include "store/sqlite_store.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <set>
#include <thread>

#include "store/sqlite_db.hpp"
#include "store/sqlite_schema.hpp"
#include "store/store_conformance.hpp"

namespace autoglm::store::testing {
namespace {

std::unique_ptr<Store> open_or_null(const std::string& path) {
  auto s = SqliteStore::open(path);
  if (!s) {
    ADD_FAILURE() << s.status().message();
    return nullptr;
  }
  return std::move(s).value();
}

INSTANTIATE_TEST_SUITE_P(
    Sqlite, StoreConformance,
    ::testing::Values(
        StoreFactory{"file", [](const std::string& dir) { return open_or_null(dir + "/t.db"); }},
        StoreFactory{"memory", [](const std::string&) { return open_or_null(":memory:"); }}),
    factory_name);

std::unique_ptr<SqliteStore> open_file(const std::string& path, SyncMode sync = SyncMode::kFull) {
  auto s = SqliteStore::open(path, {sync, Time{0}});
  EXPECT_TRUE(s) << s.status().message();
  return s ? std::move(s).value() : nullptr;
}

TEST(SqliteStore, UsesWalAndFullSyncByDefault) {
  const std::string path = std::filesystem::temp_directory_path() /
                           ("autoglm-wal-" + std::to_string(::getpid()) + ".db");
  auto s = open_file(path);
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->journal_mode(), "wal");
  EXPECT_EQ(s->synchronous_pragma(), 2);  // FULL
  s.reset();
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
}

TEST(SqliteStore, NormalSyncIsAvailableOnRequest) {
  auto s = SqliteStore::open(":memory:", {SyncMode::kNormal, Time{0}});
  ASSERT_TRUE(s);
  EXPECT_EQ((*s)->synchronous_pragma(), 1);
}

TEST(SqliteStore, MigrationsApplyOnceAndDataSurvivesReopen) {
  const std::string path = std::filesystem::temp_directory_path() /
                           ("autoglm-reopen-" + std::to_string(::getpid()) + ".db");
  std::filesystem::remove(path);
  TaskId id = 0;
  {
    auto s = open_file(path);
    ASSERT_NE(s, nullptr);
    EXPECT_GE(s->schema_version(), 2);
    TaskInput in;
    in.model = "m";
    id = s->submit_task(in, Time{1})->record.id;
  }
  {
    auto s = open_file(path);
    ASSERT_NE(s, nullptr);
    EXPECT_GE(s->schema_version(), 2);
    auto got = s->get_task(id);
    ASSERT_TRUE(got);
    EXPECT_EQ(got->input.model, "m");
  }
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
}

TEST(SqliteStore, RefusesADatabaseFromANewerBuild) {
  const std::string path = std::filesystem::temp_directory_path() /
                           ("autoglm-newer-" + std::to_string(::getpid()) + ".db");
  std::filesystem::remove(path);
  {
    sqlite::Connection db(path);
    EXPECT_EQ(sqlite::migrate(db, 0), sqlite::latest_schema_version());
    EXPECT_EQ(sqlite::migrate(db, 0), sqlite::latest_schema_version());  // idempotent
    db.exec("INSERT INTO schema_version(version, applied_ns) VALUES(999, 0)");
  }
  auto s = SqliteStore::open(path);
  ASSERT_FALSE(s);
  EXPECT_NE(s.status().message().find("schema version 999"), std::string::npos);
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
}

TEST(SqliteStore, OpenStoreReadsDatabaseUrls) {
  auto mem = open_store("sqlite::memory:");
  ASSERT_TRUE(mem) << mem.status().message();
  auto pg = open_store("postgresql://localhost/autoglm");
  ASSERT_FALSE(pg);
  EXPECT_EQ(pg.status().code(), core::ErrorCode::kUnavailable);
  EXPECT_FALSE(open_store("mysql://x"));
}

// Writers on many threads are committed in shared transactions; each keeps its own
// outcome: distinct ids, idempotency keys honoured across the batch, and a failing write
// (completing a pending DAG node) rolled back alone.
TEST(SqliteStore, ConcurrentWritersShareCommitsAndKeepTheirOwnOutcome) {
  auto opened = SqliteStore::open(":memory:");
  ASSERT_TRUE(opened);
  auto& s = **opened;
  std::vector<TaskInput> one(1);
  one[0].model = "m";
  const TaskId pending = s.dag_nodes(s.create_dag_run({}, one, Time{1})->record.id)->front().id;
  constexpr int kThreads = 8, kPerThread = 40;
  std::vector<std::vector<TaskId>> ids(kThreads);
  std::vector<int> errors(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        TaskInput in;
        in.model = "m";
        if (i % 4 == 0) in.idempotency_key = "shared-" + std::to_string(i);
        auto r = s.submit_task(in, Time{i});
        if (r) ids[t].push_back(r->record.id);
        if (!s.complete(pending, "w", {"{}", ""}, Time{i})) ++errors[t];
      }
    });
  }
  for (auto& th : threads) th.join();
  std::set<TaskId> distinct;
  for (const auto& v : ids) {
    EXPECT_EQ(v.size(), static_cast<std::size_t>(kPerThread));
    distinct.insert(v.begin(), v.end());
  }
  // 30 unkeyed per thread, plus one task per shared key (10 keys).
  EXPECT_EQ(distinct.size(), static_cast<std::size_t>(kThreads * 30 + 10));
  for (int e : errors) EXPECT_EQ(e, kPerThread);
  EXPECT_EQ(s.get_task(pending)->state, TaskState::kPending);
  TaskQuery q;
  q.limit = 1000;
  EXPECT_EQ(s.list_tasks(q)->tasks.size(), distinct.size() + 1);
}

// A child process submits tasks one commit at a time and reports each committed id on a
// pipe; the parent SIGKILLs it mid-stream, reopens the file and finds every reported task.
TEST(SqliteStore, CommittedTasksSurviveSigkillMidWrite) {
  const std::string path = std::filesystem::temp_directory_path() /
                           ("autoglm-crash-" + std::to_string(::getpid()) + ".db");
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::close(fds[0]);
    auto s = SqliteStore::open(path);
    if (!s) ::_exit(2);
    TaskInput in;
    in.model = "m";
    in.payload = R"({"messages":[{"role":"user","content":"crash test payload"}]})";
    for (std::int64_t i = 0;; ++i) {
      auto r = (*s)->submit_task(in, Time{i});
      if (!r) ::_exit(3);
      const TaskId id = r->record.id;
      if (::write(fds[1], &id, sizeof id) != sizeof id) ::_exit(4);
    }
  }
  ::close(fds[1]);
  std::vector<TaskId> committed;
  TaskId id = 0;
  while (committed.size() < 200 && ::read(fds[0], &id, sizeof id) == sizeof id) {
    committed.push_back(id);
  }
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);
  EXPECT_TRUE(WIFSIGNALED(status));
  while (::read(fds[0], &id, sizeof id) == sizeof id) committed.push_back(id);
  ::close(fds[0]);
  ASSERT_GE(committed.size(), 200u);

  auto s = open_file(path);
  ASSERT_NE(s, nullptr);
  for (TaskId c : committed) {
    auto got = s->get_task(c);
    ASSERT_TRUE(got) << "task " << c << " was reported committed but is missing";
    EXPECT_EQ(got->state, TaskState::kQueued);
  }
  s.reset();
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
}

}  // namespace
}  // namespace autoglm::store::testing

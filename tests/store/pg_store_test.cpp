// PostgresStore: the shared conformance suite against a real PostgreSQL server (the CTest
// `postgres` fixture, scripts/pg_fixture.sh), plus what only a shared database has to get
// right: claimers on several replicas, LISTEN/NOTIFY wake-ups, events in seq order under
// concurrent writers, and riding out a server restart.
#include "store/pg_store.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <set>
#include <thread>

#include "store/pg_db.hpp"
#include "store/store_conformance.hpp"

namespace autoglm::store::testing {
namespace {

// The fixture server's admin URL ("" when none is running: the tests skip).
std::string admin_url() {
  if (const char* env = std::getenv("AUTOGLM_TEST_PG_URL"); env != nullptr && *env != '\0') {
    return env;
  }
  std::ifstream in(std::string(AUTOGLM_PG_FIXTURE) + "/url");
  std::string url;
  std::getline(in, url);
  return url;
}

std::string no_server() {
  return admin_url().empty() ? "no PostgreSQL test server (run through ctest, which starts one)"
                             : "";
}

// A fresh database on the fixture server; returns its URL.
std::string fresh_database(const std::string& admin) {
  static std::atomic<int> counter{0};
  const std::string name =
      "t_" + std::to_string(::getpid()) + "_" + std::to_string(counter.fetch_add(1));
  pg::Connection conn(admin);
  conn.exec("CREATE DATABASE " + name);
  return admin.substr(0, admin.rfind('/') + 1) + name;
}

std::unique_ptr<PostgresStore> open_pg(const std::string& url) {
  auto s = PostgresStore::open(url);
  EXPECT_TRUE(s) << s.status().message();
  return s ? std::move(s).value() : nullptr;
}

INSTANTIATE_TEST_SUITE_P(Postgres, StoreConformance,
                         ::testing::Values(StoreFactory{
                             "server",
                             [](const std::string&) -> std::unique_ptr<Store> {
                               return open_pg(fresh_database(admin_url()));
                             },
                             no_server}),
                         factory_name);

class PostgresStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (const std::string why = no_server(); !why.empty()) GTEST_SKIP() << why;
    url_ = fresh_database(admin_url());
  }
  static Time t(std::chrono::seconds s = std::chrono::seconds(0)) {
    return Time{std::chrono::seconds(1'735'689'600) + s};
  }
  static TaskInput task(std::string key = "") {
    TaskInput in;
    in.model = "m";
    in.idempotency_key = std::move(key);
    return in;
  }
  std::string url_;
};

TEST_F(PostgresStoreTest, MigratesOnceAndReopensAtTheSameVersion) {
  auto a = open_pg(url_);
  auto b = open_pg(url_);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->schema_version(), b->schema_version());
  EXPECT_GE(a->schema_version(), 1);
}

TEST_F(PostgresStoreTest, ReplicasClaimingConcurrentlyNeverTakeTheSameTask) {
  auto seed = open_pg(url_);
  std::vector<TaskInput> batch(300, task());
  ASSERT_TRUE(seed->submit_tasks(batch, t()));
  // Three "replicas", each with its own store (own connections), two threads each.
  std::vector<std::unique_ptr<PostgresStore>> replicas;
  for (int i = 0; i < 3; ++i) replicas.push_back(open_pg(url_));
  std::mutex mu;
  std::multiset<TaskId> claimed;
  std::vector<std::thread> threads;
  for (int r = 0; r < 3; ++r) {
    for (int k = 0; k < 2; ++k) {
      threads.emplace_back([&, r, k] {
        ClaimRequest req;
        req.owner = "replica-" + std::to_string(r) + "-" + std::to_string(k);
        req.now = t(1s);
        req.max_tasks = 7;
        for (;;) {
          auto got = replicas[static_cast<std::size_t>(r)]->claim(req);
          ASSERT_TRUE(got) << got.status().message();
          if (got->empty()) return;
          std::lock_guard lock(mu);
          for (const auto& task : *got) claimed.insert(task.id);
        }
      });
    }
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(claimed.size(), 300u);
  EXPECT_EQ(std::set<TaskId>(claimed.begin(), claimed.end()).size(), 300u)
      << "a task was claimed twice";
}

TEST_F(PostgresStoreTest, SameIdempotencyKeyOnTwoReplicasAtOnceMakesOneTask) {
  auto a = open_pg(url_);
  auto b = open_pg(url_);
  for (int round = 0; round < 20; ++round) {
    const std::string key = "k" + std::to_string(round);
    Result<Submitted<TaskRecord>> ra = core::unavailable("unset"), rb = core::unavailable("unset");
    std::thread ta([&] { ra = a->submit_task(task(key), t()); });
    std::thread tb([&] { rb = b->submit_task(task(key), t()); });
    ta.join();
    tb.join();
    ASSERT_TRUE(ra) << ra.status().message();
    ASSERT_TRUE(rb) << rb.status().message();
    EXPECT_EQ(ra->record.id, rb->record.id);
    EXPECT_NE(ra->created, rb->created) << "exactly one of them creates it";
  }
}

TEST_F(PostgresStoreTest, ASubmissionOnOneReplicaWakesTheOthersListener) {
  auto listener = open_pg(url_);
  auto submitter = open_pg(url_);
  std::atomic<int> wakes{0};
  listener->on_new_work([&] { ++wakes; });
  // LISTEN is set up by the listener thread; keep submitting until a wake arrives.
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (wakes == 0 && std::chrono::steady_clock::now() < deadline) {
    ASSERT_TRUE(submitter->submit_task(task(), t()));
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_GT(wakes.load(), 0) << "no NOTIFY reached the listener within 10 s";
}

TEST_F(PostgresStoreTest, ATailingReaderSeesEveryEventInSeqOrderUnderConcurrentWriters) {
  auto reader = open_pg(url_);
  std::vector<std::unique_ptr<PostgresStore>> writers;
  for (int i = 0; i < 4; ++i) writers.push_back(open_pg(url_));
  std::atomic<bool> done{false};
  std::vector<std::int64_t> seen;
  std::thread tail([&] {
    std::int64_t after = 0;
    for (;;) {
      const bool last_pass = done.load();
      auto batch = reader->events_since(after, 1000, 0);
      ASSERT_TRUE(batch) << batch.status().message();
      for (const auto& e : *batch) {
        seen.push_back(e.seq);
        after = e.seq;
      }
      if (last_pass && batch->empty()) return;
    }
  });
  std::vector<std::thread> threads;
  for (auto& w : writers) {
    threads.emplace_back([&w] {
      for (int i = 0; i < 50; ++i) ASSERT_TRUE(w->submit_task(task(), t()));
    });
  }
  for (auto& th : threads) th.join();
  done = true;
  tail.join();
  auto all = reader->events_since(0, 100000, 0);
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 200u);
  ASSERT_EQ(seen.size(), all->size()) << "the tailing reader skipped events";
  for (std::size_t i = 0; i < seen.size(); ++i) EXPECT_EQ(seen[i], (*all)[i].seq);
}

TEST_F(PostgresStoreTest, OpenStoreAcceptsPostgresAndJdbcUrls) {
  auto plain = open_store(url_);
  ASSERT_TRUE(plain) << plain.status().message();
  auto jdbc = open_store("jdbc:" + url_);
  ASSERT_TRUE(jdbc) << jdbc.status().message();
  ASSERT_TRUE((*jdbc)->submit_task(task(), t()));
  EXPECT_EQ((*plain)->list_tasks({})->tasks.size(), 1u);
}

TEST_F(PostgresStoreTest, DatabaseUsernameOverridesTheUrlsUser) {
  // The fixture's only role is `autoglm`; a URL without a user would connect as the OS user.
  const std::string no_user = "postgresql://" + url_.substr(url_.find('@') + 1);
  auto wrong = open_store(no_user, "nobody-here");
  ASSERT_FALSE(wrong);
  EXPECT_NE(wrong.status().message().find("nobody-here"), std::string::npos)
      << wrong.status().message();
  auto right = open_store(no_user, "autoglm");
  EXPECT_TRUE(right) << right.status().message();
}

TEST(PostgresStoreOpen, AnUnreachableServerIsUnavailableWithTheReason) {
  auto s = PostgresStore::open("postgresql://nobody@127.0.0.1:1/none?connect_timeout=2");
  ASSERT_FALSE(s);
  EXPECT_EQ(s.status().code(), core::ErrorCode::kUnavailable);
  EXPECT_NE(s.status().message().find("PostgreSQL"), std::string::npos);
}

// A private server (pausing the shared one would disturb tests running beside this one):
// while it is down every call is kUnavailable; after it is back the same store works.
TEST(PostgresStoreRestart, CallsAreUnavailableWhileTheServerIsDownAndRecoverAfter) {
  if (!no_server().empty()) GTEST_SKIP() << no_server();
  const std::string state =
      std::string(AUTOGLM_PG_FIXTURE) + "-restart-" + std::to_string(::getpid());
  const std::string script = std::string(AUTOGLM_SOURCE_DIR) + "/scripts/pg_fixture.sh";
  ASSERT_EQ(std::system((script + " start " + state + " >/dev/null").c_str()), 0);
  struct Stop {
    std::string cmd;
    ~Stop() { (void)std::system(cmd.c_str()); }
  } stop{script + " stop " + state};
  std::ifstream in(state + "/url");
  std::string url;
  std::getline(in, url);
  auto store = open_pg(url + "?connect_timeout=2");
  ASSERT_TRUE(store);
  TaskInput in_task;
  in_task.model = "m";
  ASSERT_TRUE(store->submit_task(in_task, Time{1}));

  ASSERT_EQ(std::system((script + " pause " + state).c_str()), 0);
  auto down = store->submit_task(in_task, Time{2});
  ASSERT_FALSE(down);
  EXPECT_EQ(down.status().code(), core::ErrorCode::kUnavailable) << down.status().message();
  EXPECT_EQ(store->get_task(1).status().code(), core::ErrorCode::kUnavailable);

  ASSERT_EQ(std::system((script + " resume " + state + " >/dev/null").c_str()), 0);
  auto back = store->submit_task(in_task, Time{3});
  ASSERT_TRUE(back) << back.status().message();
  EXPECT_EQ(store->list_tasks({})->tasks.size(), 2u);
}

}  // namespace
}  // namespace autoglm::store::testing

// Scale-out end to end: three gateway replicas on one PostgreSQL server and a 3-member
// etcd cluster. The leader is SIGKILLed mid-run and an etcd member stopped: a new leader
// is elected within 2 x the lease TTL, 500 async tasks and a DAG submitted across the
// replicas all finish with exactly one result each, and a cron trigger fires exactly once
// per slot across the failover. Separately, a PostgreSQL outage turns the durable API into
// 503s and the replica recovers by itself.
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <iostream>
#include <set>
#include <thread>

#include "integration/etcd_server.hpp"
#include "integration/http_client.hpp"
#include "integration/pg_server.hpp"
#include "integration/process.hpp"
#include "integration/workflow_support.hpp"

namespace autoglm::testing {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
constexpr auto kTtl = 2s;

#define AUTOGLM_REQUIRE_PG()  \
  if (!PgServer::available()) \
  GTEST_SKIP() << "PostgreSQL server not installed (Debian package postgresql)"

std::string replica_config(const std::string& id, const std::string& db_url,
                           const std::string& etcd) {
  std::string c =
      "server:\n  port: 0\n  host: 127.0.0.1\n  threads: 2\n  drain-timeout: 5s\n"
      "  drain-pause: 0s\n"
      "database:\n  url: " +
      db_url +
      "\n"
      "workflow:\n  step-interval: 20ms\n  lease: 2000ms\n"
      "logging:\n  level: warn\n"
      "cluster:\n  simulated:\n    enabled: true\n    speedup: 200\n"
      "    nodes:\n      - {profile: h100-80gb-8b, count: 2}\n";
  if (!etcd.empty()) {
    c += "  replica-id: " + id + "\n  lease-ttl: 2s\n  etcd:\n    endpoints: \"" + etcd +
         "\"\n    prefix: /scale\n    request-timeout: 500ms\n    poll-interval: 100ms\n";
  }
  return c;
}

std::string role_of(std::uint16_t port) {
  auto view = json_of(http_get(port, "/admin/v1/cluster"));
  const auto* role = view.if_contains("role");
  return role != nullptr ? str(*role) : "";
}

int count_in_state(std::uint16_t port, const std::string& state) {
  auto page = json_of(http_get(port, "/v1/tasks?state=" + state + "&limit=1000"));
  const auto* data = page.if_contains("data");
  return data != nullptr ? static_cast<int>(data->as_array().size()) : -1;
}

// Tasks whose prompt is `text` (the cron trigger's), over every page.
int tasks_with_prompt(std::uint16_t port, const std::string& text) {
  int n = 0;
  std::string cursor;
  for (;;) {
    auto page = json_of(
        http_get(port, "/v1/tasks?limit=1000" + (cursor.empty() ? "" : "&cursor=" + cursor)));
    for (const auto& t : page["data"].as_array()) {
      if (json::serialize(t.at("payload")).find(text) != std::string::npos) ++n;
    }
    const auto* next = page.if_contains("next_cursor");
    if (next == nullptr || !next->is_string() || next->as_string().empty()) return n;
    cursor = str(*next);
  }
}

std::int64_t unix_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

TEST(ScaleOut, ThreeReplicasLoseNothingAcrossALeaderKillAndAnEtcdMemberStop) {
  AUTOGLM_REQUIRE_ETCD();
  AUTOGLM_REQUIRE_PG();
  TempDir dir;
  PgServer pg(dir);
  ASSERT_TRUE(pg.ok()) << "could not start PostgreSQL";
  EtcdCluster etcd(3);
  std::vector<Started> replicas;
  for (int i = 0; i < 3; ++i) {
    const std::string id = "r" + std::to_string(i);
    auto path = dir.write(id + ".yaml", replica_config(id, pg.url(), etcd.endpoints_csv()));
    replicas.push_back(start_autoglm(dir, id, {"serve", "-c", path.string()}));
  }
  auto leader_index = [&]() -> int {
    int found = -1;
    for (int i = 0; i < 3; ++i) {
      if (replicas[i].process && role_of(replicas[i].port) == "leader") {
        if (found >= 0) return -2;  // two leaders at once
        found = i;
      }
    }
    return found;
  };
  ASSERT_TRUE(wait_until([&] { return leader_index() >= 0; }, 15s)) << "no leader elected";
  const int leader = leader_index();

  // A cron trigger every minute (its tasks carry the prompt "tick").
  const std::string cron = R"({"id": "tick", "schedule": "* * * * *", "timezone": "UTC",
    "overlap": "allow", "task": {"kind": "chat", "model": "autoglm-sim-8b",
    "payload": {"messages": [{"role": "user", "content": "tick"}], "max_tokens": 2}}})";
  const std::int64_t cron_added = unix_seconds();
  auto added = post_json(replicas[(leader + 1) % 3].port, "/v1/cron", cron);
  ASSERT_EQ(added.status, 201) << added.body;

  // 500 tasks across the replicas, and a DAG.
  const int n = 500;
  std::vector<std::string> ids(n);
  std::atomic<int> next{0}, rejected{0};
  std::vector<std::thread> senders;
  for (int t = 0; t < 6; ++t) {
    senders.emplace_back([&] {
      for (int i = next++; i < n; i = next++) {
        auto r = post_json(replicas[i % 3].port, "/v1/tasks",
                           chat_task_body("task " + std::to_string(i), 16),
                           {{"idempotency-key", "scale-" + std::to_string(i)}});
        if (r.status != 201) ++rejected;
        ids[i] = str(json_of(r)["id"]);
      }
    });
  }
  for (auto& s : senders) s.join();
  ASSERT_EQ(rejected, 0);
  const std::string dag_body = R"({"name": "report", "tasks": [
    {"id": "T1", "kind": "chat", "model": "autoglm-sim-8b", "payload": {"messages": [{"role": "user", "content": "Write."}], "max_tokens": 4}},
    {"id": "T2", "requires": ["T1"], "kind": "chat", "model": "autoglm-sim-8b", "payload": {"messages": [{"role": "user", "content": "Translate: {{tasks.T1.output}}"}], "max_tokens": 4}},
    {"id": "T3", "requires": ["T1", "T2"], "kind": "chat", "model": "autoglm-sim-8b", "payload": {"messages": [{"role": "user", "content": "Summarise."}], "max_tokens": 4}}]})";
  auto dag = post_json(replicas[leader].port, "/v1/dags", dag_body);
  ASSERT_EQ(dag.status, 201) << dag.body;
  const std::string dag_id = str(json_of(dag)["id"]);

  // SIGKILL the leader mid-run, then stop one etcd member.
  replicas[leader].process->signal(SIGKILL);
  replicas[leader].process->wait(10s);
  replicas[leader].process.reset();
  const auto killed = Clock::now();
  const std::int64_t killed_unix = unix_seconds();
  ASSERT_TRUE(wait_until([&] { return leader_index() >= 0; }, 3 * kTtl + 5s)) << "no new leader";
  const auto failover = Clock::now() - killed;
  EXPECT_LE(failover, 2 * kTtl + 500ms)
      << "new leader after " << std::chrono::duration<double>(failover).count() << " s";
  EXPECT_NE(leader_index(), -2) << "two leaders at once";
  std::cout << "[ScaleOut] new leader " << std::chrono::duration<double>(failover).count()
            << " s after SIGKILL (lease TTL " << kTtl.count() << " s)\n";
  etcd.stop_member(2);

  const std::uint16_t survivor = replicas[(leader + 1) % 3].port;
  ASSERT_TRUE(wait_until(
      [&] {
        return count_in_state(survivor, "queued") == 0 &&
               count_in_state(survivor, "running") == 0 && count_in_state(survivor, "pending") == 0;
      },
      90s))
      << "work left after the failover";
  int not_succeeded = 0, results_not_one = 0;
  for (int i = 0; i < n; ++i) {
    auto task = json_of(http_get(survivor, "/v1/tasks/" + ids[i]));
    if (str(task["state"]) != "succeeded") ++not_succeeded;
    if (state_entries(survivor, ids[i], "succeeded") != 1) ++results_not_one;
  }
  EXPECT_EQ(not_succeeded, 0);
  EXPECT_EQ(results_not_one, 0);
  auto run = wait_for_state(survivor, "/v1/dags/" + dag_id, "succeeded", 30s);
  EXPECT_EQ(str(run["state"]), "succeeded") << json::serialize(run);

  // A cron slot after the kill: fired by the new leader, once.
  const std::int64_t slot_after_kill = (killed_unix / 60 + 1) * 60;
  while (unix_seconds() < slot_after_kill + 4) std::this_thread::sleep_for(200ms);
  const std::int64_t slots = unix_seconds() / 60 - cron_added / 60;
  std::cout << "[ScaleOut] " << n << " tasks + DAG done; cron slots " << slots << "\n";
  EXPECT_EQ(tasks_with_prompt(survivor, "tick"), slots)
      << "cron tasks per slot must be exactly one (" << slots << " slots since it was added)";
}

TEST(ScaleOut, APostgresOutageIsA503AndTheReplicaRecoversByItself) {
  AUTOGLM_REQUIRE_PG();
  TempDir dir;
  PgServer pg(dir);
  ASSERT_TRUE(pg.ok()) << "could not start PostgreSQL";
  auto path = dir.write("r.yaml", replica_config("r", pg.url() + "?connect_timeout=2", ""));
  Started gw = start_autoglm(dir, "gw", {"serve", "-c", path.string()});
  auto first = post_json(gw.port, "/v1/tasks", chat_task_body("before"));
  ASSERT_EQ(first.status, 201) << first.body;

  ASSERT_TRUE(pg.pause());
  auto during = post_json(gw.port, "/v1/tasks", chat_task_body("during"));
  EXPECT_EQ(during.status, 503) << during.body;
  EXPECT_EQ(http_get(gw.port, "/v1/tasks/" + str(json_of(first)["id"])).status, 503);
  // The OpenAI routes do not need the store.
  EXPECT_EQ(
      post_json(
          gw.port, "/v1/chat/completions",
          R"({"model": "autoglm-sim-8b", "messages": [{"role": "user", "content": "hi"}], "max_tokens": 2})")
          .status,
      200);

  ASSERT_TRUE(pg.resume());
  EXPECT_TRUE(wait_until(
      [&] { return post_json(gw.port, "/v1/tasks", chat_task_body("after")).status == 201; }, 10s))
      << "the replica did not recover";
  auto done = wait_for_state(gw.port, "/v1/tasks/" + str(json_of(first)["id"]), "succeeded", 20s);
  EXPECT_EQ(str(done["state"]), "succeeded");
}

}  // namespace
}  // namespace autoglm::testing

// Several gateway replicas through a real etcd: a node agent that announces itself in
// etcd is seen by every replica and gone after its lease runs out; replicas register,
// elect one leader, and hand leadership over on SIGTERM at once and on SIGKILL within
// twice the lease TTL.
#include <gtest/gtest.h>
#include <signal.h>

#include <boost/json.hpp>
#include <thread>

#include "integration/etcd_server.hpp"
#include "integration/http_client.hpp"
#include "integration/process.hpp"

namespace autoglm::testing {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;
constexpr const char* kModel = "autoglm-sim-8b";
constexpr auto kTtl = 2s;

Started start_replica(const TempDir& dir, const EtcdCluster& etcd, const std::string& id) {
  const std::string config =
      "server:\n  port: 0\n  host: 127.0.0.1\n  threads: 2\n  drain-pause: 1s\n"
      "workflow:\n  enabled: false\n"
      "monitor:\n  scrape-interval: 100ms\n  health-check:\n    interval: 200ms\n"
      "    timeout: 200ms\n    healthy-threshold: 1\n"
      "cluster:\n  replica-id: " +
      id +
      "\n  lease-ttl: 2s\n"
      "  etcd:\n    endpoints: \"" +
      etcd.endpoints_csv() +
      "\"\n    prefix: /it\n"
      "    request-timeout: 500ms\n    poll-interval: 100ms\n"
      "nodes: []\n";
  auto path = dir.write(id + ".yaml", config);
  return start_autoglm(dir, id, {"serve", "-c", path.string()});
}

json::object cluster_view(std::uint16_t port) {
  auto res = http_get(port, "/admin/v1/cluster");
  if (res.status != 200) return {};
  return json::parse(res.body).as_object();
}

std::string role_of(std::uint16_t port) {
  auto view = cluster_view(port);
  return view.contains("role") ? std::string(view.at("role").as_string()) : "";
}

bool lists_node(std::uint16_t port, const std::string& id) {
  return http_get(port, "/admin/v1/nodes/" + id).status == 200;
}

TEST(EtcdCluster, AnAgentInEtcdIsSeenByEveryReplicaAndGoneAfterItsLease) {
  AUTOGLM_REQUIRE_ETCD();
  EtcdCluster etcd;
  TempDir dir;
  Started backend = start_autoglm(dir, "gpu-1",
                                  {"simnode", "--port", "0", "--model", kModel, "--profile",
                                   "h100-80gb-8b", "--node-id", "gpu-1", "--speedup", "20"});
  Started a = start_replica(dir, etcd, "gw-a");
  Started b = start_replica(dir, etcd, "gw-b");
  Process agent(
      {"agent", "--etcd", etcd.endpoints_csv(), "--etcd-prefix", "/it", "--lease-ttl", "2s",
       "--node-id", "gpu-1", "--backend", "http://127.0.0.1:" + std::to_string(backend.port),
       "--interval", "200ms", "--nvml-library", "libnvidia-ml-absent.so.1"},
      dir.path() / "agent.log");

  ASSERT_TRUE(
      eventually([&] { return lists_node(a.port, "gpu-1") && lists_node(b.port, "gpu-1"); }, 10s))
      << agent.log() << a.process->log();
  auto report = json::parse(http_get(a.port, "/admin/v1/nodes/gpu-1").body).as_object();
  EXPECT_EQ(report.at("models").as_array().at(0).as_string(), kModel);
  // Both replicas route to it once their own health checks pass.
  EXPECT_TRUE(eventually(
      [&] {
        return http_post(a.port, "/v1/chat/completions", chat_body(kModel, 4, false)).status ==
                   200 &&
               http_post(b.port, "/v1/chat/completions", chat_body(kModel, 4, false)).status == 200;
      },
      5s));

  agent.signal(SIGKILL);  // no revoke: the node stays until the lease runs out
  const auto killed = std::chrono::steady_clock::now();
  EXPECT_TRUE(eventually(
      [&] { return !lists_node(a.port, "gpu-1") && !lists_node(b.port, "gpu-1"); }, 3 * kTtl));
  EXPECT_LT(std::chrono::steady_clock::now() - killed, 2 * kTtl + 1s);
}

TEST(EtcdCluster, ReplicasElectOneLeaderAndHandOverOnSigtermAndSigkill) {
  AUTOGLM_REQUIRE_ETCD();
  EtcdCluster etcd;
  TempDir dir;
  Started a = start_replica(dir, etcd, "gw-a");
  Started b = start_replica(dir, etcd, "gw-b");
  Started c = start_replica(dir, etcd, "gw-c");
  std::vector<Started*> all{&a, &b, &c};
  auto leaders = [&] {
    std::vector<Started*> out;
    for (Started* s : all) {
      if (s->process->running() && role_of(s->port) == "leader") out.push_back(s);
    }
    return out;
  };
  // Settled: one leader, every replica registered and agreeing on the leader's token.
  auto leader_fence = [](std::uint16_t port) -> std::int64_t {
    json::object view = cluster_view(port);
    if (!view.contains("leader") || !view.at("leader").is_object()) return -1;
    return view.at("leader").at("fence").as_int64();
  };
  ASSERT_TRUE(eventually(
      [&] {
        if (leaders().size() != 1) return false;
        const json::object view = cluster_view(leaders().front()->port);
        if (!view.contains("replicas") || view.at("replicas").as_array().size() != 3) return false;
        for (Started* s : all) {
          if (leader_fence(s->port) != view.at("fence").as_int64()) return false;
        }
        return true;
      },
      10s))
      << a.process->log();
  Started* first = leaders().front();
  json::object view = cluster_view(first->port);
  EXPECT_EQ(view.at("lease").at("ttl_s").as_int64(), 2);
  const std::int64_t first_fence = view.at("fence").as_int64();

  // SIGTERM: it resigns before draining, so another leads within a poll or two.
  first->process->signal(SIGTERM);
  Started* second = nullptr;
  ASSERT_TRUE(eventually(
      [&] {
        for (Started* s : all) {
          if (s != first && role_of(s->port) == "leader") second = s;
        }
        return second != nullptr;
      },
      1s))
      << "no handover within 1 s of SIGTERM\n--- a\n"
      << a.process->log() << "\n--- b\n"
      << b.process->log() << "\n--- c\n"
      << c.process->log();
  const std::int64_t second_fence = cluster_view(second->port).at("fence").as_int64();
  EXPECT_GT(second_fence, first_fence);
  EXPECT_EQ(first->process->wait(10s), 0) << first->process->log();

  // SIGKILL: its lease has to run out first, then the last replica leads.
  Started* last = nullptr;
  for (Started* s : all) {
    if (s != first && s != second) last = s;
  }
  second->process->signal(SIGKILL);
  const auto killed = std::chrono::steady_clock::now();
  ASSERT_TRUE(eventually([&] { return role_of(last->port) == "leader"; }, 3 * kTtl));
  EXPECT_LT(std::chrono::steady_clock::now() - killed, 2 * kTtl);
  EXPECT_GT(cluster_view(last->port).at("fence").as_int64(), second_fence);
  EXPECT_EQ(cluster_view(last->port).at("replicas").as_array().size(), 1u);
}

}  // namespace
}  // namespace autoglm::testing

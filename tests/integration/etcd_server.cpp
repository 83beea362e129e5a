#include "integration/etcd_server.hpp"

#include <unistd.h>

#include <chrono>
#include <csignal>
#include <stdexcept>
#include <thread>

#include "integration/http_client.hpp"

namespace autoglm::testing {

namespace {

constexpr const char* kEtcd = "/usr/bin/etcd";

std::string loopback(std::uint16_t port) { return "http://127.0.0.1:" + std::to_string(port); }

}  // namespace

bool EtcdCluster::available() { return ::access(kEtcd, X_OK) == 0; }

EtcdCluster::EtcdCluster(int members) {
  std::vector<std::uint16_t> peer_ports;
  std::string initial_cluster;
  for (int i = 0; i < members; ++i) {
    client_ports_.push_back(free_port());
    peer_ports.push_back(free_port());
    initial_cluster +=
        (i == 0 ? "" : ",") + ("m" + std::to_string(i)) + "=" + loopback(peer_ports.back());
  }
  for (int i = 0; i < members; ++i) {
    const std::string name = "m" + std::to_string(i);
    std::vector<std::string> args{"--name",
                                  name,
                                  "--data-dir",
                                  (dir_.path() / name).string(),
                                  "--listen-client-urls",
                                  loopback(client_ports_[i]),
                                  "--advertise-client-urls",
                                  loopback(client_ports_[i]),
                                  "--listen-peer-urls",
                                  loopback(peer_ports[i]),
                                  "--initial-advertise-peer-urls",
                                  loopback(peer_ports[i]),
                                  "--initial-cluster",
                                  initial_cluster,
                                  "--initial-cluster-state",
                                  "new",
                                  "--initial-cluster-token",
                                  "autoglm-test",
                                  "--heartbeat-interval",
                                  "50",
                                  "--election-timeout",
                                  "500",
                                  "--log-level",
                                  "warn"};
    members_.push_back(
        std::make_unique<Process>(kEtcd, std::move(args), dir_.path() / (name + ".log")));
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  for (int i = 0; i < members; ++i) {
    while (!healthy(i)) {
      if (std::chrono::steady_clock::now() > deadline || !members_[i]->running()) {
        throw std::runtime_error("etcd did not start; logs:\n" + logs());
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
}

EtcdCluster::~EtcdCluster() = default;  // each Process kills its member

bool EtcdCluster::healthy(int member) const {
  HttpResponse r = http_request(client_ports_[member], "GET", "/health", "", {},
                                std::chrono::milliseconds(1000));
  return r.status == 200 && r.body.find("\"true\"") != std::string::npos;
}

std::vector<std::string> EtcdCluster::endpoints() const {
  std::vector<std::string> urls;
  for (std::uint16_t port : client_ports_) urls.push_back(loopback(port));
  return urls;
}

std::string EtcdCluster::endpoints_csv() const {
  std::string csv;
  for (const std::string& url : endpoints()) csv += (csv.empty() ? "" : ",") + url;
  return csv;
}

void EtcdCluster::stop_member(int member) {
  members_.at(member)->signal(SIGTERM);
  members_.at(member)->wait(std::chrono::seconds(10));
}

std::string EtcdCluster::logs() const {
  std::string all;
  for (std::size_t i = 0; i < members_.size(); ++i) {
    all += "--- etcd m" + std::to_string(i) + " ---\n" + members_[i]->log();
  }
  return all;
}

}  // namespace autoglm::testing

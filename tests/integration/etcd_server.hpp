// Test support: real etcd members (Debian's etcd-server, /usr/bin/etcd) on free loopback
// ports, each in a temporary data directory, killed and removed when the handle goes.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "integration/process.hpp"

// The first line of a test that needs etcd.
#define AUTOGLM_REQUIRE_ETCD()                       \
  if (!::autoglm::testing::EtcdCluster::available()) \
  GTEST_SKIP() << "/usr/bin/etcd is not installed (Debian package etcd-server)"

namespace autoglm::testing {

class EtcdCluster {
 public:
  // Whether the etcd server binary is installed; tests GTEST_SKIP without it.
  static bool available();

  // Starts `members` members as one cluster and returns once it answers (throws with the
  // logs when it does not within 30 s). Short Raft timings keep elections fast in tests.
  explicit EtcdCluster(int members = 1);
  ~EtcdCluster();
  EtcdCluster(const EtcdCluster&) = delete;
  EtcdCluster& operator=(const EtcdCluster&) = delete;

  // http://127.0.0.1:PORT client URLs, one per member.
  std::vector<std::string> endpoints() const;
  std::string endpoints_csv() const;
  std::uint16_t client_port(int member) const { return client_ports_.at(member); }
  // SIGTERM, then waits for the member to exit.
  void stop_member(int member);
  std::string logs() const;

 private:
  bool healthy(int member) const;

  TempDir dir_;
  std::vector<std::uint16_t> client_ports_;
  std::vector<std::unique_ptr<Process>> members_;
};

}  // namespace autoglm::testing

// The etcd keys (`cluster.etcd.*`, `cluster.replica-id`, `cluster.advertise-url`,
// `cluster.lease-ttl`): defaults, both forms of the endpoint list, and precise errors.
#include <gtest/gtest.h>

#include "config/loader.hpp"
#include "test_support.hpp"

namespace autoglm::config {
namespace {

using testing::empty_env;
using testing::env_from;

core::Result<Config> load_text(const std::string& yaml) {
  return load_from_string(yaml, "app.yaml", empty_env());
}

// The error message of an invalid file.
std::string error_of(const std::string& yaml) { return testing::error_of(load_text(yaml)); }

TEST(ClusterConfig, OffByDefaultWithATenSecondLease) {
  auto config = load_text("");
  ASSERT_TRUE(config) << config.status().message();
  EXPECT_FALSE(config->cluster.enabled());
  EXPECT_EQ(config->cluster.etcd.prefix, "/autoglm");
  EXPECT_EQ(config->cluster.lease_ttl, Millis(10'000));
  EXPECT_EQ(config->cluster.etcd.request_timeout, Millis(2'000));
  EXPECT_EQ(config->cluster.etcd.poll_interval, Millis(250));
  EXPECT_TRUE(config->cluster.replica_id.empty());
}

TEST(ClusterConfig, EveryKeyIsRead) {
  auto config = load_text(
      "cluster:\n  replica-id: gw-1.a:8080\n  advertise-url: http://10.0.0.5:8080/\n"
      "  lease-ttl: 6s\n  etcd:\n    endpoints: [http://e1:2379/, http://e2:2379]\n"
      "    prefix: /prod/autoglm/\n    request-timeout: 1s\n    poll-interval: 100ms\n");
  ASSERT_TRUE(config) << config.status().message();
  const ClusterConfig& c = config->cluster;
  EXPECT_TRUE(c.enabled());
  EXPECT_EQ(c.etcd.endpoints, (std::vector<std::string>{"http://e1:2379", "http://e2:2379"}));
  EXPECT_EQ(c.etcd.prefix, "/prod/autoglm");
  EXPECT_EQ(c.replica_id, "gw-1.a:8080");
  EXPECT_EQ(c.advertise_url, "http://10.0.0.5:8080");
  EXPECT_EQ(c.lease_ttl, Millis(6'000));
  EXPECT_EQ(c.etcd.request_timeout, Millis(1'000));
  EXPECT_EQ(c.etcd.poll_interval, Millis(100));
}

TEST(ClusterConfig, EndpointsFromOneCommaSeparatedVariable) {
  auto config = load(testing::options_for(
      "", env_from({{"AUTOGLM_CLUSTER_ETCD_ENDPOINTS", "http://e1:2379, http://e2:2379,"}})));
  ASSERT_TRUE(config) << config.status().message();
  EXPECT_EQ(config->cluster.etcd.endpoints,
            (std::vector<std::string>{"http://e1:2379", "http://e2:2379"}));
}

TEST(ClusterConfig, BadValuesNameTheKeyAndWhatIsExpected) {
  EXPECT_NE(error_of("cluster:\n  etcd:\n    endpoints: [https://e1:2379]\n")
                .find("cluster.etcd.endpoints: https is not supported"),
            std::string::npos);
  EXPECT_NE(error_of("cluster:\n  etcd:\n    endpoints: e1:2379\n")
                .find("expected an http:// URL such as http://10.0.0.7:2379, got 'e1:2379'"),
            std::string::npos);
  EXPECT_NE(error_of("cluster:\n  etcd:\n    prefix: autoglm\n")
                .find("cluster.etcd.prefix: expected a key prefix such as /autoglm"),
            std::string::npos);
  EXPECT_NE(error_of("cluster:\n  etcd:\n    prefix: /\n").find("cluster.etcd.prefix"),
            std::string::npos);
  EXPECT_NE(error_of("cluster:\n  replica-id: gw 1\n")
                .find("cluster.replica-id: may hold up to 128 letters"),
            std::string::npos);
  EXPECT_NE(
      error_of("cluster:\n  lease-ttl: 2500ms\n").find("cluster.lease-ttl: must be whole seconds"),
      std::string::npos);
  EXPECT_NE(error_of("cluster:\n  lease-ttl: 1s\n").find("cluster.lease-ttl: must be between"),
            std::string::npos);
}

TEST(ClusterConfig, TimeoutsMustFitInsideTheLease) {
  const std::string etcd = "cluster:\n  lease-ttl: 3s\n  etcd:\n    endpoints: [http://e1:2379]\n";
  const std::string slow = error_of(etcd + "    request-timeout: 2s\n");
  EXPECT_NE(slow.find("app.yaml:5: cluster.etcd.request-timeout: must be at most a third of "
                      "cluster.lease-ttl (1s)"),
            std::string::npos)
      << slow;
  EXPECT_NE(error_of(etcd + "    request-timeout: 1s\n    poll-interval: 2s\n")
                .find("cluster.etcd.poll-interval: must be at most half of cluster.lease-ttl"),
            std::string::npos);
  // Without endpoints nothing is coordinated, so nothing is checked between the keys.
  EXPECT_TRUE(load_text("cluster:\n  lease-ttl: 3s\n  etcd:\n    request-timeout: 2s\n"));
}

}  // namespace
}  // namespace autoglm::config

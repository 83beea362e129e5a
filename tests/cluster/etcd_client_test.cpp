// EtcdClient against a real etcd on loopback: keys, the create-if-absent txn, leases, and
// failing over past an endpoint that does not answer.
#include <gtest/gtest.h>

#include "cluster/etcd_client.hpp"
#include "cluster_test_support.hpp"

namespace autoglm::cluster {
namespace {

using autoglm::testing::free_port;
using namespace std::chrono_literals;

using EtcdClientTest = testing::EtcdTest;

TEST_F(EtcdClientTest, PutRangeAndDelete) {
  auto put_a = io_.run(client_->put("/t/a", "1", 0));
  ASSERT_TRUE(put_a.is_ok()) << put_a.status().message();
  ASSERT_TRUE(io_.run(client_->put("/t/b", "2", 0)).is_ok());
  ASSERT_TRUE(io_.run(client_->put("/u", "3", 0)).is_ok());

  auto under = io_.run(client_->range_prefix("/t/"));
  ASSERT_TRUE(under.is_ok()) << under.status().message();
  ASSERT_EQ(under->kvs.size(), 2u);
  EXPECT_EQ(under->kvs[0].key, "/t/a");
  EXPECT_EQ(under->kvs[0].value, "1");
  EXPECT_EQ(under->kvs[0].create_revision, *put_a);
  EXPECT_EQ(under->kvs[1].key, "/t/b");

  ASSERT_TRUE(io_.run(client_->remove("/t/", prefix_range_end("/t/"))).is_ok());
  EXPECT_TRUE(io_.run(client_->range_prefix("/t/"))->kvs.empty());
  EXPECT_EQ(io_.run(client_->range_prefix("/u"))->kvs.size(), 1u);
}

TEST_F(EtcdClientTest, CreateIfAbsentCreatesOnceThenReportsTheExistingKey) {
  auto first = io_.run(client_->create_if_absent("/e/x", "gw-a", 0));
  ASSERT_TRUE(first.is_ok()) << first.status().message();
  EXPECT_TRUE(first->created);
  auto second = io_.run(client_->create_if_absent("/e/x", "gw-b", 0));
  ASSERT_TRUE(second.is_ok()) << second.status().message();
  EXPECT_FALSE(second->created);
  ASSERT_TRUE(second->existing);
  EXPECT_EQ(second->existing->value, "gw-a");
  EXPECT_EQ(second->existing->create_revision, first->revision);
}

TEST_F(EtcdClientTest, KeysUnderALeaseGoWithIt) {
  auto lease = io_.run(client_->grant(5));
  ASSERT_TRUE(lease.is_ok()) << lease.status().message();
  EXPECT_EQ(lease->ttl_s, 5);
  ASSERT_TRUE(io_.run(client_->put("/l/k", "v", lease->id)).is_ok());
  auto kept = io_.run(client_->keepalive(lease->id, 2s));
  ASSERT_TRUE(kept.is_ok()) << kept.status().message();
  EXPECT_EQ(*kept, 5);
  EXPECT_EQ(io_.run(client_->range_prefix("/l/"))->kvs.at(0).lease, lease->id);

  EXPECT_TRUE(io_.run(client_->revoke(lease->id)).is_ok());
  EXPECT_TRUE(io_.run(client_->range_prefix("/l/"))->kvs.empty());
  auto after = io_.run(client_->keepalive(lease->id, 2s));
  EXPECT_TRUE(after.is_ok() ? *after == 0 : after.status().code() == core::ErrorCode::kNotFound);
  EXPECT_EQ(io_.run(client_->revoke(lease->id)).code(), core::ErrorCode::kNotFound);
  EXPECT_EQ(io_.run(client_->put("/l/k", "v", lease->id)).status().code(),
            core::ErrorCode::kNotFound);
}

TEST_F(EtcdClientTest, FailsOverPastAnEndpointThatIsDown) {
  const std::string dead = "http://127.0.0.1:" + std::to_string(free_port());
  EtcdClient client(EtcdOptions{{dead, etcd_->endpoints()[0]}, 500ms});
  EXPECT_EQ(client.preferred_endpoint(), dead);
  auto put = io_.run(client.put("/f", "1", 0));
  ASSERT_TRUE(put.is_ok()) << put.status().message();
  EXPECT_EQ(client.preferred_endpoint(), etcd_->endpoints()[0]);  // later calls start there

  EtcdClient nowhere(EtcdOptions{{dead}, 500ms});
  auto failed = io_.run(nowhere.range_prefix("/"));
  ASSERT_FALSE(failed.is_ok());
  EXPECT_EQ(failed.status().code(), core::ErrorCode::kUnavailable);
  EXPECT_NE(failed.status().message().find(dead), std::string::npos) << failed.status().message();
}

}  // namespace
}  // namespace autoglm::cluster

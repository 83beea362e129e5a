// LeaseKeeper against a real etcd: the keepalive cadence, and what a clean revoke and a
// simulated crash (no more keepalives) do to the lease.
#include "cluster/lease_keeper.hpp"

#include <gtest/gtest.h>

#include "cluster_test_support.hpp"

namespace autoglm::cluster {
namespace {

using testing::wait_for;
using namespace std::chrono_literals;

using LeaseKeeperTest = testing::EtcdTest;

TEST_F(LeaseKeeperTest, RenewsEveryThirdOfTheTtlAndNoMoreOften) {
  LeaseKeeper keeper(io_.executor(), *client_, LeaseOptions{3s, 200ms, "test"});
  std::vector<LeaseEvent> events;
  keeper.add_listener([&events](LeaseEvent e, std::int64_t) { events.push_back(e); });
  keeper.start();
  ASSERT_TRUE(wait_for([&] { return keeper.alive(); }, 5s));
  std::this_thread::sleep_for(3500ms);  // past the TTL: only keepalives keep it alive
  EXPECT_TRUE(keeper.alive());
  EXPECT_GE(keeper.keepalives(), 2u);
  EXPECT_LE(keeper.keepalives(), 5u) << "keepalives must come every TTL/3, not in a loop";
  EXPECT_EQ(keeper.ttl(), 3s);

  const std::int64_t lease = keeper.lease();
  ASSERT_TRUE(io_.run(keeper.revoke()).is_ok());
  EXPECT_EQ(keeper.lease(), 0);
  EXPECT_FALSE(keeper.alive());
  auto after = io_.run(client_->keepalive(lease, 1s));
  EXPECT_TRUE(after.is_ok() ? *after == 0 : after.status().code() == core::ErrorCode::kNotFound);
  io_.halt();
  EXPECT_EQ(events, std::vector<LeaseEvent>{LeaseEvent::kGranted});
}

TEST_F(LeaseKeeperTest, AStoppedKeeperLetsTheLeaseAndItsKeysRunOut) {
  LeaseKeeper keeper(io_.executor(), *client_, LeaseOptions{2s, 200ms, "test"});
  keeper.start();
  ASSERT_TRUE(wait_for([&] { return keeper.alive(); }, 5s));
  const std::int64_t lease = keeper.lease();
  ASSERT_TRUE(io_.run(client_->put("/k", "v", lease)).is_ok());
  keeper.stop();  // a crash, to etcd
  ASSERT_TRUE(wait_for([&] { return !keeper.alive(); }, 3s));
  // etcd drops the key when the lease runs out there too.
  EXPECT_TRUE(wait_for([&] { return io_.run(client_->range_prefix("/k"))->kvs.empty(); }, 3s));
  io_.halt();
}

}  // namespace
}  // namespace autoglm::cluster

// Leader election against a real etcd: three candidates in one process, each with its
// own client, lease and election, as three gateway replicas would have.
#include "cluster/election.hpp"

#include <gtest/gtest.h>

#include <memory>

#include "cluster_test_support.hpp"

namespace autoglm::cluster {
namespace {

using testing::wait_for;
using namespace std::chrono_literals;

constexpr auto kTtl = 2s;

struct Candidate {
  Candidate(boost::asio::any_io_executor ex, const std::vector<std::string>& endpoints,
            std::string id)
      : client(EtcdOptions{endpoints, 500ms}),
        keeper(ex, client, LeaseOptions{kTtl, 200ms, id}),
        election(ex, client, keeper, ElectionOptions{"/test", id, 50ms}) {}
  void start() {
    keeper.start();
    election.start();
  }
  // A crash as etcd sees it: no more keepalives, no more polls, the key stays until the
  // lease runs out.
  void die() {
    election.stop();
    keeper.stop();
  }
  EtcdClient client;
  LeaseKeeper keeper;
  Election election;
};

class ElectionTest : public testing::EtcdTest {
 protected:
  void TearDown() override {
    for (auto& c : candidates_) c->die();
    EtcdTest::TearDown();
    candidates_.clear();
  }
  Candidate& add(std::string id) {
    candidates_.push_back(std::make_unique<Candidate>(io_.executor(), etcd_->endpoints(), id));
    candidates_.back()->start();
    return *candidates_.back();
  }
  int leaders() const {
    int n = 0;
    for (const auto& c : candidates_) n += c->election.is_leader() ? 1 : 0;
    return n;
  }
  Candidate* leader() const {
    for (const auto& c : candidates_) {
      if (c->election.is_leader()) return c.get();
    }
    return nullptr;
  }
  // Waits until exactly one candidate leads and every live one agrees who it is.
  Candidate* settled(std::chrono::milliseconds timeout) {
    Candidate* found = nullptr;
    wait_for(
        [&] {
          found = leaders() == 1 ? leader() : nullptr;
          if (found == nullptr) return false;
          const std::string id = found->election.view().leader_id;
          for (const auto& c : candidates_) {
            if (c->election.view().leader_id != id && !c->election.view().resigned) return false;
          }
          return true;
        },
        timeout);
    return found;
  }

  std::vector<std::unique_ptr<Candidate>> candidates_;
};

TEST_F(ElectionTest, ExactlyOneLeaderAndEveryoneKnowsWho) {
  add("gw-a");
  add("gw-b");
  add("gw-c");
  Candidate* first = settled(5s);
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(leaders(), 1);
  ASSERT_TRUE(first->election.fence());
  EXPECT_EQ(first->election.view().leader_revision, *first->election.fence());
  for (const auto& c : candidates_) {
    if (c.get() == first) continue;
    EXPECT_FALSE(c->election.fence());
    EXPECT_FALSE(c->election.view().waiting_on.empty());
  }
}

TEST_F(ElectionTest, ResignHandsOverPromptlyWithAGreaterFence) {
  add("gw-a");
  add("gw-b");
  add("gw-c");
  Candidate* first = settled(5s);
  ASSERT_NE(first, nullptr);
  const std::int64_t first_fence = *first->election.fence();

  const auto resigned_at = std::chrono::steady_clock::now();
  ASSERT_TRUE(io_.run(first->election.resign()).is_ok());
  EXPECT_FALSE(first->election.is_leader());  // at once, not at the next poll
  EXPECT_FALSE(first->election.fence());

  Candidate* second = settled(5s);
  ASSERT_NE(second, nullptr);
  EXPECT_NE(second, first);
  const auto handover = std::chrono::steady_clock::now() - resigned_at;
  EXPECT_LT(handover, 1s) << "a resign must not wait for the lease TTL";
  EXPECT_GT(*second->election.fence(), first_fence);
  // The resigned candidate does not campaign again.
  std::this_thread::sleep_for(300ms);
  EXPECT_FALSE(first->election.is_leader());
  EXPECT_TRUE(first->election.view().key.empty());
}

TEST_F(ElectionTest, ADeadLeaderIsReplacedWithinTwiceTheTtl) {
  add("gw-a");
  add("gw-b");
  Candidate* first = settled(5s);
  ASSERT_NE(first, nullptr);
  const std::int64_t first_fence = *first->election.fence();

  const auto died_at = std::chrono::steady_clock::now();
  first->die();
  Candidate* second = nullptr;
  const auto took = wait_for(
      [&] {
        for (const auto& c : candidates_) {
          if (c.get() != first && c->election.is_leader()) second = c.get();
        }
        return second != nullptr;
      },
      3 * kTtl);
  ASSERT_TRUE(took) << "no new leader within 3 x TTL";
  // Read after the new leader was seen: the dead one had stopped counting itself leader.
  EXPECT_FALSE(first->election.is_leader());
  EXPECT_LT(std::chrono::steady_clock::now() - died_at, 2 * kTtl);
  EXPECT_GT(*second->election.fence(), first_fence);
}

TEST_F(ElectionTest, FencesStrictlyIncreaseAcrossLeaders) {
  add("gw-a");
  add("gw-b");
  add("gw-c");
  std::int64_t last = 0;
  for (int round = 0; round < 3; ++round) {
    Candidate* now = settled(5s);
    ASSERT_NE(now, nullptr) << "round " << round;
    const std::int64_t fence = *now->election.fence();
    EXPECT_GT(fence, last) << "round " << round;
    last = fence;
    ASSERT_TRUE(io_.run(now->election.resign()).is_ok());
    if (round < 2) add("gw-late-" + std::to_string(round));  // joins behind the others
  }
}

TEST_F(ElectionTest, ALostLeaseIsNoticedAndReplaced) {
  Candidate& a = add("gw-a");
  ASSERT_TRUE(settled(5s) == &a);
  const std::int64_t first_lease = a.keeper.lease();
  // etcd forgets the lease (an operator revoked it, or etcd lost it): the keeper must
  // notice at its next keepalive, drop leadership, take a new lease and campaign again.
  ASSERT_TRUE(io_.run(a.client.revoke(first_lease)).is_ok());
  EXPECT_TRUE(wait_for([&] { return a.keeper.lease() != first_lease; }, kTtl));
  EXPECT_TRUE(wait_for([&] { return a.election.is_leader(); }, 3 * kTtl));
  EXPECT_NE(a.keeper.lease(), first_lease);
}

// Three etcd members, one stopped: the other two keep a quorum, clients fail over to
// them, and the election still works.
class ThreeMemberEtcd : public ElectionTest {
 protected:
  ThreeMemberEtcd() { members_ = 3; }
};

TEST_F(ThreeMemberEtcd, KeepsWorkingWithOneMemberStopped) {
  add("gw-a");
  add("gw-b");
  Candidate* first = settled(10s);
  ASSERT_NE(first, nullptr);
  const std::int64_t first_fence = *first->election.fence();

  etcd_->stop_member(0);  // every client prefers member 0 so far
  auto put = io_.run(client_->put("/after/stop", "ok", 0));
  ASSERT_TRUE(put.is_ok()) << put.status().message() << "\n" << etcd_->logs();
  EXPECT_EQ(io_.run(client_->range_prefix("/after/"))->kvs.size(), 1u);
  EXPECT_NE(client_->preferred_endpoint(), etcd_->endpoints()[0]);

  // The leases stay alive through the failover, so the leader keeps leading...
  std::this_thread::sleep_for(kTtl);
  EXPECT_TRUE(first->election.is_leader());
  // ...and a resign still hands over.
  ASSERT_TRUE(io_.run(first->election.resign()).is_ok());
  Candidate* second = settled(5s);
  ASSERT_NE(second, nullptr);
  EXPECT_GT(*second->election.fence(), first_fence);
}

}  // namespace
}  // namespace autoglm::cluster

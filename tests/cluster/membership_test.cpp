// Membership bookkeeping without etcd: key layout, replica entries, and the differences
// a follower reports between two listings.
#include "cluster/membership.hpp"

#include <gtest/gtest.h>

namespace autoglm::cluster {
namespace {

KeyValue kv(std::string key, std::string value) {
  KeyValue out;
  out.key = std::move(key);
  out.value = std::move(value);
  return out;
}

TEST(Membership, KeyLayoutUnderThePrefix) {
  EXPECT_EQ(replicas_prefix("/autoglm"), "/autoglm/replicas/");
  EXPECT_EQ(nodes_prefix("/prod/autoglm"), "/prod/autoglm/nodes/");
}

TEST(Membership, ReplicaEntryRoundTrips) {
  const ReplicaInfo info{"gw-1", "http://10.0.0.5:8080", "2025-01-31T12:00:00Z", "0.1.0"};
  auto back = replica_from_json(to_json(info));
  ASSERT_TRUE(back.is_ok());
  EXPECT_EQ(*back, info);
  EXPECT_FALSE(replica_from_json("{}").is_ok());
  EXPECT_FALSE(replica_from_json("nope").is_ok());
}

TEST(Membership, MembersAreNamedByTheRestOfTheKey) {
  const Members m = members_under("/a/nodes/", {kv("/a/nodes/n1", "x"), kv("/a/nodes/n2", "y"),
                                                kv("/a/nodes/", "z"), kv("/a/other", "w")});
  EXPECT_EQ(m, (Members{{"n1", "x"}, {"n2", "y"}}));
}

TEST(Membership, DiffReportsNewChangedAndGoneMembers) {
  const Members before{{"a", "1"}, {"b", "2"}, {"c", "3"}};
  const Members after{{"a", "1"}, {"b", "22"}, {"d", "4"}};
  const MemberChanges changes = diff_members(before, after);
  using Pair = std::pair<std::string, std::string>;
  EXPECT_EQ(changes.upserted, (std::vector<Pair>{{"b", "22"}, {"d", "4"}}));
  EXPECT_EQ(changes.removed, (std::vector<std::string>{"c"}));
  EXPECT_TRUE(diff_members(after, after).empty());
}

}  // namespace
}  // namespace autoglm::cluster

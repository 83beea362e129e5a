// Who leads, from the candidates' keys alone (the election recipe's decision, no etcd).
#include <gtest/gtest.h>

#include "cluster/election.hpp"

namespace autoglm::cluster {
namespace {

KeyValue candidate(std::string key, std::int64_t create_revision, std::string id) {
  KeyValue kv;
  kv.key = std::move(key);
  kv.value = std::move(id);
  kv.create_revision = create_revision;
  kv.mod_revision = create_revision;
  return kv;
}

TEST(Standing, TheLowestCreateRevisionLeadsWhateverTheOrder) {
  const auto s = standing_of(
      {candidate("/e/c", 30, "gw-c"), candidate("/e/a", 12, "gw-a"), candidate("/e/b", 20, "gw-b")},
      "/e/a");
  ASSERT_TRUE(s.leader);
  EXPECT_EQ(s.leader->value, "gw-a");
  EXPECT_TRUE(s.present);
  EXPECT_TRUE(s.leading);
  EXPECT_FALSE(s.predecessor);
}

TEST(Standing, AWaiterWaitsOnTheKeyCreatedJustBeforeItsOwn) {
  const auto s = standing_of(
      {candidate("/e/c", 30, "gw-c"), candidate("/e/a", 12, "gw-a"), candidate("/e/b", 20, "gw-b")},
      "/e/c");
  EXPECT_TRUE(s.present);
  EXPECT_FALSE(s.leading);
  ASSERT_TRUE(s.predecessor);
  EXPECT_EQ(s.predecessor->key, "/e/b");  // not the leader: only the one just before
  EXPECT_EQ(s.leader->value, "gw-a");
}

TEST(Standing, OwnKeyGoneOrNotCampaigning) {
  const std::vector<KeyValue> keys{candidate("/e/b", 20, "gw-b")};
  const auto gone = standing_of(keys, "/e/a");
  EXPECT_FALSE(gone.present);
  EXPECT_FALSE(gone.leading);
  EXPECT_EQ(gone.leader->value, "gw-b");
  const auto observer = standing_of(keys, "");
  EXPECT_FALSE(observer.present);
  EXPECT_EQ(observer.leader->value, "gw-b");
}

TEST(Standing, NoCandidatesNoLeader) {
  const auto s = standing_of({}, "/e/a");
  EXPECT_FALSE(s.leader);
  EXPECT_FALSE(s.present);
  EXPECT_FALSE(s.leading);
}

}  // namespace
}  // namespace autoglm::cluster

// Store conformance for run-time API keys: every backend instantiating StoreConformance
// (sqlite_store_test.cpp, pg_store_test.cpp) runs these too.
#include <string>

#include "store/store_conformance.hpp"

namespace autoglm::store::testing {
namespace {

ApiKeyRecord key(std::string id, char hash_digit) {
  ApiKeyRecord k;
  k.id = std::move(id);
  k.tenant = "acme";
  k.key_hash = std::string(64, hash_digit);
  k.label = "ci";
  k.created_at = Time{std::chrono::seconds(1'735'689'600)};
  return k;
}

TEST_P(StoreConformance, ApiKeysRoundTripEveryField) {
  ApiKeyRecord full = key("key_b", 'b');
  full.admin = true;
  full.default_class = "batch";
  full.models = {"m1", "vision-model:7b"};
  full.requests_per_second = 2.5;
  full.burst = 0.1;
  full.max_concurrent = 3;
  ASSERT_TRUE(store_->create_api_key(full));
  ASSERT_TRUE(store_->create_api_key(key("key_a", 'a')));

  auto listed = store_->list_api_keys();
  ASSERT_TRUE(listed) << listed.status().message();
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ(listed->at(0), key("key_a", 'a')) << "sorted by id, defaults kept";
  EXPECT_EQ(listed->at(1), full);
}

TEST_P(StoreConformance, ApiKeyIdsAndHashesAreUnique) {
  ASSERT_TRUE(store_->create_api_key(key("key_a", 'a')));
  ApiKeyRecord same_id = key("key_a", 'c');
  EXPECT_EQ(store_->create_api_key(same_id).code(), core::ErrorCode::kConflict);
  ApiKeyRecord same_hash = key("key_z", 'a');
  EXPECT_EQ(store_->create_api_key(same_hash).code(), core::ErrorCode::kConflict);
  EXPECT_EQ(store_->list_api_keys()->size(), 1u);
}

TEST_P(StoreConformance, ApiKeysRejectWhatCouldNotBeReadBack) {
  ApiKeyRecord bad_hash = key("key_a", 'a');
  bad_hash.key_hash = "not-a-sha256";
  EXPECT_EQ(store_->create_api_key(bad_hash).code(), core::ErrorCode::kInvalidArgument);
  ApiKeyRecord upper = key("key_a", 'A');
  EXPECT_EQ(store_->create_api_key(upper).code(), core::ErrorCode::kInvalidArgument);
  ApiKeyRecord bad_model = key("key_a", 'a');
  bad_model.models = {"m1\nm2"};
  EXPECT_EQ(store_->create_api_key(bad_model).code(), core::ErrorCode::kInvalidArgument);
  ApiKeyRecord no_tenant = key("key_a", 'a');
  no_tenant.tenant.clear();
  EXPECT_EQ(store_->create_api_key(no_tenant).code(), core::ErrorCode::kInvalidArgument);
  EXPECT_TRUE(store_->list_api_keys()->empty());
}

TEST_P(StoreConformance, RevokingAKeyKeepsItsRowAndFirstRevocationTime) {
  ASSERT_TRUE(store_->create_api_key(key("key_a", 'a')));
  auto revoked = store_->revoke_api_key("key_a", t(10s));
  ASSERT_TRUE(revoked) << revoked.status().message();
  EXPECT_EQ(revoked->revoked_at, t(10s));
  EXPECT_EQ(store_->revoke_api_key("key_a", t(20s))->revoked_at, t(10s));
  auto listed = store_->list_api_keys();
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->at(0).revoked_at, t(10s));
  EXPECT_EQ(store_->revoke_api_key("key_nope", t(10s)).status().code(), core::ErrorCode::kNotFound);
}

}  // namespace
}  // namespace autoglm::store::testing

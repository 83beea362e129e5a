// KeyService's pieces that need no event loop: the record <-> key mapping and a re-read of
// an in-memory store into the guard. (Restart and replica behaviour: integration tests.)
#include "api/key_service.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>

#include "store/sqlite_store.hpp"

namespace autoglm::api {
namespace {

using namespace std::chrono_literals;

tenancy::KeyInfo scoped_info() {
  tenancy::KeyInfo info{"key_0123456789abcdef", "acme", true, "ci", false, {}};
  info.scope.default_class = core::PriorityClass::kSheddable;
  info.scope.models = {"m1", "m2"};
  info.scope.limits = {2.5, 5, 3};
  return info;
}

TEST(KeyRecords, AKeyRoundTripsThroughItsStoreRecord) {
  const tenancy::KeyHash hash = tenancy::sha256("agk_secret-0123456789");
  const store::ApiKeyRecord record = record_of(scoped_info(), hash, core::Time{42});
  EXPECT_EQ(record.key_hash, tenancy::to_hex(hash));
  EXPECT_EQ(record.default_class, "sheddable");
  EXPECT_EQ(record.created_at, core::Time{42});
  auto back = stored_key_of(record);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->hash, hash);
  EXPECT_EQ(back->info.id, scoped_info().id);
  EXPECT_TRUE(back->info.admin);
  EXPECT_EQ(back->info.scope, scoped_info().scope);
  EXPECT_FALSE(back->info.revoked);
}

TEST(KeyRecords, RowsThatCannotBeAKeyAreSkipped) {
  store::ApiKeyRecord record = record_of(scoped_info(), tenancy::sha256("x"), core::Time{0});
  record.revoked_at = core::Time{7};
  EXPECT_TRUE(stored_key_of(record)->info.revoked);
  store::ApiKeyRecord bad_class = record;
  bad_class.default_class = "urgent";
  EXPECT_FALSE(stored_key_of(bad_class));
  store::ApiKeyRecord bad_hash = record;
  bad_hash.key_hash = "zz";
  EXPECT_FALSE(stored_key_of(bad_hash));
}

TEST(KeyService, RefreshBringsStoredKeysAndRevocationsIntoTheGuard) {
  config::Config config;
  config.auth.enabled = true;
  config.auth.keys.push_back({"key_admin", "ops", true, "", "", "agk_admin-0123456789"});
  core::ManualClock clock;
  Guard guard(std::move(build_guard_settings(config)).value(), clock);
  auto store = std::move(store::SqliteStore::open(":memory:")).value();
  const std::string secret = "agk_stored-0123456789";
  ASSERT_TRUE(store->create_api_key(record_of(scoped_info(), tenancy::sha256(secret), {})));

  KeyService keys(guard, config.auth, clock);
  EXPECT_FALSE(guard.find_key(scoped_info().id)) << "nothing is read before a store is used";
  // use_store needs an event loop; refresh is its blocking read.
  boost::asio::io_context io;
  boost::asio::thread_pool workers(1);
  keys.use_store(*store, workers, io, clock);
  RequestContext context;
  ASSERT_TRUE(guard.check("Bearer " + secret, "/v1/models", context).status.is_ok());
  EXPECT_EQ(context.key_models, scoped_info().scope.models);

  ASSERT_TRUE(store->revoke_api_key(scoped_info().id, core::Time{1}));
  ASSERT_TRUE(keys.refresh());
  EXPECT_EQ(guard.check("Bearer " + secret, "/v1/models", context).status.code(),
            core::ErrorCode::kUnauthenticated);
  workers.join();
}

}  // namespace
}  // namespace autoglm::api

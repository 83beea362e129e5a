// The gateway's front door: keys to tenants, admin routes, rate and concurrency limits,
// allow-lists, run-time keys and reloads. A manual clock; no network.
#include "api/guard.hpp"

#include <gtest/gtest.h>

#include "tenancy/key_hash.hpp"

namespace autoglm::api {
namespace {

using namespace std::chrono_literals;

constexpr std::string_view kAcmeKey = "agk_acme-key-0123456789";
constexpr std::string_view kOpsKey = "agk_ops-admin-key-0123456789";

std::string bearer(std::string_view key) { return "Bearer " + std::string(key); }

config::Config base_config() {
  config::Config c;
  c.auth.enabled = true;
  c.auth.keys.push_back({"key_acme", "acme", false, "ci", "", std::string(kAcmeKey)});
  c.auth.keys.push_back(
      {"key_ops", "ops", true, "", tenancy::to_hex(tenancy::sha256(kOpsKey)), ""});
  config::TenantConfig acme;
  acme.id = "acme";
  acme.default_class = "batch";
  acme.models = {"m1"};
  acme.limits = config::TenantLimitsConfig{1, 2, std::nullopt, 0};
  c.tenants.push_back(acme);
  return c;
}

class GuardTest : public ::testing::Test {
 protected:
  Guard make(const config::Config& c) {
    auto settings = build_guard_settings(c);
    EXPECT_TRUE(settings.is_ok()) << settings.status().message();
    return Guard(std::move(settings).value(), clock_);
  }
  core::ManualClock clock_;
};

std::string header_of(const GuardVerdict& v, std::string_view name) {
  for (const auto& [n, value] : v.headers) {
    if (n == name) return value;
  }
  return "";
}

TEST_F(GuardTest, AKeyActsForItsTenantWithItsDefaultClass) {
  Guard guard = make(base_config());
  RequestContext context;
  auto verdict = guard.check(bearer(kAcmeKey), "/v1/chat/completions", context);
  ASSERT_TRUE(verdict.status.is_ok()) << verdict.status.message();
  EXPECT_EQ(context.tenant, "acme");
  EXPECT_FALSE(context.admin);
  EXPECT_EQ(context.default_priority, core::default_level(core::PriorityClass::kBatch));
  EXPECT_TRUE(verdict.permit.held());
  EXPECT_EQ(header_of(verdict, "x-ratelimit-limit-requests"), "2");
}

TEST_F(GuardTest, MissingOrUnknownKeysAre401AndNeverEchoed) {
  Guard guard = make(base_config());
  RequestContext context;
  auto none = guard.check("", "/v1/models", context);
  EXPECT_EQ(none.status.code(), core::ErrorCode::kUnauthenticated);
  EXPECT_EQ(header_of(none, "www-authenticate"), "Bearer");
  auto wrong = guard.check("Bearer agk_not-a-real-key-000000", "/v1/models", context);
  EXPECT_EQ(wrong.status.code(), core::ErrorCode::kUnauthenticated);
  EXPECT_EQ(wrong.status.message().find("not-a-real-key"), std::string::npos)
      << wrong.status.message();
  EXPECT_EQ(context.tenant, "default") << "a denied request fills nothing";
}

TEST_F(GuardTest, AdminRoutesNeedAnAdminKey) {
  Guard guard = make(base_config());
  RequestContext context;
  EXPECT_EQ(guard.check(bearer(kAcmeKey), "/admin/v1/keys", context).status.code(),
            core::ErrorCode::kPermissionDenied);
  RequestContext admin;
  EXPECT_TRUE(guard.check(bearer(kOpsKey), "/admin/v1/keys", admin).status.is_ok());
  EXPECT_TRUE(admin.admin);
  EXPECT_EQ(admin.tenant, "ops");
}

TEST_F(GuardTest, PublicPathsPassWithoutAKey) {
  Guard guard = make(base_config());
  RequestContext context;
  for (std::string_view path :
       {"/healthz", "/readyz", "/metrics", "/ui", "/ui/", "/ui/assets/a.js"}) {
    EXPECT_TRUE(guard.check("", path, context).status.is_ok()) << path;
  }
  // The dashboard's data is not public with its files.
  for (std::string_view path : {"/admin/v1/dashboard", "/uix", "/v1/ui"}) {
    EXPECT_FALSE(guard.check("", path, context).status.is_ok()) << path;
  }
}

TEST_F(GuardTest, TenantRateLimitIs429WithRetryAfter) {
  Guard guard = make(base_config());  // acme: 1 request/s, burst 2
  RequestContext context;
  EXPECT_TRUE(guard.check(bearer(kAcmeKey), "/v1/models", context).status.is_ok());
  EXPECT_TRUE(guard.check(bearer(kAcmeKey), "/v1/models", context).status.is_ok());
  auto denied = guard.check(bearer(kAcmeKey), "/v1/models", context);
  EXPECT_EQ(denied.status.code(), core::ErrorCode::kResourceExhausted);
  EXPECT_EQ(header_of(denied, "retry-after"), "1");
  EXPECT_EQ(header_of(denied, "x-ratelimit-remaining-requests"), "0");
  // Another tenant is not affected.
  EXPECT_TRUE(guard.check(bearer(kOpsKey), "/v1/models", context).status.is_ok());
  clock_.advance(1s);
  EXPECT_TRUE(guard.check(bearer(kAcmeKey), "/v1/models", context).status.is_ok());
}

TEST_F(GuardTest, GlobalLimitCoversEveryTenant) {
  config::Config c = base_config();
  c.limits.global_requests_per_second = 1;
  c.limits.global_burst = 1;
  Guard guard = make(c);
  RequestContext context;
  EXPECT_TRUE(guard.check(bearer(kOpsKey), "/v1/models", context).status.is_ok());
  auto denied = guard.check(bearer(kAcmeKey), "/v1/models", context);
  EXPECT_EQ(denied.status.code(), core::ErrorCode::kResourceExhausted);
  EXPECT_NE(denied.status.message().find("global"), std::string::npos);
}

TEST_F(GuardTest, TokensPerMinuteDebtDeniesTheNextRequest) {
  config::Config c = base_config();
  c.tenants[0].limits = config::TenantLimitsConfig{0, 0, 1000, 0};
  Guard guard = make(c);
  RequestContext context;
  EXPECT_TRUE(guard.check(bearer(kAcmeKey), "/v1/completions", context).status.is_ok());
  guard.charge_tokens("acme", 1500);
  auto denied = guard.check(bearer(kAcmeKey), "/v1/completions", context);
  EXPECT_EQ(denied.status.code(), core::ErrorCode::kResourceExhausted);
  EXPECT_NE(header_of(denied, "x-ratelimit-limit-tokens"), "");
}

TEST_F(GuardTest, ConcurrencyBoundHoldsUntilThePermitIsDropped) {
  config::Config c = base_config();
  c.tenants[0].limits = config::TenantLimitsConfig{0, 0, std::nullopt, 1};
  Guard guard = make(c);
  RequestContext context;
  auto first = guard.check(bearer(kAcmeKey), "/v1/models", context);
  ASSERT_TRUE(first.status.is_ok());
  EXPECT_EQ(guard.check(bearer(kAcmeKey), "/v1/models", context).status.code(),
            core::ErrorCode::kResourceExhausted);
  first.permit.release();
  EXPECT_TRUE(guard.check(bearer(kAcmeKey), "/v1/models", context).status.is_ok());
}

TEST_F(GuardTest, AllowListHidesOtherModels) {
  Guard guard = make(base_config());
  RequestContext acme;
  acme.tenant = "acme";
  RequestContext ops;
  ops.tenant = "ops";
  EXPECT_TRUE(guard.allows_model(acme, "m1"));
  EXPECT_FALSE(guard.allows_model(acme, "m2"));
  EXPECT_TRUE(guard.allows_model(ops, "m2")) << "a tenant without a list may use every model";
}

TEST_F(GuardTest, AuthOffActsAsTheDefaultTenantWithItsLimits) {
  config::Config c;
  config::TenantConfig def;
  def.id = "default";
  def.limits = config::TenantLimitsConfig{1, 1, std::nullopt, 0};
  c.tenants.push_back(def);
  Guard guard = make(c);
  RequestContext context;
  ASSERT_TRUE(guard.check("", "/admin/v1/keys", context).status.is_ok());
  EXPECT_EQ(context.tenant, "default");
  EXPECT_TRUE(context.admin);
  EXPECT_EQ(guard.check("", "/v1/models", context).status.code(),
            core::ErrorCode::kResourceExhausted);
}

TEST_F(GuardTest, RuntimeKeysAuthenticateAndSurviveReload) {
  Guard guard = make(base_config());
  auto created = guard.create_key({"beta", false, "laptop"});
  ASSERT_TRUE(created.is_ok()) << created.status().message();
  EXPECT_TRUE(created->secret.starts_with("agk_"));
  RequestContext context;
  ASSERT_TRUE(guard.check(bearer(created->secret), "/v1/models", context).status.is_ok());
  EXPECT_EQ(context.tenant, "beta");

  guard.reload(std::move(build_guard_settings(base_config())).value());
  EXPECT_TRUE(guard.check(bearer(created->secret), "/v1/models", context).status.is_ok());
  EXPECT_TRUE(guard.revoke_key(created->info.id).is_ok());
  EXPECT_EQ(guard.check(bearer(created->secret), "/v1/models", context).status.code(),
            core::ErrorCode::kUnauthenticated);
  EXPECT_EQ(guard.revoke_key("key_acme").code(), core::ErrorCode::kConflict)
      << "keys from the file are removed in the file";
  EXPECT_EQ(guard.revoke_key("key_nope").code(), core::ErrorCode::kNotFound);
  EXPECT_FALSE(guard.create_key({"bad tenant!", false, ""}).is_ok());
}

TEST_F(GuardTest, ReloadChangesKeysAndLimits) {
  Guard guard = make(base_config());
  config::Config next = base_config();
  next.auth.keys.erase(next.auth.keys.begin());  // acme's key is gone
  next.limits.global_requests_per_second = 1;
  next.limits.global_burst = 1;
  guard.reload(std::move(build_guard_settings(next)).value());
  RequestContext context;
  EXPECT_EQ(guard.check(bearer(kAcmeKey), "/v1/models", context).status.code(),
            core::ErrorCode::kUnauthenticated);
  EXPECT_TRUE(guard.check(bearer(kOpsKey), "/v1/models", context).status.is_ok());
  EXPECT_EQ(guard.check(bearer(kOpsKey), "/v1/models", context).status.code(),
            core::ErrorCode::kResourceExhausted);
}

tenancy::StoredKey stored_key(std::string id, std::string tenant, std::string_view secret) {
  return {tenancy::KeyInfo{std::move(id), std::move(tenant), false, "", false, {}},
          tenancy::sha256(secret)};
}

TEST_F(GuardTest, StoredKeysMergeWithConfigKeysAndTheConfigWinsOnAnIdClash) {
  Guard guard = make(base_config());
  constexpr std::string_view kStored = "agk_stored-key-0123456789";
  constexpr std::string_view kImpostor = "agk_impostor-key-0123456789";
  const auto report = guard.sync_keys(
      {stored_key("key_beta", "beta", kStored), stored_key("key_acme", "evil", kImpostor)});
  EXPECT_EQ(report.added, 2u);

  RequestContext context;
  ASSERT_TRUE(guard.check(bearer(kStored), "/v1/models", context).status.is_ok());
  EXPECT_EQ(context.tenant, "beta");
  EXPECT_EQ(guard.check(bearer(kImpostor), "/v1/models", context).status.code(),
            core::ErrorCode::kUnauthenticated)
      << "the file's key_acme shadows the stored one";
  ASSERT_TRUE(guard.check(bearer(kAcmeKey), "/v1/models", context).status.is_ok());
  EXPECT_EQ(context.tenant, "acme");
  const auto listed = guard.list_keys();
  ASSERT_EQ(listed.size(), 3u);  // key_acme (file), key_beta (stored), key_ops (file)
  EXPECT_TRUE(listed[0].from_config);
  EXPECT_EQ(listed[0].info.tenant, "acme");
  EXPECT_EQ(listed[1].info.id, "key_beta");
  EXPECT_FALSE(listed[1].from_config);

  // A reload keeps stored keys; a later sync carries a revocation made elsewhere.
  guard.reload(std::move(build_guard_settings(base_config())).value());
  EXPECT_TRUE(guard.check(bearer(kStored), "/v1/models", context).status.is_ok());
  auto revoked = stored_key("key_beta", "beta", kStored);
  revoked.info.revoked = true;
  EXPECT_EQ(guard.sync_keys({revoked}).revoked, 1u);
  EXPECT_EQ(guard.check(bearer(kStored), "/v1/models", context).status.code(),
            core::ErrorCode::kUnauthenticated);
}

TEST_F(GuardTest, MintedKeyIsValidOnlyOnceAdded) {
  Guard guard = make(base_config());
  auto minted = guard.mint_key({"beta", false, ""});
  ASSERT_TRUE(minted.is_ok());
  RequestContext context;
  EXPECT_FALSE(guard.check(bearer(minted->secret), "/v1/models", context).status.is_ok());
  EXPECT_FALSE(guard.find_key(minted->info.id));
  ASSERT_TRUE(guard.add_minted_key(*minted));
  EXPECT_TRUE(guard.check(bearer(minted->secret), "/v1/models", context).status.is_ok());
  tenancy::KeySpec bad{"beta", false, ""};
  bad.scope.limits.requests_per_second = -1;
  EXPECT_EQ(guard.mint_key(bad).status().code(), core::ErrorCode::kInvalidArgument);
}

TEST_F(GuardTest, AKeysScopeNarrowsItsTenant) {
  Guard guard = make(base_config());
  tenancy::KeySpec spec{"acme", false, "narrow"};
  spec.scope.default_class = core::PriorityClass::kCritical;
  spec.scope.models = {"m1", "m9"};
  spec.scope.limits = {1, 1, 1};
  auto created = guard.create_key(spec);
  ASSERT_TRUE(created.is_ok()) << created.status().message();

  RequestContext context;
  auto first = guard.check(bearer(created->secret), "/v1/models", context);
  ASSERT_TRUE(first.status.is_ok()) << first.status.message();
  EXPECT_EQ(context.default_priority, core::default_level(core::PriorityClass::kCritical))
      << "the key's class wins over acme's batch";
  EXPECT_TRUE(guard.allows_model(context, "m1"));
  EXPECT_FALSE(guard.allows_model(context, "m9")) << "acme itself may not use m9";
  EXPECT_TRUE(first.key_permit.held());

  clock_.advance(10s);  // the tenant's bucket refills; the key's concurrency bound still holds
  auto busy = guard.check(bearer(created->secret), "/v1/models", context);
  EXPECT_EQ(busy.status.code(), core::ErrorCode::kResourceExhausted);
  EXPECT_NE(busy.status.message().find("API key"), std::string::npos) << busy.status.message();
  first = {};
  clock_.advance(10s);
  EXPECT_TRUE(guard.check(bearer(created->secret), "/v1/models", context).status.is_ok());
  auto limited = guard.check(bearer(created->secret), "/v1/models", context);
  EXPECT_EQ(limited.status.code(), core::ErrorCode::kResourceExhausted)
      << "one request per second for this key";
  EXPECT_NE(limited.status.message().find(created->info.id), std::string::npos);
}

TEST(GuardSettingsTest, RejectsWhatWouldLockEveryoneOutOrIsInvalid) {
  config::Config c;
  c.auth.enabled = true;
  auto no_keys = build_guard_settings(c);
  ASSERT_FALSE(no_keys.is_ok());
  EXPECT_EQ(no_keys.status().param(), "auth.keys");

  config::Config bad_tenant = base_config();
  bad_tenant.tenants[0].id = "no spaces";
  EXPECT_FALSE(build_guard_settings(bad_tenant).is_ok());

  config::Config same_key = base_config();
  same_key.auth.keys.push_back(same_key.auth.keys[0]);
  same_key.auth.keys.back().id = "key_other";
  auto dup = build_guard_settings(same_key);
  ASSERT_FALSE(dup.is_ok());
  EXPECT_EQ(dup.status().message().find(kAcmeKey), std::string::npos);
}

}  // namespace
}  // namespace autoglm::api

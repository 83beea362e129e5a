#include "tenancy/key_ring.hpp"

#include <gtest/gtest.h>

#include <cstdint>

namespace autoglm::tenancy {
namespace {

// A deterministic random source for tests: a counter, so every draw differs.
KeyRing::RandomFill counting_fill() {
  return [n = std::uint8_t{0}](std::uint8_t* out, std::size_t size) mutable {
    for (std::size_t i = 0; i < size; ++i) out[i] = n++;
    return true;
  };
}

TEST(KeyHash, Sha256MatchesKnownVector) {
  EXPECT_EQ(to_hex(sha256("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(KeyHash, HexRoundTripsAndRejectsBadInput) {
  const KeyHash h = sha256("x");
  EXPECT_EQ(hash_from_hex(to_hex(h)), h);
  EXPECT_FALSE(hash_from_hex("abc"));
  EXPECT_FALSE(hash_from_hex(std::string(64, 'g')));
}

TEST(KeyHash, RedactionNeverShowsTheKey) {
  const std::string key = "agk_supersecretvaluethatmustnotleak";
  const std::string shown = redact_key("Bearer " + key);
  EXPECT_EQ(shown.find("supersecret"), std::string::npos);
  EXPECT_EQ(shown.rfind("agk_", 0), 0u);
  EXPECT_NE(shown.find(to_hex(sha256(key)).substr(0, 8)), std::string::npos);
  EXPECT_EQ(redact_key(""), "(empty)");
  EXPECT_EQ(redact_key("plainsecret").find("plain"), std::string::npos);
}

TEST(BearerToken, ParsesSchemeCaseInsensitively) {
  EXPECT_EQ(bearer_token("Bearer abc"), "abc");
  EXPECT_EQ(bearer_token("  bearer   abc  "), "abc");
  EXPECT_FALSE(bearer_token("Basic abc"));
  EXPECT_FALSE(bearer_token("Bearer "));
  EXPECT_FALSE(bearer_token("Bearerabc"));
}

TEST(KeyRing, CreatedKeyAuthenticatesAsItsTenant) {
  KeyRing ring(counting_fill());
  auto created = ring.create({"acme", false, "ci"});
  ASSERT_TRUE(created.is_ok());
  EXPECT_EQ(created->secret.rfind("agk_", 0), 0u);
  EXPECT_EQ(created->secret.size(), 4u + 43u);
  EXPECT_EQ(created->info.id.rfind("key_", 0), 0u);

  auto who = ring.authenticate("Bearer " + created->secret);
  ASSERT_TRUE(who);
  EXPECT_EQ(who->tenant, "acme");
  EXPECT_EQ(who->key_id, created->info.id);
  EXPECT_FALSE(who->admin);
  EXPECT_TRUE(ring.authenticate(created->secret));
}

TEST(KeyRing, UnknownAndAlteredKeysAreRejected) {
  KeyRing ring(counting_fill());
  auto created = ring.create({"acme", false, ""});
  ASSERT_TRUE(created.is_ok());
  std::string altered = created->secret;
  altered.back() = altered.back() == 'A' ? 'B' : 'A';
  EXPECT_FALSE(ring.authenticate(altered));
  EXPECT_FALSE(ring.authenticate(""));
  EXPECT_FALSE(ring.authenticate("Bearer "));
}

TEST(KeyRing, RevokedKeyStopsWorkingButStaysListed) {
  KeyRing ring(counting_fill());
  auto created = ring.create({"acme", true, "ops"});
  ASSERT_TRUE(created.is_ok());
  ASSERT_TRUE(ring.revoke(created->info.id).is_ok());
  EXPECT_FALSE(ring.authenticate(created->secret));
  ASSERT_EQ(ring.list().size(), 1u);
  EXPECT_TRUE(ring.list()[0].revoked);
  EXPECT_EQ(ring.revoke("key_missing").code(), core::ErrorCode::kNotFound);
}

TEST(KeyRing, ConfigKeysByHashOrSecret) {
  KeyRing ring(counting_fill());
  const std::string secret = "agk_configured_key_0123456789";
  ASSERT_TRUE(ring.add_hashed({"ops", true, ""}, sha256(secret), "key_admin").is_ok());
  auto who = ring.authenticate(secret);
  ASSERT_TRUE(who);
  EXPECT_TRUE(who->admin);
  EXPECT_EQ(who->key_id, "key_admin");

  EXPECT_FALSE(ring.add_secret({"ops", false, ""}, secret).is_ok());  // same hash again
  EXPECT_FALSE(ring.add_secret({"ops", false, ""}, "short").is_ok());
  EXPECT_FALSE(ring.add_secret({"", false, ""}, "agk_another_long_secret").is_ok());
  EXPECT_FALSE(ring.add_secret({"ops", false, ""}, "agk_another_long_secret", "key_admin").is_ok());
}

TEST(KeyRing, NothingItReturnsContainsTheSecret) {
  KeyRing ring(counting_fill());
  auto created = ring.create({"acme", false, "label"});
  ASSERT_TRUE(created.is_ok());
  const std::string tail = created->secret.substr(4);
  for (const auto& info : ring.list()) {
    EXPECT_EQ(info.id.find(tail), std::string::npos);
    EXPECT_EQ(info.label.find(tail), std::string::npos);
  }
  auto dup = ring.add_secret({"acme", false, ""}, created->secret);
  ASSERT_FALSE(dup.is_ok());
  EXPECT_EQ(dup.status().message().find(tail), std::string::npos);
}

TEST(KeyRing, FailingRandomSourceIsAnError) {
  KeyRing ring([](std::uint8_t*, std::size_t) { return false; });
  auto created = ring.create({"acme", false, ""});
  ASSERT_FALSE(created.is_ok());
  EXPECT_EQ(created.status().code(), core::ErrorCode::kInternal);
}

TEST(KeyRing, OpenSslRandomKeysDiffer) {
  KeyRing ring;
  auto a = ring.create({"t", false, ""});
  auto b = ring.create({"t", false, ""});
  ASSERT_TRUE(a.is_ok() && b.is_ok());
  EXPECT_NE(a->secret, b->secret);
  EXPECT_EQ(ring.size(), 2u);
}

TEST(KeyRing, MintedKeyIsNotValidUntilAdded) {
  KeyRing ring(counting_fill());
  KeySpec spec{"acme", false, "ci"};
  spec.scope.models = {"m1"};
  auto minted = ring.mint(spec);
  ASSERT_TRUE(minted.is_ok());
  EXPECT_FALSE(ring.authenticate(minted->secret));
  EXPECT_EQ(ring.size(), 0u);
  ASSERT_TRUE(ring.add_hashed(spec, sha256(minted->secret), minted->info.id).is_ok());
  auto who = ring.authenticate(minted->secret);
  ASSERT_TRUE(who);
  EXPECT_EQ(who->key_id, minted->info.id);
  EXPECT_EQ(who->scope.models, spec.scope.models);
}

StoredKey stored(std::string id, std::string_view secret, bool revoked = false) {
  KeyInfo info{std::move(id), "acme", false, "", revoked, {}};
  info.scope.default_class = core::PriorityClass::kBatch;
  return {std::move(info), sha256(secret)};
}

TEST(KeyRing, SyncAddsStoredKeysAndCarriesRevocationsOneWay) {
  KeyRing ring(counting_fill());
  const std::string a = "agk_stored_key_a_0123456789";
  const std::string b = "agk_stored_key_b_0123456789";
  SyncReport first = ring.sync({stored("key_a", a), stored("key_b", b, true)});
  EXPECT_EQ(first.added, 2u);
  auto who = ring.authenticate(a);
  ASSERT_TRUE(who);
  EXPECT_EQ(who->key_id, "key_a");
  EXPECT_EQ(who->scope.default_class, core::PriorityClass::kBatch);
  EXPECT_FALSE(ring.authenticate(b)) << "stored revoked, so never valid here";

  SyncReport again = ring.sync({stored("key_a", a, true), stored("key_b", b)});
  EXPECT_EQ(again.added, 0u);
  EXPECT_EQ(again.revoked, 1u);
  EXPECT_FALSE(ring.authenticate(a));
  EXPECT_FALSE(ring.authenticate(b)) << "a stale unrevoked copy does not revive a key";
}

TEST(KeyRing, SyncSkipsAStoredKeyWhoseSecretIsKnownUnderAnotherId) {
  KeyRing ring(counting_fill());
  const std::string secret = "agk_shared_secret_0123456789";
  ASSERT_TRUE(ring.add_secret({"ops", true, ""}, secret, "key_local").is_ok());
  const std::string other = "agk_other_secret_0123456789";
  SyncReport report = ring.sync({stored("key_remote", secret), stored("key_new", other)});
  EXPECT_EQ(report.clashes, 1u);
  EXPECT_EQ(report.added, 1u);
  EXPECT_EQ(ring.authenticate(secret)->key_id, "key_local");
  EXPECT_FALSE(ring.info("key_remote"));
  EXPECT_TRUE(ring.authenticate(other));
}

}  // namespace
}  // namespace autoglm::tenancy

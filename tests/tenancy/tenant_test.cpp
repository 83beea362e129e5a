#include "tenancy/tenant.hpp"

#include <gtest/gtest.h>

namespace autoglm::tenancy {
namespace {

TEST(Tenant, EmptyAllowListAllowsEveryModel) {
  Tenant t{"acme", core::PriorityClass::kStandard, {}, {}};
  EXPECT_TRUE(t.allows_model("anything"));
  t.allowed_models = {"llama-3-8b"};
  EXPECT_TRUE(t.allows_model("llama-3-8b"));
  EXPECT_FALSE(t.allows_model("qwen"));
}

TEST(Tenant, ValidationNamesTheField) {
  Tenant t{"bad id!", core::PriorityClass::kStandard, {}, {}};
  EXPECT_EQ(validate_tenant(t).param(), "tenants.id");
  t.id = "acme";
  t.limits.requests_per_second = -1;
  EXPECT_EQ(validate_tenant(t).param(), "tenants.acme.limits");
  t.limits = {100, 0.5, std::nullopt, 0};
  EXPECT_EQ(validate_tenant(t).param(), "tenants.acme.limits.burst");
  t.limits = {100, 200, 0, 0};
  EXPECT_EQ(validate_tenant(t).param(), "tenants.acme.limits.tokens_per_minute");
  t.limits = {100, 200, 60000, 8};
  EXPECT_TRUE(validate_tenant(t).is_ok());
}

TEST(TenantDirectory, FindsByIdAndRejectsDuplicates) {
  auto dir = TenantDirectory::build({{"a", core::PriorityClass::kBatch, {}, {}},
                                     {"b", core::PriorityClass::kStandard, {}, {}}});
  ASSERT_TRUE(dir.is_ok());
  ASSERT_NE(dir->find("a"), nullptr);
  EXPECT_EQ(dir->find("a")->default_class, core::PriorityClass::kBatch);
  EXPECT_EQ(dir->find("c"), nullptr);
  EXPECT_FALSE(TenantDirectory::build({{"a", {}, {}, {}}, {"a", {}, {}, {}}}).is_ok());
}

}  // namespace
}  // namespace autoglm::tenancy

#include "tenancy/key_scope.hpp"

#include <gtest/gtest.h>

namespace autoglm::tenancy {
namespace {

TEST(KeyScope, EmptyModelListAllowsEveryModel) {
  KeyScope scope;
  EXPECT_TRUE(scope.allows_model("anything"));
  scope.models = {"m1"};
  EXPECT_TRUE(scope.allows_model("m1"));
  EXPECT_FALSE(scope.allows_model("m2"));
}

TEST(KeyScope, ValidationNamesTheField) {
  EXPECT_TRUE(validate_scope({}));
  KeyScope negative;
  negative.limits.requests_per_second = -1;
  EXPECT_EQ(validate_scope(negative).param(), "limits");
  KeyScope tiny_burst;
  tiny_burst.limits = {2, 0.5, 0};
  EXPECT_EQ(validate_scope(tiny_burst).param(), "limits.burst");
  KeyScope bad_model;
  bad_model.models = {"m1", "two\nlines"};
  EXPECT_EQ(validate_scope(bad_model).param(), "models");
  bad_model.models = {""};
  EXPECT_EQ(validate_scope(bad_model).param(), "models");
}

}  // namespace
}  // namespace autoglm::tenancy

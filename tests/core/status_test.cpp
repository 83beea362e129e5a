#include "core/status.hpp"

#include <gtest/gtest.h>

namespace autoglm::core {
namespace {

TEST(Status, DefaultIsOk) {
  Status s;
  EXPECT_TRUE(s.is_ok());
  EXPECT_EQ(error_code_name(s.code()), "ok");
}

TEST(Status, CarriesMessageAndParam) {
  Status s = invalid_argument("bad", "model");
  EXPECT_FALSE(s.is_ok());
  EXPECT_EQ(s.message(), "bad");
  EXPECT_EQ(s.param(), "model");
}

TEST(Result, HoldsValueOrStatus) {
  Result<int> good = 3;
  ASSERT_TRUE(good.is_ok());
  EXPECT_EQ(*good, 3);
  Result<int> bad = not_found("nope");
  ASSERT_FALSE(bad.is_ok());
  EXPECT_EQ(bad.status().code(), ErrorCode::kNotFound);
}

}  // namespace
}  // namespace autoglm::core

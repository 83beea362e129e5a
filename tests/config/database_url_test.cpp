#include "config/database_url.hpp"

#include <gtest/gtest.h>

namespace autoglm::config {
namespace {

TEST(DatabaseUrl, SqliteForms) {
  EXPECT_EQ(parse_database_url("sqlite:///var/lib/autoglm.db")->sqlite_path, "/var/lib/autoglm.db");
  EXPECT_EQ(parse_database_url("sqlite://./data/a.db")->sqlite_path, "./data/a.db");
  EXPECT_EQ(parse_database_url("sqlite:///./data/autoglm.db")->sqlite_path, "./data/autoglm.db");
  EXPECT_EQ(parse_database_url("sqlite:./x.db")->sqlite_path, "./x.db");
  EXPECT_EQ(parse_database_url("sqlite::memory:")->sqlite_path, ":memory:");
  EXPECT_EQ(parse_database_url("sqlite:///x.db")->kind, DatabaseKind::kSqlite);
  EXPECT_FALSE(parse_database_url("sqlite://").is_ok());
  EXPECT_FALSE(parse_database_url("sqlite:").is_ok());
}

TEST(DatabaseUrl, PostgresForms) {
  core::Result<DatabaseTarget> jdbc = parse_database_url("jdbc:postgresql://localhost:5432/myapp");
  ASSERT_TRUE(jdbc.is_ok());
  EXPECT_EQ(jdbc->kind, DatabaseKind::kPostgres);
  EXPECT_EQ(jdbc->postgres_conninfo, "postgresql://localhost:5432/myapp");
  EXPECT_TRUE(jdbc->sqlite_path.empty());
  EXPECT_EQ(parse_database_url("postgres://u@h/db")->postgres_conninfo, "postgres://u@h/db");
  EXPECT_EQ(parse_database_url("postgresql://h:5433/db")->kind, DatabaseKind::kPostgres);
  EXPECT_FALSE(parse_database_url("postgresql://").is_ok());
}

TEST(DatabaseUrl, UnsupportedSchemeIsAnErrorWithoutThePassword) {
  core::Result<DatabaseTarget> result = parse_database_url("mysql://root:hunter2@h/db");
  ASSERT_FALSE(result.is_ok());
  EXPECT_NE(result.status().message().find("unsupported database URL"), std::string::npos);
  EXPECT_EQ(result.status().message().find("hunter2"), std::string::npos);
}

TEST(DatabaseUrl, MasksPasswords) {
  EXPECT_EQ(mask_database_url("postgresql://admin:s3cret@db:5432/app"),
            "postgresql://admin:******@db:5432/app");
  EXPECT_EQ(mask_database_url("jdbc:postgresql://db/app?user=a&password=s3cret&ssl=true"),
            "jdbc:postgresql://db/app?user=a&password=******&ssl=true");
  EXPECT_EQ(mask_database_url("postgresql://admin@db/app"), "postgresql://admin@db/app");
  EXPECT_EQ(mask_database_url("sqlite:///./data/autoglm.db"), "sqlite:///./data/autoglm.db");
}

}  // namespace
}  // namespace autoglm::config

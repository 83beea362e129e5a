#include "config/substitution.hpp"

#include <gtest/gtest.h>

#include "test_support.hpp"

namespace autoglm::config {
namespace {

using testing::env_from;

TEST(Substitute, ReplacesVariablesAndDefaults) {
  const EnvLookup env = env_from({{"HOST", "db.internal"}, {"EMPTY", ""}});
  EXPECT_EQ(substitute("${HOST}", env).value(), "db.internal");
  EXPECT_EQ(substitute("postgresql://${HOST:-localhost}:5432/db", env).value(),
            "postgresql://db.internal:5432/db");
  EXPECT_EQ(substitute("postgresql://${NOPE:-localhost}:5432/db", env).value(),
            "postgresql://localhost:5432/db");
  EXPECT_EQ(substitute("${EMPTY:-fallback}", env).value(), "fallback");
  EXPECT_EQ(substitute("[${EMPTY}]", env).value(), "[]");
  EXPECT_EQ(substitute("${NOPE:-}", env).value(), "");
  EXPECT_EQ(substitute("${HOST}-${HOST}", env).value(), "db.internal-db.internal");
  EXPECT_EQ(substitute("no references $HOME", env).value(), "no references $HOME");
}

TEST(Substitute, DoubleDollarIsALiteral) {
  const EnvLookup env = env_from({{"X", "1"}});
  EXPECT_EQ(substitute("$${X}", env).value(), "${X}");
  EXPECT_EQ(substitute(escape_substitution("a${X}b$${Y}"), env).value(), "a${X}b$${Y}");
}

TEST(Substitute, MissingVariableIsAnErrorNamingIt) {
  core::Result<std::string> result = substitute("${DB_PASSWORD}", env_from({}));
  ASSERT_FALSE(result.is_ok());
  EXPECT_NE(result.status().message().find("DB_PASSWORD is not set"), std::string::npos);
}

TEST(Substitute, MalformedReferencesAreErrors) {
  EXPECT_FALSE(substitute("${UNCLOSED", env_from({})).is_ok());
  EXPECT_FALSE(substitute("${1BAD}", env_from({})).is_ok());
  EXPECT_FALSE(substitute("${}", env_from({})).is_ok());
}

TEST(SubstituteTree, ReportsFileLineAndKeyPathForEveryFailure) {
  core::Result<RawValue> tree = parse_yaml(
      "database:\n  url: ${DB_URL:-sqlite:///x.db}\n  password: ${DB_PASSWORD}\n"
      "nodes:\n  - id: ${NODE_ID}\n",
      "app.yaml");
  ASSERT_TRUE(tree.is_ok());
  Diagnostics diagnostics;
  substitute_tree(*tree, env_from({}), diagnostics);
  ASSERT_EQ(diagnostics.lines().size(), 2u);
  EXPECT_EQ(diagnostics.lines()[0].rfind("app.yaml:3: database.password: environment variable "
                                         "DB_PASSWORD is not set",
                                         0),
            0u)
      << diagnostics.lines()[0];
  EXPECT_EQ(
      diagnostics.lines()[1].rfind("app.yaml:5: nodes[0].id: environment variable NODE_ID", 0), 0u)
      << diagnostics.lines()[1];
  EXPECT_EQ(tree->find("database")->find("url")->text(), "sqlite:///x.db");
}

}  // namespace
}  // namespace autoglm::config

#include "cache/cache_key.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace autoglm::cache {
namespace {

boost::json::object obj(std::string_view text) { return boost::json::parse(text).as_object(); }

TEST(CanonicalJson, SortsKeysAndNormalisesNumbers) {
  EXPECT_EQ(canonical_json(boost::json::parse(R"({"b":1,"a":{"d":[1.0,2.5],"c":"x"}})")),
            R"({"a":{"c":"x","d":[1,2.5]},"b":1})");
  EXPECT_EQ(canonical_json(boost::json::parse("0.0")), canonical_json(boost::json::parse("0")));
}

TEST(CacheKey, IgnoresFieldsThatDoNotChangeTheAnswer) {
  const auto a = obj(R"({"model":"m","messages":[{"role":"user","content":"hi"}],"temperature":0})");
  const auto b = obj(R"({"temperature":0.0,"stream":true,"stream_options":{"include_usage":true},
                         "user":"u1","n":1,"priority":"batch","model":"m",
                         "messages":[{"content":"hi","role":"user"}]})");
  EXPECT_EQ(make_cache_key("t", "/v1/chat/completions", a).digest,
            make_cache_key("t", "/v1/chat/completions", b).digest);
  EXPECT_EQ(make_cache_key("t", "/v1/chat/completions", a).model, "m");
}

TEST(CacheKey, SeparatesTenantsRoutesAndAnswersThatDiffer) {
  const auto a = obj(R"({"model":"m","prompt":"hi","temperature":0})");
  const auto base = make_cache_key("t", "/v1/completions", a).digest;
  EXPECT_NE(base, make_cache_key("u", "/v1/completions", a).digest);
  EXPECT_NE(base, make_cache_key("t", "/v1/chat/completions", a).digest);
  EXPECT_NE(base, make_cache_key("t", "/v1/completions",
                                 obj(R"({"model":"m","prompt":"hi","temperature":0,"n":2})"))
                      .digest);
  EXPECT_NE(base, make_cache_key("t", "/v1/completions",
                                 obj(R"({"model":"m","prompt":"hi","temperature":0,"seed":1})"))
                      .digest);
  // Tenant and route are length-prefixed: moving a character across does not collide.
  EXPECT_NE(make_cache_key("ab", "c", a).digest, make_cache_key("a", "bc", a).digest);
}

}  // namespace
}  // namespace autoglm::cache

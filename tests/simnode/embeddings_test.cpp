// The simnode's /v1/embeddings format: OpenAI's four input forms, precise errors, and
// deterministic unit vectors of the asked dimension.
#include "simnode/embeddings.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cmath>

namespace autoglm::simnode {
namespace {

namespace json = boost::json;

TEST(Embeddings, AcceptsOpenAisFourInputForms) {
  for (const char* input : {R"("one text")", R"(["a", "b"])", R"([1, 2, 3])", R"([[1, 2], [3]])"}) {
    auto r = parse_embedding_request(std::string(R"({"model": "m", "input": )") + input + "}");
    ASSERT_TRUE(r) << input << ": " << r.status().message();
    EXPECT_GT(r->prompt_tokens, 0) << input;
  }
  EXPECT_EQ(parse_embedding_request(R"({"model": "m", "input": ["a", "b"]})")->inputs.size(), 2u);
  EXPECT_EQ(parse_embedding_request(R"({"model": "m", "input": [1, 2, 3]})")->prompt_tokens, 3);
}

TEST(Embeddings, BadInputNamesTheField) {
  EXPECT_EQ(parse_embedding_request(R"({"model": "m"})").status().param(), "input");
  EXPECT_EQ(parse_embedding_request(R"({"model": "m", "input": []})").status().param(), "input");
  EXPECT_EQ(parse_embedding_request(R"({"model": "m", "input": [{}]})").status().param(), "input");
  EXPECT_EQ(parse_embedding_request(R"({"input": "x"})").status().param(), "model");
  EXPECT_EQ(
      parse_embedding_request(R"({"model": "m", "input": "x", "dimensions": 0})").status().param(),
      "dimensions");
  EXPECT_FALSE(parse_embedding_request("not json"));
}

TEST(Embeddings, VectorsAreUnitLengthAndDeterministic) {
  auto req = *parse_embedding_request(R"({"model": "m", "input": ["x", "y"], "dimensions": 16})");
  const std::string a = embedding_body(req, 7);
  EXPECT_EQ(a, embedding_body(req, 7));
  auto doc = json::parse(a).as_object();
  const auto& data = doc["data"].as_array();
  ASSERT_EQ(data.size(), 2u);
  double norm = 0;
  for (const auto& x : data[0].at("embedding").as_array()) norm += x.as_double() * x.as_double();
  EXPECT_NEAR(norm, 1.0, 1e-9);
  EXPECT_NE(json::serialize(data[0].at("embedding")), json::serialize(data[1].at("embedding")));
  EXPECT_EQ(data[1].at("index").as_int64(), 1);
}

}  // namespace
}  // namespace autoglm::simnode

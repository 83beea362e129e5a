#include "dispatch/upstream_request.hpp"

#include <gtest/gtest.h>

#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <string>

namespace autoglm::dispatch {
namespace {

namespace bhttp = boost::beast::http;

// NodeState holds atomics (not movable): filled in place.
void place_at(NodeState& node, std::string base_path) {
  node.host = "10.0.0.7";
  node.port = "8000";
  node.base_path = std::move(base_path);
}

// The head plus a body, as the node's HTTP parser (here Beast's) reads them.
bhttp::request<bhttp::string_body> as_node_reads(const std::string& head, const std::string& body) {
  bhttp::request_parser<bhttp::string_body> parser;
  boost::beast::error_code ec;
  const std::string bytes = head + body;
  const std::size_t used = parser.put(boost::asio::buffer(bytes), ec);
  EXPECT_FALSE(ec) << ec.message();
  if (!ec && !parser.is_done()) {
    parser.put(boost::asio::buffer(bytes.data() + used, bytes.size() - used), ec);
    EXPECT_FALSE(ec) << ec.message();
  }
  EXPECT_TRUE(parser.is_done());
  return parser.release();
}

TEST(UpstreamHead, CarriesTheClientsHeadersAndFramesTheBody) {
  const std::string body = R"({"model":"m","messages":[]})";
  NodeState node(core::NodeSpec{});
  place_at(node, "/serving");
  const auto req = as_node_reads(
      upstream_head(node, "/v1/chat/completions",
                    {"text/event-stream", "Bearer sk-node-key", "req-42"}, body.size()),
      body);
  EXPECT_EQ(req.method(), bhttp::verb::post);
  EXPECT_EQ(req.target(), "/serving/v1/chat/completions");
  EXPECT_EQ(req.version(), 11);
  EXPECT_TRUE(req.keep_alive());
  EXPECT_EQ(req[bhttp::field::host], "10.0.0.7:8000");
  EXPECT_EQ(req[bhttp::field::content_type], "application/json");
  EXPECT_EQ(req[bhttp::field::accept], "text/event-stream");
  EXPECT_EQ(req[bhttp::field::authorization], "Bearer sk-node-key");
  EXPECT_EQ(req["x-request-id"], "req-42");
  EXPECT_EQ(req.body(), body);
}

TEST(UpstreamHead, DefaultsAcceptAndSendsNoEmptyAuthorization) {
  NodeState node(core::NodeSpec{});
  place_at(node, "");
  const std::string head = upstream_head(node, "/v1/completions", {"", "", "r"}, 0);
  const auto req = as_node_reads(head, "");
  EXPECT_EQ(req.target(), "/v1/completions");
  EXPECT_EQ(req[bhttp::field::accept], "*/*");
  EXPECT_EQ(req.count(bhttp::field::authorization), 0u);
  EXPECT_EQ(req[bhttp::field::content_length], "0");
  EXPECT_TRUE(req.body().empty());
}

}  // namespace
}  // namespace autoglm::dispatch

// The etcd JSON gateway's wire format, read and written without etcd: bodies captured
// from etcd 3.4.23.
#include "cluster/etcd_json.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace autoglm::cluster {
namespace {

namespace json = boost::json;

json::object parsed(const std::string& body) { return json::parse(body).as_object(); }

TEST(Base64, EncodesAndDecodesEveryPaddingCase) {
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("foo"), "Zm9v");
  EXPECT_EQ(base64_encode("/autoglm/nodes/"), "L2F1dG9nbG0vbm9kZXMv");
  const std::string binary("\0\xff\x10/\x7f", 5);
  EXPECT_EQ(base64_decode(base64_encode(binary)), binary);
  EXPECT_EQ(base64_decode("Zm8="), "fo");
  EXPECT_EQ(base64_decode("Zg=="), "f");
}

TEST(Base64, RejectsMalformedText) {
  EXPECT_FALSE(base64_decode("Zm9"));       // not a multiple of 4
  EXPECT_FALSE(base64_decode("Zm!v"));      // not in the alphabet
  EXPECT_FALSE(base64_decode("Z=9v"));      // padding in the middle
  EXPECT_FALSE(base64_decode("Zg==Zg=="));  // padding before the end
}

TEST(PrefixRangeEnd, IncrementsTheLastByteLikeEtcdsWithPrefix) {
  EXPECT_EQ(prefix_range_end("/autoglm/nodes/"), "/autoglm/nodes0");
  EXPECT_EQ(prefix_range_end("a\xff"), "b");
  EXPECT_EQ(prefix_range_end(std::string("\xff\xff")), std::string(1, '\0'));
}

TEST(LeaseHex, PrintsLikeEtcdctl) {
  EXPECT_EQ(lease_hex(4111120324137009415), "390da22735134107");
  EXPECT_EQ(lease_hex(255), "ff");
}

TEST(RequestBodies, UseBase64KeysAndStringInts) {
  RangeRequest range;
  range.key = "/p/election/";
  range.range_end = prefix_range_end(range.key);
  range.limit = 1;
  range.sort_order = SortOrder::kAscend;
  range.sort_target = SortTarget::kCreate;
  range.max_create_revision = 41;
  json::object r = parsed(range_body(range));
  EXPECT_EQ(base64_decode(r["key"].as_string()), "/p/election/");
  EXPECT_EQ(base64_decode(r["range_end"].as_string()), "/p/election0");
  EXPECT_EQ(r["limit"], "1");
  EXPECT_EQ(r["sort_order"], "ASCEND");
  EXPECT_EQ(r["sort_target"], "CREATE");
  EXPECT_EQ(r["max_create_revision"], "41");

  json::object put = parsed(put_body("k", "v", 7));
  EXPECT_EQ(put["key"], "aw==");
  EXPECT_EQ(put["value"], "dg==");
  EXPECT_EQ(put["lease"], "7");
  EXPECT_FALSE(parsed(put_body("k", "v", 0)).contains("lease"));

  EXPECT_EQ(parsed(lease_grant_body(10))["TTL"], "10");
  EXPECT_EQ(parsed(lease_id_body(-5))["ID"], "-5");
}

TEST(RequestBodies, CreateIfAbsentComparesCreateRevisionWithZero) {
  json::object txn = parsed(create_if_absent_body("/e/1", "gw-a", 9));
  const json::object& compare = txn["compare"].as_array()[0].as_object();
  EXPECT_EQ(compare.at("target"), "CREATE");
  EXPECT_EQ(compare.at("result"), "EQUAL");
  EXPECT_EQ(compare.at("create_revision"), "0");
  EXPECT_EQ(base64_decode(compare.at("key").as_string()), "/e/1");
  const json::object& put = txn["success"].as_array()[0].at("request_put").as_object();
  EXPECT_EQ(base64_decode(put.at("value").as_string()), "gw-a");
  EXPECT_EQ(put.at("lease"), "9");
  EXPECT_TRUE(txn["failure"].as_array()[0].as_object().contains("request_range"));
}

constexpr const char* kRange =
    R"({"header":{"cluster_id":"1","member_id":"2","revision":"7","raft_term":"2"},)"
    R"("kvs":[{"key":"YQ==","create_revision":"2","mod_revision":"5","version":"3",)"
    R"("value":"Yg==","lease":"4111120324137009415"},{"key":"Yw==","create_revision":"6",)"
    R"("mod_revision":"6","version":"1"}],"count":"2"})";

TEST(ParseRange, ReadsKeysValuesAndRevisions) {
  auto r = parse_range(kRange);
  ASSERT_TRUE(r.is_ok()) << r.status().message();
  EXPECT_EQ(r->revision, 7);
  ASSERT_EQ(r->kvs.size(), 2u);
  EXPECT_EQ(r->kvs[0].key, "a");
  EXPECT_EQ(r->kvs[0].value, "b");
  EXPECT_EQ(r->kvs[0].create_revision, 2);
  EXPECT_EQ(r->kvs[0].mod_revision, 5);
  EXPECT_EQ(r->kvs[0].lease, 4111120324137009415);
  EXPECT_EQ(r->kvs[1].value, "");  // an empty value is left out of the answer
  EXPECT_EQ(r->kvs[1].lease, 0);
}

TEST(ParseRange, AnEmptyRangeHasOnlyAHeader) {
  auto r = parse_range(R"({"header":{"revision":"3"}})");
  ASSERT_TRUE(r.is_ok());
  EXPECT_TRUE(r->kvs.empty());
  EXPECT_EQ(r->revision, 3);
  EXPECT_FALSE(parse_range("<html>").is_ok());
  EXPECT_FALSE(parse_range("{}").is_ok());
}

TEST(ParseCreateIfAbsent, CreatedOrFoundTheExistingKey) {
  auto created = parse_create_if_absent(
      R"({"header":{"revision":"2"},"succeeded":true,"responses":[{"response_put":{"header":{"revision":"2"}}}]})");
  ASSERT_TRUE(created.is_ok()) << created.status().message();
  EXPECT_TRUE(created->created);
  EXPECT_EQ(created->revision, 2);

  auto existing = parse_create_if_absent(
      R"({"header":{"revision":"9"},"responses":[{"response_range":{"header":{"revision":"9"},)"
      R"("kvs":[{"key":"YQ==","create_revision":"2","mod_revision":"2","version":"1","value":"Yg=="}],"count":"1"}}]})");
  ASSERT_TRUE(existing.is_ok()) << existing.status().message();
  EXPECT_FALSE(existing->created);
  ASSERT_TRUE(existing->existing);
  EXPECT_EQ(existing->existing->create_revision, 2);
  EXPECT_EQ(existing->existing->value, "b");
}

TEST(ParseLease, GrantAndKeepalive) {
  auto grant =
      parse_lease_grant(R"({"header":{"revision":"1"},"ID":"4111120324137009413","TTL":"5"})");
  ASSERT_TRUE(grant.is_ok());
  EXPECT_EQ(grant->id, 4111120324137009413);
  EXPECT_EQ(grant->ttl_s, 5);
  EXPECT_FALSE(parse_lease_grant(R"({"header":{}})").is_ok());

  auto alive = parse_keepalive_ttl(R"({"result":{"header":{},"ID":"1","TTL":"5"}})");
  ASSERT_TRUE(alive.is_ok());
  EXPECT_EQ(*alive, 5);
  // A lease etcd no longer knows: the TTL (0) is left out.
  auto gone = parse_keepalive_ttl(R"({"result":{"header":{"revision":"3"},"ID":"1"}})");
  ASSERT_TRUE(gone.is_ok());
  EXPECT_EQ(*gone, 0);
}

TEST(ErrorStatus, MapsGrpcCodes) {
  const auto not_found = error_status(
      404,
      R"({"error":"etcdserver: requested lease not found","message":"etcdserver: requested lease not found","code":5})");
  EXPECT_EQ(not_found.code(), core::ErrorCode::kNotFound);
  EXPECT_EQ(not_found.message(), "etcd: etcdserver: requested lease not found");
  EXPECT_EQ(error_status(503, R"({"message":"etcdserver: no leader","code":14})").code(),
            core::ErrorCode::kUnavailable);
  EXPECT_EQ(error_status(504, R"({"message":"x","code":4})").code(), core::ErrorCode::kTimeout);
  const auto odd = error_status(502, "bad gateway");
  EXPECT_EQ(odd.code(), core::ErrorCode::kUpstreamFailure);
  EXPECT_EQ(odd.message(), "etcd: HTTP 502");
}

}  // namespace
}  // namespace autoglm::cluster

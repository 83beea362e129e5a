// The gateway's request limits over real sockets: body and header size, slow headers.
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <gtest/gtest.h>

#include "integration/http_client.hpp"
#include "integration/process.hpp"

namespace autoglm::testing {
namespace {

namespace asio = boost::asio;

class LimitsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto path = dir_.write("limits.yaml",
                           "server:\n  port: 0\n  host: 127.0.0.1\n  max-body-bytes: 1KiB\n"
                           "  max-header-bytes: 1KiB\n  header-timeout: 300ms\n"
                           "  idle-timeout: 2s\n"
                           "cluster:\n  simulated:\n    enabled: false\n");
    gateway_ = start_autoglm(dir_, "gateway", {"serve", "-c", path.string()});
  }
  TempDir dir_;
  Started gateway_;
};

TEST_F(LimitsTest, OversizedBodyIs413) {
  auto res = http_post(gateway_.port, "/v1/chat/completions", std::string(4096, 'x'));
  EXPECT_EQ(res.status, 413) << res.error;
  EXPECT_NE(res.body.find("max-body-bytes"), std::string::npos);
}

TEST_F(LimitsTest, OversizedHeadersAre431) {
  auto res = http_request(gateway_.port, "GET", "/healthz", "",
                          {{"x-padding", std::string(4096, 'a')}});
  EXPECT_EQ(res.status, 431) << res.error;
}

TEST_F(LimitsTest, SlowHeaderIsCutAfterHeaderTimeout) {
  asio::io_context io;
  asio::ip::tcp::socket socket(io);
  socket.connect({asio::ip::make_address("127.0.0.1"), gateway_.port});
  asio::write(socket, asio::buffer(std::string("GET /healthz HTTP/1.1\r\nHost: x\r\n")));
  const auto start = std::chrono::steady_clock::now();
  char byte;
  boost::system::error_code ec;
  asio::read(socket, asio::buffer(&byte, 1), ec);  // blocks until the server closes
  const auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_TRUE(ec) << "the server should close a connection whose header never ends";
  EXPECT_LT(waited, std::chrono::seconds(2));
  // Other clients are unaffected.
  EXPECT_EQ(http_get(gateway_.port, "/healthz").status, 200);
}

TEST_F(LimitsTest, NoNodesMeansNotReadyAndModelUnknown) {
  EXPECT_EQ(http_get(gateway_.port, "/readyz").status, 503);
  auto res = http_post(gateway_.port, "/v1/chat/completions",
                       chat_body("autoglm-sim-8b", 1, false));
  EXPECT_EQ(res.status, 404);
}

}  // namespace
}  // namespace autoglm::testing

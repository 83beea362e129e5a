// The dashboard through a real gateway: its files under /ui/ (content types, caching,
// revalidation, traversal refused, the message when the UI is not built, the context path)
// and its data: the JSON snapshot and the server-sent event stream.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "integration/workflow_support.hpp"

namespace autoglm::testing {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

constexpr const char* kAsset = "assets/index-Ab12Cd34.js";

// A built UI as Vite lays it out: index.html and content-hashed assets.
std::filesystem::path write_ui(const TempDir& dir) {
  const auto ui = dir.path() / "ui";
  std::filesystem::create_directories(ui / "assets");
  dir.write("ui/index.html",
            "<!doctype html><title>dash</title><script src=\"./assets/x.js\"></script>");
  dir.write(std::string("ui/") + kAsset, "console.log('dashboard');");
  dir.write("ui/assets/index-Zz99.css", "body{}");
  dir.write("secret.txt", "not for the web");
  dir.write("ui/.env", "HIDDEN=1");
  return ui;
}

// Reads a streamed answer from `target` until `enough` holds for what arrived, or `timeout`.
std::string read_stream(std::uint16_t port, const std::string& target,
                        const std::function<bool(const std::string&)>& enough,
                        std::chrono::milliseconds timeout) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  timeval tv{0, 200'000};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string got;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    const std::string request = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    (void)!::write(fd, request.data(), request.size());
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    char buf[16384];
    while (!enough(got) && std::chrono::steady_clock::now() < deadline) {
      const ssize_t n = ::read(fd, buf, sizeof buf);
      if (n == 0) break;
      if (n > 0) got.append(buf, static_cast<std::size_t>(n));
    }
  }
  ::close(fd);
  return got;
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

class DashboardTest : public ::testing::Test {
 protected:
  // A gateway with two simulated nodes; `extra` is appended to its configuration file.
  void start(const std::string& extra, std::vector<std::string> args = {}) {
    config_ = dir_.write("gateway.yaml", workflow_config(dir_.path() / "data" / "wf.db") + extra);
    args.insert(args.begin(), {"serve", "-c", config_.string()});
    gateway_ = start_autoglm(dir_, "gateway", std::move(args));
  }
  std::uint16_t port() const { return gateway_.port; }

  TempDir dir_;
  std::filesystem::path config_;
  Started gateway_;
};

TEST_F(DashboardTest, ServesTheBuiltFilesWithTypesAndCaching) {
  start("ui:\n  dir: " + write_ui(dir_).string() + "\n");

  auto index = http_get(port(), "/ui/");
  ASSERT_EQ(index.status, 200) << index.body;
  EXPECT_EQ(index.header("content-type"), "text/html; charset=utf-8");
  EXPECT_EQ(index.header("cache-control"), "no-cache");
  EXPECT_EQ(index.header("x-content-type-options"), "nosniff");
  EXPECT_NE(index.body.find("<title>dash</title>"), std::string::npos);
  EXPECT_EQ(http_get(port(), "/ui/index.html").body, index.body);

  auto js = http_get(port(), std::string("/ui/") + kAsset);
  ASSERT_EQ(js.status, 200);
  EXPECT_EQ(js.header("content-type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(js.header("cache-control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(http_get(port(), "/ui/assets/index-Zz99.css").header("content-type"),
            "text/css; charset=utf-8");

  // A page that has the file already is told it has not changed.
  const std::string tag = index.header("etag");
  ASSERT_FALSE(tag.empty());
  auto again = http_request(port(), "GET", "/ui/", "", {{"if-none-match", tag}});
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());

  // Relative asset URLs need the trailing slash.
  auto bare = http_get(port(), "/ui");
  EXPECT_EQ(bare.status, 308);
  EXPECT_EQ(bare.header("location"), "/ui/");
  EXPECT_EQ(http_get(port(), "/ui/missing.js").status, 404);
}

TEST_F(DashboardTest, RefusesPathsThatLeaveTheUiDirectory) {
  start("ui:\n  dir: " + write_ui(dir_).string() + "\n");
  for (const char* target :
       {"/ui/../secret.txt", "/ui/%2e%2e/secret.txt", "/ui/assets/%2E%2E/../secret.txt",
        "/ui/..%2fsecret.txt", "/ui/.env", "/ui/%2eenv", "/ui/assets%5c..%5c..%5csecret.txt",
        "/ui/index.html%00.js", "/ui/%zz"}) {
    auto r = http_get(port(), target);
    EXPECT_EQ(r.status, 404) << target;
    EXPECT_EQ(r.body.find("not for the web"), std::string::npos) << target;
    EXPECT_EQ(r.body.find("HIDDEN"), std::string::npos) << target;
  }
  // The files are public; nothing else became public with them.
  EXPECT_EQ(http_request(port(), "POST", "/ui/", "{}").status, 405);
}

TEST_F(DashboardTest, WithoutABuiltUiTheGatewayWorksAndSaysHowToBuildIt) {
  const auto nowhere = dir_.path() / "not-built";
  start("ui:\n  dir: " + nowhere.string() + "\n");
  auto page = http_get(port(), "/ui/");
  EXPECT_EQ(page.status, 404);
  EXPECT_EQ(page.header("content-type"), "text/html; charset=utf-8");
  EXPECT_NE(page.body.find("make build"), std::string::npos) << page.body;
  EXPECT_NE(page.body.find(nowhere.string()), std::string::npos) << page.body;
  EXPECT_EQ(http_get(port(), "/healthz").status, 200);
  EXPECT_EQ(http_get(port(), "/admin/v1/dashboard").status, 200);
  EXPECT_TRUE(wait_until(
      [&] { return gateway_.process->log().find("make build") != std::string::npos; }, 5s))
      << gateway_.process->log();
}

TEST_F(DashboardTest, FollowsTheContextPathAndCanBeTurnedOff) {
  start("ui:\n  dir: " + write_ui(dir_).string() + "\n", {"--set", "server.context-path=/api"});
  EXPECT_EQ(http_get(port(), "/api/ui/").status, 200);
  EXPECT_EQ(http_get(port(), "/api/ui").header("location"), "/api/ui/");
  EXPECT_EQ(http_get(port(), "/ui/").status, 404);

  gateway_ = {};
  gateway_ =
      start_autoglm(dir_, "off", {"serve", "-c", config_.string(), "--set", "ui.enabled=false"});
  EXPECT_EQ(http_get(port(), "/ui/").status, 404);
  EXPECT_EQ(http_get(port(), "/admin/v1/dashboard").status, 200);
}

TEST_F(DashboardTest, SnapshotHasNodesSchedulerLatencyAndWork) {
  start("");
  const std::string model = kWorkflowModel;
  const std::string dag = R"({"name": "dash", "tasks": [
    {"id": "a", "kind": "chat", "model": ")" +
                          model + R"(",
     "payload": {"messages": [{"role": "user", "content": "One."}], "max_tokens": 4}},
    {"id": "b", "requires": ["a"], "kind": "chat", "model": ")" +
                          model + R"(",
     "payload": {"messages": [{"role": "user", "content": "Two."}], "max_tokens": 4}}]})";
  auto submitted = post_json(port(), "/v1/dags", dag);
  ASSERT_EQ(submitted.status, 201) << submitted.body;
  const std::string run_id = str(json_of(submitted)["id"]);
  ASSERT_EQ(str(wait_for_state(port(), "/v1/dags/" + run_id, "succeeded", 30s)["state"]),
            "succeeded");

  json::object snap;
  ASSERT_TRUE(wait_until(
      [&] {
        snap = json_of(http_get(port(), "/admin/v1/dashboard"));
        const auto& runs = snap["work"].as_object()["dag_runs"].as_array();
        return !runs.empty() && str(runs[0].at("state")) == "succeeded";
      },
      10s))
      << json::serialize(snap);
  EXPECT_EQ(str(snap["object"]), "dashboard");
  EXPECT_GT(snap["at_ms"].to_number<double>(), 0);

  const auto& nodes = snap["nodes"].as_array();
  ASSERT_EQ(nodes.size(), 2u);
  const auto& node = nodes[0].as_object();
  for (const char* key :
       {"id", "state", "metrics", "outlier", "breaker", "score", "eligible", "ewma"}) {
    EXPECT_TRUE(node.contains(key)) << key << " in " << json::serialize(node);
  }
  EXPECT_TRUE(node.at("ewma").as_object().contains("ttft_ms"));

  const auto& sched = snap["scheduler"].as_object();
  EXPECT_EQ(str(sched.at("policy")), "dynamic");
  EXPECT_NE(str(sched.at("pipeline")).find("scorers:"), std::string::npos);
  EXPECT_TRUE(sched.at("queue").as_object().contains("batch"));
  EXPECT_GE(sched.at("dispatched_total").to_number<double>(), 2);
  EXPECT_FALSE(sched.contains("nodes"));  // merged into "nodes"

  const auto& latency = snap["latency"].as_object();
  const auto bounds = latency.at("bounds_s").as_array().size();
  EXPECT_EQ(latency.at("e2e").at("cumulative").as_array().size(), bounds + 1);
  EXPECT_GE(latency.at("e2e").at("count").to_number<double>(), 2);

  const auto& work = snap["work"].as_object();
  EXPECT_TRUE(work.at("enabled").as_bool());
  const auto& run = work.at("dag_runs").as_array()[0].as_object();
  EXPECT_EQ(str(run.at("id")), run_id);
  const auto& tasks = run.at("tasks").as_array();
  ASSERT_EQ(tasks.size(), 2u);
  EXPECT_EQ(json::serialize(tasks[1].at("requires")), R"(["a"])");
  EXPECT_FALSE(tasks[0].as_object().contains("payload"));
  EXPECT_GE(work.at("tasks").as_array().size(), 2u);
  EXPECT_EQ(str(work.at("tasks").as_array()[0].at("tenant")), "default");
  EXPECT_GE(work.at("events").as_array().size(), 6u);  // queued, running, succeeded for each
}

TEST_F(DashboardTest, StreamSendsASnapshotEveryInterval) {
  start("");
  const std::string got = read_stream(
      port(), "/admin/v1/dashboard/stream?interval_ms=250",
      [](const std::string& s) { return count(s, "event: snapshot\ndata: {") >= 3; }, 10s);
  EXPECT_NE(got.find("HTTP/1.1 200"), std::string::npos) << got.substr(0, 400);
  EXPECT_NE(got.find("text/event-stream"), std::string::npos);
  EXPECT_NE(got.find("retry: 2000"), std::string::npos);
  EXPECT_GE(count(got, "event: snapshot\ndata: {\"object\":\"dashboard\""), 3u)
      << got.substr(0, 400);
}

TEST_F(DashboardTest, DataNeedsAnAdminKeyWhenAuthIsOnButTheFilesDoNot) {
  start("ui:\n  dir: " + write_ui(dir_).string() +
        "\nauth:\n  enabled: true\n  keys:\n"
        "    - {tenant: ops, admin: true, key: dashboard-admin-key-0123456789}\n"
        "    - {tenant: acme, key: dashboard-tenant-key-0123456789}\n");
  EXPECT_EQ(http_get(port(), "/ui/").status, 200);
  EXPECT_EQ(http_get(port(), "/admin/v1/dashboard").status, 401);
  auto tenant = http_request(port(), "GET", "/admin/v1/dashboard", "",
                             {{"authorization", "Bearer dashboard-tenant-key-0123456789"}});
  EXPECT_EQ(tenant.status, 403);
  auto admin = http_request(port(), "GET", "/admin/v1/dashboard", "",
                            {{"authorization", "Bearer dashboard-admin-key-0123456789"}});
  EXPECT_EQ(admin.status, 200) << admin.body;
}

}  // namespace
}  // namespace autoglm::testing

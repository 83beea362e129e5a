// Test support: a private PostgreSQL server (scripts/pg_fixture.sh) on a free loopback
// port, stopped and removed when the handle goes; pause() and resume() stop and restart it
// on the same port.
#pragma once

#include <cstdlib>
#include <fstream>
#include <string>

#include "integration/process.hpp"

namespace autoglm::testing {

class PgServer {
 public:
  // Whether Debian's PostgreSQL server is installed; tests GTEST_SKIP without it.
  static bool available() {
    return std::system("ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1") == 0;
  }

  explicit PgServer(const TempDir& dir) : state_((dir.path() / "pg-state").string()) {
    ok_ = run("start") && read_url();
  }
  ~PgServer() { run("stop"); }
  PgServer(const PgServer&) = delete;
  PgServer& operator=(const PgServer&) = delete;

  bool ok() const { return ok_; }
  const std::string& url() const { return url_; }
  bool pause() { return run("pause"); }
  bool resume() { return run("resume"); }

 private:
  bool run(const std::string& cmd) {
    const std::string line = std::string(AUTOGLM_SOURCE_DIR) + "/scripts/pg_fixture.sh " + cmd +
                             " " + state_ + " >/dev/null";
    return std::system(line.c_str()) == 0;
  }
  bool read_url() {
    std::ifstream in(state_ + "/url");
    std::getline(in, url_);
    return !url_.empty();
  }

  std::string state_;
  std::string url_;
  bool ok_ = false;
};

}  // namespace autoglm::testing

// Test support: start the autoglm binary as a real child process, wait for its ready file,
// signal it and reap it. Every process is killed when its handle goes away.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

namespace autoglm::testing {

// A fresh temporary directory, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path write(const std::string& name, const std::string& content) const;

 private:
  std::filesystem::path path_;
};

class Process {
 public:
  // Starts AUTOGLM_BINARY with `args` in the directory of `log_path` (its working
  // directory); stdout and stderr go to `log_path`.
  Process(std::vector<std::string> args, std::filesystem::path log_path);
  // Starts another program (looked up in PATH), e.g. a Prometheus server.
  Process(std::string program, std::vector<std::string> args, std::filesystem::path log_path);
  ~Process();
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  pid_t pid() const { return pid_; }
  void signal(int sig);
  // Waits for exit; returns the exit status (or 128+signal), or -1 on timeout.
  int wait(std::chrono::milliseconds timeout);
  bool running();
  std::string log() const;

 private:
  pid_t pid_ = -1;
  bool reaped_ = false;
  int status_ = -1;
  std::filesystem::path log_path_;
};

// Binds socket `fd` to 127.0.0.1 on a port the OS picks; returns that port.
std::uint16_t bind_loopback(int fd);

// A loopback port nobody listens on right now (the OS's choice, released at once), for
// servers that must be told their port up front (Prometheus, etcd).
std::uint16_t free_port();

// Polls `pred` every 20 ms until it holds or `timeout` passes; true when it held.
template <typename Pred>
bool eventually(Pred pred, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return pred();
}

// Polls `path` until it holds a port number; returns 0 on timeout.
std::uint16_t wait_for_port_file(const std::filesystem::path& path,
                                 std::chrono::milliseconds timeout);

// Starts `autoglm simnode` (or `serve`) with a ready file and returns once it listens.
struct Started {
  std::unique_ptr<Process> process;
  std::uint16_t port = 0;
};
Started start_autoglm(const TempDir& dir, const std::string& name, std::vector<std::string> args);

// Runs the binary to completion, capturing stdout+stderr.
int run_autoglm(const std::vector<std::string>& args, std::string& output);

}  // namespace autoglm::testing

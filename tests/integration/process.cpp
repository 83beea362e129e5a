#include "integration/process.hpp"

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <memory>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace autoglm::testing {

namespace fs = std::filesystem;

TempDir::TempDir() {
  std::random_device rd;
  path_ = fs::temp_directory_path() / ("autoglm-test-" + std::to_string(rd()) + std::to_string(getpid()));
  fs::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

fs::path TempDir::write(const std::string& name, const std::string& content) const {
  fs::path p = path_ / name;
  std::ofstream(p) << content;
  return p;
}

Process::Process(std::vector<std::string> args, fs::path log_path)
    : Process(AUTOGLM_BINARY, std::move(args), std::move(log_path)) {}

Process::Process(std::string program, std::vector<std::string> args, fs::path log_path)
    : log_path_(std::move(log_path)) {
  args.insert(args.begin(), std::move(program));
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    int fd = open(log_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
      dup2(fd, 1);
      dup2(fd, 2);
      close(fd);
    }
    // Run in the test's own directory, so relative defaults (the SQLite store at
    // ./data/autoglm.db, ui.dir) are private to the test and not shared by tests that run
    // at the same time. Every path a test passes is absolute.
    if (chdir(log_path_.parent_path().c_str()) != 0) _exit(126);
    execvp(argv[0], argv.data());
    _exit(127);
  }
}

Process::~Process() {
  if (!reaped_ && pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
}

void Process::signal(int sig) {
  if (!reaped_) kill(pid_, sig);
}

int Process::wait(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!reaped_) {
    int status = 0;
    pid_t r = waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      reaped_ = true;
      status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      break;
    }
    if (std::chrono::steady_clock::now() > deadline) return -1;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return status_;
}

bool Process::running() { return wait(std::chrono::milliseconds(0)) == -1; }

std::string Process::log() const {
  std::ifstream in(log_path_);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::uint16_t bind_loopback(int fd) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  return ntohs(addr.sin_port);
}

std::uint16_t free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  const std::uint16_t port = bind_loopback(fd);
  ::close(fd);
  return port;
}

std::uint16_t wait_for_port_file(const fs::path& path, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    std::ifstream in(path);
    int port = 0;
    if (in >> port && port > 0) return static_cast<std::uint16_t>(port);
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return 0;
}

Started start_autoglm(const TempDir& dir, const std::string& name, std::vector<std::string> args) {
  const fs::path ready = dir.path() / (name + ".port");
  args.push_back("--ready-file");
  args.push_back(ready.string());
  Started s;
  s.process = std::make_unique<Process>(std::move(args), dir.path() / (name + ".log"));
  s.port = wait_for_port_file(ready, std::chrono::seconds(20));
  if (s.port == 0) {
    throw std::runtime_error(name + " did not start; its log:\n" + s.process->log());
  }
  return s;
}

int run_autoglm(const std::vector<std::string>& args, std::string& output) {
  TempDir dir;
  Process p(args, dir.path() / "out.log");
  int rc = p.wait(std::chrono::seconds(30));
  output = p.log();
  return rc;
}

}  // namespace autoglm::testing

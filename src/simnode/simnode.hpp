// A simulated GPU node: an OpenAI-compatible server (chat, completions, streaming, models,
// Prometheus /metrics with vLLM's names) whose timing comes from sim::Engine.
// Runs its own io_context on one thread; start() and stop() are called by the owner.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "sim/gpu_profile.hpp"

namespace autoglm::simnode {

struct SimNodeOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;  // 0: a free port, see SimNode::port()
  std::string node_id = "simnode";
  std::string model = "autoglm-sim-8b";
  sim::GpuProfile profile;
  std::uint64_t seed = 42;
  double speedup = 1.0;               // >1 makes every iteration that much shorter
  std::int64_t default_max_tokens = 128;  // when a request names none
  std::int64_t max_model_len = 32768;     // prompt + output limit, as vLLM's --max-model-len
  // Automatic prefix caching, as vLLM's: a prompt whose leading text an earlier prompt had
  // prefills only the rest. Off by default: the twin's fidelity check assumes no reuse.
  bool prefix_caching = false;
};

class SimNode {
 public:
  explicit SimNode(SimNodeOptions options);
  ~SimNode();
  SimNode(const SimNode&) = delete;
  SimNode& operator=(const SimNode&) = delete;

  // Binds, then serves on a thread of its own. Throws std::runtime_error if it cannot bind.
  void start();
  // Stops serving and joins the thread; open streams are cut.
  void stop();

  std::uint16_t port() const;
  std::string url() const;  // http://host:port
  const SimNodeOptions& options() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace autoglm::simnode

// GPU readings through NVML, loaded at run time with dlopen("libnvidia-ml.so.1"): no link
// dependency, so one binary runs on GPU and CPU-only hosts. Without the library or a GPU
// it says so (once, in the log) and reports no GPU numbers, never made-up ones.
// Not thread-safe: owned by the agent's loop.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "monitor/heartbeat_json.hpp"

namespace autoglm::agent {

struct GpuReading {
  std::string status;  // "ok", "no_library", "no_devices" or "error: <NVML's words>"
  std::vector<monitor::GpuSample> gpus;
};

class GpuReader {
 public:
  // Tries to load `library` and initialise NVML; keeps the outcome for every read().
  explicit GpuReader(const std::string& library = "libnvidia-ml.so.1");
  ~GpuReader();
  GpuReader(const GpuReader&) = delete;
  GpuReader& operator=(const GpuReader&) = delete;

  // One reading of every GPU. Fields a GPU does not support stay absent.
  GpuReading read();
  // What loading found: "ok", "no_library", "no_devices" or "error: ...".
  const std::string& status() const { return status_; }

  struct Api;  // resolved NVML entry points (nvml.cpp)

 private:
  std::unique_ptr<Api> api_;
  std::string status_;
};

}  // namespace autoglm::agent

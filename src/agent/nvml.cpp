#include "agent/nvml.hpp"

#include <dlfcn.h>
#include <spdlog/spdlog.h>

namespace autoglm::agent {

namespace {

// The few NVML declarations we use, from NVML's public API (nvml.h): return codes are an
// int-sized enum where 0 is NVML_SUCCESS; devices are opaque handles.
using nvmlReturn_t = int;
using nvmlDevice_t = struct nvmlDevice_st*;
constexpr nvmlReturn_t kNvmlSuccess = 0;
constexpr int kNvmlTemperatureGpu = 0;
constexpr unsigned kNameLength = 96;  // NVML_DEVICE_NAME_V2_BUFFER_SIZE
constexpr unsigned kUuidLength = 96;  // NVML_DEVICE_UUID_V2_BUFFER_SIZE

struct nvmlUtilization_t {
  unsigned int gpu;     // percent of time a kernel ran
  unsigned int memory;  // percent of time memory was read or written
};
struct nvmlMemory_t {
  unsigned long long total;
  unsigned long long free;
  unsigned long long used;
};

using InitFn = nvmlReturn_t (*)();
using ShutdownFn = nvmlReturn_t (*)();
using ErrorStringFn = const char* (*)(nvmlReturn_t);
using CountFn = nvmlReturn_t (*)(unsigned int*);
using HandleFn = nvmlReturn_t (*)(unsigned int, nvmlDevice_t*);
using UtilFn = nvmlReturn_t (*)(nvmlDevice_t, nvmlUtilization_t*);
using MemoryFn = nvmlReturn_t (*)(nvmlDevice_t, nvmlMemory_t*);
using TemperatureFn = nvmlReturn_t (*)(nvmlDevice_t, int, unsigned int*);
using PowerFn = nvmlReturn_t (*)(nvmlDevice_t, unsigned int*);
using StringFn = nvmlReturn_t (*)(nvmlDevice_t, char*, unsigned int);

template <typename F>
F symbol(void* lib, const char* name) {
  return reinterpret_cast<F>(dlsym(lib, name));
}

}  // namespace

struct GpuReader::Api {
  void* lib = nullptr;
  bool initialised = false;
  InitFn init = nullptr;
  ShutdownFn shutdown = nullptr;
  ErrorStringFn error_string = nullptr;
  CountFn count = nullptr;
  HandleFn handle = nullptr;
  UtilFn utilization = nullptr;
  MemoryFn memory = nullptr;
  TemperatureFn temperature = nullptr;
  PowerFn power = nullptr;
  StringFn name = nullptr;  // optional
  StringFn uuid = nullptr;  // optional

  std::string error(nvmlReturn_t rc) const {
    return error_string ? error_string(rc) : "NVML error " + std::to_string(rc);
  }

  ~Api() {
    if (initialised && shutdown) shutdown();
    if (lib) dlclose(lib);
  }
};

GpuReader::GpuReader(const std::string& library) : api_(std::make_unique<Api>()) {
  api_->lib = dlopen(library.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!api_->lib) {
    status_ = "no_library";
    spdlog::info("agent: no NVML ({}): reporting no GPU metrics", library);
    return;
  }
  Api& a = *api_;
  a.init = symbol<InitFn>(a.lib, "nvmlInit_v2");
  a.shutdown = symbol<ShutdownFn>(a.lib, "nvmlShutdown");
  a.error_string = symbol<ErrorStringFn>(a.lib, "nvmlErrorString");
  a.count = symbol<CountFn>(a.lib, "nvmlDeviceGetCount_v2");
  a.handle = symbol<HandleFn>(a.lib, "nvmlDeviceGetHandleByIndex_v2");
  a.utilization = symbol<UtilFn>(a.lib, "nvmlDeviceGetUtilizationRates");
  a.memory = symbol<MemoryFn>(a.lib, "nvmlDeviceGetMemoryInfo");
  a.temperature = symbol<TemperatureFn>(a.lib, "nvmlDeviceGetTemperature");
  a.power = symbol<PowerFn>(a.lib, "nvmlDeviceGetPowerUsage");
  a.name = symbol<StringFn>(a.lib, "nvmlDeviceGetName");
  a.uuid = symbol<StringFn>(a.lib, "nvmlDeviceGetUUID");
  if (!a.init || !a.shutdown || !a.count || !a.handle || !a.utilization || !a.memory ||
      !a.temperature || !a.power) {
    status_ = "error: " + library + " lacks the NVML functions the agent needs";
    spdlog::warn("agent: {}: reporting no GPU metrics", status_);
    return;
  }
  if (nvmlReturn_t rc = a.init(); rc != kNvmlSuccess) {
    status_ = "error: nvmlInit: " + a.error(rc);
    spdlog::warn("agent: {}: reporting no GPU metrics", status_);
    return;
  }
  a.initialised = true;
  unsigned int n = 0;
  if (a.count(&n) != kNvmlSuccess || n == 0) {
    status_ = "no_devices";
    spdlog::info("agent: NVML found no GPU: reporting no GPU metrics");
    return;
  }
  status_ = "ok";
  spdlog::info("agent: NVML reports {} GPU(s)", n);
}

GpuReader::~GpuReader() = default;

GpuReading GpuReader::read() {
  GpuReading out{status_, {}};
  if (status_ != "ok") return out;
  const Api& a = *api_;
  unsigned int n = 0;
  if (nvmlReturn_t rc = a.count(&n); rc != kNvmlSuccess) {
    out.status = "error: nvmlDeviceGetCount: " + a.error(rc);
    return out;
  }
  for (unsigned int i = 0; i < n; ++i) {
    nvmlDevice_t device = nullptr;
    if (a.handle(i, &device) != kNvmlSuccess) continue;
    monitor::GpuSample g;
    g.index = i;
    char text[kNameLength > kUuidLength ? kNameLength : kUuidLength] = {};
    if (a.name && a.name(device, text, kNameLength) == kNvmlSuccess) g.name = text;
    if (a.uuid && a.uuid(device, text, kUuidLength) == kNvmlSuccess) g.uuid = text;
    nvmlUtilization_t util{};
    if (a.utilization(device, &util) == kNvmlSuccess) g.util = util.gpu / 100.0;
    nvmlMemory_t mem{};
    if (a.memory(device, &mem) == kNvmlSuccess) {
      g.mem_used_bytes = static_cast<double>(mem.used);
      g.mem_total_bytes = static_cast<double>(mem.total);
    }
    unsigned int celsius = 0;
    if (a.temperature(device, kNvmlTemperatureGpu, &celsius) == kNvmlSuccess) {
      g.temperature_c = celsius;
    }
    unsigned int milliwatts = 0;
    if (a.power(device, &milliwatts) == kNvmlSuccess) g.power_watts = milliwatts / 1000.0;
    out.gpus.push_back(std::move(g));
  }
  return out;
}

}  // namespace autoglm::agent

// libFuzzer target: config::load_from_string over arbitrary YAML, with ${VAR} substitution
// from a fixed environment.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "config/loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace autoglm;
  const std::string yaml(reinterpret_cast<const char*>(data), size);
  const config::EnvLookup env = [](const std::string& name) -> std::optional<std::string> {
    if (name == "PORT") return "8081";
    if (name == "HOST") return "127.0.0.1";
    return std::nullopt;
  };
  auto r = config::load_from_string(yaml, "fuzz.yaml", env);
  if (r) {
    volatile auto port = r->server.port;
    (void)port;
  }
  return 0;
}

// libFuzzer target: monitor::parse_prometheus_text over arbitrary exposition text.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "monitor/prometheus_text.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace autoglm;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto e = monitor::parse_prometheus_text(text);
  (void)e;
  auto v = monitor::parse_sample_value(text.substr(0, 64));
  (void)v;
  return 0;
}

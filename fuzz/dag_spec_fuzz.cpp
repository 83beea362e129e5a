// libFuzzer target: workflow::parse_dag (JSON or YAML DAG specs) and parse_duration.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "workflow/dag_spec.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace autoglm;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto r = workflow::parse_dag(text);
  if (r) {
    volatile std::size_t n = workflow::dag_to_json(*r).size();
    (void)n;
  }
  auto d = workflow::parse_duration(text.substr(0, 32), "fuzz");
  (void)d;
  return 0;
}

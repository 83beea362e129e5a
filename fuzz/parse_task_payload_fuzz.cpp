// libFuzzer target: parse::parse_task_payload (async task bodies) over arbitrary input.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "parse/task_parser.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace autoglm;
  std::string_view body(reinterpret_cast<const char*>(data), size);
  parse::ParseOptions options;
  options.default_tenant = "default";
  auto r = parse::parse_task_payload(body, parse::RequestMeta{}, options);
  if (r) {
    volatile auto tokens = r->input_tokens;
    (void)tokens;
  }
  return 0;
}

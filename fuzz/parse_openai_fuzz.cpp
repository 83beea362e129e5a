// libFuzzer target: parse::parse_openai over arbitrary bodies and headers.
// The first byte picks the kind and how the input splits into headers and body.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "parse/task_parser.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace autoglm;
  if (size == 0) return 0;
  const std::uint8_t mode = data[0];
  std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  const core::TaskKind kinds[] = {core::TaskKind::kChat, core::TaskKind::kCompletion,
                                  core::TaskKind::kEmbedding};
  parse::RequestMeta meta;
  if (mode & 0x04) {  // "<priority>\n<deadline>\n<body>"
    const auto a = rest.find('\n');
    if (a != std::string_view::npos) {
      meta.priority_header = rest.substr(0, a);
      rest.remove_prefix(a + 1);
      const auto b = rest.find('\n');
      if (b != std::string_view::npos) {
        meta.deadline_header = rest.substr(0, b);
        rest.remove_prefix(b + 1);
      }
    }
  }
  meta.tenant = (mode & 0x08) ? "acme" : "";
  parse::ParseOptions options;
  options.prefix_chunk_bytes = (mode & 0x10) ? 16 : 256;
  auto r = parse::parse_openai(kinds[mode % 3], rest, meta, options);
  if (r) {
    volatile auto tokens = r->input_tokens;
    (void)tokens;
  }
  return 0;
}

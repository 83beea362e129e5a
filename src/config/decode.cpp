#include "config/decode.hpp"

#include "config/cluster_keys.hpp"
#include "config/field.hpp"
#include "config/schema.hpp"

namespace autoglm::config {
namespace {

void decode_section(const Field& section, Config& config) {
  section.for_each_entry(child_names(section.path()), [&](std::string_view, const Field& child) {
    if (const KeySpec* spec = find_key(child.path())) {
      spec->apply(child, config);
    } else {
      decode_section(child, config);
    }
  });
}

}  // namespace

void decode_config(const RawValue& root, Config& config, Diagnostics& diagnostics) {
  decode_section(Field(root, "", diagnostics), config);
  check_cluster(root, config.cluster, diagnostics);
}

}  // namespace autoglm::config

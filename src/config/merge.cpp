#include "config/merge.hpp"

namespace autoglm::config {

void merge_into(RawValue& base, const RawValue& overlay) {
  if (!base.is_map() || !overlay.is_map()) {
    base = overlay;
    return;
  }
  for (const RawValue::Entry& entry : overlay.entries()) {
    if (RawValue* existing = base.find(entry.key)) {
      merge_into(*existing, entry.value);
    } else {
      base.entries().push_back(entry);
    }
  }
}

}  // namespace autoglm::config

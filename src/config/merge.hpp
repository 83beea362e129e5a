// Deep merge of configuration trees: how a profile file lays over the main file.
#pragma once

#include "config/raw_value.hpp"

namespace autoglm::config {

// Lays `overlay` over `base`: maps merge key by key (recursively, new keys appended in
// overlay order); anything else, lists included, replaces the base value whole.
void merge_into(RawValue& base, const RawValue& overlay);

}  // namespace autoglm::config

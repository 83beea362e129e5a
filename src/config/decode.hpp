// Decoding: the merged RawValue tree to a typed Config, checked against the schema.
#pragma once

#include "config/config.hpp"
#include "config/diagnostics.hpp"
#include "config/raw_value.hpp"

namespace autoglm::config {

// Writes every key present in `root` into `config` (absent and null keys keep the value
// already there). Unknown keys, wrong types and out-of-range values are all reported
// to `diagnostics`; decoding goes on past them so one run lists every problem.
void decode_config(const RawValue& root, Config& config, Diagnostics& diagnostics);

}  // namespace autoglm::config

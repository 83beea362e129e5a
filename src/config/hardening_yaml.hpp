// The hardening sections of to_yaml: auth (keys in clear masked), tenants, limits, cache
// and routes, in a form load_from_string reads back.
#pragma once

#include <yaml-cpp/emitter.h>

#include "config/config.hpp"

namespace autoglm::config {

// Emits the keys auth, tenants, limits, cache and routes into an open map.
void emit_hardening(YAML::Emitter& out, const Config& config);

}  // namespace autoglm::config

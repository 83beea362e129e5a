// Readers for the scheduler's policy keys besides the preset name: `scheduler.pipeline`
// (a pipeline composed from part names) and `scheduler.models` (per-model overrides).
// Part names are checked when the scheduler is built (api::make_scheduler), not here.
#pragma once

#include <map>
#include <string>

#include "config/config.hpp"
#include "config/field.hpp"

namespace autoglm::config {

// {filters: [names], scorers: {name: weight > 0}, picker: name}. Replaces `out` unless null.
void read_pipeline(const Field& field, std::optional<PipelineConfig>& out);

// {model: preset-name | pipeline map}. Replaces `out` unless null.
void read_model_policies(const Field& field, std::map<std::string, PolicyChoice>& out);

}  // namespace autoglm::config

// Reading the input side of an OpenAI body: chat messages, a completion prompt or an
// embedding input, into input tokens, modality and prefix hashes. Internal to parse/.
#pragma once

#include <boost/json/fwd.hpp>
#include <string_view>

#include "core/status.hpp"
#include "core/task.hpp"
#include "parse/task_parser.hpp"

namespace autoglm::parse {

// Fills out.input_tokens, out.modality and out.prefix_hashes from `body` for `kind`
// (kChat, kCompletion or kEmbedding). `path` prefixes field names in errors ("" or
// "payload.").
core::Status read_inputs(core::TaskKind kind, const boost::json::object& body,
                         std::string_view path, const ParseOptions& options, core::TaskSpec& out);

}  // namespace autoglm::parse

// Readers for the two list-valued keys: `nodes` (real backends) and
// `cluster.simulated.nodes` (groups of simulated GPU nodes). Each item is a map whose
// keys are checked like any section's.
#pragma once

#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"
#include "config/field.hpp"
#include "core/node.hpp"

namespace autoglm::config {

// Reports every required key absent from a map item.
void require_keys(const Field& item, std::initializer_list<std::string_view> keys);
// A list of non-empty strings (may be empty); replaces `out` unless null.
void read_string_list(const Field& field, std::vector<std::string>& out);
// A map of free-form string labels, merged into `out`.
void read_labels(const Field& field, std::map<std::string, std::string>& out);

// Items: {id (required, unique), url (required, http://host[:port][/path]),
// models (required, non-empty list of names), labels (map of strings)}.
// A trailing '/' on url is dropped. Replaces `out` unless the value is null.
void read_nodes(const Field& field, std::vector<core::NodeSpec>& out);

// `upstream.routes`: a map from an OpenAI route (/v1/chat/completions, /v1/completions,
// /v1/embeddings) to {connect-timeout, first-byte-timeout, response-timeout,
// idle-timeout, resume-on-failure, max-resumes (1..5)}, each optional; the last two only on
// the completion routes (embeddings do not stream). Replaces `out` unless null.
void read_route_upstream(const Field& field, std::map<std::string, RouteUpstream>& out);

// Items: {profile (required), count (1..1024, default 1)}. Replaces `out` unless null.
void read_groups(const Field& field, std::vector<SimulatedGroup>& out);

}  // namespace autoglm::config

// The dashboard's built files (web/dist, from `make build`) served at {context-path}/ui/:
// which file a request names, its content type and caching, and the answer when the UI
// has not been built. The pure functions are what the tests pin down.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "config/config.hpp"
#include "core/status.hpp"

namespace autoglm::api {

class Gateway;

// The file below the UI directory that `request_path` (the part after /ui/, as sent)
// names; "" names index.html. kNotFound for anything that could leave the directory or
// reach a hidden file: a segment that is "..", "." or starts with '.', or holds '\', NUL
// or a '/' encoded as %2F, after percent-decoding; and for bad percent escapes.
core::Result<std::string> ui_relative_path(std::string_view request_path);

// The Content-Type for a file name, by extension; application/octet-stream when unknown.
std::string_view content_type_for(std::string_view file_name);

// Vite gives everything under assets/ a content hash in its name, so those are cached for
// a year as immutable. Everything else (index.html above all) is revalidated on every
// load, so a new build shows at once.
std::string_view cache_control_for(std::string_view relative_path);

struct UiLocation {
  std::filesystem::path dir;  // ui.dir made absolute
  bool built = false;         // dir/index.html exists
};
UiLocation locate_ui(const config::UiConfig& ui);

// The page {context-path}/ui/ answers while the UI is not built: where it was looked for
// and how to build it.
std::string ui_missing_page(const UiLocation& where);

// GET {context-path}/ui and everything below it. Adds nothing when ui.enabled is false.
// Files are read at each request, so a UI built after start-up is served without a restart.
void add_ui_routes(Gateway& gateway, const config::UiConfig& ui);

}  // namespace autoglm::api

#include "api/static_files.hpp"

#include <array>
#include <fstream>
#include <iterator>
#include <optional>
#include <utility>

#include <boost/url/pct_string_view.hpp>
#include <fmt/format.h>

#include "api/gateway.hpp"
#include "sim/svg_chart.hpp"

namespace autoglm::api {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
namespace fs = std::filesystem;

namespace {

constexpr std::string_view kImmutable = "public, max-age=31536000, immutable";
constexpr std::string_view kRevalidate = "no-cache";

// Decodes one path segment; empty when the escapes are malformed or the segment may not
// name a file of the UI.
std::string safe_segment(std::string_view raw) {
  auto pct = boost::urls::make_pct_string_view(raw);
  if (!pct) return {};
  std::string segment = pct->decode();
  if (segment.empty() || segment.front() == '.') return {};  // "..", "." and hidden files
  if (segment.find_first_of(std::string_view("/\\\0", 3)) != std::string::npos) return {};
  return segment;
}

// size and modification time: changes whenever a build rewrites the file.
std::string entity_tag(const fs::path& file) {
  std::error_code ec;
  const auto size = fs::file_size(file, ec);
  const auto mtime = fs::last_write_time(file, ec).time_since_epoch().count();
  return fmt::format("\"{:x}-{:x}\"", size, mtime);
}

std::optional<std::string> read_file(const fs::path& file) {
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) return std::nullopt;
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

asio::awaitable<void> respond_text(http::Exchange& exchange, unsigned status, std::string body,
                                   std::string_view type = "text/plain; charset=utf-8") {
  http::Response response{static_cast<bhttp::status>(status), 11};
  response.set(bhttp::field::content_type, type);
  response.set(bhttp::field::cache_control, "no-store");
  response.body() = std::move(body);
  co_await exchange.respond(std::move(response));
}

asio::awaitable<void> serve_ui(const config::UiConfig& ui, http::Exchange& exchange,
                               const RequestContext& context) {
  const std::string_view target = exchange.target_path();
  const std::string& rest = context.params.at("path");
  if (rest.empty() && !target.ends_with('/')) {
    // The page loads ./assets/..., which resolves against the directory only with the '/'.
    http::Response response{bhttp::status::permanent_redirect, 11};
    response.set(bhttp::field::location, std::string(target) + "/");
    co_return co_await exchange.respond(std::move(response));
  }
  const UiLocation where = locate_ui(ui);
  if (!where.built)
    co_return co_await respond_text(exchange, 404, ui_missing_page(where),
                                    "text/html; charset=utf-8");
  auto relative = ui_relative_path(rest);
  if (!relative) co_return co_await respond_text(exchange, 404, relative.status().message());
  const fs::path file = where.dir / *relative;
  auto body = read_file(file);
  if (!body) {
    co_return co_await respond_text(exchange, 404, "no file '" + *relative + "' in the dashboard");
  }
  const std::string tag = entity_tag(file);
  const auto if_none_match = exchange.request()[bhttp::field::if_none_match];
  const bool unchanged = std::string_view(if_none_match.data(), if_none_match.size()) == tag;
  http::Response response{unchanged ? bhttp::status::not_modified : bhttp::status::ok, 11};
  response.set(bhttp::field::cache_control, cache_control_for(*relative));
  response.set(bhttp::field::etag, tag);
  response.set("x-content-type-options", "nosniff");
  if (!unchanged) {
    response.set(bhttp::field::content_type, content_type_for(*relative));
    response.body() = std::move(*body);
  }
  co_await exchange.respond(std::move(response));
}

}  // namespace

core::Result<std::string> ui_relative_path(std::string_view request_path) {
  std::string out;
  std::size_t start = 0;
  while (start <= request_path.size()) {
    std::size_t end = request_path.find('/', start);
    if (end == std::string_view::npos) end = request_path.size();
    const std::string_view raw = request_path.substr(start, end - start);
    start = end + 1;
    if (raw.empty()) continue;
    std::string segment = safe_segment(raw);
    if (segment.empty()) {
      return core::not_found("the dashboard has no file '" + std::string(request_path) + "'");
    }
    out += (out.empty() ? "" : "/") + segment;
  }
  return out.empty() ? std::string("index.html") : out;
}

std::string_view content_type_for(std::string_view file_name) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 16> kTypes{{
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".ico", "image/x-icon"},
      {".webp", "image/webp"},
      {".woff2", "font/woff2"},
      {".woff", "font/woff"},
      {".txt", "text/plain; charset=utf-8"},
      {".wasm", "application/wasm"},
      {".webmanifest", "application/manifest+json"},
  }};
  const auto dot = file_name.rfind('.');
  if (dot == std::string_view::npos || file_name.find('/', dot) != std::string_view::npos) {
    return "application/octet-stream";
  }
  const std::string_view ext = file_name.substr(dot);
  for (const auto& [known, type] : kTypes) {
    if (ext == known) return type;
  }
  return "application/octet-stream";
}

std::string_view cache_control_for(std::string_view relative_path) {
  return relative_path.starts_with("assets/") ? kImmutable : kRevalidate;
}

UiLocation locate_ui(const config::UiConfig& ui) {
  std::error_code ec;
  UiLocation where;
  where.dir = fs::absolute(ui.dir, ec).lexically_normal();
  where.built = fs::is_regular_file(where.dir / "index.html", ec);
  return where;
}

std::string ui_missing_page(const UiLocation& where) {
  const std::string dir = sim::svg_escape(where.dir.string());  // XML escaping suits HTML
  return "<!doctype html><meta charset=\"utf-8\"><title>Open-AutoGLM dashboard not built</title>"
         "<h1>The dashboard is not built</h1>"
         "<p>The gateway serves the dashboard from <code>" +
         dir +
         "</code>, which has no "
         "<code>index.html</code>.</p>"
         "<p>Build it with <code>make build</code> (it needs Node.js and npm), or set "
         "<code>ui.dir</code> to a built copy. The API works without it; "
         "<code>GET /admin/v1/dashboard</code> has the same data as JSON.</p>\n";
}

void add_ui_routes(Gateway& gateway, const config::UiConfig& ui) {
  if (!ui.enabled) return;
  gateway.add_route("GET", "/ui/{path...}",
                    [ui](http::Exchange& exchange, const RequestContext& context) {
                      return serve_ui(ui, exchange, context);
                    });
}

}  // namespace autoglm::api

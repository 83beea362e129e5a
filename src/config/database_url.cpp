#include "config/database_url.hpp"

namespace autoglm::config {
namespace {

constexpr std::string_view kMask = "******";

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

core::Result<DatabaseTarget> parse_sqlite(std::string_view url) {
  std::string_view path = url.substr(std::string_view("sqlite:").size());
  if (starts_with(path, "//")) {
    path.remove_prefix(2);  // sqlite://<path>: an absolute path keeps its leading '/'
    if (starts_with(path, "/./") || starts_with(path, "/../")) path.remove_prefix(1);
  }
  if (path.empty()) {
    return core::invalid_argument("database URL '" + std::string(url) +
                                  "' names no file; write sqlite:///abs/path or "
                                  "sqlite://./relative/path");
  }
  DatabaseTarget target;
  target.kind = DatabaseKind::kSqlite;
  target.sqlite_path = std::string(path);
  return target;
}

core::Result<DatabaseTarget> parse_postgres(std::string_view url, std::string_view original) {
  const std::size_t scheme_end = url.find("://");
  if (url.size() == scheme_end + 3) {
    return core::invalid_argument("database URL '" + std::string(original) +
                                  "' names no server or database");
  }
  DatabaseTarget target;
  target.kind = DatabaseKind::kPostgres;
  target.postgres_conninfo = std::string(url);
  return target;
}

}  // namespace

core::Result<DatabaseTarget> parse_database_url(std::string_view url) {
  if (starts_with(url, "sqlite:")) return parse_sqlite(url);
  if (starts_with(url, "postgresql://") || starts_with(url, "postgres://")) {
    return parse_postgres(url, url);
  }
  if (starts_with(url, "jdbc:postgresql://")) {
    return parse_postgres(url.substr(std::string_view("jdbc:").size()), url);
  }
  return core::invalid_argument("unsupported database URL '" + mask_database_url(url) +
                                "': expected sqlite:///path, postgresql://host/db or "
                                "jdbc:postgresql://host:port/db");
}

std::string mask_database_url(std::string_view url) {
  std::string out(url);
  // user:password@ in the authority part.
  const std::size_t scheme = out.find("://");
  if (scheme != std::string::npos) {
    const std::size_t authority = scheme + 3;
    const std::size_t authority_end = out.find_first_of("/?#", authority);
    const std::size_t at =
        out.rfind('@', authority_end == std::string::npos ? std::string::npos : authority_end);
    if (at != std::string::npos && at >= authority) {
      const std::size_t colon = out.find(':', authority);
      if (colon != std::string::npos && colon + 1 < at) {
        out.replace(colon + 1, at - colon - 1, kMask);
      }
    }
  }
  // password=... in the query string.
  const std::size_t query = out.find('?');
  if (query == std::string::npos) return out;
  std::size_t pos = query + 1;
  while (pos < out.size()) {
    std::size_t end = out.find('&', pos);
    if (end == std::string::npos) end = out.size();
    if (starts_with(std::string_view(out).substr(pos, end - pos), "password=")) {
      const std::size_t value = pos + std::string_view("password=").size();
      out.replace(value, end - value, kMask);
      end = value + kMask.size();
    }
    pos = end + 1;
  }
  return out;
}

}  // namespace autoglm::config

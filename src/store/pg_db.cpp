#include "store/pg_db.hpp"

#include <libpq-fe.h>

#include <array>
#include <charconv>

namespace autoglm::store::pg {
namespace {

std::string trimmed(const char* message) {
  std::string s = message != nullptr ? message : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

}  // namespace

Params& Params::add(double v) {
  std::array<char, 32> buf{};
  const auto end = std::to_chars(buf.data(), buf.data() + buf.size(), v).ptr;
  return add(std::optional<std::string>(std::string(buf.data(), end)));
}

// --- Row / Rows ---

std::int64_t Row::int64(int col) const {
  const char* v = PQgetvalue(rows_.raw(), index_, col);
  std::int64_t out = 0;
  const std::string_view s(v);
  if (s == "t") return 1;  // booleans read as integers
  if (s == "f") return 0;
  std::from_chars(s.data(), s.data() + s.size(), out);
  return out;
}

double Row::real(int col) const {
  const std::string_view s(PQgetvalue(rows_.raw(), index_, col));
  double out = 0;
  std::from_chars(s.data(), s.data() + s.size(), out);
  return out;
}

std::string Row::text(int col) const {
  return std::string(PQgetvalue(rows_.raw(), index_, col),
                     static_cast<std::size_t>(PQgetlength(rows_.raw(), index_, col)));
}

bool Row::is_null(int col) const { return PQgetisnull(rows_.raw(), index_, col) != 0; }

std::optional<std::int64_t> Row::opt_int64(int col) const {
  if (is_null(col)) return std::nullopt;
  return int64(col);
}

std::optional<std::string> Row::opt_text(int col) const {
  if (is_null(col)) return std::nullopt;
  return text(col);
}

Rows::Rows(pg_result* result) : result_(result) {}
Rows::~Rows() {
  if (result_ != nullptr) PQclear(result_);
}
Rows::Rows(Rows&& other) noexcept : result_(other.result_) { other.result_ = nullptr; }
int Rows::size() const { return PQntuples(result_); }
std::int64_t Rows::affected() const {
  const std::string_view s(PQcmdTuples(result_));
  std::int64_t n = 0;
  std::from_chars(s.data(), s.data() + s.size(), n);
  return n;
}

// --- Connection ---

Connection::Connection(const ConnectTarget& target) {
  // dbname is expanded as the whole connection string; the keywords after it override.
  std::vector<const char*> keys = {"dbname"};
  std::vector<const char*> values = {target.conninfo.c_str()};
  if (!target.user.empty()) {
    keys.push_back("user");
    values.push_back(target.user.c_str());
  }
  if (!target.password.empty()) {
    keys.push_back("password");
    values.push_back(target.password.c_str());
  }
  keys.push_back(nullptr);
  values.push_back(nullptr);
  conn_ = PQconnectdbParams(keys.data(), values.data(), 1);
  if (PQstatus(conn_) != CONNECTION_OK) {
    std::string why = trimmed(PQerrorMessage(conn_));
    PQfinish(conn_);
    conn_ = nullptr;
    throw PgError("", true, "cannot connect to PostgreSQL: " + why);
  }
  // Notices (e.g. "relation already exists, skipping") are not errors; keep them off stderr.
  PQsetNoticeProcessor(
      conn_, [](void*, const char*) {}, nullptr);
}

Connection::~Connection() {
  if (conn_ != nullptr) PQfinish(conn_);
}

bool Connection::healthy() const { return conn_ != nullptr && PQstatus(conn_) == CONNECTION_OK; }

void Connection::reset() {
  PQreset(conn_);
  if (PQstatus(conn_) != CONNECTION_OK) {
    throw PgError("", true, "cannot reconnect to PostgreSQL: " + trimmed(PQerrorMessage(conn_)));
  }
}

void Connection::fail(pg_result* result, const std::string& sql) {
  const char* state = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  std::string why = trimmed(result != nullptr ? PQresultErrorMessage(result) : nullptr);
  if (why.empty()) why = trimmed(PQerrorMessage(conn_));
  if (result != nullptr) PQclear(result);
  const bool lost = PQstatus(conn_) != CONNECTION_OK;
  std::string first_line = sql.substr(0, sql.find('\n'));
  if (first_line.size() > 80) first_line = first_line.substr(0, 80) + "...";
  throw PgError(state != nullptr ? state : "", lost, why + " (in: " + first_line + ")");
}

Rows Connection::exec(const std::string& sql, const Params& params) {
  const auto& values = params.values();
  std::vector<const char*> raw(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    raw[i] = values[i] ? values[i]->c_str() : nullptr;
  }
  pg_result* r = PQexecParams(conn_, sql.c_str(), static_cast<int>(raw.size()), nullptr, raw.data(),
                              nullptr, nullptr, 0);
  const ExecStatusType status = r != nullptr ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) fail(r, sql);
  return Rows(r);
}

void Connection::exec_script(const std::string& sql) {
  pg_result* r = PQexec(conn_, sql.c_str());
  const ExecStatusType status = r != nullptr ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) fail(r, sql);
  PQclear(r);
}

// --- Pool ---

Pool::Pool(ConnectTarget target, std::size_t size)
    : target_(std::move(target)), size_(size == 0 ? 1 : size) {}

Pool::~Pool() = default;

Pool::Lease Pool::acquire() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [this] { return !idle_.empty() || open_ < size_; });
  if (!idle_.empty()) {
    auto conn = std::move(idle_.back());
    idle_.pop_back();
    lock.unlock();
    if (!conn->healthy()) {
      try {
        conn->reset();
      } catch (...) {
        give_back(std::move(conn));
        throw;
      }
    }
    return Lease(*this, std::move(conn));
  }
  ++open_;
  lock.unlock();
  try {
    return Lease(*this, std::make_unique<Connection>(target_));
  } catch (...) {
    std::lock_guard relock(mu_);
    --open_;
    cv_.notify_one();
    throw;
  }
}

void Pool::give_back(std::unique_ptr<Connection> conn) {
  if (!conn) return;
  std::lock_guard lock(mu_);
  idle_.push_back(std::move(conn));
  cv_.notify_one();
}

}  // namespace autoglm::store::pg

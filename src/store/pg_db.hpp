// A thin RAII layer over libpq for PostgresStore: connections, parameterised statements in
// text format, result rows, and a fixed-size connection pool. Errors throw PgError, which
// PostgresStore turns into Status; nothing here crosses the Store interface.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

struct pg_conn;
struct pg_result;

namespace autoglm::store::pg {

class PgError : public std::runtime_error {
 public:
  // `sqlstate` is the five-character SQLSTATE ("" when the server sent none, e.g. the
  // connection broke); `connection_lost` when the connection is unusable afterwards.
  PgError(std::string sqlstate, bool connection_lost, const std::string& what)
      : std::runtime_error(what),
        sqlstate_(std::move(sqlstate)),
        connection_lost_(connection_lost) {}
  const std::string& sqlstate() const { return sqlstate_; }
  bool connection_lost() const { return connection_lost_; }
  // Serialization failure or deadlock: the whole transaction may simply be run again.
  bool retryable() const { return sqlstate_ == "40001" || sqlstate_ == "40P01"; }

 private:
  std::string sqlstate_;
  bool connection_lost_;
};

// Statement parameters, sent as text ($1, $2, ... in the order added). nullopt is NULL.
class Params {
 public:
  Params& add(std::int64_t v) { return add(std::optional<std::string>(std::to_string(v))); }
  Params& add(int v) { return add(static_cast<std::int64_t>(v)); }
  Params& add(double v);  // shortest text that reads back to the same double
  Params& add(std::string_view v) { return add(std::optional<std::string>(std::string(v))); }
  Params& add(const char* v) { return add(std::string_view(v)); }
  Params& add(const std::string& v) { return add(std::string_view(v)); }
  Params& add(const std::optional<std::int64_t>& v) {
    return v ? add(*v) : add(std::optional<std::string>());
  }
  Params& add(std::optional<std::string> v) {
    values_.push_back(std::move(v));
    return *this;
  }
  const std::vector<std::optional<std::string>>& values() const { return values_; }

 private:
  std::vector<std::optional<std::string>> values_;
};

class Rows;

// Where to connect: a libpq URI or key=value string, and a user and password that, when
// not empty, override those in it (config's database.username / database.password).
struct ConnectTarget {
  std::string conninfo;
  std::string user;
  std::string password;
};

// One row of a Rows; columns from 0. The shape store/row_mapping.hpp reads.
class Row {
 public:
  Row(const Rows& rows, int index) : rows_(rows), index_(index) {}
  std::int64_t int64(int col) const;
  double real(int col) const;
  std::string text(int col) const;
  bool is_null(int col) const;
  std::optional<std::int64_t> opt_int64(int col) const;
  std::optional<std::string> opt_text(int col) const;

 private:
  const Rows& rows_;
  int index_;
};

// A statement's result (owns the PGresult).
class Rows {
 public:
  explicit Rows(pg_result* result);
  ~Rows();
  Rows(Rows&& other) noexcept;
  Rows(const Rows&) = delete;
  Rows& operator=(const Rows&) = delete;
  Rows& operator=(Rows&&) = delete;

  int size() const;
  bool empty() const { return size() == 0; }
  Row operator[](int i) const { return Row(*this, i); }
  // Rows changed by an INSERT/UPDATE/DELETE without RETURNING.
  std::int64_t affected() const;
  pg_result* raw() const { return result_; }

 private:
  pg_result* result_;
};

class Connection {
 public:
  // Connects with a libpq connection string or URI; throws PgError when it cannot.
  explicit Connection(const std::string& conninfo) : Connection(ConnectTarget{conninfo, "", ""}) {}
  explicit Connection(const ConnectTarget& target);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  Rows exec(const std::string& sql, const Params& params = {});
  // Several statements without parameters (migrations).
  void exec_script(const std::string& sql);
  // Whether the connection is still up as far as libpq knows.
  bool healthy() const;
  // Reconnects in place (after the server restarted); throws PgError when it cannot.
  void reset();
  pg_conn* raw() const { return conn_; }

 private:
  [[noreturn]] void fail(pg_result* result, const std::string& sql);
  pg_conn* conn_ = nullptr;
};

// A fixed number of connections, opened lazily; acquire() blocks while all are in use.
// A connection that broke is reopened at its next acquire.
class Pool {
 public:
  Pool(ConnectTarget target, std::size_t size);
  ~Pool();

  class Lease {
   public:
    Lease(Pool& pool, std::unique_ptr<Connection> conn) : pool_(&pool), conn_(std::move(conn)) {}
    ~Lease() {
      if (conn_) pool_->give_back(std::move(conn_));
    }
    Lease(Lease&&) noexcept = default;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Lease& operator=(Lease&&) = delete;
    Connection& operator*() { return *conn_; }
    Connection* operator->() { return conn_.get(); }

   private:
    Pool* pool_;
    std::unique_ptr<Connection> conn_;
  };

  // Throws PgError when a new connection cannot be opened.
  Lease acquire();
  const ConnectTarget& target() const { return target_; }

 private:
  void give_back(std::unique_ptr<Connection> conn);

  ConnectTarget target_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Connection>> idle_;
  std::size_t open_ = 0;  // connections in existence (idle or leased)
  std::size_t size_;
};

}  // namespace autoglm::store::pg

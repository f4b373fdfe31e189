// One blocking libpq connection for administrative work (upgrade, downgrade, checks).
// Never used on an I/O executor: every call blocks until the server answers, or until its
// time bound passes (admin_timeouts): connecting and every statement are bounded.
#pragma once

#include "common/pq_handle.hpp"

#include <pgfns/admin_timeouts.hpp>

#include <chrono>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace pgfns::detail {

// An error reported by the server (or by libpq: an empty SQLSTATE when the connection could
// not be made, 08006 when it broke), its fields kept apart. `position` is the 1-based character
// offset into `statement` when the server reported one (0 otherwise).
class sql_error : public std::runtime_error {
 public:
  struct fields {
    std::string sqlstate;
    std::string message;
    std::string detail;
    std::string hint;
    std::string context;  // the server's "where" (e.g. "PL/pgSQL function ... line 3")
    int position = 0;
  };
  explicit sql_error(fields f);
  const fields& info() const noexcept { return fields_; }

 private:
  fields fields_;
};

// The server did not answer a statement within admin_timeouts::answer. The connection is
// closed by then; what() says so and what became of the open transaction.
class no_answer_error : public sql_error {
 public:
  no_answer_error(std::chrono::milliseconds waited, std::string consequence);
  std::chrono::milliseconds waited() const noexcept { return waited_; }
  // "the connection was closed, so the server rolls the open transaction back", or, when the
  // statement was COMMIT, that whether it committed is unknown.
  const std::string& consequence() const noexcept { return consequence_; }
  // "no answer from the server within 5 s" (without the consequence).
  std::string summary() const;

 private:
  std::chrono::milliseconds waited_;
  std::string consequence_;
};

// "5 s", "2.5 s", "250 ms".
std::string seconds_text(std::chrono::milliseconds d);

using sql_row = std::vector<std::optional<std::string>>;  // text values, nullopt for NULL
using sql_param = std::optional<std::string>;

class admin_session {
 public:
  // Connects within limits.connect (the URL's connect_timeout wins) and sets the session up
  // for schema changes (no statement timeout, notices below WARNING suppressed).
  // `application_name` is used when the URL names none (pg_stat_activity shows it). Throws
  // sql_error naming the redacted connection string.
  admin_session(const std::string& conninfo, const admin_timeouts& limits,
                const std::string& application_name);
  admin_session(const admin_session&) = delete;  // the notice receiver points into it
  admin_session& operator=(const admin_session&) = delete;

  // Runs `sql` with the simple query protocol (several statements allowed).
  void exec(const std::string& sql);
  // Runs one statement with text parameters and returns its rows as text.
  std::vector<sql_row> query(const std::string& sql, const std::vector<sql_param>& params = {});
  // The single value of a one-row, one-column result (nullopt for NULL or no row).
  std::optional<std::string> scalar(const std::string& sql,
                                    const std::vector<sql_param>& params = {});

  // Runs COMMIT: a timeout while waiting for its answer leaves the outcome unknown.
  void commit();

  // Server warnings (and anything above) raised while this session runs.
  void on_warning(std::function<void(std::string_view)> handler);

  PGconn* native() const noexcept { return conn_.get(); }

 private:
  result_handle run(const std::string& sql, const std::vector<sql_param>& params, bool extended,
                    bool is_commit = false);
  void connect(const std::string& conninfo, const std::string& application_name);
  void send(const std::string& sql, const std::vector<sql_param>& params, bool extended);
  result_handle collect();
  // Waits until the socket is ready for `events` (POLLIN, POLLOUT) or the deadline passes.
  bool wait_socket(short events, std::chrono::steady_clock::time_point deadline) const;
  // Cancels the statement (bounded), closes the connection and throws no_answer_error.
  [[noreturn]] void give_up(bool in_transaction, bool is_commit);

  admin_timeouts limits_;
  std::chrono::steady_clock::time_point deadline_;
  conn_handle conn_;
  std::function<void(std::string_view)> warning_handler_;
};

// Begins a transaction on construction; rolls it back on destruction unless commit() ran.
class admin_transaction {
 public:
  explicit admin_transaction(admin_session& session);
  admin_transaction(const admin_transaction&) = delete;
  admin_transaction& operator=(const admin_transaction&) = delete;
  ~admin_transaction();

  void commit();

 private:
  admin_session& session_;
  bool open_ = true;
};

}  // namespace pgfns::detail

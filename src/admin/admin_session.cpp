#include "admin/admin_session.hpp"

#include "common/error_line.hpp"
#include "common/url_redact.hpp"

#include <cstdlib>

namespace pgfns::detail {
namespace {

std::string field(const PGresult* r, int code) {
  const char* v = PQresultErrorField(r, code);
  return v ? error_line(v) : std::string();
}

std::string describe(const sql_error::fields& f) {
  std::string out = f.sqlstate.empty() ? f.message : f.sqlstate + ": " + f.message;
  if (!f.detail.empty()) out += " (detail: " + f.detail + ")";
  if (!f.hint.empty()) out += " (hint: " + f.hint + ")";
  if (!f.context.empty()) out += " (where: " + f.context + ")";
  return out;
}

void forward_notice(void* arg, const PGresult* r) {
  const auto* handler = static_cast<const std::function<void(std::string_view)>*>(arg);
  if (*handler) (*handler)(field(r, PG_DIAG_SEVERITY) + ": " + field(r, PG_DIAG_MESSAGE_PRIMARY));
}

}  // namespace

sql_error::sql_error(fields f) : std::runtime_error(describe(f)), fields_(std::move(f)) {}

admin_session::admin_session(const std::string& conninfo) : conn_(PQconnectdb(conninfo.c_str())) {
  if (!conn_ || PQstatus(conn_.get()) != CONNECTION_OK) {
    sql_error::fields f;  // no SQLSTATE: the server never answered
    // libpq's message may quote the whole URL, or a token of its password, when it cannot
    // parse it.
    f.message =
        error_line(redact_message("cannot connect to " + conninfo + ": " +
                                      (conn_ ? PQerrorMessage(conn_.get()) : "out of memory"),
                                  conninfo));
    throw sql_error(std::move(f));
  }
  PQsetNoticeReceiver(conn_.get(), forward_notice, &warning_handler_);
  exec(
      "set statement_timeout = 0; set lock_timeout = 0; "
      "set idle_in_transaction_session_timeout = 0; set client_min_messages = warning");
}

void admin_session::on_warning(std::function<void(std::string_view)> handler) {
  warning_handler_ = std::move(handler);
}

result_handle admin_session::run(const std::string& sql, const std::vector<sql_param>& params,
                                 bool extended) {
  result_handle r;
  if (!extended) {
    r.reset(PQexec(conn_.get(), sql.c_str()));
  } else {
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
    r.reset(PQexecParams(conn_.get(), sql.c_str(), static_cast<int>(params.size()), nullptr,
                         values.data(), nullptr, nullptr, 0));
  }
  const auto status = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY) {
    return r;
  }
  sql_error::fields f;
  if (r) {
    f.sqlstate = field(r.get(), PG_DIAG_SQLSTATE);
    f.message = field(r.get(), PG_DIAG_MESSAGE_PRIMARY);
    f.detail = field(r.get(), PG_DIAG_MESSAGE_DETAIL);
    f.hint = field(r.get(), PG_DIAG_MESSAGE_HINT);
    f.context = field(r.get(), PG_DIAG_CONTEXT);
    const auto pos = field(r.get(), PG_DIAG_STATEMENT_POSITION);
    if (!pos.empty()) f.position = std::atoi(pos.c_str());
  }
  if (f.message.empty()) f.message = error_line(PQerrorMessage(conn_.get()));
  if (f.sqlstate.empty() && PQstatus(conn_.get()) != CONNECTION_OK) f.sqlstate = "08006";
  throw sql_error(std::move(f));
}

void admin_session::exec(const std::string& sql) {
  run(sql, {}, false);
}

std::vector<sql_row> admin_session::query(const std::string& sql,
                                          const std::vector<sql_param>& params) {
  // Always the extended protocol, even without parameters, so `sql` is one statement.
  const auto r = run(sql, params, true);
  std::vector<sql_row> rows;
  const int n = PQntuples(r.get());
  const int cols = PQnfields(r.get());
  rows.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    sql_row row;
    row.reserve(static_cast<std::size_t>(cols));
    for (int c = 0; c < cols; ++c) {
      if (PQgetisnull(r.get(), i, c)) {
        row.emplace_back();
      } else {
        row.emplace_back(std::string(PQgetvalue(r.get(), i, c),
                                     static_cast<std::size_t>(PQgetlength(r.get(), i, c))));
      }
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

std::optional<std::string> admin_session::scalar(const std::string& sql,
                                                 const std::vector<sql_param>& params) {
  auto rows = query(sql, params);
  if (rows.empty() || rows.front().empty()) return std::nullopt;
  return std::move(rows.front().front());
}

admin_transaction::admin_transaction(admin_session& session) : session_(session) {
  session_.exec("begin");
}

admin_transaction::~admin_transaction() {
  if (!open_) return;
  try {
    session_.exec("rollback");
  } catch (...) {
    // The connection is broken; the server rolls the transaction back on its own.
  }
}

void admin_transaction::commit() {
  open_ = false;
  session_.exec("commit");
}

}  // namespace pgfns::detail

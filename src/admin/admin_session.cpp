#include "admin/admin_session.hpp"

#include "common/connect_timeout.hpp"
#include "common/error_line.hpp"
#include "common/url_redact.hpp"

#include <poll.h>

#include <cerrno>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <thread>

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

using clock = std::chrono::steady_clock;

clock::time_point deadline_after(std::chrono::milliseconds limit) {
  return limit.count() > 0 ? clock::now() + limit : clock::time_point::max();
}

// PQcancel blocks until the postmaster closes the cancel connection, which a frozen server
// never does: it runs on a thread of its own, waited for at most `bound`.
void cancel_bounded(cancel_handle cancel, std::chrono::milliseconds bound) {
  struct state {
    std::mutex m;
    std::condition_variable cv;
    bool done = false;
  };
  auto st = std::make_shared<state>();
  try {
    std::thread([st, c = cancel.release()] {
      char message[256];
      PQcancel(c, message, sizeof message);
      PQfreeCancel(c);
      const std::lock_guard lock(st->m);
      st->done = true;
      st->cv.notify_all();
    }).detach();
  } catch (const std::system_error&) {
    return;  // no thread: closing the connection alone ends the statement
  }
  std::unique_lock lock(st->m);
  st->cv.wait_for(lock, bound, [&] { return st->done; });
}

constexpr std::chrono::milliseconds cancel_wait{2000};

}  // namespace

sql_error::sql_error(fields f) : std::runtime_error(describe(f)), fields_(std::move(f)) {}

std::string seconds_text(std::chrono::milliseconds d) {
  if (d.count() < 1000) return std::to_string(d.count()) + " ms";
  char buf[32];
  if (d.count() % 1000 == 0) {
    std::snprintf(buf, sizeof buf, "%lld s", static_cast<long long>(d.count() / 1000));
  } else {
    std::snprintf(buf, sizeof buf, "%.3g s", static_cast<double>(d.count()) / 1000);
  }
  return buf;
}

no_answer_error::no_answer_error(std::chrono::milliseconds waited, std::string consequence)
    : sql_error(sql_error::fields{.sqlstate = "",
                                  .message = "no answer from the server within " +
                                             seconds_text(waited) + "; " + consequence,
                                  .detail = "",
                                  .hint = "",
                                  .context = "",
                                  .position = 0}),
      waited_(waited),
      consequence_(std::move(consequence)) {}

std::string no_answer_error::summary() const {
  return "no answer from the server within " + seconds_text(waited_);
}

admin_session::admin_session(const std::string& conninfo, const admin_timeouts& limits,
                             const std::string& application_name)
    : limits_(limits) {
  connect(conninfo, application_name);
  PQsetNoticeReceiver(conn_.get(), forward_notice, &warning_handler_);
  exec(
      "set statement_timeout = 0; set lock_timeout = 0; "
      "set idle_in_transaction_session_timeout = 0; set client_min_messages = warning");
}

void admin_session::connect(const std::string& conninfo, const std::string& application_name) {
  const auto limit = connect_timeout_of(conninfo).value_or(limits_.connect);
  const auto deadline = deadline_after(limit);
  const char* const keywords[] = {"dbname", "fallback_application_name", nullptr};
  const char* const values[] = {conninfo.c_str(), application_name.c_str(), nullptr};
  conn_.reset(PQconnectStartParams(keywords, values, 1));
  const auto fail = [&](const std::string& why) {
    sql_error::fields f;  // no SQLSTATE: the server never answered
    // libpq's message may quote the whole URL, or a token of its password, when it cannot
    // parse it.
    f.message = error_line(redact_message("cannot connect to " + conninfo + ": " + why, conninfo));
    conn_.reset();
    throw sql_error(std::move(f));
  };
  if (!conn_) fail("out of memory");
  auto status =
      PQstatus(conn_.get()) == CONNECTION_BAD ? PGRES_POLLING_FAILED : PGRES_POLLING_WRITING;
  // libpq may change sockets between steps (another host or address): wait_socket asks anew.
  while (status != PGRES_POLLING_OK) {
    if (status == PGRES_POLLING_FAILED) fail(PQerrorMessage(conn_.get()));
    if (!wait_socket(status == PGRES_POLLING_READING ? POLLIN : POLLOUT, deadline)) {
      fail("no answer from the server within " + seconds_text(limit) + " (connect timeout)");
    }
    status = PQconnectPoll(conn_.get());
  }
  if (PQsetnonblocking(conn_.get(), 1) != 0) fail(PQerrorMessage(conn_.get()));
}

bool admin_session::wait_socket(short events, clock::time_point deadline) const {
  for (;;) {
    pollfd p{PQsocket(conn_.get()), events, 0};
    if (p.fd < 0) return true;  // libpq reports the broken connection itself
    int wait_ms = -1;
    if (deadline != clock::time_point::max()) {
      const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - clock::now());
      if (left.count() <= 0) return false;
      wait_ms = static_cast<int>(std::min<long long>(left.count(), 60'000));
    }
    const int n = ::poll(&p, 1, wait_ms);
    if (n > 0) return true;
    if (n < 0 && errno != EINTR) return true;  // let libpq find and report the failure
  }
}

void admin_session::on_warning(std::function<void(std::string_view)> handler) {
  warning_handler_ = std::move(handler);
}

[[noreturn]] void admin_session::give_up(bool in_transaction, bool is_commit) {
  if (cancel_handle cancel{PQgetCancel(conn_.get())})
    cancel_bounded(std::move(cancel), cancel_wait);
  conn_.reset();  // nonblocking: PQfinish does not wait for the server
  throw no_answer_error(
      limits_.answer,
      is_commit ? "the connection was closed while COMMIT awaited its answer, so whether the "
                  "transaction committed is unknown (the database's version tells)"
      : in_transaction ? "the connection was closed, so the server rolls the open transaction back"
                       : "the connection was closed");
}

void admin_session::send(const std::string& sql, const std::vector<sql_param>& params,
                         bool extended) {
  PGconn* c = conn_.get();
  int sent = 0;
  if (!extended) {
    sent = PQsendQuery(c, sql.c_str());
  } else {
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
    sent = PQsendQueryParams(c, sql.c_str(), static_cast<int>(params.size()), nullptr,
                             values.data(), nullptr, nullptr, 0);
  }
  if (sent != 1) return;  // collect() reports libpq's error
  for (int f = PQflush(c); f == 1; f = PQflush(c)) {
    if (!wait_socket(POLLIN | POLLOUT, deadline_)) return;  // collect() times out at once
    if (PQconsumeInput(c) != 1) return;
  }
}

// Every result of the statement(s) sent: the first error, or else the last result. Null when
// the deadline passed first.
result_handle admin_session::collect() {
  PGconn* c = conn_.get();
  result_handle kept;
  for (;;) {
    while (PQisBusy(c)) {
      if (!wait_socket(POLLIN, deadline_)) return nullptr;
      if (PQconsumeInput(c) != 1) break;  // PQgetResult returns the error without waiting
    }
    result_handle r(PQgetResult(c));
    if (!r) break;
    if (!kept || PQresultStatus(kept.get()) != PGRES_FATAL_ERROR) kept = std::move(r);
    if (PQstatus(c) == CONNECTION_BAD) break;
  }
  if (!kept) kept.reset(PQmakeEmptyPGresult(c, PGRES_FATAL_ERROR));
  return kept;
}

result_handle admin_session::run(const std::string& sql, const std::vector<sql_param>& params,
                                 bool extended, bool is_commit) {
  if (!conn_) {
    throw sql_error(sql_error::fields{.sqlstate = "08003",
                                      .message = "the connection was closed earlier",
                                      .detail = "",
                                      .hint = "",
                                      .context = "",
                                      .position = 0});
  }
  const auto tx = PQtransactionStatus(conn_.get());
  const bool in_transaction = tx == PQTRANS_INTRANS || tx == PQTRANS_INERROR;
  deadline_ = deadline_after(limits_.answer);
  send(sql, params, extended);
  result_handle r = collect();
  if (!r) give_up(in_transaction, is_commit);
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

void admin_session::commit() {
  run("commit", {}, false, true);
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
  session_.commit();
}

}  // namespace pgfns::detail

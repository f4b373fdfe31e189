#include "client/call/call_op.hpp"

#include "client/call/call_rules.hpp"
#include "client/call/failure_kind.hpp"
#include "values/result_rows.hpp"

#include <pgfns/error.hpp>

#include <boost/asio/associated_cancellation_slot.hpp>
#include "client/completion_batch.hpp"

#include <stdexcept>

namespace pgfns::detail {
namespace {

constexpr Oid void_oid = 2278;

std::string field(const PGresult* r, int code) {
  const char* v = PQresultErrorField(r, code);
  return v ? v : "";
}

}  // namespace

call_op::call_op(std::shared_ptr<database_core> db, const resolved_method* method,
                 std::string unknown_name, bool allow_deprecated, boost::json::value args,
                 call_handler handler)
    : db_(std::move(db)),
      method_(method),
      unknown_name_(std::move(unknown_name)),
      allow_deprecated_(allow_deprecated),
      args_(std::move(args)),
      handler_(std::move(handler)) {}

std::string_view call_op::name() const noexcept {
  return method_ ? std::string_view(method_->definition.name) : std::string_view(unknown_name_);
}

void call_op::start() {
  started_ = std::chrono::steady_clock::now();
  if (db_->closed()) return finish(errc::shut_down);
  if (!db_->running()) return finish(errc::not_started);
  const auto& opts = db_->options();
  auto check = check_method(method_, name(), opts.service, allow_deprecated_,
                            db_->schema().latest_version(), db_->schema().methods());
  if (check) check = check_arguments(db_->signature_of(*method_), name(), args_);
  if (!check) {
    result_.diag.message = std::move(check.message);
    return finish(check.ec);
  }
  stmt_ = &db_->statements().get(*method_, args_);
  auto slot = boost::asio::get_associated_cancellation_slot(handler_);
  if (slot.is_connected()) slot.assign([this](boost::asio::cancellation_type) { cancel(); });
  db_->deadlines().add(*this, started_);
  proceed();
}

void call_op::proceed() {
  // One call at a time describes a new statement; the others wait for its types.
  if (!stmt_->described) {
    describing_ = db_->begin_describe(*stmt_, *this);
    if (!describing_) {
      phase_ = phase::waiting_for_describe;
      return;
    }
  }
  acquire();
}

void call_op::on_statement_described(boost::system::error_code ec, const diagnostics& diag) {
  if (!ec) return proceed();
  result_.diag = diag;
  finish(ec);
}

void call_op::release_describe_waiters(boost::system::error_code ec) {
  if (!describing_) return;
  describing_ = false;
  for (call_op* waiter : db_->end_describe(*stmt_))
    waiter->on_statement_described(ec, result_.diag);
}

bool call_op::encode_arguments() {
  encoded_ = true;
  params_.clear();
  std::size_t i = 0;
  try {
    auto add = [&](const boost::json::value& v) {
      params_.add(v, i < stmt_->param_types.size() ? stmt_->param_types[i] : 0);
      ++i;
    };
    if (const auto* named = args_.if_object()) {
      for (const auto& kv : *named) add(kv.value());
    } else {
      for (const auto& v : args_.get_array()) add(v);
    }
  } catch (const std::exception& e) {
    result_.diag.message = "argument " + std::to_string(i + 1) + ": " + e.what();
    finish(errc::bad_arguments);
    return false;
  }
  return true;
}

void call_op::acquire() {
  pool_ = &db_->pool_for(method_->definition.mode);
  if (connection* c = pool_->try_acquire()) return send(*c);
  phase_ = phase::queued;
  pool_->wait(*this);
}

void call_op::on_acquired(connection& c) {
  send(c);
}

void call_op::send(connection& c) {
  // Arguments are encoded once the parameter types are known (the first call of a statement
  // learns them with a describe); a failure completes the call without using `c`.
  if (stmt_->described && !encoded_ && !encode_arguments()) return;
  phase_ = phase::running;
  conn_ = &c;
  stmt = stmt_;
  describe = !stmt_->described;
  execute = !describe;
  if (execute) {
    nparams = params_.size();
    param_values = params_.values();
    ++attempts_;
  }
  c.submit(*this);
}

void call_op::on_acquire_failed(boost::system::error_code ec) {
  phase_ = phase::created;
  if (ec == errc::server_unavailable && method_->definition.mode == method_mode::read &&
      db_->options().read_fallback && !cancelled_)
    return acquire();  // the read server went down while we waited: go to the write pool
  if (ec == errc::pool_timeout) {
    result_.diag.message = "no connection of the " + std::string(to_string(pool_->role())) +
                           " pool became available within " +
                           std::to_string(db_->options().acquire_timeout.count()) + " ms";
    if (!pool_->last_error().empty()) result_.diag.message += " (" + pool_->last_error() + ")";
  }
  finish(ec);
}

void call_op::on_job_done(connection& c) {
  conn_ = nullptr;
  if (describe && !ec && !error) {
    stmt_->param_types.resize(static_cast<std::size_t>(PQnparams(describe_result.get())));
    for (std::size_t i = 0; i < stmt_->param_types.size(); ++i)
      stmt_->param_types[i] = PQparamtype(describe_result.get(), static_cast<int>(i));
    stmt_->described = true;
    release_describe_waiters({});
  }
  if (ec || error) return on_failure(c);
  if (describe) return on_described(c);
  try {
    const PGresult* r = result.get();
    if (PQnfields(r) != 1 || PQftype(r, 0) != void_oid) assign_rows_in_own_storage(result_.rows, r);
  } catch (const std::exception& e) {
    result_.diag.message = std::string("reading the result: ") + e.what();
    return finish(errc::protocol_error);
  }
  finish({});
}

void call_op::on_described(connection& c) {
  if (cancelled_) return finish(boost::asio::error::operation_aborted);
  if (c.ready()) return send(c);
  acquire();
}

void call_op::on_failure(connection& c) {
  const std::string state = error ? field(error.get(), PG_DIAG_SQLSTATE) : "";
  const bool lost = ec || breaks_connection(state);
  if (!lost) take_server_error(error.get());
  const std::string& message = result_.diag.message;
  // Calls waiting for this describe share its fate when the statement itself is at fault.
  const bool statement_at_fault =
      !lost && !stale_statement(state, message) && !cancelled_by_request(state, message);
  release_describe_waiters(statement_at_fault ? make_sqlstate_error(state)
                                              : boost::system::error_code());
  if (lost) return on_lost_connection(c);
  if (demoted_primary(state) && pool_->role() == pool_role::write) pool_->retire(c);
  if (stale_statement(state, message)) {
    c.forget(*stmt_);
    if (!stale_retry_used_ && !cancelled_) {
      stale_retry_used_ = true;
      return acquire();
    }
  }
  if (cancelled_by_request(state, message)) {
    if (cancelled_) return finish(boost::asio::error::operation_aborted);
    // Another call's cancel request that reached the server late hit this one: it did not
    // run to its end, so running it again is safe.
    const bool recent =
        std::chrono::steady_clock::now() - c.last_cancel() < std::chrono::seconds(5);
    if (recent && !spurious_cancel_retry_used_) {
      spurious_cancel_retry_used_ = true;
      return acquire();
    }
  }
  finish(make_sqlstate_error(state));
}

void call_op::on_lost_connection(connection& c) {
  if (error) take_server_error(error.get());
  if (result_.diag.message.empty())
    result_.diag.message = c.last_error().empty() ? "the connection was closed" : c.last_error();
  if (!c.closed()) pool_->retire(c);
  if (ec == errc::shut_down) return finish(errc::shut_down);
  if (timed_out_) return finish_timed_out();
  if (cancelled_) return finish(boost::asio::error::operation_aborted);
  if (execute && method_->definition.mode == method_mode::write) {
    result_.diag.message =
        "connection lost during a write call, outcome unknown: " + result_.diag.message;
    return finish(errc::outcome_unknown);
  }
  if (!lost_retry_used_) {
    lost_retry_used_ = true;
    result_.diag = {};
    return acquire();
  }
  finish(errc::connection_lost);
}

void call_op::cancel() {
  if (phase_ == phase::done || cancelled_) return;
  cancelled_ = true;
  if (phase_ == phase::queued) {
    pool_->cancel_wait(*this);
    result_.diag.message = "cancelled while waiting for a connection";
    return finish(boost::asio::error::operation_aborted);
  }
  if (phase_ == phase::waiting_for_describe) {
    db_->cancel_describe_wait(*stmt_, *this);
    result_.diag.message = "cancelled while waiting for the statement's first describe";
    return finish(boost::asio::error::operation_aborted);
  }
  if (conn_) conn_->cancel(*this);
}

void call_op::take_server_error(const PGresult* r) {
  diagnostics& d = result_.diag;
  d.sqlstate = field(r, PG_DIAG_SQLSTATE);
  d.message = field(r, PG_DIAG_MESSAGE_PRIMARY);
  if (d.message.empty()) d.message = PQresultErrorMessage(r);
  while (!d.message.empty() && d.message.back() == '\n') d.message.pop_back();
  d.detail = field(r, PG_DIAG_MESSAGE_DETAIL);
  d.hint = field(r, PG_DIAG_MESSAGE_HINT);
}

void call_op::finish(boost::system::error_code ec) {
  release_describe_waiters({});  // when this call was describing: the next one takes over
  phase_ = phase::done;
  db_->deadlines().remove(*this);
  auto slot = boost::asio::get_associated_cancellation_slot(handler_);
  if (slot.is_connected()) slot.clear();
  diagnostics& d = result_.diag;
  d.method = name();
  if (pool_) {
    d.pool = to_string(pool_->role());
    d.server = pool_->server();
    pool_->count_call(static_cast<bool>(ec));
  }
  if (ec == boost::asio::error::operation_aborted && d.message.empty()) d.message = "cancelled";
  call_event e;
  e.method = d.method;
  e.mode = method_ ? method_->definition.mode : method_mode::read;
  e.pooled = pool_ != nullptr;
  e.pool = pool_ ? pool_->role() : pool_role::read;
  e.duration = std::chrono::steady_clock::now() - started_;
  e.ec = ec;
  e.sqlstate = d.sqlstate;
  e.attempts = attempts_;
  db_->report(e);
  auto h = std::move(handler_);
  auto r = std::move(result_);
  auto db = std::move(db_);
  delete this;
  complete_call(db->executor(), std::move(h), ec, std::move(r));
}

}  // namespace pgfns::detail

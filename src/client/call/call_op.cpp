#include "client/call/call_op.hpp"

#include "common/error_line.hpp"
#include "common/utf8.hpp"
#include "values/result_rows.hpp"

#include <pgfns/error.hpp>

#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/post.hpp>

#include <stdexcept>

namespace pgfns::detail {
namespace {

constexpr Oid void_oid = 2278;

std::string field(const PGresult* r, int code) {
  const char* v = PQresultErrorField(r, code);
  return v ? error_line(v) : "";
}

call_limits limits_for(const resolved_method* m, const database_options& o) {
  call_limits l;
  l.kind = m && m->definition.mode == method_mode::write ? call_kind::write : call_kind::read;
  l.call_timeout_ms = o.call_timeout.count();
  l.acquire_timeout_ms = o.acquire_timeout.count();
  l.read_fallback = o.read_fallback;
  return l;
}

}  // namespace

call_op::call_op(std::shared_ptr<database_core> db, const resolved_method* method,
                 std::string unknown_name, bool allow_deprecated, call_options options,
                 boost::json::value args, call_handler handler, bool on_io)
    : db_(std::move(db)),
      method_(method),
      unknown_name_(std::move(unknown_name)),
      allow_deprecated_(allow_deprecated),
      options_(options),
      args_(std::move(args)),
      handler_(std::move(handler)),
      handler_on_io_(on_io),
      diag_(&result_.diag),
      machine_(limits_for(method_, db_->options())) {}

call_op::call_op(std::shared_ptr<database_core> db, const resolved_method* method,
                 const method_binding& binding, call_options options, typed_codec& codec,
                 typed_call_handler handler, bool on_io)
    : db_(std::move(db)),
      method_(method),
      unknown_name_(method ? std::string() : std::string(binding.name)),
      allow_deprecated_(binding.deprecated),
      options_(options),
      binding_(&binding),
      codec_(&codec),
      typed_handler_(std::move(handler)),
      handler_on_io_(on_io),
      diag_(&codec.diag),
      machine_(limits_for(method_, db_->options())) {}

std::string_view call_op::name() const noexcept {
  return method_ ? std::string_view(method_->definition.name) : std::string_view(unknown_name_);
}

void call_op::start(std::shared_ptr<call_op> self) {
  self_ = std::move(self);
  started_ = std::chrono::steady_clock::now();
  if (db_->closed()) return apply(machine_.fail(errc::shut_down, "the database was closed"));
  if (!db_->running()) return apply(machine_.fail(errc::not_started, {}));
  if (auto check = check_call(); !check)
    return apply(machine_.fail(check.ec, std::move(check.message)));
  if (codec_) {
    stmt_ = &db_->statements().get(*method_, static_cast<std::size_t>(codec_->arity()));
    if (!encode_typed_arguments()) return;
  } else {
    stmt_ = &db_->statements().get(*method_, args_);
  }
  label = name();
  auto slot = cancellation_slot();
  if (slot.is_connected())
    slot.assign([this](boost::asio::cancellation_type) {
      apply(machine_.cancel(pool_ ? to_string(pool_->role()) : std::string_view()));
    });
  db_->deadlines().add(*this, started_);
  apply(machine_.start(statement_now()));
}

// The rules of call_rules.hpp; a typed call's bindings must match the method first.
rule_check call_op::check_call() const {
  if (codec_ && method_) {
    auto check = check_binding(method_->definition, binding_->args, binding_->returns);
    if (!check) return check;
  }
  auto check = check_method(method_, name(), db_->options().service, allow_deprecated_,
                            db_->schema().latest_version(), db_->schema().methods());
  if (!check) {
    if (codec_ && check.ec == errc::deprecated_method)
      check.message = deprecated_binding_message(name());
    return check;
  }
  const signature& sig = db_->signature_of(*method_);
  if (codec_) return check_argument_count(sig, name(), static_cast<std::size_t>(codec_->arity()));
  return check_arguments(sig, name(), args_);
}

statement_state call_op::statement_now() {
  if (stmt_->described) return statement_state::described;
  return db_->begin_describe(*stmt_, *this) ? statement_state::describe_here
                                            : statement_state::described_elsewhere;
}

void call_op::on_statement_described(boost::system::error_code ec, const diagnostics& diag) {
  if (ec) {
    *diag_ = diag;
    return apply(machine_.describe_ended(ec, statement_state::described));
  }
  apply(machine_.describe_ended({}, statement_now()));
}

void call_op::release_describe_waiters(boost::system::error_code ec) {
  for (call_op* waiter : db_->end_describe(*stmt_)) waiter->on_statement_described(ec, *diag_);
}

// Performs a step. May complete the call (and end this object's life) before returning.
void call_op::apply(call_step step) {
  if (step.retire_connection && conn_ && !conn_->closed()) {
    std::string why = diag_->message;
    if (!diag_->sqlstate.empty()) why += " (SQLSTATE " + diag_->sqlstate + ")";
    pool_->retire(*conn_, std::move(why));
  }
  if (step.forget_statement && conn_) conn_->forget(*stmt_);
  if (step.release_waiters) release_describe_waiters(step.waiters_ec);
  switch (step.action) {
    case call_action::none:
    case call_action::wait_for_describe:
      return;
    case call_action::acquire:
      return acquire();
    case call_action::send:
      return send(*conn_);
    case call_action::stop_on_server:
      if (conn_) conn_->stop(*this, step.stop, false);
      return;
    case call_action::finish:
      return finish(step);
  }
}

void call_op::acquire() {
  *diag_ = {};  // a new attempt: what the last one heard is not the news
  conn_ = nullptr;
  pool_ = db_->pool_for(*method_, options_, *this);
  if (!pool_) return;  // waits for a standby to replay this caller's writes: on_route_ready()
  if (connection* c = pool_->try_acquire()) return on_acquired(*c);
  pool_->wait(*this);
}

void call_op::on_acquired(connection& c) {
  // A connection freed before the deadline timer ran for this call: past its deadline, it is
  // never sent (the connection goes to the next waiter).
  const auto timeout = db_->options().call_timeout;
  if (timeout.count() > 0 && std::chrono::steady_clock::now() - started_ >= timeout)
    return on_deadline();
  conn_ = &c;
  apply(machine_.acquired());
}

void call_op::on_acquire_failed(boost::system::error_code ec) {
  apply(machine_.acquire_failed(ec, to_string(pool_->role()), pool_->last_error()));
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
    apply(machine_.fail(errc::bad_arguments,
                        "argument " + std::to_string(i + 1) + ": " + e.what() + "; not sent"));
    return false;
  }
  return true;
}

// A typed call's parameters are text whatever their types: written before any SQL is sent.
bool call_op::encode_typed_arguments() {
  encoded_ = true;
  params_.clear();
  param_writer out(params_);
  try {
    codec_->encode(out);
  } catch (const std::exception& e) {
    // The parameters written before it are in the buffer: its index is their count.
    const auto index = static_cast<std::size_t>(params_.size());
    apply(machine_.fail(errc::bad_arguments,
                        argument_refused(db_->signature_of(*method_), index, e.what())));
    return false;
  }
  return true;
}

void call_op::send(connection& c) {
  describe = machine_.sends_describe();
  execute = !describe;
  // Arguments are encoded once the parameter types are known (the first call of a statement
  // learns them with a describe); a failure completes the call without using `c`.
  if (execute && !encoded_ && !encode_arguments()) return;
  stmt = stmt_;
  read = machine_.kind() == call_kind::read;
  if (execute) {
    nparams = params_.size();
    param_values = params_.values();
  }
  cancels_done_at_send_ = c.cancels_done();
  c.submit(*this);
}

job_outcome call_op::outcome_of(connection& c) {
  job_outcome o;
  o.never_sent = c.pooler_refused();
  if (ec) {
    o.what = job_outcome::kind::lost;
    if (error) take_server_error(error.get());  // the server's last words, when it said any
    o.message = diag_->message.empty() ? std::string_view(c.last_error())
                                       : std::string_view(diag_->message);
    o.own_cancel_unanswered = c.closed_for() == serial();
    o.shut_down = ec == errc::shut_down;
  } else if (error) {
    o.what = job_outcome::kind::server_error;
    take_server_error(error.get());
    o.sqlstate = diag_->sqlstate;
    o.message = diag_->message;
    o.recent_cancel = c.cancels_sent() > cancels_done_at_send_;
  } else {
    o.connection_ready = c.ready();
  }
  return o;
}

void call_op::on_job_done(connection& c) {
  if (detached()) {  // answered already: the server's answer is discarded
    auto keep = std::move(self_);
    return;
  }
  conn_ = &c;
  if (describe && !ec && !error) {
    stmt_->param_types.resize(static_cast<std::size_t>(PQnparams(describe_result.get())));
    for (std::size_t i = 0; i < stmt_->param_types.size(); ++i)
      stmt_->param_types[i] = PQparamtype(describe_result.get(), static_cast<int>(i));
    stmt_->described = true;
  }
  if (execute && !ec && !error) {
    try {
      read_rows(result.get());
    } catch (const std::exception& e) {
      return apply(
          machine_.fail(errc::protocol_error, std::string("reading the result: ") + e.what()));
    }
  }
  apply(machine_.job_done(outcome_of(c)));
}

// The rows of a method that does not return void: JSON rows, or the typed call's own value.
void call_op::read_rows(const PGresult* r) {
  if (PQnfields(r) == 1 && PQftype(r, 0) == void_oid) return;
  if (codec_) return codec_->decode(row_reader(r));
  assign_rows_in_own_storage(result_.rows, r);
}

void call_op::on_deadline() {
  if (pool_) return apply(machine_.deadline(to_string(pool_->role()), pool_->last_error()));
  apply(machine_.deadline());
}

void call_op::take_server_error(const PGresult* r) {
  diagnostics& d = *diag_;
  d.sqlstate = field(r, PG_DIAG_SQLSTATE);
  d.message = field(r, PG_DIAG_MESSAGE_PRIMARY);
  if (d.message.empty()) d.message = error_line(PQresultErrorMessage(r));
  d.detail = field(r, PG_DIAG_MESSAGE_DETAIL);
  d.hint = field(r, PG_DIAG_MESSAGE_HINT);
}

void call_op::finish(call_step& step) {
  if (step.leave_queue) {
    if (pool_) pool_->cancel_wait(*this);
    db_->cancel_route_wait(*this);
    if (stmt_) db_->cancel_describe_wait(*stmt_, *this);
  }
  if (step.detach && conn_) conn_->stop(*this, step.stop, true);
  db_->deadlines().remove(*this);
  auto slot = cancellation_slot();
  if (slot.is_connected()) slot.clear();
  diagnostics& d = *diag_;
  if (!step.message.empty()) {
    if (!step.keep_server_diag) d = {};
    d.message = std::move(step.message);
  }
  d.method = method_ ? name() : printable(name());  // an unknown name is anything: escaped
  if (pool_) {
    d.pool = to_string(pool_->role());
    d.server = pool_->server();
    pool_->count_call(static_cast<bool>(step.ec));
  }
  if (step.ec == boost::asio::error::operation_aborted && d.message.empty())
    d.message = "cancelled";
  call_event e;
  e.method = d.method;
  e.mode = method_ ? method_->definition.mode : method_mode::read;
  e.pooled = pool_ != nullptr;
  e.pool = pool_ ? pool_->role() : pool_role::read;
  e.duration = std::chrono::steady_clock::now() - started_;
  e.ec = step.ec;
  e.sqlstate = d.sqlstate;
  e.attempts = machine_.attempts();
  db_->report(e);
  if (e.pooled && e.mode == method_mode::write) db_->write_ended();
  ec_ = step.ec;
  // The call keeps its handler and result until the handler runs. A detached job stays in its
  // connection's pipeline until the server answers it.
  std::shared_ptr<pending_completion> done = pipeline_entry::is_linked() ? self_ : std::move(self_);
  const auto& io = db_->executor();
  if (!handler_on_io_) {
    auto ex = binding_ ? boost::asio::get_associated_executor(typed_handler_, io)
                       : boost::asio::get_associated_executor(handler_, io);
    boost::asio::post(
        io, boost::asio::bind_executor(ex, [done = std::move(done)] { done->complete(); }));
    return;
  }
  if (!defer_completion(io, done)) post_completion(io, std::move(done));
}

// A typed call's handler takes the diagnostics from the codec it owns (and may destroy it).
void call_op::complete() {
  codec_ = nullptr;
  diag_ = &result_.diag;
  if (binding_) {
    auto h = std::move(typed_handler_);
    return std::move(h)(ec_);
  }
  auto h = std::move(handler_);
  std::move(h)(ec_, std::move(result_));
}

boost::asio::cancellation_slot call_op::cancellation_slot() const noexcept {
  return binding_ ? boost::asio::get_associated_cancellation_slot(typed_handler_)
                  : boost::asio::get_associated_cancellation_slot(handler_);
}

}  // namespace pgfns::detail

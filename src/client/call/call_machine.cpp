#include "client/call/call_machine.hpp"

#include "client/call/failure_kind.hpp"

#include <pgfns/error.hpp>
#include <pgfns/monitor.hpp>

#include <boost/asio/error.hpp>

namespace pgfns::detail {

std::string call_machine::deadline_text() const {
  std::string s = "the call's deadline passed (call_timeout ";
  s += std::to_string(limits_.call_timeout_ms);
  s += " ms)";
  return s;
}

std::string call_machine::stop_text() const {
  return stop_ == stop_reason::deadline ? deadline_text() : std::string("cancelled by the caller");
}

boost::system::error_code call_machine::stop_error() const {
  if (stop_ == stop_reason::cancel) return boost::asio::error::operation_aborted;
  return errc::call_timeout;
}

call_step call_machine::start(statement_state s) {
  if (phase_ != call_phase::created) return {};
  return after_statement(s);
}

call_step call_machine::after_statement(statement_state s) {
  call_step step;
  if (s == statement_state::described_elsewhere) {
    phase_ = call_phase::waiting_for_describe;
    step.action = call_action::wait_for_describe;
    return step;
  }
  describing_ = s == statement_state::describe_here;
  phase_ = call_phase::waiting_for_connection;
  step.action = call_action::acquire;
  return step;
}

call_step call_machine::describe_ended(boost::system::error_code ec, statement_state s) {
  if (phase_ != call_phase::waiting_for_describe) return {};
  if (!ec) return after_statement(s);
  call_step step = finish(ec);
  step.keep_server_diag = true;  // the describing call's diagnostics: the same error
  return step;
}

call_step call_machine::acquired() noexcept {
  call_step step;
  if (phase_ != call_phase::waiting_for_connection) return step;
  phase_ = call_phase::sent;
  executing_ = !describing_;
  if (executing_) ++attempts_;
  step.action = call_action::send;
  return step;
}

call_step call_machine::fail(boost::system::error_code ec, std::string message) {
  if (phase_ == call_phase::done) return {};
  return finish(ec, std::move(message));
}

call_step call_machine::acquire_failed(boost::system::error_code ec, std::string_view pool,
                                       std::string_view last_error) {
  if (phase_ != call_phase::waiting_for_connection) return {};
  if (ec == errc::server_unavailable && limits_.kind == call_kind::read && limits_.read_fallback &&
      pool != to_string(pool_role::write)) {
    call_step step;  // the read server went down while this call waited: the routing now sends
    step.action = call_action::acquire;  // it elsewhere (never back to a pool that is down)
    return step;
  }
  std::string message;
  if (ec == errc::server_unavailable) {
    message = "the ";
    message += pool;
    message += " server cannot be reached";
    if (!last_error.empty()) {
      message += " (";
      message += last_error;
      message += ')';
    }
    message += "; it was not sent, and the pool reconnects in the background";
  }
  if (ec == errc::pool_timeout) {
    message = "no connection of the ";
    message += pool;
    message +=
        " pool became available within " + std::to_string(limits_.acquire_timeout_ms) + " ms";
    if (!last_error.empty()) {
      message += " (";
      message += last_error;
      message += ')';
    }
  }
  return finish(ec, std::move(message));
}

call_step call_machine::job_done(const job_outcome& o) {
  if (phase_ != call_phase::sent) return {};
  if (o.what == job_outcome::kind::lost) return on_lost(o);
  if (o.what == job_outcome::kind::server_error) return on_server_error(o);
  if (!executing_) {  // the describe: the statement's types are known now
    call_step step;
    describing_ = false;
    step.release_waiters = true;
    if (o.connection_ready) {
      executing_ = true;
      ++attempts_;
      step.action = call_action::send;
    } else {
      phase_ = call_phase::waiting_for_connection;
      step.action = call_action::acquire;
    }
    return step;
  }
  return finish({});
}

call_step call_machine::on_server_error(const job_outcome& o) {
  const std::string_view state = o.sqlstate;
  if (breaks_connection(state)) {
    job_outcome lost = o;
    lost.what = job_outcome::kind::lost;
    return on_lost(lost);
  }
  const bool stale = stale_statement(state, o.message);
  const bool cancelled = cancelled_by_request(state, o.message);
  call_step step;
  if (describing_) {
    // The calls waiting for this describe share its fate when the statement is at fault.
    describing_ = false;
    step.release_waiters = true;
    if (!stale && !cancelled) step.waiters_ec = make_sqlstate_error(state);
  }
  step.retire_connection = demoted_primary(state) && limits_.kind == call_kind::write;
  step.forget_statement = stale;
  auto carry = [&](call_step next) {
    next.retire_connection = step.retire_connection;
    next.forget_statement = step.forget_statement;
    next.release_waiters = next.release_waiters || step.release_waiters;
    if (step.release_waiters) next.waiters_ec = step.waiters_ec;
    return next;
  };
  if (stale && !stale_retry_used_ && stop_ == stop_reason::none) {
    stale_retry_used_ = true;  // refused before it ran: prepared again, it may run
    return carry(retry());
  }
  if (cancelled && stop_ != stop_reason::none) {
    // This call's own stop reached the server: the write was rolled back.
    if (stop_ == stop_reason::deadline) {
      return carry(
          finish(errc::call_timeout, deadline_text() +
                                         " while the write ran; the server cancelled it before it "
                                         "committed: it did not happen"));
    }
    call_step f = finish(make_sqlstate_error(state),
                         "cancelled by the caller; the server stopped the write before it "
                         "committed: it did not happen");
    f.keep_server_diag = true;
    return carry(std::move(f));
  }
  if (cancelled && o.recent_cancel && stray_cancel_retries_ < max_stray_cancel_retries) {
    // A cancel meant for another job on this connection reached the server while this one ran
    // and stopped it: it did not run to its end (a write was rolled back), so it runs again.
    ++stray_cancel_retries_;
    return carry(retry());
  }
  call_step f = finish(make_sqlstate_error(state));
  f.keep_server_diag = true;
  return carry(std::move(f));
}

call_step call_machine::on_lost(const job_outcome& o) {
  call_step step;
  if (describing_) {
    describing_ = false;  // the next waiting call describes the statement
    step.release_waiters = true;
  }
  step.retire_connection = true;
  auto carry = [&](call_step next) {
    next.retire_connection = true;
    next.release_waiters = next.release_waiters || step.release_waiters;
    next.keep_server_diag = true;  // the server's last words (57P01...), when it said any
    return next;
  };
  const std::string why =
      o.message.empty() ? std::string("the connection was closed") : std::string(o.message);
  if (o.shut_down) return carry(finish(errc::shut_down, why));
  if (o.never_sent && stop_ != stop_reason::none) {
    return carry(finish(stop_error(), stop_text() + "; the pooler never gave it a server (" + why +
                                          "): it was not sent"));
  }
  if (o.never_sent && limits_.kind == call_kind::write) {
    // Definite, unlike a loss in flight: the caller may send the write again at once.
    return carry(finish(
        errc::server_unavailable,
        "the pooler could not give the call a server connection (" + why + "); it was not sent"));
  }
  if (executing_ && limits_.kind == call_kind::write) {
    std::string message;
    if (stop_ != stop_reason::none && o.own_cancel_unanswered) {
      message = stop_text() + " while the write ran; " + why +
                ", so its connection was closed: outcome unknown";
    } else if (stop_ != stop_reason::none) {
      message = stop_text() + " while the write ran, and its connection was lost (" + why +
                "): outcome unknown";
    } else {
      message = "connection lost during a write call, outcome unknown: " + why;
    }
    return carry(finish(errc::outcome_unknown, std::move(message)));
  }
  if (!lost_retry_used_ && stop_ == stop_reason::none) {
    lost_retry_used_ = true;  // a read (or a describe) is sent again once
    return carry(retry());
  }
  return carry(finish(errc::connection_lost, why));
}

call_step call_machine::retry() {
  call_step step;
  phase_ = call_phase::waiting_for_connection;
  executing_ = false;
  step.action = call_action::acquire;
  return step;
}

call_step call_machine::cancel(std::string_view pool) {
  return stop(stop_reason::cancel, pool, {});
}

call_step call_machine::deadline(std::string_view pool, std::string_view last_error) {
  return stop(stop_reason::deadline, pool, last_error);
}

call_step call_machine::stop(stop_reason why, std::string_view pool, std::string_view last_error) {
  if (phase_ == call_phase::done) return {};
  if (stop_ != stop_reason::none) return {};  // already stopping: the first reason stands
  stop_ = why;
  const bool cancel = why == stop_reason::cancel;
  const boost::system::error_code ec = stop_error();
  const std::string what = cancel ? std::string("cancelled") : deadline_text();
  switch (phase_) {
    case call_phase::created:
      return finish(ec, what + " before it started; it was not sent");
    case call_phase::waiting_for_describe: {
      call_step step = finish(ec, what +
                                      " while it waited for its statement's first describe; "
                                      "it was not sent");
      step.leave_queue = true;
      return step;
    }
    case call_phase::waiting_for_connection: {
      std::string message = what + " while it waited for a connection";
      if (!pool.empty()) {
        message += " of the ";
        message += pool;
        message += " pool";
      }
      message += "; it was not sent";
      if (!last_error.empty()) {
        message += " (";
        message += last_error;
        message += ')';
      }
      call_step step = finish(ec, std::move(message));
      step.leave_queue = true;
      return step;
    }
    case call_phase::sent:
      break;
    case call_phase::done:
      return {};
  }
  if (!executing_ || limits_.kind == call_kind::read) {
    // Nothing with effects runs: answered now, the server's answer discarded later.
    std::string message = what;
    message += executing_ ? " while it ran; its answer will be discarded"
                          : " while its statement was described; the call was not sent";
    call_step step = finish(ec, std::move(message));
    step.detach = true;
    step.stop = why;
    return step;
  }
  // A write that was sent: stopped on the server when it is the one running; its real
  // outcome completes it.
  call_step step;
  step.action = call_action::stop_on_server;
  step.stop = why;
  return step;
}

call_step call_machine::finish(boost::system::error_code ec, std::string message) {
  call_step step;
  if (describing_) {
    describing_ = false;  // the next waiting call describes the statement
    step.release_waiters = true;
  }
  phase_ = call_phase::done;
  step.action = call_action::finish;
  step.ec = ec;
  step.message = std::move(message);
  return step;
}

}  // namespace pgfns::detail
